package worker

import (
	"testing"

	"github.com/oneko/oneko/internal/config"
)

// TestDefaultsAreTheConfigDefaults: a zero field of DeployOptions or Config (its periodic
// schedules aside: internal/app's TestWorkerConfigFromSettings compares those), and a zero
// Deps.WebhookOnlyPollInterval, take the default internal/config gives the setting
// internal/app passes in, so that a worker built without them behaves as the binary does.
func TestDefaultsAreTheConfigDefaults(t *testing.T) {
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := DeployOptions{Timeout: cfg.Deploy.Timeout, LeaseTTL: cfg.Deploy.LeaseTTL, LeaseRetryDelay: cfg.Deploy.LeaseRetryDelay,
		ActivityRetention: cfg.Deploy.ActivityRetention, FailedRetryAfter: cfg.Deploy.FailedRetryAfter,
		OrphanSweepMaxShare: cfg.OrphanSweepMaxShare, WarningInterval: cfg.Deploy.WarningInterval}
	if got := (DeployOptions{}).withDefaults(); got != want {
		t.Errorf("DeployOptions defaults %+v, want the configuration's %+v", got, want)
	}
	wantCfg := Config{Concurrency: cfg.WorkerConcurrency, ShutdownTimeout: cfg.WorkerShutdownTimeout,
		TaskCheckInterval: cfg.WorkerTaskCheckInterval, PollTick: cfg.Schedule.PollTick}
	if got := (Config{}).withDefaults(); got != wantCfg {
		t.Errorf("Config defaults %+v, want the configuration's %+v", got, wantCfg)
	}
	if cfg.WebhookOnlyPollInterval != defaultWebhookOnlyPollInterval {
		t.Errorf("webhook-only poll interval default %s, want the configuration's %s", defaultWebhookOnlyPollInterval, cfg.WebhookOnlyPollInterval)
	}
}
