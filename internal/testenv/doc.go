// Package testenv starts the real components that integration tests use — a redis-server
// process, an embedded FerretDB (or the MongoDB named by ONEKO_TEST_MONGO_URI) and a local
// Kubernetes control plane (or the cluster named by KUBECONFIG) — once per test binary.
// A TestMain calls Main; a test gets its store on a fresh database from Mongo.Store.
package testenv
