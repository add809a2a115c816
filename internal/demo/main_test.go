package demo_test

import (
	"context"
	"os"
	"testing"

	"github.com/oneko/oneko/internal/demo"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
)

// shared holds the embedded store of this test binary.
var shared *testenv.Shared

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Mongo: true}, func(s *testenv.Shared) error { shared = s; return nil }))
}

// newStore opens a store on a fresh database of its own.
func newStore(t *testing.T) *store.Store { return shared.Mongo.Store(t, store.Options{}) }

// start starts a demo serving from its own directory and stops it when the test ends.
func start(t *testing.T) *demo.Demo {
	t.Helper()
	d, err := demo.Start(context.Background(), demo.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	return d
}
