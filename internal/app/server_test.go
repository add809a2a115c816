package app

import (
	"net/http"
	"testing"
)

// TestHTTPServerTimeouts: slow and idle clients are cut off, answers (event streams) are not.
func TestHTTPServerTimeouts(t *testing.T) {
	hs := httpServer(http.NotFoundHandler())
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.IdleTimeout <= 0 {
		t.Fatalf("timeouts: header %v, read %v, idle %v", hs.ReadHeaderTimeout, hs.ReadTimeout, hs.IdleTimeout)
	}
	if hs.WriteTimeout != 0 {
		t.Fatalf("WriteTimeout %v would cut event streams", hs.WriteTimeout)
	}
}
