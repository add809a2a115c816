package registry

import "github.com/oneko/oneko/internal/registryspec"

// Format names a webhook payload format; the names live in package registryspec, which the
// documents share, and this package parses them.
type Format = registryspec.Format

// The webhook formats oneko understands (see registryspec for each one).
const (
	FormatAuto         = registryspec.FormatAuto
	FormatHarbor       = registryspec.FormatHarbor
	FormatDockerHub    = registryspec.FormatDockerHub
	FormatDistribution = registryspec.FormatDistribution
	FormatQuay         = registryspec.FormatQuay
	FormatGHCR         = registryspec.FormatGHCR
	FormatACR          = registryspec.FormatACR
	FormatGeneric      = registryspec.FormatGeneric
)

// Formats lists every Format, FormatAuto first.
func Formats() []Format { return registryspec.Formats() }

// ParseFormat returns the Format named by s, ignoring case and surrounding space (see
// registryspec.ParseFormat).
func ParseFormat(s string) (Format, error) { return registryspec.ParseFormat(s) }

// Action is what happened to a tag.
type Action string

// The actions an Event can carry.
const (
	// ActionPush means a tag was pushed: it is new, or now points at another manifest.
	ActionPush Action = "push"
	// ActionDelete means a tag was deleted from the registry.
	ActionDelete Action = "delete"
)
