package deploy

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/oneko/oneko/internal/model"
)

const (
	// maxReleaseName is the length limit Helm puts on release names.
	maxReleaseName = 53
	// maxNamespace is the length limit of a namespace name (a DNS-1123 label).
	maxNamespace = 63
	// nameHashLength is how many hex digits of the ids' hash end a release or namespace name:
	// 40 bits, so that two names of one installation collide with a chance of about 1 in 10^12.
	nameHashLength = 10
)

// ReleaseName is the Helm release name of one template of one version of one installation:
// a readable prefix "<project>-<version>-<template>" (each part lowercased, every character
// other than [a-z0-9-] turned into "-", cut so the whole fits in 53 characters) followed by
// "-" and 10 hex digits of a SHA-256 of the installation id, project id, version id and
// template name. The hash makes names unique even where the prefixes are equal — (shop, V1)
// and (shop, v1), (a-b, c) and (a, b-c), tags 1.0_rc and 1.0-rc, non-Latin names — and the
// result is a valid DNS-1123 label. Changing this function renames every release: see README
// "Operating it" for what happens then.
func ReleaseName(installationID string, p *model.Project, v *model.Version, template string) string {
	return hashedName("", maxReleaseName, []string{p.Name, v.Name, template}, installationID, p.ID, v.ID, template)
}

// implicitNamespace is the namespace of a version that names none (nor does its project):
// "on-<project>-<version>" made a DNS label and cut, "-" and 10 hex digits of a SHA-256 of the
// installation id, project id and version id; at most 63 characters.
func implicitNamespace(installationID string, p *model.Project, v *model.Version) string {
	return hashedName(model.NamespacePrefix, maxNamespace, []string{p.Name, v.Name}, installationID, p.ID, v.ID)
}

// hashedName joins the sanitised readable parts after prefix, cuts them so that the result
// with "-" and the hash of ids fits in limit, and appends the hash.
func hashedName(prefix string, limit int, readable []string, ids ...string) string {
	var parts []string
	for _, s := range readable {
		if part := dnsPart(s); part != "" {
			parts = append(parts, part)
		}
	}
	head := prefix + strings.Join(parts, "-")
	if room := limit - 1 - nameHashLength; len(head) > room {
		head = head[:room]
	}
	head = strings.TrimRight(head, "-")
	sum := sha256.Sum256([]byte(strings.Join(ids, "\x00")))
	hash := hex.EncodeToString(sum[:])[:nameHashLength]
	if head == "" || head+"-" == prefix {
		// Nothing readable (a name of non-Latin letters only): "r" keeps it a label that starts
		// with a letter.
		return prefix + "r" + hash
	}
	return head + "-" + hash
}

// dnsPart lowercases s, turns every character outside [a-z0-9-] into "-" and trims dashes at
// both ends.
func dnsPart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
