package model

import (
	"fmt"
	"strings"
	"time"
)

// NamespacePrefix starts the name of every Kubernetes namespace that oneko creates.
const NamespacePrefix = "on-"

// maxNamespaceBody is the longest sanitised name before the prefix is added.
const maxNamespaceBody = 60

// Namespace is an ADMIN-defined Kubernetes namespace that projects and versions deploy into.
type Namespace struct {
	ID string `json:"id" bson:"_id"`
	// Name is the name as given; KubeName is the sanitised, prefixed name used in the cluster.
	Name      string    `json:"name" bson:"name"`
	KubeName  string    `json:"kubeName" bson:"kubeName"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
}

// SanitizeNamespace turns a user-given name into the name of a Kubernetes namespace:
// lowercase, "_" becomes "-", only [a-z0-9-] kept, dashes trimmed, at most 60 characters,
// then the "on-" prefix. A name that is already prefixed is not prefixed twice.
func SanitizeNamespace(name string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(name))
	s = strings.TrimPrefix(s, NamespacePrefix)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r == '_':
			b.WriteByte('-')
		}
	}
	body := strings.Trim(b.String(), "-")
	if len(body) > maxNamespaceBody {
		body = strings.TrimRight(body[:maxNamespaceBody], "-")
	}
	if body == "" {
		return "", fmt.Errorf("%w: namespace name %q has no letters or digits", ErrInvalid, name)
	}
	return NamespacePrefix + body, nil
}
