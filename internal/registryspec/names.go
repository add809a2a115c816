package registryspec

import (
	"regexp"
	"strings"
)

// The grammar of the OCI distribution specification, compiled once.
var (
	// repositoryRE is <name> of the OCI distribution spec: path components of lowercase
	// alphanumerics separated by ".", "_", "__" or dashes.
	repositoryRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$`)
	// tagRE is <reference> as a tag: up to 128 characters.
	tagRE = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`)
	// digestRE is <digest>: algorithm ":" encoded.
	digestRE = regexp.MustCompile(`^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$`)
	// hexRE checks the encoded part of the registered algorithms.
	hexRE = regexp.MustCompile(`^[a-f0-9]+$`)
	// hostRE is a DNS name or IPv4 address with an optional port, or a bracketed IPv6 address.
	hostRE = regexp.MustCompile(`^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:.]+\])(?::[0-9]{1,5})?$`)
)

// maxRepositoryLength bounds a repository name; Docker's reference grammar allows 255
// characters for the whole name.
const maxRepositoryLength = 255

// ValidRepository reports whether name is a valid repository path (without host) under the
// OCI distribution specification, e.g. "team/app".
func ValidRepository(name string) bool {
	return len(name) <= maxRepositoryLength && repositoryRE.MatchString(name)
}

// ValidTag reports whether tag is a valid tag under the OCI distribution specification.
func ValidTag(tag string) bool {
	return tagRE.MatchString(tag)
}

// ValidDigest reports whether d is a valid digest; the registered algorithms sha256 and sha512
// must have the right number of lowercase hex digits.
func ValidDigest(d string) bool {
	if !digestRE.MatchString(d) {
		return false
	}
	alg, enc, _ := strings.Cut(d, ":")
	switch alg {
	case "sha256":
		return len(enc) == 64 && hexRE.MatchString(enc)
	case "sha512":
		return len(enc) == 128 && hexRE.MatchString(enc)
	}
	return true
}

// ValidHost reports whether host is a registry host name with an optional port.
func ValidHost(host string) bool {
	return len(host) <= 255 && hostRE.MatchString(host)
}
