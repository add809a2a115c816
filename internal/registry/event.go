package registry

import (
	"errors"
	"fmt"
	"strings"

	"github.com/oneko/oneko/internal/registryspec"
)

// ErrMalformed is wrapped by every Parse error caused by the body: not JSON, not of the format,
// or naming an invalid repository, tag or digest. The HTTP edge answers 400 for it.
var ErrMalformed = errors.New("malformed webhook payload")

// Event is one thing that happened to one tag, whatever registry reported it.
type Event struct {
	// Action is ActionPush or ActionDelete.
	Action Action
	// Host is the registry host (and port) if the payload names it, lowercased; "" otherwise
	// (also when the registry reports a host that is not a valid host name).
	Host string
	// Repository is the repository path without the host, e.g. "team/app". For Docker Hub it is
	// normalised with NormalizeRepository ("nginx" becomes "library/nginx").
	Repository string
	// Tag is the tag, never empty.
	Tag string
	// Digest is the manifest or index digest ("sha256:…"), or "" if the payload does not say.
	// It is a hint: the worker confirms it with the registry.
	Digest string
	// DeliveryID identifies the delivery or event at the sender (Distribution's event id,
	// GitHub's X-GitHub-Delivery, ACR's event id), or "" if the format has none.
	DeliveryID string
}

// Key is a stable deduplication key, "action|repository|tag|digest", usable as a task id: two
// deliveries of the same push give the same key, whatever their delivery ids.
func (e Event) Key() string {
	return string(e.Action) + "|" + e.Repository + "|" + e.Tag + "|" + e.Digest
}

// ParseResult is what Parse found in one payload.
type ParseResult struct {
	// Format is the format the payload was parsed as (the detected one for FormatAuto).
	Format Format
	// Events are the tag events of the payload, deduplicated by Key, in payload order.
	Events []Event
	// Ignored is a non-empty reason when the payload is well-formed but needs no action
	// (a pull, a layer push, a scan result, a push without a tag); it is "" when Events is not
	// empty.
	Ignored string
}

// dockerHubHosts are the names under which Docker Hub's registry is known.
var dockerHubHosts = map[string]bool{
	"docker.io":               true,
	"index.docker.io":         true,
	"registry-1.docker.io":    true,
	"registry.hub.docker.com": true,
	"hub.docker.com":          true,
}

// IsDockerHub reports whether host names Docker Hub's registry.
func IsDockerHub(host string) bool {
	return dockerHubHosts[strings.ToLower(host)]
}

// NormalizeRepository returns the repository path the registry API uses: on Docker Hub an
// official image named by one component ("nginx") lives at "library/nginx". Other registries
// and repositories are returned unchanged; the host "" is not assumed to be Docker Hub.
func NormalizeRepository(host, repository string) string {
	if IsDockerHub(host) && repository != "" && !strings.Contains(repository, "/") {
		return "library/" + repository
	}
	return repository
}

// malformed builds an error wrapping ErrMalformed.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// collector gathers the events of one payload: it validates each, drops duplicates and
// remembers why candidates were skipped, so that a payload without events can say why.
type collector struct {
	format  Format
	events  []Event
	seen    map[string]bool
	skipped []string
}

func newCollector(format Format) *collector {
	return &collector{format: format, seen: map[string]bool{}}
}

// add validates e and appends it unless an identical event (same Key) is already there. An
// untagged artifact — no tag, or a digest where the tag belongs (Harbor's push of an untagged
// artifact) — is skipped, not malformed: the tagged events beside it are kept.
func (c *collector) add(e Event) error {
	if e.Tag == "" || untaggedRef(e.Tag) {
		c.skip("artifact without a tag")
		return nil
	}
	e.Host = strings.ToLower(strings.TrimSpace(e.Host))
	if err := validateEvent(e); err != nil {
		return err
	}
	if c.seen[e.Key()] {
		return nil
	}
	c.seen[e.Key()] = true
	c.events = append(c.events, e)
	return nil
}

// skip records why a candidate of the payload produced no event.
func (c *collector) skip(reason string) {
	for _, r := range c.skipped {
		if r == reason {
			return
		}
	}
	c.skipped = append(c.skipped, reason)
}

// result returns the ParseResult, with a reason when there are no events.
func (c *collector) result() ParseResult {
	r := ParseResult{Format: c.format, Events: c.events}
	if len(c.events) == 0 {
		r.Ignored = strings.Join(c.skipped, "; ")
		if r.Ignored == "" {
			r.Ignored = "no tag events in the payload"
		}
	}
	return r
}

func validateEvent(e Event) error {
	if e.Action != ActionPush && e.Action != ActionDelete {
		return malformed("unknown action %q", e.Action)
	}
	if e.Host != "" && !registryspec.ValidHost(e.Host) {
		return malformed("invalid registry host %q", e.Host)
	}
	if !registryspec.ValidRepository(e.Repository) {
		return malformed("invalid repository name %q", e.Repository)
	}
	if !registryspec.ValidTag(e.Tag) {
		return malformed("invalid tag %q", e.Tag)
	}
	if e.Digest != "" && !registryspec.ValidDigest(e.Digest) {
		return malformed("invalid digest %q", e.Digest)
	}
	return nil
}

// senderHost returns host, lowercased, if it is a valid registry host and "" otherwise. It is
// for hosts a registry reports about itself (an HTTP Host header, a resource URL): they only
// inform, so an odd one (a docker-compose service name with "_") must not fail the payload.
func senderHost(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if !registryspec.ValidHost(host) {
		return ""
	}
	return host
}

// splitHost splits "host[:port]/path" into host and path when the first component looks like
// a registry host (it has a dot or a port, or is "localhost"); otherwise host is "".
func splitHost(ref string) (host, path string) {
	first, rest, ok := strings.Cut(ref, "/")
	if !ok {
		return "", ref
	}
	if strings.ContainsAny(first, ".:[") || first == "localhost" {
		return strings.ToLower(first), rest
	}
	return "", ref
}

// untaggedRef reports whether a registry put a digest ("sha256:…") where a tag belongs.
func untaggedRef(tag string) bool {
	return registryspec.ValidDigest(tag) || strings.Contains(strings.ToLower(tag), "sha256:")
}
