package api_test

import (
	"testing"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/model"
)

// TestSystemClusterStarting: while local mode's cluster is still being built, the dashboard
// reads its state, and creating a namespace answers 503 with Retry-After and stores nothing.
func TestSystemClusterStarting(t *testing.T) {
	e := newEnv(t)
	var got api.SystemStatus
	e.do("GET", "/api/v1/system", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &got)
	if got.Cluster.State != api.ClusterReady {
		t.Fatalf("cluster state %q, want ready", got.Cluster.State)
	}
	e.cluster.mu.Lock()
	e.cluster.starting = true
	e.cluster.mu.Unlock()
	e.do("GET", "/api/v1/system", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &got)
	if got.Cluster.State != api.ClusterWaiting || got.Cluster.Message == "" {
		t.Fatalf("cluster %+v, want waiting with a message", got.Cluster)
	}
	r := e.do("POST", "/api/v1/namespaces", map[string]any{"name": "early"}, e.as(model.RoleAdmin)).must(t, 503)
	if r.header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	var list struct{ Total int }
	e.do("GET", "/api/v1/namespaces", nil, e.as(model.RoleAdmin)).must(t, 200).json(t, &list)
	if list.Total != 0 {
		t.Fatalf("a namespace was stored although the cluster refused it: %d", list.Total)
	}
}
