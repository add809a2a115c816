// Package charts_test tests the oneko chart (charts/oneko) through the Helm SDK: lint,
// rendering with several value sets, the schema's refusals, a server-side dry-run of every
// rendered object against the local kube-apiserver, and install, upgrade and uninstall on
// the local control plane (kwok runs the Pods).
package charts_test
