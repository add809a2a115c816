package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func TestSafeVersionName(t *testing.T) {
	tests := []struct{ name, tag, want string }{
		{"plain", "master", "master"},
		{"uppercase and separators", "Feature/JIRA-12_Login.v2", "featurejira12loginv2"},
		{"non ascii removed", "grüße-1", "gre1"},
		{"nothing left", "__--..", ""},
		{"cut to 63", strings.Repeat("ab", 40), strings.Repeat("ab", 40)[:63]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeVersionName(tt.tag); got != tt.want {
				t.Errorf("safeVersionName(%q) = %q, want %q", tt.tag, got, tt.want)
			}
		})
	}
}

func TestDNSVersionName(t *testing.T) {
	tests := []struct{ name, tag, want string }{
		{"plain", "master", "master"},
		{"dashes kept", "release-1-2", "release-1-2"},
		{"invalid characters become dashes", "Feature/JIRA_12.x", "feature-jira-12-x"},
		{"consecutive dashes kept", "a__b", "a--b"},
		{"leading and trailing dashes dropped", "-_v1.0_-", "v1-0"},
		{"non ascii", "grüße", "gr--e"},
		{"cut to 63 without trailing dash", strings.Repeat("a", 62) + "_b", strings.Repeat("a", 62)},
		{"long", strings.Repeat("x", 100), strings.Repeat("x", 63)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dnsVersionName(tt.tag)
			if got != tt.want {
				t.Errorf("dnsVersionName(%q) = %q, want %q", tt.tag, got, tt.want)
			}
			if !dnsLabel.MatchString(got) || len(got) > 63 {
				t.Errorf("dnsVersionName(%q) = %q is not a DNS-1123 label", tt.tag, got)
			}
		})
	}
	t.Run("never empty", func(t *testing.T) {
		for _, tag := range []string{"", "_", "---", "ÄÖÜ", "..."} {
			got := dnsVersionName(tag)
			if !dnsLabel.MatchString(got) {
				t.Errorf("dnsVersionName(%q) = %q is not a DNS-1123 label", tag, got)
			}
		}
		if dnsVersionName("_") == dnsVersionName("__") {
			t.Error("tags without letters or digits should still differ")
		}
	})
}

func TestReleaseName(t *testing.T) {
	long := strings.Repeat("very-long-project-name-", 4)
	tests := []struct {
		name                       string
		project, version, template string
		want                       string
	}{
		{"short", "shop", "main", "web", "shop-main-web"},
		{"sanitised", "My Shop", "Feature/ABC_1", "Web.yaml", "my-shop-feature-abc-1-web-yaml"},
		{"empty template name", "shop", "main", "", "shop-main"},
		{"exactly 53", strings.Repeat("a", 43), "main", "web", strings.Repeat("a", 43) + "-main-web"},
		{"all empty", "", "", "", "release-" + shortHash("\x00\x00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReleaseName(tt.project, tt.version, tt.template); got != tt.want {
				t.Errorf("ReleaseName = %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("shortened names keep a readable prefix and a hash", func(t *testing.T) {
		got := ReleaseName(long, "feature-x", "web")
		if len(got) > MaxReleaseName {
			t.Fatalf("%q is %d characters", got, len(got))
		}
		if !strings.HasPrefix(got, "very-long-project-name-very-long") {
			t.Errorf("%q lost its readable prefix", got)
		}
		if hash := shortHash(long + "\x00feature-x\x00web"); !strings.HasSuffix(got, "-"+hash) {
			t.Errorf("%q does not end with the hash %s", got, hash)
		}
	})

	t.Run("stable", func(t *testing.T) {
		for range 3 {
			if a, b := ReleaseName(long, "v1", "web"), ReleaseName(long, "v1", "web"); a != b {
				t.Fatalf("%q != %q", a, b)
			}
		}
		// A change to this value breaks upgrades of existing releases.
		if got, want := ReleaseName(long, "v1", "web"), "very-long-project-name-very-long-project-n-"+shortHash(long+"\x00v1\x00web"); got != want {
			t.Errorf("ReleaseName = %q, want %q", got, want)
		}
	})

	t.Run("valid and unique across similar long inputs", func(t *testing.T) {
		seen := map[string]string{}
		for p := range 5 {
			for v := range 40 {
				for _, tmpl := range []string{"web", "worker", "Web", "db_migrations.yaml"} {
					project := long + fmt.Sprint(p)
					version := fmt.Sprintf("feature/JIRA-%d-some-long-description-of-the-branch", v)
					got := ReleaseName(project, version, tmpl)
					if len(got) > MaxReleaseName || !dnsLabel.MatchString(got) {
						t.Fatalf("ReleaseName(%q, %q, %q) = %q: not a valid release name", project, version, tmpl, got)
					}
					key := project + "|" + version + "|" + tmpl
					if other, ok := seen[got]; ok {
						t.Fatalf("%q and %q both give %q", key, other, got)
					}
					seen[got] = key
				}
			}
		}
	})
}
