// Package e2e holds end-to-end tests that run the api and the worker together against real
// components: redis-server, the embedded FerretDB, registries that send real webhooks.
package e2e
