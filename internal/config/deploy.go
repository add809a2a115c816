package config

import (
	"fmt"
	"time"
)

// Deploy configures the worker's deploy and stop tasks and the periodic tasks that watch over
// them.
type Deploy struct {
	// Timeout bounds the wait for a release's resources to be ready, and its hooks
	// (ONEKO_DEPLOY_TIMEOUT, default 5m, from 10s to 1h).
	Timeout time.Duration `env:"ONEKO_DEPLOY_TIMEOUT"`
	// WarningInterval is how often a deploy waiting for its releases to be ready reads the
	// events that explain why (ONEKO_DEPLOY_WARNING_INTERVAL, default 2s, from 100ms to 1m).
	WarningInterval time.Duration `env:"ONEKO_DEPLOY_WARNING_INTERVAL"`
	// LeaseTTL is how long a version's lease outlives a worker that died holding it
	// (ONEKO_LEASE_TTL, default 30s, from 3s to 10m); it is renewed every third of it.
	LeaseTTL time.Duration `env:"ONEKO_LEASE_TTL"`
	// LeaseRetryDelay is how long a task that found its version's lease held waits before it
	// runs again (ONEKO_LEASE_RETRY_DELAY, default 2s, from 100ms to 1m).
	LeaseRetryDelay time.Duration `env:"ONEKO_LEASE_RETRY_DELAY"`
	// FailedRetryAfter is how long after a failed deploy the reconcile tries it again when its
	// releases are missing or broken (ONEKO_FAILED_RETRY_AFTER, default 10m, from 1m to 24h).
	FailedRetryAfter time.Duration `env:"ONEKO_FAILED_RETRY_AFTER"`
	// ActivityRetention is how long activities are kept (ONEKO_ACTIVITY_RETENTION, default
	// 720h = 30 days, from 1h to 87600h).
	ActivityRetention time.Duration `env:"ONEKO_ACTIVITY_RETENTION"`
}

// Schedule says how often a worker runs its periodic work. Every worker replica schedules;
// one task per period is queued for all of them.
type Schedule struct {
	// PollTick is how often a worker looks for registries whose poll is due (ONEKO_POLL_TICK,
	// default 10s, from 1s to 10m); each registry's own interval says when one is.
	PollTick time.Duration `env:"ONEKO_POLL_TICK"`
	// Reconcile is how often deployed versions are compared with their releases
	// (ONEKO_RECONCILE_INTERVAL, default 1m, from 10s to 24h).
	Reconcile time.Duration `env:"ONEKO_RECONCILE_INTERVAL"`
	// Expire is how often expired deployments are looked for and stopped
	// (ONEKO_EXPIRE_INTERVAL, default 1m, from 10s to 24h).
	Expire time.Duration `env:"ONEKO_EXPIRE_INTERVAL"`
	// StatusRefresh is how often the status of deployed versions is read from the cluster
	// (ONEKO_STATUS_REFRESH_INTERVAL, default 30s, from 5s to 24h).
	StatusRefresh time.Duration `env:"ONEKO_STATUS_REFRESH_INTERVAL"`
	// Retention is how often activities older than Deploy.ActivityRetention are deleted
	// (ONEKO_RETENTION_INTERVAL, default 1h, from 1m to 24h).
	Retention time.Duration `env:"ONEKO_RETENTION_INTERVAL"`
}

// durationSetting is a duration setting with its bounds.
type durationSetting struct {
	name   string
	lo, hi time.Duration
	dst    *time.Duration
}

// readDurations reads and bounds duration settings.
func readDurations(get func(env string) string, settings []durationSetting) []error {
	var errs []error
	for _, s := range settings {
		v, err := time.ParseDuration(get(s.name))
		if err != nil || v < s.lo || v > s.hi {
			errs = append(errs, fmt.Errorf("%s: want a duration from %s to %s", s.name, s.lo, s.hi))
			continue
		}
		*s.dst = v
	}
	return errs
}

// deployFromEnv reads and checks the deploy settings.
func deployFromEnv(get func(env string) string) (Deploy, []error) {
	var d Deploy
	errs := readDurations(get, []durationSetting{
		{"ONEKO_DEPLOY_TIMEOUT", 10 * time.Second, time.Hour, &d.Timeout},
		{"ONEKO_DEPLOY_WARNING_INTERVAL", 100 * time.Millisecond, time.Minute, &d.WarningInterval},
		{"ONEKO_LEASE_TTL", 3 * time.Second, 10 * time.Minute, &d.LeaseTTL},
		{"ONEKO_LEASE_RETRY_DELAY", 100 * time.Millisecond, time.Minute, &d.LeaseRetryDelay},
		{"ONEKO_FAILED_RETRY_AFTER", time.Minute, 24 * time.Hour, &d.FailedRetryAfter},
		{"ONEKO_ACTIVITY_RETENTION", time.Hour, 87600 * time.Hour, &d.ActivityRetention},
	})
	return d, errs
}

// scheduleFromEnv reads and checks the periodic schedules.
func scheduleFromEnv(get func(env string) string) (Schedule, []error) {
	var s Schedule
	errs := readDurations(get, []durationSetting{
		{"ONEKO_POLL_TICK", time.Second, 10 * time.Minute, &s.PollTick},
		{"ONEKO_RECONCILE_INTERVAL", 10 * time.Second, 24 * time.Hour, &s.Reconcile},
		{"ONEKO_EXPIRE_INTERVAL", 10 * time.Second, 24 * time.Hour, &s.Expire},
		{"ONEKO_STATUS_REFRESH_INTERVAL", 5 * time.Second, 24 * time.Hour, &s.StatusRefresh},
		{"ONEKO_RETENTION_INTERVAL", time.Minute, 24 * time.Hour, &s.Retention},
	})
	return s, errs
}
