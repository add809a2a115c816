package model

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/oneko/oneko/internal/registryspec"
)

var (
	// variableNamePattern is what a template variable may be called.
	variableNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// usernamePattern is what a user may be called: no @, so that a login name with an @ is
	// always an e-mail address.
	usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
)

// MaxNameLength bounds display names of projects, registries, templates and tokens.
const MaxNameLength = 100

// ValidateDisplayName checks a human-chosen name: non-empty, trimmed, printable, not too long.
func ValidateDisplayName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("must not be empty")
	case name != strings.TrimSpace(name):
		return fmt.Errorf("must not start or end with white space")
	case utf8.RuneCountInString(name) > MaxNameLength:
		return fmt.Errorf("must be at most %d characters", MaxNameLength)
	case strings.ContainsAny(name, "\r\n\t\x00"):
		return fmt.Errorf("must not contain control characters")
	}
	return nil
}

// ValidateImageName checks a repository path such as "team/app" (no host, no tag).
func ValidateImageName(name string) error {
	if name == "" {
		return fmt.Errorf("must not be empty")
	}
	if !registryspec.ValidRepository(name) {
		return fmt.Errorf("%q is not a repository name like team/app (lowercase letters, digits, . _ - and /)", name)
	}
	return nil
}

// ValidateTag checks an image tag.
func ValidateTag(tag string) error {
	if !registryspec.ValidTag(tag) {
		return fmt.Errorf("%q is not a valid image tag", tag)
	}
	return nil
}

// ValidateDigest checks a sha256 content digest; the empty string is allowed (unknown).
func ValidateDigest(d string) error {
	if d != "" && (!strings.HasPrefix(d, "sha256:") || !registryspec.ValidDigest(d)) {
		return fmt.Errorf("%q is not a sha256 digest", d)
	}
	return nil
}

// ValidateVariableName checks the name of a template variable.
func ValidateVariableName(name string) error {
	if !variableNamePattern.MatchString(name) || len(name) > 100 {
		return fmt.Errorf("%q must start with a letter or _ and contain only letters, digits and _", name)
	}
	return nil
}

// ValidateUsername checks a login name. It may not contain @: sign-in takes a username or an
// e-mail address, and the @ tells them apart.
func ValidateUsername(name string) error {
	if strings.Contains(name, "@") {
		return fmt.Errorf("%q must not contain @ (sign-in tells e-mail addresses by it); the e-mail address goes into email", name)
	}
	if !usernamePattern.MatchString(name) {
		return fmt.Errorf("%q must be 1-64 letters, digits, . _ or -, starting with a letter or digit", name)
	}
	return nil
}

// ValidateRegistryURL checks the base URL of a docker or Helm registry.
// Docker registries take http(s); Helm registries also take oci://.
func ValidateRegistryURL(raw string, allowOCI bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL like https://registry.example.com", raw)
	}
	switch u.Scheme {
	case "http", "https":
	case "oci":
		if !allowOCI {
			return fmt.Errorf("scheme must be http or https")
		}
	default:
		return fmt.Errorf("scheme must be http or https%s", map[bool]string{true: " or oci", false: ""}[allowOCI])
	}
	if u.User != nil {
		return fmt.Errorf("credentials belong in username and password, not in the URL")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must not have a query or fragment")
	}
	return nil
}
