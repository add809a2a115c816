// Package config reads the configuration of oneko's binaries from ONEKO_* environment
// variables, validates it once at start, and says what to set when something is wrong.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/oneko/oneko/internal/lifetime"
)

// Config is the configuration shared by the api, the worker and local mode.
type Config struct {
	// HTTPAddr is where the api listens (ONEKO_HTTP_ADDR, default 127.0.0.1:8080).
	HTTPAddr string `env:"ONEKO_HTTP_ADDR"`
	// PublicURL is the base URL users and registries reach the api at (ONEKO_PUBLIC_URL,
	// default http://<HTTPAddr>); webhook URLs are built from it.
	PublicURL string `env:"ONEKO_PUBLIC_URL"`
	// MongoURI is the MongoDB connection string (ONEKO_MONGO_URI); empty: embedded FerretDB.
	MongoURI string `env:"ONEKO_MONGO_URI"`
	// MongoDatabase is the database name (ONEKO_MONGO_DATABASE, default oneko).
	MongoDatabase string `env:"ONEKO_MONGO_DATABASE"`
	// RedisURL is the Redis URL (ONEKO_REDIS_URL, redis://host:port/db); empty: in-process Redis.
	RedisURL string `env:"ONEKO_REDIS_URL"`
	// DataDir holds local-mode data: FerretDB files, the generated secret key, the kubeconfig
	// (ONEKO_DATA_DIR, default ./.oneko).
	DataDir string `env:"ONEKO_DATA_DIR"`
	// SecretKey encrypts stored secrets (ONEKO_SECRET_KEY, 64 hex digits or base64 of 32 bytes).
	// Required unless MongoURI is empty (local mode keeps a generated key in DataDir).
	SecretKey string `env:"ONEKO_SECRET_KEY"`
	// AdminPassword is the bootstrap admin's password (ONEKO_ADMIN_PASSWORD); empty: generated and printed once.
	AdminPassword string `env:"ONEKO_ADMIN_PASSWORD"`
	// Kubeconfig is the cluster to deploy to (ONEKO_KUBECONFIG, else KUBECONFIG); empty in local
	// mode: a local control plane is started.
	Kubeconfig string `env:"ONEKO_KUBECONFIG"`
	// SecureCookies marks the session cookie Secure (ONEKO_SECURE_COOKIES; default true when
	// PublicURL is https).
	SecureCookies bool `env:"ONEKO_SECURE_COOKIES"`
	// SessionTTL is how long a sign-in lasts (ONEKO_SESSION_TTL, default 12h).
	SessionTTL time.Duration `env:"ONEKO_SESSION_TTL"`
	// Lifetime is when deployments expire: ONEKO_END_OF_DAY (default 23:59),
	// ONEKO_END_OF_DAY_NEXT_DAY (default false: the day ends on its own date),
	// ONEKO_LAST_WORKING_DAY (default Friday), ONEKO_TIMEZONE (default UTC).
	Lifetime lifetime.Policy `env:"ONEKO_END_OF_DAY,ONEKO_END_OF_DAY_NEXT_DAY,ONEKO_LAST_WORKING_DAY,ONEKO_TIMEZONE"`
	// Demo, in local mode, starts a sample registry, chart repository and project "hello"
	// (ONEKO_DEMO, default true).
	Demo bool `env:"ONEKO_DEMO"`
	// WorkerConcurrency is how many tasks a worker runs at once (ONEKO_WORKER_CONCURRENCY, default 4).
	WorkerConcurrency int `env:"ONEKO_WORKER_CONCURRENCY"`
	// WorkerShutdownTimeout is how long a stopping worker lets its running tasks finish before
	// it hands them back to the queue (ONEKO_WORKER_SHUTDOWN_TIMEOUT, default 30s). A Pod's
	// termination grace period must be longer (the chart adds a margin).
	WorkerShutdownTimeout time.Duration `env:"ONEKO_WORKER_SHUTDOWN_TIMEOUT"`
	// WorkerTaskCheckInterval is how often an idle worker asks Redis for new tasks
	// (ONEKO_WORKER_TASK_CHECK_INTERVAL, default 50ms, from 10ms to 5s). asynq's own default
	// of 1s would add up to a second to each hop of a push → deploy chain.
	WorkerTaskCheckInterval time.Duration `env:"ONEKO_WORKER_TASK_CHECK_INTERVAL"`
	// LogLevel is debug, info, warn or error (ONEKO_LOG_LEVEL, default info).
	LogLevel string `env:"ONEKO_LOG_LEVEL"`
	// InstallationID overrides the identity stored in the database (ONEKO_INSTALLATION_ID,
	// default empty: the stored one, generated on first start). Releases and namespaces are
	// labelled with it; reconcile only touches releases that carry it.
	InstallationID string `env:"ONEKO_INSTALLATION_ID"`
	// OrphanSweepMaxShare is the largest share of the installation's releases one orphan
	// sweep may uninstall (ONEKO_ORPHAN_SWEEP_MAX_SHARE, default 0.5, above 0 and at most 1); a larger
	// sweep removes nothing and is reported.
	OrphanSweepMaxShare float64 `env:"ONEKO_ORPHAN_SWEEP_MAX_SHARE"`
	// AllowClusterScoped lists the kinds (such as ClusterRole) a release may create at cluster
	// scope (ONEKO_ALLOW_CLUSTER_SCOPED, comma-separated, "*" for any; default none).
	AllowClusterScoped []string `env:"ONEKO_ALLOW_CLUSTER_SCOPED"`
	// AllowNamespaces lists namespaces every release may write into besides its own
	// (ONEKO_ALLOW_NAMESPACES, comma-separated, "*" for any; default none).
	AllowNamespaces []string `env:"ONEKO_ALLOW_NAMESPACES"`
	// Auth configures sign-in, API tokens and the live event stream.
	Auth Auth
	// MigratePassword is the O-Neko password `oneko migrate` signs in with
	// (ONEKO_MIGRATE_PASSWORD); empty: the command asks for it.
	MigratePassword string `env:"ONEKO_MIGRATE_PASSWORD"`
	// RenderMaxBytes caps the output of each placeholder and of each rendered template
	// (ONEKO_RENDER_MAX_BYTES, default 1MiB; bytes, or a number with KiB or MiB).
	RenderMaxBytes int `env:"ONEKO_RENDER_MAX_BYTES"`
	// WebhookOnlyPollInterval is how often registries without polling (pollInterval 0s) are
	// polled anyway, to catch up events lost after their 202 (a Redis flush)
	// (ONEKO_WEBHOOK_ONLY_POLL_INTERVAL, default 1h, at least 1m; 0 disables it).
	WebhookOnlyPollInterval time.Duration `env:"ONEKO_WEBHOOK_ONLY_POLL_INTERVAL"`
	// ChartOrigins are origins ("https://host[:port]", or "*" for any) besides a Helm
	// repository's own from which the chart archives of its index may be downloaded
	// (ONEKO_CHART_ORIGINS, comma-separated, default none).
	ChartOrigins []string `env:"ONEKO_CHART_ORIGINS"`
	// Diagnostics configures logs and the other diagnostics routes.
	Diagnostics Diagnostics
	// Deploy configures the worker's deploy and stop tasks.
	Deploy Deploy
	// Schedule says how often a worker runs its periodic work.
	Schedule Schedule
}

