package registry

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
)

// VerifySecret reports whether a webhook delivery carries secret in one of the forms registries
// can send: "Authorization: Bearer <secret>", the raw Authorization value (Harbor and ACR send it
// verbatim), "X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of body>" (GitHub), or "?token=<secret>"
// (Docker Hub and Quay cannot set headers). Every comparison takes the same time whatever the
// values compared. An empty secret never verifies: whether a registry without a secret accepts
// unauthenticated deliveries is the caller's decision.
func VerifySecret(secret string, header http.Header, query url.Values, body []byte) bool {
	if secret == "" {
		return false
	}
	ok := false
	for _, auth := range header.Values("Authorization") {
		auth = strings.TrimSpace(auth)
		ok = equalSecret(auth, secret) || ok
		if scheme, token, found := strings.Cut(auth, " "); found && strings.EqualFold(scheme, "Bearer") {
			ok = equalSecret(strings.TrimSpace(token), secret) || ok
		}
	}
	for _, sig := range header.Values("X-Hub-Signature-256") {
		ok = validSignature(sig, secret, body) || ok
	}
	for _, token := range query["token"] {
		ok = equalSecret(token, secret) || ok
	}
	return ok
}

// equalSecret compares two strings in constant time, including their lengths: both are hashed
// first, so the time taken says nothing about how long the secret is.
func equalSecret(got, want string) bool {
	g := sha256.Sum256([]byte(got))
	w := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// validSignature checks "sha256=<hex>" against the HMAC-SHA256 of body keyed with secret.
func validSignature(sig, secret string, body []byte) bool {
	hexSum, found := strings.CutPrefix(strings.TrimSpace(sig), "sha256=")
	if !found {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}
