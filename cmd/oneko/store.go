package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/oneko/oneko/internal/config"
	"github.com/oneko/oneko/internal/localstack"
)

// storeUsage explains `oneko store`.
const storeUsage = `usage: oneko store [--listen 127.0.0.1:27017] [--dir DIR]

Serves the embedded MongoDB-wire store of local mode (FerretDB on SQLite) as a process of
its own, so that several "oneko api" and "oneko worker" processes can share it (point their
ONEKO_MONGO_URI at it). Each writing command is applied atomically for all of them, as
MongoDB does (docs/scaling.md says why this needs the store's own front). For one machine
and tests; production uses MongoDB.
`

// runStore runs `oneko store` until ctx ends and returns the exit code.
func runStore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("store", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:27017", "the address to serve the MongoDB wire protocol on")
	dir := fs.String("dir", "", "the folder of the data (default: ferretdb in ONEKO_DATA_DIR)")
	settings := config.Bind(fs, config.CmdStore, storeUsage)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if *dir == "" {
		cfg, err := settings.Load(config.Env)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		*dir = filepath.Join(cfg.DataDir, "ferretdb")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("component", "ferretdb")
	m, err := localstack.ServeMongo(ctx, *dir, *listen, log)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "oneko store: serving %s (data in %s)\n", m.URI(), *dir)
	<-ctx.Done()
	m.Stop()
	return 0
}
