// Package localstack starts the embedded dependencies of local mode inside the process: a
// MongoDB-wire server (FerretDB on SQLite) and a Redis server (miniredis). Production does not
// use it: it points the same binaries at real MongoDB and Redis.
package localstack
