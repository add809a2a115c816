package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/config"
)

// TestWorkerOnlyProcess runs what `oneko worker` runs (app.Run with the worker part only)
// on a real redis-server and MongoDB-wire server, configured as the chart configures its
// worker Pods: it answers /readyz and /metrics on ONEKO_HTTP_ADDR, and once told to stop it
// returns within the Pod's grace period (ONEKO_WORKER_SHUTDOWN_TIMEOUT plus the chart's 15s).
func TestWorkerOnlyProcess(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	r, m := shared.Redis, shared.Mongo
	dir := t.TempDir()
	// The worker only talks to the cluster when a task needs it; an unreachable one will do.
	kubeconfig := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	const shutdown, margin = 2 * time.Second, 15 * time.Second
	env := map[string]string{
		"ONEKO_MONGO_URI": m.URI(), "ONEKO_MONGO_DATABASE": m.NewDatabaseName(), "ONEKO_REDIS_URL": r.URL(),
		"ONEKO_SECRET_KEY": strings.Repeat("ab", 32), "ONEKO_KUBECONFIG": kubeconfig, "ONEKO_HTTP_ADDR": addr,
		"ONEKO_DATA_DIR": dir, "ONEKO_WORKER_SHUTDOWN_TIMEOUT": shutdown.String(),
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- Run(runCtx, cfg, Parts{Worker: true}, slog.New(slog.NewTextHandler(io.Discard, nil))) }()

	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for {
		code, body := get("/readyz")
		if code == http.StatusOK {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("worker stopped before it was ready: %v", err)
		case <-ctx.Done():
			t.Fatalf("worker never ready: last /readyz %d %s", code, body)
		case <-time.After(100 * time.Millisecond):
		}
	}
	if code, body := get("/metrics"); code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics = %d, want 200 with the process's metrics", code)
	}
	if code, _ := get("/api/v1/projects"); code != http.StatusNotFound {
		t.Errorf("a worker-only process serves the api (%d)", code)
	}

	stop() // SIGTERM in the binary
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("worker stopped with %v", err)
		}
	case <-time.After(shutdown + margin):
		t.Fatalf("worker still running %s after the stop: past the Pod's grace period", shutdown+margin)
	}
	if code, _ := get("/healthz"); code != 0 {
		t.Errorf("health endpoint still answers after the stop")
	}
}
