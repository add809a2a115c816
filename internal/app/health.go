package app

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// check is one dependency that /readyz asks: its name and how to reach it.
type check struct {
	name string
	ping func(ctx context.Context) error
}

// healthHandler serves what a process without the api answers to its orchestrator (a
// worker in its own Pod): /healthz (the process is alive), /readyz (every check answers
// within 2 seconds, else 503 naming what is down) and /metrics (what metrics gathers: the
// process's registry). The api serves the same paths from its router.
func healthHandler(checks []check, metrics prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status, out := http.StatusOK, map[string]string{}
		for _, c := range checks {
			if err := c.ping(ctx); err != nil {
				status, out[c.name] = http.StatusServiceUnavailable, err.Error()
			} else {
				out[c.name] = "ok"
			}
		}
		writeJSON(w, status, out)
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(metrics, promhttp.HandlerOpts{}))
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
