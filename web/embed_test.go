package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// TestAppServesBuild: hashed assets are cached for a year, index.html is never cached and
// answers every path that names no file (deep links), a missing asset is a 404.
func TestAppServesBuild(t *testing.T) {
	a, err := newApp(fstest.MapFS{
		"dist/placeholder.html":       {Data: []byte("placeholder")},
		"dist/app/index.html":         {Data: []byte("<!doctype html>app")},
		"dist/app/assets/index-1a.js": {Data: []byte("console.log(1)")},
		"dist/app/favicon.svg":        {Data: []byte("<svg/>")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Built() {
		t.Fatal("Built() = false with dist/app/index.html present")
	}
	cases := map[string]struct {
		path, body, cache, ctype string
		code                     int
	}{
		"root":          {"/", "app", "no-cache", "text/html", 200},
		"deep link":     {"/projects/p1/versions", "app", "no-cache", "text/html", 200},
		"index by name": {"/index.html", "app", "no-cache", "text/html", 200},
		"asset":         {"/assets/index-1a.js", "console.log", "public, max-age=31536000, immutable", "javascript", 200},
		"other file":    {"/favicon.svg", "<svg", "no-cache", "image/svg+xml", 200},
		"missing asset": {"/assets/gone.js", "", "", "", 404},
		"dot segments":  {"/assets/../../placeholder.html", "app", "no-cache", "text/html", 200},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			a.ServeHTTP(w, httptest.NewRequest(http.MethodGet, c.path, nil))
			if w.Code != c.code {
				t.Fatalf("status %d, want %d", w.Code, c.code)
			}
			if c.code != 200 {
				return
			}
			if !strings.Contains(w.Body.String(), c.body) {
				t.Errorf("body %q, want it to contain %q", w.Body.String(), c.body)
			}
			if got := w.Header().Get("Cache-Control"); got != c.cache {
				t.Errorf("Cache-Control %q, want %q", got, c.cache)
			}
			if got := w.Header().Get("Content-Type"); !strings.Contains(got, c.ctype) {
				t.Errorf("Content-Type %q, want %q", got, c.ctype)
			}
		})
	}
}

// TestAppPlaceholder: a clone that never built the UI serves the placeholder at every path.
func TestAppPlaceholder(t *testing.T) {
	a, err := newApp(fstest.MapFS{"dist/placeholder.html": {Data: []byte("run make build")}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Built() {
		t.Fatal("Built() = true without dist/app")
	}
	for _, p := range []string{"/", "/projects", "/assets/x.js"} {
		w := httptest.NewRecorder()
		a.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
		if w.Code != 200 || !strings.Contains(w.Body.String(), "make build") {
			t.Errorf("%s: %d %q, want the placeholder", p, w.Code, w.Body.String())
		}
	}
}

// TestEmbedded: the embedded file system always has the placeholder (the embed pattern
// matches on a fresh clone) and New succeeds.
func TestEmbedded(t *testing.T) {
	if _, err := New(); err != nil {
		t.Fatal(err)
	}
}
