// Package helm holds oneko's thin wrappers around the Helm v3 SDK: install or upgrade a
// release, uninstall it, read its status, list releases by label across namespaces and
// recover a release left pending by a killed worker. It decides nothing — which releases a
// version should have is package deploy's business, when to act is the worker's.
//
// One Client serves every namespace and task: it keeps one REST configuration, one
// memory-cached discovery client, one REST mapper and the cluster's capabilities, and builds
// a cheap action.Configuration (Secrets storage driver) per operation so that Helm's log of
// that operation can be captured and attached to its error (see LogTail).
package helm
