package config

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// Command is a set of the binary's commands, to say which settings each one reads.
type Command uint8

// The commands of the oneko binary. `oneko` without a command runs CmdAPI, CmdWorker and
// CmdLocal at once (All).
const (
	CmdAPI     Command = 1 << iota // oneko api
	CmdWorker                      // oneko worker
	CmdLocal                       // oneko without a command: api and worker, local mode without ONEKO_MONGO_URI
	CmdMigrate                     // oneko migrate
	CmdStore                       // oneko store

	// All is `oneko` without a command.
	All = CmdAPI | CmdWorker | CmdLocal
	// apiWorker is read by the api and by the worker.
	apiWorker = CmdAPI | CmdWorker
	// everyCommand is read by every command.
	everyCommand = All | CmdMigrate | CmdStore
)

// Setting is one configuration setting: an ONEKO_* environment variable and, unless it is
// a secret, the command-line flag named after it. A flag wins over the variable, the
// variable over the default.
type Setting struct {
	// Env is the environment variable, e.g. ONEKO_WORKER_CONCURRENCY.
	Env string
	// Default is the value used when neither the flag nor the variable is set.
	Default string
	// DefaultText describes the default when it is not Default itself (computed, generated).
	DefaultText string
	// Usage says what the setting does, in one sentence (Markdown: README's table shows it).
	Usage string
	// Commands are the commands that read it.
	Commands Command
	// Bool settings are true or false; their flag may be given without a value.
	Bool bool
	// Secret settings come from the environment only: a flag would show in the process list.
	Secret bool
	// KeepSpaces settings (passwords) are read as given, leading and trailing spaces included.
	KeepSpaces bool
}

// Flag is the command-line flag of the setting (ONEKO_WORKER_CONCURRENCY: worker-concurrency),
// or "" for a secret.
func (s Setting) Flag() string {
	if s.Secret {
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(s.Env, "ONEKO_")), "_", "-")
}

// DefaultString is how the default reads in help texts and README's table.
func (s Setting) DefaultString() string {
	switch {
	case s.DefaultText != "":
		return s.DefaultText
	case s.Default == "":
		return "empty"
	}
	return s.Default
}

