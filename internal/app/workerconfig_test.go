package app

import (
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/config"
	"github.com/oneko/oneko/worker"
)

// TestWorkerConfigFromSettings: the worker server runs with the configured concurrency, task
// check interval, poll tick and periodic schedules; the defaults are the schedules the worker
// had built in (worker.DefaultPeriodic).
func TestWorkerConfigFromSettings(t *testing.T) {
	env := map[string]string{}
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	// "@every 1m" and "@every 1m0s" are the same schedule.
	every := func(spec string) time.Duration {
		d, err := time.ParseDuration(strings.TrimPrefix(spec, "@every "))
		if err != nil {
			t.Fatalf("spec %q: %v", spec, err)
		}
		return d
	}
	got, want := workerConfig(cfg).Periodic, worker.DefaultPeriodic()
	for _, p := range [][2]string{{got.Reconcile, want.Reconcile}, {got.Expire, want.Expire}, {got.RefreshStatus, want.RefreshStatus}, {got.ActivityRetention, want.ActivityRetention}} {
		if every(p[0]) != every(p[1]) {
			t.Errorf("default schedule %s, want %s", p[0], p[1])
		}
	}
	if got.UniqueFor != want.UniqueFor {
		t.Errorf("unique for %s, want %s", got.UniqueFor, want.UniqueFor)
	}
	env = map[string]string{"ONEKO_WORKER_CONCURRENCY": "7", "ONEKO_WORKER_TASK_CHECK_INTERVAL": "200ms", "ONEKO_POLL_TICK": "3s",
		"ONEKO_RECONCILE_INTERVAL": "5m", "ONEKO_EXPIRE_INTERVAL": "2m", "ONEKO_STATUS_REFRESH_INTERVAL": "10s", "ONEKO_RETENTION_INTERVAL": "6h"}
	if cfg, err = config.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	wantCfg := worker.Config{Concurrency: 7, ShutdownTimeout: 30 * time.Second, TaskCheckInterval: 200 * time.Millisecond, PollTick: 3 * time.Second,
		Periodic: worker.Periodic{Reconcile: "@every 5m0s", Expire: "@every 2m0s", RefreshStatus: "@every 10s", ActivityRetention: "@every 6h0m0s", UniqueFor: 10 * time.Second}}
	if got := workerConfig(cfg); got != wantCfg {
		t.Errorf("worker config %+v, want %+v", got, wantCfg)
	}
}

// TestDeployOptionsFromSettings: every deploy setting reaches the worker's DeployOptions.
func TestDeployOptionsFromSettings(t *testing.T) {
	env := map[string]string{"ONEKO_DEPLOY_TIMEOUT": "7m", "ONEKO_LEASE_TTL": "45s", "ONEKO_LEASE_RETRY_DELAY": "3s",
		"ONEKO_ACTIVITY_RETENTION": "48h", "ONEKO_FAILED_RETRY_AFTER": "20m", "ONEKO_ORPHAN_SWEEP_MAX_SHARE": "0.25",
		"ONEKO_DEPLOY_WARNING_INTERVAL": "5s"}
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := worker.DeployOptions{Timeout: 7 * time.Minute, LeaseTTL: 45 * time.Second, LeaseRetryDelay: 3 * time.Second,
		ActivityRetention: 48 * time.Hour, FailedRetryAfter: 20 * time.Minute, OrphanSweepMaxShare: 0.25, WarningInterval: 5 * time.Second}
	if got := deployOptions(cfg); got != want {
		t.Errorf("deploy options %+v, want %+v", got, want)
	}
}
