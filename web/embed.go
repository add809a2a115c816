// Package web embeds the dashboard's built files (web/dist) into the Go binary and serves them
// as a single-page application: hashed assets with long cache lifetimes, index.html for every
// other path so that deep links work. The sources (TypeScript) live beside this file; `make ui`
// builds them into dist/app. A clone that never ran the build serves dist/placeholder.html,
// which says how to build the UI, so `go build ./...` never needs Node.
package web

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

// App serves the embedded dashboard.
type App struct {
	files fs.FS // the built app (dist/app), nil when it was not built
	index []byte
	built bool
}

// New returns the embedded dashboard: the built app when dist/app/index.html exists, else
// the placeholder page.
func New() (*App, error) {
	return newApp(dist)
}

// newApp reads the dashboard out of a file system laid out like dist/.
func newApp(root fs.FS) (*App, error) {
	if index, err := fs.ReadFile(root, "dist/app/index.html"); err == nil {
		sub, err := fs.Sub(root, "dist/app")
		if err != nil {
			return nil, err
		}
		return &App{files: sub, index: index, built: true}, nil
	}
	placeholder, err := fs.ReadFile(root, "dist/placeholder.html")
	if err != nil {
		return nil, err
	}
	return &App{index: placeholder}, nil
}

// Built reports whether the real app (not the placeholder) is embedded.
func (a *App) Built() bool { return a.built }

// ServeHTTP answers GET and HEAD: a file of the build when the path names one (files under
// /assets/ carry a content hash in their name and are cached for a year), a 404 for a missing
// file under /assets/, and index.html (never cached) for every other path.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if a.files != nil && name != "" && name != "index.html" {
		if f, err := fs.ReadFile(a.files, name); err == nil {
			if strings.HasPrefix(name, "assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
			http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f))
			return
		}
		if strings.HasPrefix(name, "assets/") {
			http.NotFound(w, r)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(a.index))
}
