package registry

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// CheckResult is what a registry check tells a user: a short class and a fixed message that
// says what to fix. It never carries the registry's own answer, which may echo anything.
type CheckResult struct {
	// Result is one of "ok", "unreachable", "tls_error", "unauthorized", "forbidden",
	// "not_a_registry", "invalid_url".
	Result  string `json:"result"`
	Message string `json:"message"`
}

// Check results.
var (
	CheckOK           = CheckResult{"ok", "registry reachable and credentials accepted"}
	CheckUnreachable  = CheckResult{"unreachable", "the registry cannot be reached: check the URL and the network"}
	CheckTLS          = CheckResult{"tls_error", "TLS failed: the registry's certificate is not trusted or does not match its host (or the URL should be http://)"}
	CheckUnauthorized = CheckResult{"unauthorized", "the registry refused the credentials (401): check username and password"}
	CheckForbidden    = CheckResult{"forbidden", "the registry accepted the credentials but denies access (403)"}
	CheckNotRegistry  = CheckResult{"not_a_registry", "the URL answers, but not as a registry (no Docker Registry HTTP API v2 at /v2/)"}
	CheckInvalidURL   = CheckResult{"invalid_url", "the registry URL is not valid: use https://host[:port]"}
)

// ClassifyCheck turns the error of NewClient or Client.Check into a CheckResult.
func ClassifyCheck(err error) CheckResult {
	if err == nil {
		return CheckOK
	}
	var (
		terr  *transport.Error
		uauth x509.UnknownAuthorityError
		inval x509.CertificateInvalidError
		hostE x509.HostnameError
		verif *tls.CertificateVerificationError
		rec   tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &uauth), errors.As(err, &inval), errors.As(err, &hostE), errors.As(err, &verif), errors.As(err, &rec):
		return CheckTLS
	case errors.As(err, &terr):
		switch {
		case terr.StatusCode == http.StatusUnauthorized:
			return CheckUnauthorized
		case terr.StatusCode == http.StatusForbidden:
			return CheckForbidden
		case terr.StatusCode >= 500:
			return CheckUnreachable
		}
		return CheckNotRegistry
	case Unreachable(err):
		return CheckUnreachable
	case errors.Is(err, errInvalidURL):
		return CheckInvalidURL
	}
	return CheckNotRegistry
}
