package api

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
)

// TestRegistryCache: a registry read is reused within registryCacheTTL and read again after
// it, errors are not kept, and at most registryCacheSize registries are kept (the least
// recently used go first).
func TestRegistryCache(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newRegistryCache(func() time.Time { return now })
	loads := map[string]int{}
	fail := false
	load := func(_ context.Context, id string) (*model.DockerRegistry, error) {
		loads[id]++
		if fail {
			return nil, errors.New("store down")
		}
		return &model.DockerRegistry{ID: id, Name: fmt.Sprint(loads[id])}, nil
	}
	ctx := t.Context()
	get := func(id string) *model.DockerRegistry {
		t.Helper()
		r, err := c.get(ctx, id, load)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	get("a")
	now = now.Add(registryCacheTTL - time.Millisecond)
	if r := get("a"); r.Name != "1" || loads["a"] != 1 {
		t.Fatalf("within the TTL: read %d times, answered %q", loads["a"], r.Name)
	}
	now = now.Add(time.Millisecond)
	if r := get("a"); r.Name != "2" || loads["a"] != 2 {
		t.Fatalf("after the TTL: read %d times, answered %q", loads["a"], r.Name)
	}

	fail = true
	for range 2 {
		if _, err := c.get(ctx, "b", load); err == nil {
			t.Fatal("an error was not answered")
		}
	}
	if loads["b"] != 2 {
		t.Fatalf("a failed read was kept: read %d times", loads["b"])
	}
	fail = false

	for i := range registryCacheSize {
		get(fmt.Sprint("r", i))
	}
	get("a") // a went when r999 came; reading it again drops r0, now the least recently used
	if c.entries.Len() != registryCacheSize {
		t.Fatalf("%d registries kept, want at most %d", c.entries.Len(), registryCacheSize)
	}
	if c.entries.Contains("r0") || !c.entries.Contains("r1") {
		t.Fatal("the least recently used registry was not the one dropped")
	}
}
