package localstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Mongo is an embedded FerretDB server with its data in an SQLite folder.
type Mongo struct {
	uri  string
	dir  string
	stop func()
}

// StartMongo starts FerretDB on a free loopback port with its data under dir.
// It serves until ctx ends or Stop is called.
func StartMongo(ctx context.Context, dir string, logger *slog.Logger) (*Mongo, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create FerretDB data dir: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("FerretDB data dir: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    logger,
	})
	if err != nil {
		return nil, fmt.Errorf("start FerretDB: %w", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	m := &Mongo{dir: abs, stop: func() { cancel(); <-done }}
	go func() {
		defer close(done)
		if err := f.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("FerretDB stopped", "err", err)
		}
	}()
	// MongoDBURI waits for the listener, which Run starts.
	uriCh := make(chan string, 1)
	go func() { uriCh <- f.MongoDBURI() }()
	select {
	case m.uri = <-uriCh:
	case <-time.After(30 * time.Second):
		cancel()
		return nil, errors.New("start FerretDB: listener not ready after 30s")
	}
	return m, nil
}

// URI is the mongodb:// address of the server.
func (m *Mongo) URI() string { return m.uri }

// Stop ends the server and waits for it.
func (m *Mongo) Stop() { m.stop() }
