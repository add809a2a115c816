// Package registry is oneko's view of container registries: it turns the webhook payloads of
// Harbor, Docker Hub, CNCF Distribution (and GitLab), Quay, GHCR, ACR and CI scripts into one
// internal Event type (Parse), checks webhook secrets (VerifySecret), and talks the Docker
// Registry HTTP API v2 to list tags and resolve digests (Client) so that Poll can compare what
// oneko knows with what a registry holds.
//
// The package keeps no state of its own: no database, no queue and no HTTP server. A Client
// keeps the transport, the token cache and the rate limiter of one registry; create one per
// registry and reuse it.
package registry
