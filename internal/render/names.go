package render

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

const (
	// maxLabel is the length limit of a DNS-1123 label.
	maxLabel = 63
	// MaxReleaseName is the length limit Helm puts on release names.
	MaxReleaseName = 53
	// hashLength is how many hex digits of a hash a shortened name ends with.
	hashLength = 10
)

// safeVersionName is O-Neko's SAFE_VERSION_NAME: the tag lowercased, with every character
// other than [a-z0-9] removed, cut to 63 characters. It may be empty.
func safeVersionName(tag string) string {
	var b strings.Builder
	for _, r := range tag {
		r = lowerASCII(r)
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return firstRunes(b.String(), maxLabel)
}

// dnsVersionName is DNS_VERSION_NAME: a valid DNS-1123 label made from the tag. It is
// lowercased, every character other than [a-z0-9-] becomes "-", leading and trailing
// dashes are dropped and it is cut to 63 characters. A tag with no letter or digit gives
// "v" followed by a hash of the tag, so the result is never empty.
func dnsVersionName(tag string) string {
	label := dnsChars(tag)
	if len(label) > maxLabel {
		label = strings.TrimRight(label[:maxLabel], "-")
	}
	if label == "" {
		return "v" + shortHash(tag)
	}
	return label
}

// dnsChars lowercases s, turns every character outside [a-z0-9-] into "-" and trims
// dashes at both ends. The result is ASCII.
func dnsChars(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = lowerASCII(r)
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// ReleaseName derives the Helm release name of one template of one version. It is
// stable (the same inputs always give the same name), a valid DNS-1123 label and at most
// 53 characters long. It reads "<project>-<version>-<template>", each part sanitised like
// DNS_VERSION_NAME and empty parts left out; when that is longer than 53 characters it is
// cut to a readable prefix and ends with "-" and 10 hex digits of a SHA-256 of the
// unsanitised inputs, so long names that share a prefix stay distinct. Two short inputs
// that differ only in characters the sanitising removes (such as "Web" and "web") give the
// same name; Render reports that as ErrDuplicateRelease.
func ReleaseName(projectName, versionName, templateName string) string {
	var parts []string
	for _, s := range []string{projectName, versionName, templateName} {
		if part := dnsChars(s); part != "" {
			parts = append(parts, part)
		}
	}
	name := strings.Join(parts, "-")
	if name != "" && len(name) <= MaxReleaseName {
		return name
	}
	hash := shortHash(projectName + "\x00" + versionName + "\x00" + templateName)
	prefix := name
	if limit := MaxReleaseName - 1 - hashLength; len(prefix) > limit {
		prefix = strings.TrimRight(prefix[:limit], "-")
	}
	if prefix == "" {
		prefix = "release"
	}
	return prefix + "-" + hash
}

// shortHash returns the first hex digits of the SHA-256 of s.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashLength]
}

// lowerASCII lowercases ASCII letters and leaves every other rune alone.
func lowerASCII(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + ('a' - 'A')
	}
	return r
}
