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
	Timeout time.Duration
	// LeaseTTL is how long a version's lease outlives a worker that died holding it
	// (ONEKO_LEASE_TTL, default 30s, from 3s to 10m); it is renewed every third of it.
	LeaseTTL time.Duration
	// FailedRetryAfter is how long after a failed deploy the reconcile tries it again when its
	// releases are missing or broken (ONEKO_FAILED_RETRY_AFTER, default 10m, from 1m to 24h).
	FailedRetryAfter time.Duration
	// ActivityRetention is how long activities are kept (ONEKO_ACTIVITY_RETENTION, default
	// 720h = 30 days, from 1h to 87600h).
	ActivityRetention time.Duration
}

// deployFromEnv reads and checks the deploy settings.
func deployFromEnv(get func(k, def string) string) (Deploy, []error) {
	var d Deploy
	var errs []error
	for _, s := range []struct {
		name, def string
		lo, hi    time.Duration
		dst       *time.Duration
	}{
		{"ONEKO_DEPLOY_TIMEOUT", "5m", 10 * time.Second, time.Hour, &d.Timeout},
		{"ONEKO_LEASE_TTL", "30s", 3 * time.Second, 10 * time.Minute, &d.LeaseTTL},
		{"ONEKO_FAILED_RETRY_AFTER", "10m", time.Minute, 24 * time.Hour, &d.FailedRetryAfter},
		{"ONEKO_ACTIVITY_RETENTION", "720h", time.Hour, 87600 * time.Hour, &d.ActivityRetention},
	} {
		v, err := time.ParseDuration(get(s.name, s.def))
		if err != nil || v < s.lo || v > s.hi {
			errs = append(errs, fmt.Errorf("%s: want a duration from %s to %s, e.g. %s", s.name, s.lo, s.hi, s.def))
			continue
		}
		*s.dst = v
	}
	return d, errs
}
