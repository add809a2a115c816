// Command oneko runs oneko's api and worker.
//
//	oneko           api and worker in one process (what `make run` starts)
//	oneko api       the api only
//	oneko worker    the worker only
//	oneko version   print the version and exit
//	oneko migrate   move an O-Neko installation into this oneko (see migrate.go)
//	oneko store     serve local mode's embedded store to other processes (see store.go)
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
	"runtime"
	"runtime/debug"
	"syscall"

	"github.com/oneko/oneko/internal/app"
	"github.com/oneko/oneko/internal/config"
)

const usage = `usage: oneko [api|worker|version|migrate|store]
  oneko           api and worker in one process (local mode without ONEKO_MONGO_URI)
  oneko api       the api only
  oneko worker    the worker only
  oneko version   print the version
  oneko migrate   move an O-Neko installation into this oneko (oneko migrate --help)
  oneko store     serve the embedded store to several api and worker processes (oneko store --help)
Configuration: ONEKO_* environment variables (README.md).`

// Set by the linker (make images: -ldflags "-X main.buildVersion=... -X main.buildRevision=...");
// the only package variables of the binary, written once at link time.
var buildVersion, buildRevision string

// version describes the binary: the version and revision given at link time, else what Go
// stamped into its build information, and the Go release.
func version() string {
	v, rev := buildVersion, buildRevision
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && rev == "" {
				rev = s.Value
			}
		}
	}
	out := "oneko " + v
	if rev != "" {
		out += " revision " + rev
	}
	return out + " " + runtime.Version()
}

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
		case "store":
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			code := runStore(ctx, os.Args[2:], os.Stdout, os.Stderr)
			stop()
			os.Exit(code)
		case "version":
			fmt.Println(version())
			return
		case "help", "-h", "-help", "--help":
			fmt.Println(usage)
			return
		default:
			fmt.Fprintln(os.Stderr, usage)
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
