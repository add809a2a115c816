package model

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oneko/oneko/internal/registryspec"
)

// WebhookFormat names the payload format a docker registry's webhooks use; package
// registryspec names the formats and package registry parses them.
type WebhookFormat = registryspec.Format

// The webhook formats the model's code and tests name directly.
const (
	WebhookAuto    = registryspec.FormatAuto
	WebhookGeneric = registryspec.FormatGeneric
)

// validWebhookFormat reports whether f is exactly one of the known formats.
func validWebhookFormat(f WebhookFormat) bool {
	return slices.Contains(registryspec.Formats(), f)
}

// DefaultPollInterval is how often a docker registry is polled unless configured otherwise.
const DefaultPollInterval = 5 * time.Minute

// Duration is a time.Duration written as a Go duration string ("5m0s") in JSON.
type Duration time.Duration

// MarshalText writes the duration as "5m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like 5m or 0s", string(b))
	}
	*d = Duration(v)
	return nil
}

// DockerRegistry is a container registry that images are read from.
// Password and WebhookSecret are plain text only in memory: the store keeps them encrypted,
// and no API answer ever contains them.
type DockerRegistry struct {
	ID            string        `json:"id" bson:"_id"`
	Name          string        `json:"name" bson:"name"`
	URL           string        `json:"url" bson:"url"`
	Username      string        `json:"username" bson:"username"`
	Password      string        `json:"-" bson:"-"`
	Insecure      bool          `json:"insecure" bson:"insecure"`
	PollInterval  Duration      `json:"pollInterval" bson:"pollInterval"`
	WebhookFormat WebhookFormat `json:"webhookFormat" bson:"webhookFormat"`
	WebhookSecret string        `json:"-" bson:"-"`
	// HasPassword and HasWebhookSecret tell clients whether a secret is set without revealing it.
	HasPassword      bool      `json:"hasPassword" bson:"-"`
	HasWebhookSecret bool      `json:"hasWebhookSecret" bson:"-"`
	WebhookURL       string    `json:"webhookUrl" bson:"-"`
	CreatedAt        time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt        time.Time `json:"updatedAt" bson:"updatedAt"`
	// PasswordSealed and WebhookSecretSealed are the encrypted secrets as stored.
	PasswordSealed      []byte `json:"-" bson:"passwordSealed,omitempty"`
	WebhookSecretSealed []byte `json:"-" bson:"webhookSecretSealed,omitempty"`
	// Revision increases with every write; a PUT names the revision it was made from.
	Revision int64 `json:"revision" bson:"revision"`
}

// Validate checks the registry's fields.
func (r *DockerRegistry) Validate() error {
	var pr problems
	pr.addErr("name", ValidateDisplayName(r.Name))
	pr.addErr("url", ValidateRegistryURL(r.URL, false))
	if r.PollInterval < 0 {
		pr.add("pollInterval", "must not be negative")
	} else if r.PollInterval > 0 && time.Duration(r.PollInterval) < 10*time.Second {
		pr.add("pollInterval", "must be 0s (webhooks only) or at least 10s")
	}
	if !validWebhookFormat(r.WebhookFormat) {
		pr.add("webhookFormat", "must be one of auto, harbor, dockerhub, distribution, quay, ghcr, acr, generic")
	}
	if r.Password != "" && r.Username == "" {
		pr.add("username", "a password needs a username")
	}
	return pr.err()
}

// Host is the registry's host (and port) as used in image references.
func (r *DockerRegistry) Host() string {
	return hostOf(r.URL)
}

// HostChangeNeedsPassword decides whether an update that moves a registry (docker or Helm)
// from oldHost to newHost (see the registries' Host) must give the password again: it must
// when a password is stored (hadPassword), the update gives none (passwordGiven false; ""
// counts as given) and the host (with its port) changes — the stored password would otherwise
// go to a host it was not given for. Another path or scheme on the same host keeps it; host
// names compare without regard to case.
func HostChangeNeedsPassword(oldHost, newHost string, hadPassword, passwordGiven bool) bool {
	return hadPassword && !passwordGiven && !strings.EqualFold(oldHost, newHost)
}

// HelmRegistry is a Helm chart repository: classic (index.yaml over HTTP) or OCI (oci://).
type HelmRegistry struct {
	ID             string    `json:"id" bson:"_id"`
	Name           string    `json:"name" bson:"name"`
	URL            string    `json:"url" bson:"url"`
	Username       string    `json:"username" bson:"username"`
	Password       string    `json:"-" bson:"-"`
	HasPassword    bool      `json:"hasPassword" bson:"-"`
	CreatedAt      time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt" bson:"updatedAt"`
	PasswordSealed []byte    `json:"-" bson:"passwordSealed,omitempty"`
	// Revision increases with every write; a PUT names the revision it was made from.
	Revision int64 `json:"revision" bson:"revision"`
}

// Validate checks the Helm registry's fields.
func (r *HelmRegistry) Validate() error {
	var pr problems
	pr.addErr("name", ValidateDisplayName(r.Name))
	pr.addErr("url", ValidateRegistryURL(r.URL, true))
	if r.Password != "" && r.Username == "" {
		pr.add("username", "a password needs a username")
	}
	return pr.err()
}

// Host is the host (and port) the repository's charts are read from.
func (r *HelmRegistry) Host() string {
	return hostOf(r.URL)
}