// Settings returns every setting, in the order help texts and README's table list them.
// Every field of Config names its settings in its `env` tag (a test checks both ways).
func Settings() []Setting {
	return []Setting{
		{Env: "ONEKO_HTTP_ADDR", Default: "127.0.0.1:8080", Commands: apiWorker, Usage: "where the api listens (`oneko worker`: where it answers health probes and metrics scrapes)"},
		{Env: "ONEKO_PUBLIC_URL", DefaultText: "`http://$ONEKO_HTTP_ADDR`", Commands: CmdAPI, Usage: "base URL users and registries reach; webhook URLs are built from it"},
		{Env: "ONEKO_MONGO_URI", DefaultText: "empty: embedded FerretDB", Commands: All | CmdMigrate, Usage: "MongoDB connection string (production)"},
		{Env: "ONEKO_MONGO_DATABASE", Default: "oneko", Commands: All | CmdMigrate, Usage: "database name"},
		{Env: "ONEKO_REDIS_URL", DefaultText: "empty: in-process Redis", Commands: All | CmdMigrate, Usage: "`redis://host:port/db`"},
		{Env: "ONEKO_DATA_DIR", Default: "./.oneko", Commands: everyCommand, Usage: "local-mode data (FerretDB files, generated secret key, kubeconfig) and the chart cache"},
		{Env: "ONEKO_SECRET_KEY", DefaultText: "generated in the data dir in local mode; **required** with `ONEKO_MONGO_URI`", Commands: All | CmdMigrate, Secret: true, Usage: "32-byte key (64 hex digits, `openssl rand -hex 32`) that encrypts registry passwords and webhook secrets (AES-256-GCM)"},
		{Env: "ONEKO_ADMIN_PASSWORD", DefaultText: "generated and printed once", Commands: CmdAPI, Secret: true, KeepSpaces: true, Usage: "password of the bootstrap `admin`"},
		{Env: "ONEKO_KUBECONFIG", DefaultText: "`KUBECONFIG`, else local control plane (local mode) or in-cluster config (production)", Commands: apiWorker, Usage: "the cluster to deploy to"},
		{Env: "ONEKO_SECURE_COOKIES", DefaultText: "`true` when `ONEKO_PUBLIC_URL` is `https://…`, else `false`", Bool: true, Commands: CmdAPI, Usage: "mark the session cookie Secure"},
		{Env: "ONEKO_METRICS_TOKEN", DefaultText: "empty: `/metrics` is open", Secret: true, Commands: CmdAPI, Usage: "Bearer token `/metrics` requires (≥ 16 characters); set it when the api is reachable from outside"},
		{Env: "ONEKO_SESSION_TTL", Default: "12h", Commands: CmdAPI, Usage: "how long a sign-in lasts"},
		{Env: "ONEKO_LOGIN_MAX_FAILURES", Default: "5", Commands: CmdAPI, Usage: "failed password attempts allowed per user within `ONEKO_LOGIN_WINDOW` before sign-ins answer 429 until the window (counted from the first failure) ends"},
		{Env: "ONEKO_LOGIN_ADDRESS_MAX_FAILURES", Default: "50", Commands: CmdAPI, Usage: "the same per client address"},
		{Env: "ONEKO_LOGIN_WINDOW", Default: "15m", Commands: CmdAPI, Usage: "the window of the failed sign-in counts (1s to 24h)"},
		{Env: "ONEKO_LOGIN_CONCURRENCY", Default: "4", Commands: CmdAPI, Usage: "password hashes (argon2id, 19 MiB each) run at once; beyond it sign-ins wait up to 2 s, then answer 503 with `Retry-After`"},
		{Env: "ONEKO_TRUSTED_PROXIES", Default: "", Commands: CmdAPI, Usage: "comma-separated IPs/CIDRs of reverse proxies whose `X-Forwarded-For` names the client; empty: the connection's address is the client"},
		{Env: "ONEKO_EVENTS_MAX_PER_USER", Default: "10", Commands: CmdAPI, Usage: "live event streams (`GET /api/v1/events`) one user may have open; beyond it 429"},
		{Env: "ONEKO_EVENTS_MAX_STREAMS", Default: "1000", Commands: CmdAPI, Usage: "live event streams one api process may have open; beyond it 429"},
		{Env: "ONEKO_TOKEN_MAX_LIFETIME", Default: "90d", Commands: CmdAPI, Usage: "longest life of an API token (`90d` or a Go duration such as `720h`); tokens created without expiry get it, longer ones are refused"},
		{Env: "ONEKO_END_OF_DAY", Default: "23:59", Commands: All | CmdMigrate, Usage: "when `UNTIL_TONIGHT` deployments expire (HH:MM)"},
		{Env: "ONEKO_END_OF_DAY_NEXT_DAY", Default: "false", Bool: true, Commands: All | CmdMigrate, Usage: "`true`: a day ends on the following date at `ONEKO_END_OF_DAY` (O-Neko's end of day on the next day, for an end such as `05:00`)"},
		{Env: "ONEKO_LAST_WORKING_DAY", Default: "Friday", Commands: All | CmdMigrate, Usage: "the day `UNTIL_WEEKEND` deployments expire at its end of day"},
		{Env: "ONEKO_TIMEZONE", Default: "UTC", Commands: All | CmdMigrate, Usage: "the IANA time zone of the end of day"},
		{Env: "ONEKO_WORKER_CONCURRENCY", Default: "4", Commands: CmdWorker, Usage: "tasks a worker runs at once (1 to 256)"},
		{Env: "ONEKO_WORKER_SHUTDOWN_TIMEOUT", Default: "30s", Commands: CmdWorker, Usage: "how long a stopping worker lets running tasks finish before handing them back to the queue; keep a Pod's grace period longer"},
		{Env: "ONEKO_WORKER_TASK_CHECK_INTERVAL", Default: "50ms", Commands: CmdWorker, Usage: "how often an idle worker asks Redis for new tasks (10ms to 5s); each hop of a push → deploy chain may wait this long"},
		{Env: "ONEKO_DEPLOY_TIMEOUT", Default: "5m", Commands: CmdWorker, Usage: "how long a deploy waits for a release's resources to be ready (and its hooks), 10s to 1h; a rollout that cannot succeed fails earlier with its reason"},
		{Env: "ONEKO_DEPLOY_WARNING_INTERVAL", Default: "2s", Commands: CmdWorker, Usage: "how often a deploy waiting for its releases to be ready reads the Kubernetes events that explain why (FailedScheduling, ImagePullBackOff…) into the version's status message (100ms to 1m)"},
		{Env: "ONEKO_LEASE_TTL", Default: "30s", Commands: CmdWorker, Usage: "how long a version's lease outlives a worker that died holding it (3s to 10m); renewed every third of it"},
		{Env: "ONEKO_LEASE_RETRY_DELAY", Default: "2s", Commands: CmdWorker, Usage: "how long a task that found its version's lease held waits before it runs again (100ms to 1m)"},
		{Env: "ONEKO_FAILED_RETRY_AFTER", Default: "10m", Commands: CmdWorker, Usage: "how long after a failed deploy the reconcile tries it again when its releases are missing or broken (1m to 24h)"},
		{Env: "ONEKO_ACTIVITY_RETENTION", Default: "720h", Commands: CmdWorker, Usage: "how long activities are kept (1h to 87600h)"},
		{Env: "ONEKO_POLL_TICK", Default: "10s", Commands: CmdWorker, Usage: "how often a worker looks for registries whose poll is due (1s to 10m)"},
		{Env: "ONEKO_RECONCILE_INTERVAL", Default: "1m", Commands: CmdWorker, Usage: "how often the reconcile compares deployed versions with their releases (10s to 24h)"},
		{Env: "ONEKO_EXPIRE_INTERVAL", Default: "1m", Commands: CmdWorker, Usage: "how often expired deployments are looked for and stopped (10s to 24h)"},
		{Env: "ONEKO_STATUS_REFRESH_INTERVAL", Default: "30s", Commands: CmdWorker, Usage: "how often the status of deployed versions is read from the cluster (5s to 24h)"},
		{Env: "ONEKO_RETENTION_INTERVAL", Default: "1h", Commands: CmdWorker, Usage: "how often activities older than `ONEKO_ACTIVITY_RETENTION` are deleted (1m to 24h)"},
		{Env: "ONEKO_MIGRATE_PASSWORD", DefaultText: "asked for", Secret: true, KeepSpaces: true, Commands: CmdMigrate, Usage: "the O-Neko password `oneko migrate` signs in with ([docs/migrate.md](docs/migrate.md))"},
		{Env: "ONEKO_RENDER_MAX_BYTES", Default: "1MiB", Commands: apiWorker, Usage: "cap on the output of each template placeholder and each rendered template (bytes, or with `KiB`/`MiB`; 4KiB–256MiB)"},
		{Env: "ONEKO_EXTERNAL_LOG_URL", DefaultText: "none", Commands: CmdAPI, Usage: "link template to an external logging system shown with each pod's containers; `{namespace}`, `{pod}` and `{container}` are replaced"},
		{Env: "ONEKO_LOG_FOLLOWS_PER_USER", Default: "4", Commands: CmdAPI, Usage: "log streams one user follows at once (over it: 429)"},
		{Env: "ONEKO_LOG_FOLLOWS_TOTAL", Default: "100", Commands: CmdAPI, Usage: "log streams followed at once per api process (over it: 429)"},
		{Env: "ONEKO_DEMO", Default: "true", Bool: true, Commands: CmdLocal, Usage: "local mode only: start the demo registry, charts and project"},
		{Env: "ONEKO_LOG_LEVEL", Default: "info", Commands: apiWorker, Usage: "`debug`, `info`, `warn`, `error`"},
		{Env: "ONEKO_WEBHOOK_ONLY_POLL_INTERVAL", Default: "1h", Commands: CmdWorker, Usage: "how often registries with `pollInterval: 0s` (webhooks only) are polled anyway, to catch up events lost after their 202; `0` turns it off, else at least `1m`"},
		{Env: "ONEKO_CHART_ORIGINS", Default: "", Commands: apiWorker, Usage: "comma-separated origins (`https://host[:port]`, or `*` for any) from which a Helm repository's index may name chart archives besides the repository's own origin"},
		{Env: "ONEKO_INSTALLATION_ID", DefaultText: "stored in the database, generated on first start", Commands: apiWorker, Usage: "this installation's identity; labels its releases and namespaces (see \"Operating it\")"},
		{Env: "ONEKO_ALLOW_CLUSTER_SCOPED", DefaultText: "empty: none", Commands: CmdWorker, Usage: "kinds releases may create at cluster scope, comma-separated (`*`: any)"},
		{Env: "ONEKO_ALLOW_NAMESPACES", DefaultText: "empty: none", Commands: CmdWorker, Usage: "namespaces releases may write into besides their own, comma-separated (`*`: any)"},
		{Env: "ONEKO_ORPHAN_SWEEP_MAX_SHARE", Default: "0.5", Commands: CmdWorker, Usage: "largest share (above 0, at most 1) of the installation's releases one orphan sweep may uninstall"},
	}
}

