package charts

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"oras.land/oras-go/v2/registry/remote/errcode"
)

// ErrChartNotFound is wrapped by the errors of ListCharts and Chart when a registry has no such
// chart, or none of its versions matches the version constraint.
var ErrChartNotFound = errors.New("chart not found")

// ErrUnauthorized is wrapped when a registry refuses the credentials (HTTP 401 or 403).
var ErrUnauthorized = errors.New("helm registry refused the credentials")

// ErrDigestMismatch is wrapped when a downloaded chart archive does not have the digest the
// repository index announces for it.
var ErrDigestMismatch = errors.New("chart archive digest mismatch")

// ErrInvalidConstraint is wrapped when a version constraint is neither a version nor a
// semantic version range.
var ErrInvalidConstraint = errors.New("invalid chart version constraint")

// ErrChartOrigin is wrapped when a repository index names a chart archive outside the
// repository's own origin that Options.ChartOrigins does not allow.
var ErrChartOrigin = errors.New("chart archive URL outside the repository's origin")

// ErrInvalidRegistry is wrapped when a Registry's URL is neither http(s):// nor oci://.
var ErrInvalidRegistry = errors.New("invalid helm registry")

// statusError is an HTTP answer that is neither a success nor a redirect.
type statusError struct {
	url    string
	status int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("GET %s: %d %s", e.url, e.status, http.StatusText(e.status))
}

// statusOf extracts the HTTP status code from the errors of this package, go-containerregistry
// and ORAS (used by the Helm SDK's registry client); 0 if err carries none.
func statusOf(err error) int {
	var se *statusError
	if errors.As(err, &se) {
		return se.status
	}
	var te *transport.Error
	if errors.As(err, &te) {
		return te.StatusCode
	}
	var oe *errcode.ErrorResponse
	if errors.As(err, &oe) {
		return oe.StatusCode
	}
	return 0
}

// isUnauthorized reports whether err is a refusal of the credentials.
func isUnauthorized(err error) bool {
	s := statusOf(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// isNotFound reports whether err is an HTTP 404.
func isNotFound(err error) bool {
	return statusOf(err) == http.StatusNotFound
}

// classify adds ErrUnauthorized to err when the registry refused the credentials.
func classify(err error) error {
	if err != nil && isUnauthorized(err) && !errors.Is(err, ErrUnauthorized) {
		return fmt.Errorf("%w: %w", ErrUnauthorized, err)
	}
	return err
}
