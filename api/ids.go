package api

import "github.com/oneko/oneko/internal/store"

// newID returns a fresh id for an embedded document (a template or a variable).
func newID() string { return store.NewID() }
