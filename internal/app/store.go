package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/oneko/oneko/internal/config"
	"github.com/oneko/oneko/internal/localstack"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
)

// OpenStore opens the store the configuration names, for commands that work on the data
// without running the api or the worker (oneko migrate). In local mode it starts the
// embedded store on the data directory, which oneko must not be using at the same time.
// close releases what was opened.
func OpenStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (st *store.Store, close func(), err error) {
	key, err := secretKey(cfg)
	if err != nil {
		return nil, nil, err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return nil, nil, err
	}
	mongoURI, stop := cfg.MongoURI, func() {}
	var embedded *localstack.Mongo
	if cfg.Local() {
		quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("component", "ferretdb")
		m, err := localstack.StartMongo(ctx, filepath.Join(cfg.DataDir, "ferretdb"), quiet)
		if err != nil {
			return nil, nil, err
		}
		mongoURI, stop, embedded = m.URI(), m.Stop, m
		log.Info("embedded store opened", "dir", filepath.Join(cfg.DataDir, "ferretdb"))
	}
	st, err = store.Open(ctx, mongoURI, store.Options{Database: cfg.MongoDatabase, Box: box, SoleWriter: embedded != nil})
	if err != nil {
		stop()
		return nil, nil, err
	}
	if embedded != nil {
		if err := embedded.IndexIDs(ctx); err != nil {
			log.Warn("lookups by id in the embedded store stay slow", "err", err)
		}
	}
	return st, func() { _ = st.Close(context.Background()); stop() }, nil
}
