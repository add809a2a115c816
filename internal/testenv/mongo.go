package testenv

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/oneko/oneko/internal/localstack"
)

// Mongo is the MongoDB-wire server for one test binary: the embedded FerretDB, or the real
// MongoDB named by ONEKO_TEST_MONGO_URI.
type Mongo struct {
	uri  string
	stop func()
	seq  atomic.Int64 // numbers the fresh databases of Store
}

// StartMongo returns ONEKO_TEST_MONGO_URI when set, else starts an embedded FerretDB in a temp dir.
func StartMongo(ctx context.Context) (*Mongo, error) { return startMongo(ctx, false) }

// StartServedMongo is StartMongo with the embedded FerretDB served as `oneko store` serves it,
// through the front that makes each write atomic for every client: for tests whose several
// Stores (replicas) write one database at once, as several processes do.
func StartServedMongo(ctx context.Context) (*Mongo, error) { return startMongo(ctx, true) }

func startMongo(ctx context.Context, served bool) (*Mongo, error) {
	if uri := os.Getenv("ONEKO_TEST_MONGO_URI"); uri != "" {
		return &Mongo{uri: uri, stop: func() {}}, nil
	}
	dir, err := os.MkdirTemp("", "oneko-ferretdb-")
	if err != nil {
		return nil, fmt.Errorf("FerretDB temp dir: %w", err)
	}
	start := func() (*localstack.Mongo, error) { return localstack.StartMongo(ctx, dir, nil) }
	if served {
		start = func() (*localstack.Mongo, error) { return localstack.ServeMongo(ctx, dir, "127.0.0.1:0", nil) }
	}
	m, err := start()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return &Mongo{uri: m.URI(), stop: func() { m.Stop(); _ = os.RemoveAll(dir) }}, nil
}

// URI is the mongodb:// address.
func (m *Mongo) URI() string { return m.uri }

// Stop ends the embedded server and removes its data.
func (m *Mongo) Stop() { m.stop() }
