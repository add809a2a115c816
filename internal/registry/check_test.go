package registry

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestClassifyCheck checks real servers of every kind and expects a short class and a fixed
// message; the upstream body (which may echo anything) never reaches the message.
func TestClassifyCheck(t *testing.T) {
	const upstream = "UPSTREAM-BODY-<script>"
	answering := func(code int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(code)
			_, _ = w.Write([]byte(upstream))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		return "http://" + addr
	}()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsSrv.Close)
	reg := newTestRegistry(t, authBasic)

	for _, tc := range []struct {
		name, url, user, password string
		want                      CheckResult
	}{
		{"ok", reg.url(), testUser, testPassword, CheckOK},
		{"wrong password", reg.url(), testUser, "wrong", CheckUnauthorized},
		{"forbidden", answering(http.StatusForbidden), "", "", CheckForbidden},
		{"a web site", answering(http.StatusNotFound), "", "", CheckNotRegistry},
		{"server error", answering(http.StatusBadGateway), "", "", CheckUnreachable},
		{"nothing listening", closed, "", "", CheckUnreachable},
		{"untrusted certificate", tlsSrv.URL, "", "", CheckTLS},
		{"bad url", "ftp://registry.example.com", "", "", CheckInvalidURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(ClientConfig{URL: tc.url, Username: tc.user, Password: tc.password, MaxRetries: -1})
			if err == nil {
				err = c.Check(context.Background())
			}
			got := ClassifyCheck(err)
			if got != tc.want {
				t.Fatalf("ClassifyCheck(%v) = %+v, want %+v", err, got, tc.want)
			}
			if strings.Contains(got.Message, "UPSTREAM") {
				t.Fatalf("message echoes the upstream body: %q", got.Message)
			}
		})
	}
}
