package config

import (
	"strings"
	"testing"
)

// TestDiagnosticsSettings: defaults, a valid external log link template, and refusals that
// name the variable.
func TestDiagnosticsSettings(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Diagnostics.ExternalLogURL != "" || c.Diagnostics.FollowsPerUser != 4 || c.Diagnostics.FollowsTotal != 100 {
		t.Fatalf("defaults %+v", c.Diagnostics)
	}
	c, err = FromEnv(env(map[string]string{"ONEKO_EXTERNAL_LOG_URL": "https://kibana.example.com/app?q=pod:{pod}%20ns:{namespace}%20c:{container}", "ONEKO_LOG_FOLLOWS_PER_USER": "2"}))
	if err != nil || c.Diagnostics.FollowsPerUser != 2 || !strings.Contains(c.Diagnostics.ExternalLogURL, "{pod}") {
		t.Fatalf("%+v %v", c.Diagnostics, err)
	}
	for k, v := range map[string]string{"ONEKO_EXTERNAL_LOG_URL": "kibana/{pod}", "ONEKO_LOG_FOLLOWS_PER_USER": "0", "ONEKO_LOG_FOLLOWS_TOTAL": "many"} {
		if _, err := FromEnv(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}
