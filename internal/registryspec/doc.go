// Package registryspec is the vocabulary that the documents (package model) and the registry
// adapter (package registry) share: the names of the webhook formats a docker registry may be
// configured with, and the OCI distribution grammar of repository names, tags, digests and
// hosts. It is a leaf: it imports nothing of oneko, so both can use it without one importing
// the other.
package registryspec
