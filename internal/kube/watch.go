package kube

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
)

// WatchClients are the clients a long-lived watch of the cluster reads with (the worker's pod
// watch). Both speak protobuf to the API server, which encodes and the client decodes at a
// fraction of JSON's cost: a watch sees every change of every object it follows.
type WatchClients struct {
	// Typed reads whole objects (pods, whose status the watch needs).
	Typed kubernetes.Interface
	// Metadata reads only objects' metadata (the owners and annotations of workloads,
	// ReplicaSets and Jobs): the API server sends no spec and no status.
	Metadata metadata.Interface
}

// NewWatchClients builds the WatchClients of the cluster at cfg.
func NewWatchClients(cfg *rest.Config) (*WatchClients, error) {
	typed := rest.CopyConfig(cfg)
	typed.ContentType = runtime.ContentTypeProtobuf
	typed.AcceptContentTypes = runtime.ContentTypeProtobuf + "," + runtime.ContentTypeJSON
	cs, err := kubernetes.NewForConfig(typed)
	if err != nil {
		return nil, fmt.Errorf("kubernetes watch client: %w", err)
	}
	// metadata.NewForConfig asks for protobuf itself.
	mc, err := metadata.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes metadata client: %w", err)
	}
	return &WatchClients{Typed: cs, Metadata: mc}, nil
}
