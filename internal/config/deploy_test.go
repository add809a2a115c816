package config

import (
	"strings"
	"testing"
	"time"
)

// TestDeploySettings: defaults, a valid setting, and refusals that name the variable.
func TestDeploySettings(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Deploy{Timeout: 5 * time.Minute, WarningInterval: 2 * time.Second, LeaseTTL: 30 * time.Second, LeaseRetryDelay: 2 * time.Second, FailedRetryAfter: 10 * time.Minute, ActivityRetention: 720 * time.Hour}
	if c.Deploy != want {
		t.Fatalf("defaults %+v, want %+v", c.Deploy, want)
	}
	c, err = FromEnv(env(map[string]string{"ONEKO_DEPLOY_TIMEOUT": "15m", "ONEKO_ACTIVITY_RETENTION": "2160h", "ONEKO_DEPLOY_WARNING_INTERVAL": "500ms"}))
	if err != nil || c.Deploy.Timeout != 15*time.Minute || c.Deploy.ActivityRetention != 2160*time.Hour || c.Deploy.WarningInterval != 500*time.Millisecond {
		t.Fatalf("%+v %v", c.Deploy, err)
	}
	for k, v := range map[string]string{"ONEKO_DEPLOY_TIMEOUT": "1s", "ONEKO_LEASE_TTL": "forever", "ONEKO_FAILED_RETRY_AFTER": "48h", "ONEKO_ACTIVITY_RETENTION": "0",
		"ONEKO_DEPLOY_WARNING_INTERVAL": "0s"} {
		if _, err := FromEnv(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}