// Local reports whether the embedded MongoDB replacement is used.
func (c *Config) Local() bool { return c.MongoURI == "" }

// FromEnv reads and validates the configuration from the environment alone (no flags).
// getenv is os.Getenv in production.
func FromEnv(getenv func(string) string) (*Config, error) {
	return (&Flags{}).Load(getenv)
}

// load reads the configuration through get, which answers a setting's flag, variable or
// default (Flags.Load), and checks it. getenv reads variables outside the table (KUBECONFIG).
func load(get func(env string) string, getenv func(string) string) (*Config, error) {
	c := &Config{
		HTTPAddr:        get("ONEKO_HTTP_ADDR"),
		MongoURI:        get("ONEKO_MONGO_URI"),
		MongoDatabase:   get("ONEKO_MONGO_DATABASE"),
		RedisURL:        get("ONEKO_REDIS_URL"),
		DataDir:         get("ONEKO_DATA_DIR"),
		SecretKey:       get("ONEKO_SECRET_KEY"),
		AdminPassword:   get("ONEKO_ADMIN_PASSWORD"),
		MigratePassword: get("ONEKO_MIGRATE_PASSWORD"),
		Kubeconfig:      get("ONEKO_KUBECONFIG"),
		LogLevel:        get("ONEKO_LOG_LEVEL"),
	}
	if c.Kubeconfig == "" {
		c.Kubeconfig = strings.TrimSpace(getenv("KUBECONFIG"))
	}
	var errs []error
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		errs = append(errs, fmt.Errorf("ONEKO_HTTP_ADDR=%q: want host:port, e.g. 127.0.0.1:8080", c.HTTPAddr))
	}
	c.PublicURL = strings.TrimRight(get("ONEKO_PUBLIC_URL"), "/")
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.HTTPAddr
	}
	secure := get("ONEKO_SECURE_COOKIES")
	if secure == "" {
		secure = strconv.FormatBool(strings.HasPrefix(strings.ToLower(c.PublicURL), "https://"))
	}
	switch v := strings.ToLower(secure); v {
	case "true", "1", "yes":
		c.SecureCookies = true
	case "false", "0", "no":
	default:
		errs = append(errs, fmt.Errorf("ONEKO_SECURE_COOKIES=%q: want true or false", v))
	}
	ttl, err := time.ParseDuration(get("ONEKO_SESSION_TTL"))
	if err != nil || ttl < time.Minute {
		errs = append(errs, fmt.Errorf("ONEKO_SESSION_TTL: want a duration of at least 1m, e.g. 12h"))
	}
	c.SessionTTL = ttl
	c.Lifetime = lifetime.DefaultPolicy()
	if eod, err := lifetime.ParseEndOfDay(get("ONEKO_END_OF_DAY")); err != nil {
		errs = append(errs, fmt.Errorf("ONEKO_END_OF_DAY: %w (want HH:MM)", err))
	} else {
		c.Lifetime.EndOfDay = eod
	}
	switch v := strings.ToLower(get("ONEKO_END_OF_DAY_NEXT_DAY")); v {
	case "true", "1", "yes":
		c.Lifetime.NextDay = true
	case "false", "0", "no":
	default:
		errs = append(errs, fmt.Errorf("ONEKO_END_OF_DAY_NEXT_DAY=%q: want true or false", v))
	}
	if wd, ok := weekdays[strings.ToLower(get("ONEKO_LAST_WORKING_DAY"))]; ok {
		c.Lifetime.LastWorkingDay = wd
	} else {
		errs = append(errs, fmt.Errorf("ONEKO_LAST_WORKING_DAY: want a weekday name such as Friday"))
	}
	if loc, err := time.LoadLocation(get("ONEKO_TIMEZONE")); err != nil {
		errs = append(errs, fmt.Errorf("ONEKO_TIMEZONE: %w (want an IANA zone such as Europe/Berlin)", err))
	} else {
		c.Lifetime.Location = loc
	}
	switch v := strings.ToLower(get("ONEKO_DEMO")); v {
	case "true", "1", "yes":
		c.Demo = true
	case "false", "0", "no":
	default:
		errs = append(errs, fmt.Errorf("ONEKO_DEMO=%q: want true or false", v))
	}
	if n, err := strconv.Atoi(get("ONEKO_WORKER_CONCURRENCY")); err != nil || n < 1 || n > 256 {
		errs = append(errs, fmt.Errorf("ONEKO_WORKER_CONCURRENCY: want a whole number from 1 to 256"))
	} else {
		c.WorkerConcurrency = n
	}
	if d, err := time.ParseDuration(get("ONEKO_WORKER_SHUTDOWN_TIMEOUT")); err != nil || d < time.Second || d > time.Hour {
		errs = append(errs, fmt.Errorf("ONEKO_WORKER_SHUTDOWN_TIMEOUT: want a duration from 1s to 1h, e.g. 30s"))
	} else {
		c.WorkerShutdownTimeout = d
	}
	if n, err := parseBytes(get("ONEKO_RENDER_MAX_BYTES")); err != nil || n < 4<<10 || n > 256<<20 {
		errs = append(errs, fmt.Errorf("ONEKO_RENDER_MAX_BYTES: want a size from 4KiB to 256MiB, such as 1MiB or 1048576"))
	} else {
		c.RenderMaxBytes = n
	}
	if d, err := time.ParseDuration(get("ONEKO_WEBHOOK_ONLY_POLL_INTERVAL")); err != nil || d < 0 || (d > 0 && d < time.Minute) {
		errs = append(errs, fmt.Errorf("ONEKO_WEBHOOK_ONLY_POLL_INTERVAL: want 0 (off) or a duration of at least 1m, e.g. 1h"))
	} else {
		c.WebhookOnlyPollInterval = d
	}
	for _, o := range strings.Split(get("ONEKO_CHART_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if !validOrigin(o) {
			errs = append(errs, fmt.Errorf("ONEKO_CHART_ORIGINS: %q is not an origin: want https://host[:port] (or http://), comma-separated, or *", o))
			continue
		}
		c.ChartOrigins = append(c.ChartOrigins, o)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("ONEKO_LOG_LEVEL=%q: want debug, info, warn or error", c.LogLevel))
	}
	c.InstallationID = get("ONEKO_INSTALLATION_ID")
	if c.InstallationID != "" && !installationIDPattern.MatchString(c.InstallationID) {
		errs = append(errs, fmt.Errorf("ONEKO_INSTALLATION_ID=%q: want 1 to 40 lowercase letters, digits and inner dashes, e.g. prod-eu", c.InstallationID))
	}
	if f, err := strconv.ParseFloat(get("ONEKO_ORPHAN_SWEEP_MAX_SHARE"), 64); err != nil || f <= 0 || f > 1 {
		errs = append(errs, errors.New("ONEKO_ORPHAN_SWEEP_MAX_SHARE: want a number above 0 and at most 1, e.g. 0.5"))
	} else {
		c.OrphanSweepMaxShare = f
	}
	c.AllowClusterScoped = commaList(get("ONEKO_ALLOW_CLUSTER_SCOPED"))
	for _, k := range c.AllowClusterScoped {
		if k != "*" && !kindPattern.MatchString(k) {
			errs = append(errs, fmt.Errorf("ONEKO_ALLOW_CLUSTER_SCOPED: %q is not a kind; want kinds such as ClusterRole,ClusterRoleBinding or *", k))
		}
	}
	c.AllowNamespaces = commaList(get("ONEKO_ALLOW_NAMESPACES"))
	for _, n := range c.AllowNamespaces {
		if n != "*" && !namespacePattern.MatchString(n) {
			errs = append(errs, fmt.Errorf("ONEKO_ALLOW_NAMESPACES: %q is not a namespace name; want names such as monitoring,ingress or *", n))
		}
	}
	if !c.Local() && c.SecretKey == "" {
		errs = append(errs, errors.New("ONEKO_SECRET_KEY is required with ONEKO_MONGO_URI: set 64 hex digits (openssl rand -hex 32) and keep it safe"))
	}
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		errs = append(errs, errors.New("ONEKO_MONGO_URI: want mongodb:// or mongodb+srv://"))
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		errs = append(errs, errors.New("ONEKO_REDIS_URL: want redis://host:port/db or rediss://"))
	}
	authCfg, authErrs := authFromEnv(get)
	c.Auth, errs = authCfg, append(errs, authErrs...)
	diag, diagErrs := diagnosticsFromEnv(get)
	c.Diagnostics, errs = diag, append(errs, diagErrs...)
	dep, depErrs := deployFromEnv(get)
	c.Deploy, errs = dep, append(errs, depErrs...)
	sched, schedErrs := scheduleFromEnv(get)
	c.Schedule, errs = sched, append(errs, schedErrs...)
	errs = append(errs, readDurations(get, []durationSetting{
		{"ONEKO_WORKER_TASK_CHECK_INTERVAL", 10 * time.Millisecond, 5 * time.Second, &c.WorkerTaskCheckInterval},
	})...)
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

