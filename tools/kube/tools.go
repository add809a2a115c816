//go:build tools

// Package tools pins the programs that make up the local Kubernetes control plane
// (kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kwok), so that
// "go mod tidy" keeps their modules and "go build" builds them at the versions in go.mod.
// It also pins the helm command-line program, which only the worker benchmarks use as a
// baseline (make helm-bin); nothing else builds or runs it.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "helm.sh/helm/v3/cmd/helm"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
