package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/oneko/oneko/internal/localstack"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
)

var (
	mongoURI string
	dbSeq    atomic.Int64
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	uri, stop, err := startMongo(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stop()
	mongoURI = uri
	return m.Run()
}

// startMongo serves the embedded FerretDB as `oneko store` does, through the front that makes
// each write atomic for every client: tests open several Stores (replicas) on one database,
// as several processes do in production. ONEKO_TEST_MONGO_URI names a MongoDB instead.
func startMongo(ctx context.Context) (string, func(), error) {
	if uri := os.Getenv("ONEKO_TEST_MONGO_URI"); uri != "" {
		return uri, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "oneko-store-test-")
	if err != nil {
		return "", nil, err
	}
	mg, err := localstack.ServeMongo(ctx, dir, "127.0.0.1:0", nil)
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, err
	}
	return mg.URI(), func() { mg.Stop(); _ = os.RemoveAll(dir) }, nil
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
