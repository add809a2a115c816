// Package demo gives local mode a ready-to-try project: a container registry holding a small
// image, a classic Helm chart repository holding a chart that deploys it, and the oneko
// documents that tie them together.
//
// Start serves both on loopback ports: an in-process registry (go-containerregistry) with the
// image demo/hello tagged 1.0.0, 1.1.0 and latest, and a chart repository (index.yaml and
// hello-0.1.0.tgz, packaged at start from the chart embedded in this package). Seed then creates
// — once; later calls only move the registry URLs to the current ports — the docker registry
// "demo-registry", the Helm registry "demo-charts", the namespace "demo" and the project "hello".
//
// Seed creates no versions: the worker's poller discovers the tags, as it does for any registry.
// Nothing here is meant for production: the registry lives in memory and is refilled at every
// start, with the same digests every time.
package demo
