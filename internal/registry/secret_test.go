package registry

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"
)

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestVerifySecret(t *testing.T) {
	const secret = "s3cr3t-value"
	body := []byte(`{"image":"registry.example.com/team/app","tag":"1.0.0"}`)
	altered := []byte(`{"image":"registry.example.com/team/app","tag":"6.6.6"}`)
	tests := []struct {
		name   string
		secret string
		header http.Header
		query  url.Values
		body   []byte
		want   bool
	}{
		{name: "bearer", secret: secret, header: http.Header{"Authorization": {"Bearer " + secret}}, body: body, want: true},
		{name: "bearer lowercase scheme", secret: secret, header: http.Header{"Authorization": {"bearer " + secret}}, body: body, want: true},
		{name: "raw authorization", secret: secret, header: http.Header{"Authorization": {secret}}, body: body, want: true},
		{name: "hmac signature", secret: secret, header: http.Header{"X-Hub-Signature-256": {sign(secret, body)}}, body: body, want: true},
		{name: "query token", secret: secret, query: url.Values{"token": {secret}}, body: body, want: true},
		{name: "wrong bearer", secret: secret, header: http.Header{"Authorization": {"Bearer nope"}}, body: body},
		{name: "wrong raw authorization", secret: secret, header: http.Header{"Authorization": {"s3cr3t-valuX"}}, body: body},
		{name: "prefix of the secret", secret: secret, header: http.Header{"Authorization": {"s3cr3t"}}, body: body},
		{name: "wrong query token", secret: secret, query: url.Values{"token": {"nope"}}, body: body},
		{name: "signature made with another secret", secret: secret, header: http.Header{"X-Hub-Signature-256": {sign("other", body)}}, body: body},
		{name: "altered body with a valid-looking signature", secret: secret, header: http.Header{"X-Hub-Signature-256": {sign(secret, body)}}, body: altered},
		{name: "signature that is not hex", secret: secret, header: http.Header{"X-Hub-Signature-256": {"sha256=zz"}}, body: body},
		{name: "signature without algorithm", secret: secret, header: http.Header{"X-Hub-Signature-256": {sign(secret, body)[len("sha256="):]}}, body: body},
		{name: "nothing sent", secret: secret, body: body},
		{name: "empty secret never verifies", secret: "", header: http.Header{"Authorization": {""}}, query: url.Values{"token": {""}}, body: body},
		{name: "one of several authorization values", secret: secret, header: http.Header{"Authorization": {"Basic Zm9vOmJhcg==", "Bearer " + secret}}, body: body, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifySecret(tt.secret, tt.header, tt.query, tt.body); got != tt.want {
				t.Errorf("VerifySecret() = %v, want %v", got, tt.want)
			}
		})
	}
}
