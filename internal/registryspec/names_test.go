package registryspec

import (
	"strings"
	"testing"
)

// d1 is a valid sha256 digest.
const d1 = "sha256:16f0b81375b88d0f9750a1d6b7626f0ef307060ca9809cef2b53b47a8d060996"

func TestNames(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) bool
		in    string
		want  bool
	}{
		{"repository simple", ValidRepository, "team/app", true},
		{"repository separators", ValidRepository, "a.b/c__d/e--f/g_h", true},
		{"repository uppercase", ValidRepository, "Team/app", false},
		{"repository leading slash", ValidRepository, "/team/app", false},
		{"repository double slash", ValidRepository, "team//app", false},
		{"repository triple underscore", ValidRepository, "a___b", false},
		{"repository too long", ValidRepository, strings.Repeat("a", 256), false},
		{"tag simple", ValidTag, "1.2.3-rc.1", true},
		{"tag leading underscore", ValidTag, "_x", true},
		{"tag leading dot", ValidTag, ".x", false},
		{"tag 128 chars", ValidTag, strings.Repeat("a", 128), true},
		{"tag 129 chars", ValidTag, strings.Repeat("a", 129), false},
		{"tag with slash", ValidTag, "feature/x", false},
		{"digest sha256", ValidDigest, d1, true},
		{"digest sha256 short", ValidDigest, "sha256:abc", false},
		{"digest sha256 uppercase", ValidDigest, strings.ToUpper(d1), false},
		{"digest other algorithm", ValidDigest, "blake3:abcdef", true},
		{"digest without algorithm", ValidDigest, d1[7:], false},
		{"host with port", ValidHost, "registry.example.com:5000", true},
		{"host ipv6", ValidHost, "[::1]:5000", true},
		{"host underscore", ValidHost, "bad_host", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check(tt.in); got != tt.want {
				t.Errorf("check(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
