package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestDashboardRoutes: the dashboard answers "/" and every other non-API GET (deep links),
// with a CSP that allows no inline script; API and operational paths keep their own answers,
// and an unknown API path is still a problem+json 404. The dashboard itself is tested in
// Chromium by the stories in web/e2e (make e2e).
func TestDashboardRoutes(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/", "/projects/p1/versions", "/search?q=x", "/activity", "/signin"} {
		r := e.do(http.MethodGet, p, nil, anonymous).must(t, http.StatusOK)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q, want text/html", p, ct)
		}
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: CSP %q must allow scripts from 'self' only", p, csp)
		}
		if !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q must forbid framing", p, csp)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: Cache-Control %q, want no-cache", p, cc)
		}
	}
	for _, p := range []string{"/api/v1/nope", "/api", "/api/"} {
		r := e.do(http.MethodGet, p, nil, anonymous).must(t, http.StatusNotFound)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("%s: Content-Type %q, want problem+json", p, ct)
		}
	}
	if r := e.do(http.MethodPost, "/projects", nil, anonymous); r.status != http.StatusNotFound {
		t.Errorf("POST to a dashboard path: %d, want 404", r.status)
	}
	e.do(http.MethodGet, "/healthz", nil, anonymous).must(t, http.StatusOK)
	e.do(http.MethodGet, "/api/v1/projects", nil, anonymous).must(t, http.StatusUnauthorized)
	if r := e.do(http.MethodGet, "/metrics", nil, anonymous).must(t, http.StatusOK); !strings.Contains(string(r.body), "go_goroutines") {
		t.Error("/metrics does not answer the Prometheus metrics")
	}
}
