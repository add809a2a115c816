// Package model holds oneko's documents — projects, versions, registries, namespaces, users,
// tokens and activities — and the validation rules every writer applies before a document is
// stored. It does no I/O.
package model
