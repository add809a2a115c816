// Command oneko runs the oneko api. With no ONEKO_MONGO_URI it runs in local mode: an embedded
// MongoDB-wire store, an in-process Redis (unless ONEKO_REDIS_URL is set) and a local Kubernetes
// control plane (unless a kubeconfig is given). See README.md for the configuration.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/oneko/oneko/internal/app"
	"github.com/oneko/oneko/internal/config"
)

func main() {
	cfg, err := config.FromEnv(config.Env)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.RunAPI(ctx, cfg, log); err != nil {
		log.Error("oneko stopped", "err", err)
		os.Exit(1)
	}
}
