package testenv

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
)

// SecretKey is the key tests' stores encrypt secrets with (a process a test starts on the
// same database needs it too).
func SecretKey() []byte { return bytes.Repeat([]byte{7}, secret.KeySize) }

// NewDatabaseName returns the name of a database no test used yet, for a test that writes to
// it before it opens a store there.
func (m *Mongo) NewDatabaseName() string {
	return fmt.Sprintf("test%d_%d", os.Getpid(), m.seq.Add(1))
}

// Store opens a store for tb: on a fresh database when o.Database is empty, else on that one
// (a second replica of a test's store: pass the first one's DatabaseName). o.Box defaults to
// SecretKey's. When tb ends the store is closed and its database dropped.
func (m *Mongo) Store(tb testing.TB, o store.Options) *store.Store {
	tb.Helper()
	if o.Database == "" {
		o.Database = m.NewDatabaseName()
	}
	if o.Box == nil {
		box, err := secret.NewBox(SecretKey())
		if err != nil {
			tb.Fatal(err)
		}
		o.Box = box
	}
	s, err := store.Open(context.Background(), m.uri, o)
	if err != nil {
		tb.Fatalf("open store on %s: %v", o.Database, err)
	}
	tb.Cleanup(func() {
		ctx := context.Background()
		_ = s.DropDatabase(ctx)
		_ = s.Close(ctx)
	})
	return s
}
