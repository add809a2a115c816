package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMigrateCommand covers the wiring: flags, the password from ONEKO_MIGRATE_PASSWORD
// and a clear message with exit code 1 when O-Neko refuses it (before any store is opened).
func TestMigrateCommand(t *testing.T) {
	oneko := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer oneko.Close()
	t.Setenv("ONEKO_DATA_DIR", t.TempDir())
	t.Setenv("ONEKO_MIGRATE_PASSWORD", "not-the-password")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no flags", nil, 2, "usage: oneko migrate"},
		{"deploy without apply", []string{"--from", oneko.URL, "--user", "admin", "--deploy"}, 2, "usage: oneko migrate"},
		{"wrong password", []string{"--from", oneko.URL, "--user", "admin"}, 1, `O-Neko refused user "admin": wrong user or password`},
		{"not a URL", []string{"--from", "oneko.example.org", "--user", "admin"}, 2, "want the URL of O-Neko"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runMigrate(context.Background(), tc.args, &out, &errOut)
			if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tc.code, tc.want)
			}
		})
	}
}
