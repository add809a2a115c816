package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/oneko/oneko/internal/demo"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
)

var (
	mongoURI string
	dbSeq    atomic.Int64
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

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
	box, err := secret.NewBox(bytes.Repeat([]byte{7}, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, mongoURI, store.Options{Database: fmt.Sprintf("demo%d_%d", os.Getpid(), dbSeq.Add(1)), Box: box})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.DropDatabase(ctx)
		_ = s.Close(ctx)
	})
	return s
}

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
