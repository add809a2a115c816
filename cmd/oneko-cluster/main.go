// Command oneko-cluster runs a local Kubernetes control plane (internal/localkube) in the
// foreground until interrupted, and writes an admin kubeconfig for it.
//
//	oneko-cluster [-kubeconfig PATH] [-nodes N] [-v]
//
// The programs come from "make kube-bins" (or the folder in ONEKO_KUBE_BIN_DIR). The
// kubeconfig defaults to $ONEKO_DATA_DIR/kubeconfig, with ./.oneko as the data folder.
// Ctrl-C (SIGINT) or SIGTERM stops every process and removes the kubeconfig.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/oneko/oneko/internal/localkube"
)

// config is the command line of oneko-cluster.
type config struct {
	kubeconfig string
	nodes      int
	verbose    bool
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "oneko-cluster:", err)
		os.Exit(1)
	}
}

// parseFlags reads the command line, with ONEKO_DATA_DIR as the fallback for the
// kubeconfig's folder.
func parseFlags(args []string) (config, error) {
	dataDir := os.Getenv("ONEKO_DATA_DIR")
	if dataDir == "" {
		dataDir = ".oneko"
	}
	var cfg config
	fs := flag.NewFlagSet("oneko-cluster", flag.ContinueOnError)
	fs.StringVar(&cfg.kubeconfig, "kubeconfig", filepath.Join(dataDir, "kubeconfig"), "where to write the admin kubeconfig")
	fs.IntVar(&cfg.nodes, "nodes", localkube.DefaultNodes, "number of fake Nodes played by kwok")
	fs.BoolVar(&cfg.verbose, "v", false, "also print the output of every component")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if cfg.nodes < 1 {
		return config{}, errors.New("-nodes must be at least 1")
	}
	return cfg, nil
}

// run starts the cluster, writes the kubeconfig, waits for a signal and stops.
func run(cfg config) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	opts := localkube.Options{Nodes: cfg.nodes, Logger: logger}
	if cfg.verbose {
		opts.LogOutput = os.Stderr
	}
	begin := time.Now()
	cluster, err := localkube.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		logger.Info("stopping the cluster")
		if err := cluster.Stop(); err != nil {
			logger.Error("stop the cluster", "err", err)
		}
	}()

	if err := os.MkdirAll(filepath.Dir(cfg.kubeconfig), 0o700); err != nil {
		return fmt.Errorf("make kubeconfig folder: %w", err)
	}
	if err := os.WriteFile(cfg.kubeconfig, cluster.Kubeconfig(), 0o600); err != nil {
		return fmt.Errorf("write kubeconfig: %w", err)
	}
	defer func() { _ = os.Remove(cfg.kubeconfig) }()

	attrs := []any{"kubeconfig", cfg.kubeconfig, "after", time.Since(begin).Round(time.Millisecond)}
	if rss, err := cluster.ResidentMemory(); err == nil {
		attrs = append(attrs, "rss_mib", rss>>20)
	}
	logger.Info("cluster ready; Ctrl-C stops it", attrs...)
	fmt.Printf("export KUBECONFIG=%s\n", absPath(cfg.kubeconfig))

	<-ctx.Done()
	return nil
}

// absPath returns the absolute form of path, or path itself if there is none.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}
