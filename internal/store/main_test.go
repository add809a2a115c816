package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
)

var (
	mongoURI string
	dbSeq    atomic.Int64
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	mg, err := testenv.StartMongo(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer mg.Stop()
	mongoURI = mg.URI()
	return m.Run()
}

// newStore opens a store on a fresh database of its own.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	return newStoreWith(t, false)
}

// newStoreWith opens a store on a fresh database of its own, as the sole writer of its
// database when sole (local mode's embedded store, see store.Options.SoleWriter).
func newStoreWith(t *testing.T, sole bool) *store.Store {
	t.Helper()
	box, err := secret.NewBox(bytes.Repeat([]byte{1}, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, mongoURI, store.Options{Database: fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1)), Box: box, SoleWriter: sole})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.DropDatabase(ctx)
		_ = s.Close(ctx)
	})
	return s
}
