package helm

import (
	"context"
	"errors"
	"net"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// Unreachable reports whether err says the API server could not be reached or was
// temporarily unable to answer (network errors, 5xx, throttling) — as opposed to a release
// that failed on its own (bad manifest, resources not ready in time). It decides nothing; the
// caller chooses whether to retry.
func Unreachable(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if apierrors.IsServerTimeout(err) || apierrors.IsServiceUnavailable(err) || apierrors.IsTooManyRequests(err) ||
		apierrors.IsInternalError(err) || apierrors.IsUnexpectedServerError(err) {
		return true
	}
	if errors.Is(err, context.Canceled) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"cluster unreachable", "connection refused", "no such host", "i/o timeout", "connection reset", "TLS handshake timeout"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
