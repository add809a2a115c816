package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"golang.org/x/term"

	"github.com/oneko/oneko/internal/app"
	"github.com/oneko/oneko/internal/config"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/migrate"
	"github.com/oneko/oneko/tasks"
)

// migrateUsage explains `oneko migrate`.
const migrateUsage = `usage: oneko migrate --from https://oneko.example.org --user admin [--apply [--deploy]]

Reads a running O-Neko over its REST API and prints what moving it into this oneko
would do. --apply does it; --deploy also deploys the versions that were deployed in
O-Neko. The password comes from ONEKO_MIGRATE_PASSWORD or is asked for. The target is
the oneko that the ONEKO_* variables configure.
`

// runMigrate runs `oneko migrate` and returns the exit code.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	from := fs.String("from", "", "the URL of O-Neko")
	user := fs.String("user", "", "an O-Neko user with the ADMIN role")
	apply := fs.Bool("apply", false, "create what the plan lists (without it, only the plan is printed)")
	deployed := fs.Bool("deploy", false, "with --apply: deploy the versions that were deployed in O-Neko")
	settings := config.Bind(fs, config.CmdMigrate, migrateUsage)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if *from == "" || *user == "" || (*deployed && !*apply) {
		fs.Usage()
		return 2
	}
	cfg, err := settings.Load(config.Env)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	password := cfg.MigratePassword
	if password == "" {
		if password, err = askPassword(stderr, *user); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
	}
	src, err := migrate.NewSource(*from, *user, password, &http.Client{Timeout: time.Minute})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	// Everything is read before anything is written.
	in, err := src.Read(ctx)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, closeStore, err := app.OpenStore(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer closeStore()
	plan, err := migrate.MakePlan(ctx, in, st)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	plan.Print(stdout)
	if !*apply {
		fmt.Fprintln(stdout, "\nNothing was changed: run again with --apply to migrate.")
		return 0
	}
	opts := migrate.Options{}
	if *deployed {
		if cfg.RedisURL == "" {
			fmt.Fprintln(stderr, "--deploy needs ONEKO_REDIS_URL: the queue the workers of this oneko read")
			return 2
		}
		redisOpt, err := asynq.ParseRedisURI(cfg.RedisURL)
		if err != nil {
			fmt.Fprintln(stderr, "ONEKO_REDIS_URL:", err)
			return 2
		}
		queue := asynq.NewClient(redisOpt)
		defer queue.Close()
		opts.Deployer = &deploy.Requester{Store: st, Queue: tasks.Queue{Enqueuer: queue}, Lifetime: cfg.Lifetime, Now: time.Now}
	}
	if err := migrate.Apply(ctx, plan, st, opts); err != nil {
		fmt.Fprintln(stderr, err)
		fmt.Fprintln(stderr, "Running the migration again continues where it stopped.")
		return 1
	}
	create, _, _ := plan.Counts()
	fmt.Fprintf(stdout, "\nMigrated: %d created. A second run changes nothing.\n", create)
	return 0
}

// askPassword reads the O-Neko password from the terminal without echo, or a line of
// standard input when it is not a terminal.
func askPassword(w io.Writer, user string) (string, error) {
	fmt.Fprintf(w, "O-Neko password of %s: ", user)
	if term.IsTerminal(int(os.Stdin.Fd())) {
		pw, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(w)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		return string(pw), nil
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