// installationIDPattern is what ONEKO_INSTALLATION_ID may be: a DNS label of at most 40
// characters, so that it fits in label values and release-name hashes.
var installationIDPattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$`)

// kindPattern and namespacePattern are what ONEKO_ALLOW_CLUSTER_SCOPED and
// ONEKO_ALLOW_NAMESPACES may list.
var (
	kindPattern      = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,62}$`)
	namespacePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
)

// commaList splits a comma-separated list, dropping blanks.
func commaList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// parseBytes reads a size in bytes: a whole number, optionally followed by KiB or MiB.
func parseBytes(s string) (int, error) {
	unit := 1
	for suffix, u := range map[string]int{"KiB": 1 << 10, "MiB": 1 << 20} {
		if rest, ok := strings.CutSuffix(s, suffix); ok {
			s, unit = strings.TrimSpace(rest), u
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > (1<<40)/unit {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return n * unit, nil
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// Env is os.Getenv, for callers of FromEnv.
func Env(k string) string { return os.Getenv(k) }

// validOrigin reports whether o is "*" or an http(s) origin without path, query or credentials.
func validOrigin(o string) bool {
	if o == "*" {
		return true
	}
	u, err := url.Parse(strings.TrimSuffix(o, "/"))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.Path == "" && u.RawQuery == "" && u.User == nil && u.Fragment == ""
}