// Flags are the settings of one command bound to its flag set. Bind them before the flag set
// parses its arguments; Load then reads the configuration.
type Flags struct {
	values map[string]*flagValue // by environment variable
}

// flagValue is the flag.Value of a setting: the text given on the command line, if any.
type flagValue struct {
	set   bool
	value string
	bool  bool
}

func (v *flagValue) String() string {
	if v == nil {
		return ""
	}
	return v.value
}

func (v *flagValue) Set(s string) error { v.set, v.value = true, s; return nil }

// IsBoolFlag lets a true-or-false setting's flag stand alone (--demo means --demo=true).
func (v *flagValue) IsBoolFlag() bool { return v.bool }

// Bind adds the flags of the settings cmd reads to fs and makes fs's usage print head, the
// command's own flags (those fs had before), and the settings with their environment variables
// and defaults.
func Bind(fs *flag.FlagSet, cmd Command, head string) *Flags {
	f := &Flags{values: map[string]*flagValue{}}
	for _, s := range Settings() {
		if s.Commands&cmd == 0 || s.Secret {
			continue
		}
		v := &flagValue{bool: s.Bool}
		f.values[s.Env] = v
		fs.Var(v, s.Flag(), s.Usage)
	}
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, head)
		own := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
		fs.VisitAll(func(fl *flag.Flag) {
			if _, setting := fl.Value.(*flagValue); !setting {
				own.Var(fl.Value, fl.Name, fl.Usage)
				own.Lookup(fl.Name).DefValue = fl.DefValue
			}
		})
		own.SetOutput(w)
		own.PrintDefaults()
		PrintSettings(w, cmd)
	}
	return f
}

