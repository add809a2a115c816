package store_test

import (
	"os"
	"testing"

	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
)

// shared holds the embedded store of this test binary, served as `oneko store` serves it: tests
// write one database through several Stores (replicas), as several processes do.
var shared *testenv.Shared

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{MongoServed: true}, func(s *testenv.Shared) error { shared = s; return nil }))
}

// newStore opens a store on a fresh database of its own.
func newStore(t *testing.T) *store.Store { return shared.Mongo.Store(t, store.Options{}) }
