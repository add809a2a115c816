package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/internal/testenv"
)

// TestWorkerHealth probes the health handler of a worker-only process against a real
// redis-server: ready while it answers, 503 naming redis once it is stopped, alive throughout.
func TestWorkerHealth(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	r, err := testenv.StartRedis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr(), MaxRetries: -1})
	defer rdb.Close()
	metrics := prometheus.NewRegistry()
	metrics.MustRegister(collectors.NewGoCollector())
	srv := httptest.NewServer(healthHandler([]check{{"redis", func(ctx context.Context) error { return rdb.Ping(ctx).Err() }}}, metrics))
	defer srv.Close()

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	body := func(path string) (int, map[string]string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out := map[string]string{}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("%s: decode: %v", path, err)
		}
		return resp.StatusCode, out
	}
	if code, out := body("/readyz"); code != http.StatusOK || out["redis"] != "ok" {
		t.Fatalf("/readyz with redis up = %d %v, want 200 redis ok", code, out)
	}
	if code, text := get("/metrics"); code != http.StatusOK || !strings.Contains(text, "go_goroutines") {
		t.Fatalf("/metrics = %d without go_goroutines, want 200 with the Go collector", code)
	}
	r.Stop()
	if code, out := body("/readyz"); code != http.StatusServiceUnavailable || out["redis"] == "ok" || out["redis"] == "" {
		t.Fatalf("/readyz with redis down = %d %v, want 503 naming redis", code, out)
	}
	if code, out := body("/healthz"); code != http.StatusOK || out["status"] != "ok" {
		t.Fatalf("/healthz = %d %v, want 200 ok", code, out)
	}
}
