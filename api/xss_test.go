package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

// TestURLTemplatesMustBeWeb: a javascript: (or data:) URL template is refused on save, for
// projects and versions; a placeholder that renders to one is left out of the rendered URLs.
func TestURLTemplatesMustBeWeb(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	doer := e.as(model.RoleDoer)
	for _, bad := range []string{"javascript:alert(document.cookie)//{{VERSION_NAME}}", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>"} {
		body := e.projectBody("xss", f)
		body["urlTemplates"] = []string{bad}
		res := e.do("POST", "/api/v1/projects", body, doer).must(t, 422)
		if !strings.Contains(string(res.body), "http:// or https://") {
			t.Fatalf("%q: refusal does not say what to fix: %s", bad, res.body)
		}
		e.do("PATCH", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID, map[string]any{"urlTemplates": []string{bad}}, doer).must(t, 422)
	}
	// A placeholder cannot smuggle a scheme in: the rendered URL is left out.
	smuggled := `{{fn.replace(VERSION_NAME, "1.0.0", "javascript:alert(1)")}}`
	e.do("PATCH", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID, map[string]any{"urlTemplates": []string{smuggled, "https://{{SAFE_VERSION_NAME}}.example.com"}}, doer).must(t, 200)
	var cfg struct {
		URLs []string `json:"urls"`
	}
	e.do("GET", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/configuration", nil, doer).must(t, 200).json(t, &cfg)
	if len(cfg.URLs) != 1 || !strings.HasPrefix(cfg.URLs[0], "https://") {
		t.Fatalf("rendered URLs = %q, want only the https one", cfg.URLs)
	}
	v, _ := e.store.GetVersion(context.Background(), f.projectID, f.versionID)
	if len(v.URLTemplates) != 2 {
		t.Fatalf("version templates = %v", v.URLTemplates)
	}
}

// TestSecurityHeaders: the dashboard gets the strict CSP and every answer, API included, the
// nosniff, frame and referrer headers.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/", "/projects/x", "/api/v1/projects", "/api/v1/nope", "/healthz"} {
		r := e.do(http.MethodGet, p, nil, anonymous)
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", p, h, got, want)
			}
		}
		csp := r.header.Get("Content-Security-Policy")
		if strings.HasPrefix(p, "/api") || p == "/healthz" {
			continue
		}
		for _, d := range []string{"default-src 'self'", "script-src 'self';", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "connect-src 'self'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %s", p, csp, d)
			}
		}
		if strings.Contains(csp, "unsafe-inline'; img") == false && strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: CSP allows inline script: %q", p, csp)
		}
	}
}
