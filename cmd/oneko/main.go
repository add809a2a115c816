// Command oneko runs oneko's api and worker.
//
//	oneko           api and worker in one process (what `make run` starts)
//	oneko api       the api only
//	oneko worker    the worker only
//	oneko migrate   move an O-Neko installation into this oneko (see migrate.go)
//
// With no ONEKO_MONGO_URI it runs in local mode: an embedded MongoDB-wire store, an in-process
// Redis (unless ONEKO_REDIS_URL is set) and a local Kubernetes control plane (unless a
// kubeconfig is given). README.md lists the configuration.
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
	parts := app.Parts{API: true, Worker: true}
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "api":
			parts.Worker = false
		case "worker":
			parts.API = false
		case "migrate":
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			code := runMigrate(ctx, os.Args[2:], os.Stdout, os.Stderr)
			stop()
			os.Exit(code)
		default:
			fmt.Fprintf(os.Stderr, "usage: oneko [api|worker|migrate]\n")
			os.Exit(2)
		}
	}
	cfg, err := config.FromEnv(config.Env)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if cfg.Local() && parts != (app.Parts{API: true, Worker: true}) {
		fmt.Fprintln(os.Stderr, "local mode (no ONEKO_MONGO_URI) runs api and worker together: start `oneko` without arguments")
		os.Exit(2)
	}
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, cfg, parts, log); err != nil {
		log.Error("oneko stopped", "err", err)
		os.Exit(1)
	}
}
