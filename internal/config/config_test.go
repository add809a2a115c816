package config

import (
	"strings"
	"testing"
	"time"
)

func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || !c.Local() || c.PublicURL != "http://127.0.0.1:8080" || c.SessionTTL != 12*time.Hour || c.Lifetime.LastWorkingDay != time.Friday || c.WorkerShutdownTimeout != 30*time.Second || c.WebhookOnlyPollInterval != time.Hour {
		t.Fatalf("defaults = %+v", c)
	}
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"production needs a key":      {map[string]string{"ONEKO_MONGO_URI": "mongodb://db:27017"}, "ONEKO_SECRET_KEY"},
		"bad address":                 {map[string]string{"ONEKO_HTTP_ADDR": "8080"}, "ONEKO_HTTP_ADDR"},
		"bad zone":                    {map[string]string{"ONEKO_TIMEZONE": "Mars/Olympus"}, "ONEKO_TIMEZONE"},
		"bad weekday":                 {map[string]string{"ONEKO_LAST_WORKING_DAY": "Funday"}, "ONEKO_LAST_WORKING_DAY"},
		"bad redis":                   {map[string]string{"ONEKO_REDIS_URL": "localhost:6379"}, "ONEKO_REDIS_URL"},
		"bad end of day":              {map[string]string{"ONEKO_END_OF_DAY": "25:00"}, "ONEKO_END_OF_DAY"},
		"bad shutdown timeout":        {map[string]string{"ONEKO_WORKER_SHUTDOWN_TIMEOUT": "30"}, "ONEKO_WORKER_SHUTDOWN_TIMEOUT"},
		"bad next day":                {map[string]string{"ONEKO_END_OF_DAY_NEXT_DAY": "tomorrow"}, "ONEKO_END_OF_DAY_NEXT_DAY"},
		"render cap not a size":       {map[string]string{"ONEKO_RENDER_MAX_BYTES": "lots"}, "ONEKO_RENDER_MAX_BYTES"},
		"render cap too small":        {map[string]string{"ONEKO_RENDER_MAX_BYTES": "100"}, "ONEKO_RENDER_MAX_BYTES"},
		"render cap too large":        {map[string]string{"ONEKO_RENDER_MAX_BYTES": "1024MiB"}, "ONEKO_RENDER_MAX_BYTES"},
		"webhook-only poll too often": {map[string]string{"ONEKO_WEBHOOK_ONLY_POLL_INTERVAL": "10s"}, "ONEKO_WEBHOOK_ONLY_POLL_INTERVAL"},
		"chart origin with a path":    {map[string]string{"ONEKO_CHART_ORIGINS": "https://charts.example.com/stable"}, "ONEKO_CHART_ORIGINS"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FromEnv(env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want mention of %s", err, tc.want)
			}
		})
	}
}

// TestConfinementSettings: the allowed cluster-scoped kinds and other namespaces are lists,
// validated, empty by default.
func TestConfinementSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := FromEnv(env(nil))
	if err != nil || len(c.AllowClusterScoped) != 0 || len(c.AllowNamespaces) != 0 {
		t.Fatalf("defaults: %v %v, %v", c.AllowClusterScoped, c.AllowNamespaces, err)
	}
	c, err = FromEnv(env(map[string]string{"ONEKO_ALLOW_CLUSTER_SCOPED": "ClusterRole, ClusterRoleBinding", "ONEKO_ALLOW_NAMESPACES": "monitoring"}))
	if err != nil || strings.Join(c.AllowClusterScoped, "|") != "ClusterRole|ClusterRoleBinding" || strings.Join(c.AllowNamespaces, "|") != "monitoring" {
		t.Fatalf("set: %v %v, %v", c.AllowClusterScoped, c.AllowNamespaces, err)
	}
	for _, bad := range []map[string]string{{"ONEKO_ALLOW_CLUSTER_SCOPED": "rbac/ClusterRole"}, {"ONEKO_ALLOW_NAMESPACES": "Kube_System"}} {
		if _, err := FromEnv(env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestInstallationSettings: the installation id override and the orphan sweep share are
// validated, with defaults.
func TestInstallationSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.InstallationID != "" || c.OrphanSweepMaxShare != 0.5 {
		t.Fatalf("defaults: id %q, share %v", c.InstallationID, c.OrphanSweepMaxShare)
	}
	c, err = FromEnv(env(map[string]string{"ONEKO_INSTALLATION_ID": "prod-eu", "ONEKO_ORPHAN_SWEEP_MAX_SHARE": "1"}))
	if err != nil || c.InstallationID != "prod-eu" || c.OrphanSweepMaxShare != 1 {
		t.Fatalf("set: %+v, %v", c, err)
	}
	for _, bad := range []map[string]string{
		{"ONEKO_INSTALLATION_ID": "Prod"},
		{"ONEKO_INSTALLATION_ID": "-prod"},
		{"ONEKO_INSTALLATION_ID": strings.Repeat("a", 41)},
		{"ONEKO_ORPHAN_SWEEP_MAX_SHARE": "1.5"},
		{"ONEKO_ORPHAN_SWEEP_MAX_SHARE": "half"},
		{"ONEKO_ORPHAN_SWEEP_MAX_SHARE": "0"},
	} {
		if _, err := FromEnv(env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestRenderMaxBytes(t *testing.T) {
	for in, want := range map[string]int{"": 1 << 20, "2MiB": 2 << 20, "512KiB": 512 << 10, "65536": 65536, " 8 MiB ": 8 << 20} {
		c, err := FromEnv(func(k string) string {
			if k == "ONEKO_RENDER_MAX_BYTES" {
				return in
			}
			return ""
		})
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if c.RenderMaxBytes != want {
			t.Errorf("ONEKO_RENDER_MAX_BYTES=%q gave %d, want %d", in, c.RenderMaxBytes, want)
		}
	}
}

func TestEndOfDayNextDay(t *testing.T) {
	c, err := FromEnv(func(k string) string {
		return map[string]string{"ONEKO_END_OF_DAY": "05:00", "ONEKO_END_OF_DAY_NEXT_DAY": "true"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Lifetime.NextDay || c.Lifetime.EndOfDay.Hour != 5 {
		t.Fatalf("lifetime = %+v", c.Lifetime)
	}
	if c, _ := FromEnv(func(string) string { return "" }); c.Lifetime.NextDay {
		t.Fatal("next day is on by default")
	}
}
