package charts

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
)

// Registry is a Helm registry as this package needs it: a classic chart repository
// (http:// or https:// serving index.yaml) or an OCI registry (oci://host/path).
type Registry struct {
	// ID identifies the registry; cached indexes and charts are kept under it.
	ID string
	// URL is the repository URL, e.g. https://charts.example.com/stable or oci://ghcr.io/team/charts.
	URL string
	// Username and Password are sent with HTTP Basic authentication (OCI: the registry's
	// token exchange) when Username is set.
	Username, Password string
	// Insecure skips TLS certificate verification; for OCI registries it also means plain HTTP
	// (helm's --plain-http).
	Insecure bool
	// Revision is the revision of the registry's document (0: unknown). When a Cache is asked
	// with a newer revision than it saw before, it forgets the registry first (Cache.Forget),
	// so that a process that did not change the registry itself (a worker apart from the api)
	// stops answering charts kept from its old address or credentials.
	Revision int64
}

// String names the registry in errors and logs, never with its credentials.
func (r Registry) String() string {
	return fmt.Sprintf("helm registry %q (%s)", r.ID, r.URL)
}

// ChartVersion is one version of a chart as a registry lists it.
type ChartVersion struct {
	// Version is the chart's version, as in its Chart.yaml.
	Version string `json:"version"`
	// AppVersion is the version of the application the chart deploys; may be empty.
	AppVersion string `json:"appVersion"`
	// Description is the chart's one-line description; may be empty.
	Description string `json:"description"`
}

// target is a validated Registry with the keys the cache files it under.
type target struct {
	Registry
	oci bool
	// base is the classic repository URL without a trailing slash, or for OCI host/path.
	base string
	// host and path split an OCI base; path has no leading or trailing slash and may be empty.
	host, path string
	// store is the on-disk and in-memory key of the registry's charts: its id and URL.
	store string
	// listing additionally covers the credentials, so that a list fetched with one password
	// is never answered to a caller holding another.
	listing string
}

// newTarget validates r and derives its keys.
func newTarget(r Registry) (target, error) {
	t := target{Registry: r}
	if r.ID == "" {
		return t, fmt.Errorf("%w: %s has no id", ErrInvalidRegistry, r)
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return t, fmt.Errorf("%w: %s: %w", ErrInvalidRegistry, r, err)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return t, fmt.Errorf("%w: %s has no host", ErrInvalidRegistry, r)
		}
		t.base = strings.TrimSuffix(r.URL, "/")
	case "oci":
		if u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return t, fmt.Errorf("%w: %s must look like oci://host/path", ErrInvalidRegistry, r)
		}
		t.oci = true
		t.host = u.Host
		t.path = strings.Trim(u.Path, "/")
		t.base = strings.TrimSuffix(t.host+"/"+t.path, "/")
	default:
		return t, fmt.Errorf("%w: %s must start with http://, https:// or oci://", ErrInvalidRegistry, r)
	}
	t.store = segment(r.ID) + "/" + digestOf(t.base)[:16]
	t.listing = t.store + "/" + digestOf(t.base, r.Username, r.Password, fmt.Sprint(r.Insecure))[:16]
	return t, nil
}

// digestOf is the hex SHA-256 of the parts, separated so that no two lists collide.
func digestOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// segment makes s safe as one file name: kept as is when it only has letters, digits, '.',
// '_', '-' and '+', otherwise replaced by its digest.
func segment(s string) string {
	ok := s != "" && s != "." && s != ".." && len(s) <= 128
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-+", c)) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return "h-" + digestOf(s)[:32]
}
