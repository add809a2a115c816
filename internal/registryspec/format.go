package registryspec

import (
	"fmt"
	"strings"
)

// Format names a webhook payload format, as configured on a docker registry.
type Format string

// The webhook formats oneko understands (package registry parses them).
const (
	// FormatAuto detects the format from the headers and the shape of the body.
	FormatAuto Format = "auto"
	// FormatHarbor is Harbor's default payload (PUSH_ARTIFACT, DELETE_ARTIFACT, and the older
	// pushImage/deleteImage of Harbor 1.x), and Harbor's CloudEvents payload.
	FormatHarbor Format = "harbor"
	// FormatDockerHub is Docker Hub's repository webhook.
	FormatDockerHub Format = "dockerhub"
	// FormatDistribution is the notification envelope of CNCF Distribution and of the GitLab
	// container registry: {"events": [...]}.
	FormatDistribution Format = "distribution"
	// FormatQuay is Quay's "repository push" notification.
	FormatQuay Format = "quay"
	// FormatGHCR is GitHub's "package" (or "registry_package") webhook event for container packages.
	FormatGHCR Format = "ghcr"
	// FormatACR is the Azure Container Registry webhook.
	FormatACR Format = "acr"
	// FormatGeneric is oneko's own format for CI scripts:
	// {"image": "host/repo", "tag": "1.2.3", "digest": "sha256:…"} (digest optional).
	FormatGeneric Format = "generic"
)

// Formats lists every Format, FormatAuto first.
func Formats() []Format {
	return []Format{FormatAuto, FormatHarbor, FormatDockerHub, FormatDistribution, FormatQuay, FormatGHCR, FormatACR, FormatGeneric}
}

// ParseFormat returns the Format named by s, ignoring case and surrounding space. An empty or
// unknown name is an error: callers that want detection must say "auto".
func ParseFormat(s string) (Format, error) {
	want := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, f := range Formats() {
		if f == want {
			return f, nil
		}
	}
	return "", fmt.Errorf("parse webhook format %q: unknown format (want one of %s)", s, formatList())
}

func formatList() string {
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}
