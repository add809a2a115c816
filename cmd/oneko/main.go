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
// kubeconfig is given). Settings come from flags and ONEKO_* variables (internal/config);
// each command's --help lists its own, README.md all of them.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/oneko/oneko/internal/app"
	"github.com/oneko/oneko/internal/config"
)

const usage = `usage: oneko [api|worker|version|migrate|store] [flags]
  oneko           api and worker in one process (local mode without ONEKO_MONGO_URI)
  oneko api       the api only
  oneko worker    the worker only
  oneko version   print the version
  oneko migrate   move an O-Neko installation into this oneko (oneko migrate --help)
  oneko store     serve the embedded store to several api and worker processes (oneko store --help)
Each command lists its settings with --help (oneko api --help); README.md explains them.

`

// apiUsage and workerUsage head the --help of `oneko api` and `oneko worker`.
const (
	apiUsage = `usage: oneko api [flags]

The api only: REST API, dashboard and registry webhooks; it queues tasks for the workers.
Production runs it with ONEKO_MONGO_URI, ONEKO_REDIS_URL and ONEKO_SECRET_KEY.

`
	workerUsage = `usage: oneko worker [flags]

The worker only: runs the queued tasks (deploys, stops, registry events) and the periodic
ones (polls, reconcile, expiry, status refresh, retention); it answers health probes and
metrics scrapes on ONEKO_HTTP_ADDR.

`
)

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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command of args until ctx ends and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	name, head, cmd, parts := "oneko", usage, config.All, app.Parts{API: true, Worker: true}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name = "oneko " + args[0]
		switch args[0] {
		case "api":
			head, cmd, parts = apiUsage, config.CmdAPI, app.Parts{API: true}
		case "worker":
			head, cmd, parts = workerUsage, config.CmdWorker, app.Parts{Worker: true}
		case "migrate":
			return runMigrate(ctx, args[1:], stdout, stderr)
		case "store":
			return runStore(ctx, args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, version())
			return 0
		case "help":
			fmt.Fprint(stdout, usage)
			config.PrintSettings(stdout, config.All)
			return 0
		default:
			fmt.Fprint(stderr, usage)
			return 2
		}
		args = args[1:]
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	settings := config.Bind(fs, cmd, head)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	cfg, err := settings.Load(config.Env)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if cfg.Local() && parts != (app.Parts{API: true, Worker: true}) {
		fmt.Fprintln(stderr, "local mode (no ONEKO_MONGO_URI) runs api and worker together: start `oneko` without a command")
		return 2
	}
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := app.Run(ctx, cfg, parts, log); err != nil {
		log.Error("oneko stopped", "err", err)
		return 1
	}
	return 0
}

// parseFlags parses a command's flags. It reports false with the exit code when the command
// should not run: 0 after --help (printed to stdout), 2 after a wrong flag or an argument
// (the error and the usage printed to stderr).
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (int, bool) {
	var out bytes.Buffer
	fs.SetOutput(&out)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		_, _ = stdout.Write(out.Bytes())
		return 0, false
	case err == nil && fs.NArg() > 0:
		fmt.Fprintf(&out, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		fallthrough
	case err != nil:
		_, _ = stderr.Write(out.Bytes())
		return 2, false
	}
	fs.SetOutput(stderr)
	return 0, true
}