// PrintSettings lists the settings cmd reads: flag, environment variable, default and use.
func PrintSettings(w io.Writer, cmd Command) {
	fmt.Fprintln(w, "\nSettings (a flag wins over its environment variable, the variable over the default):")
	plain := strings.NewReplacer("`", "", "**", "")
	for _, s := range Settings() {
		if s.Commands&cmd == 0 {
			continue
		}
		name := "(environment only)"
		if f := s.Flag(); f != "" {
			name = "--" + f
		}
		fmt.Fprintf(w, "  %-30s %s (default: %s)\n      %s\n", name, s.Env, plain.Replace(s.DefaultString()), plain.Replace(s.Usage))
	}
}

// Load reads and validates the configuration: for each setting its flag when given, else
// its variable (getenv is os.Getenv in production), else its default.
func (f *Flags) Load(getenv func(string) string) (*Config, error) {
	table := map[string]Setting{}
	for _, s := range Settings() {
		table[s.Env] = s
	}
	var unknown []string
	get := func(env string) string {
		s, ok := table[env]
		if !ok {
			unknown = append(unknown, env)
			return ""
		}
		if v := f.values[env]; v != nil && v.set {
			return strings.TrimSpace(v.value)
		}
		if v := strings.TrimSpace(getenv(env)); v != "" {
			if s.KeepSpaces {
				return getenv(env) // a password's spaces are its own
			}
			return v
		}
		return s.Default
	}
	c, err := load(get, getenv)
	if len(unknown) > 0 {
		// A programming error the tests find: every setting read is in the table.
		return nil, fmt.Errorf("configuration: %s read but missing from config.Settings", strings.Join(unknown, ", "))
	}
	return c, err
}
