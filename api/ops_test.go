package api_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/store"
)

// TestMetricsToken: with a metrics token, /metrics answers only to it (not to users' tokens).
func TestMetricsToken(t *testing.T) {
	const tok = "metrics-scraper-secret-0123"
	e := newEnv(t, func(d *api.Deps) { d.MetricsToken = tok })
	e.do("GET", "/metrics", nil, anonymous).must(t, 401)
	e.do("GET", "/metrics", nil, bearer("wrong-"+tok)).must(t, 401)
	e.do("GET", "/metrics", nil, e.as("ADMIN")).must(t, 401)
	if res := e.do("GET", "/metrics", nil, bearer(tok)).must(t, 200); !bytes.Contains(res.body, []byte("go_goroutines")) {
		t.Fatal("no metrics with the token")
	}
}

// TestReadyzIsGeneric: a dependency that is down is named, its address is not.
func TestReadyzIsGeneric(t *testing.T) {
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer down.Close()
	e := newEnv(t, func(d *api.Deps) { d.Redis = down })
	res := e.do("GET", "/readyz", nil, anonymous).must(t, 503)
	if !strings.Contains(string(res.body), `"redis":"unavailable"`) || strings.Contains(string(res.body), "127.0.0.1") {
		t.Fatalf("readyz = %s", res.body)
	}
}

// TestBootstrapConcurrent: replicas starting at once on an empty database all succeed and
// create one admin; a second start creates nothing.
func TestBootstrapConcurrent(t *testing.T) {
	ctx := context.Background()
	st := shared.Mongo.Store(t, store.Options{})
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = auth.EnsureAdmin(ctx, st, "a-long-admin-password")
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
	}
	if n, _ := st.CountUsers(ctx); n != 1 {
		t.Fatalf("%d users, want 1 admin", n)
	}
}
