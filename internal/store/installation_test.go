package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/oneko/oneko/internal/store"
)

// TestInstallationIDStoredOnce: the first call generates the id, every later call and every
// other process on the same database (racing on an empty one) reads the same id, and another
// database has another id.
func TestInstallationIDStoredOnce(t *testing.T) {
	ctx := context.Background()
	a := newStore(t)
	// A second process on the same database.
	b := shared.Mongo.Store(t, store.Options{Database: a.DatabaseName()})

	ids := make([]string, 8)
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			ids[i], errs[i] = s.InstallationID(ctx)
		}()
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("racing callers got different ids: %v", ids)
		}
	}
	if len(ids[0]) != 16 {
		t.Errorf("id %q: want 16 hex digits", ids[0])
	}
	again, err := a.InstallationID(ctx)
	if err != nil || again != ids[0] {
		t.Fatalf("second read: %q, %v; want %q", again, err, ids[0])
	}
	other, err := newStore(t).InstallationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if other == ids[0] {
		t.Fatalf("two databases share the installation id %q", other)
	}
}
