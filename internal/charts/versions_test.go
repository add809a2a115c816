package charts

import (
	"errors"
	"strings"
	"testing"
)

func entries(versions ...string) []entry {
	es := make([]entry, len(versions))
	for i, v := range versions {
		es[i] = newEntry(ChartVersion{Version: v}, nil, "")
	}
	return es
}

func TestSortNewestFirst(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"semver order, not lexical", "1.9.0 1.10.0 1.2.0", "1.10.0 1.9.0 1.2.0"},
		{"prerelease below its release", "2.0.0-rc.1 2.0.0 1.0.0", "2.0.0 2.0.0-rc.1 1.0.0"},
		{"v prefix is a version", "v1.0.0 0.9.0", "v1.0.0 0.9.0"},
		{"non-semver last", "latest 1.0.0 nightly", "1.0.0 nightly latest"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := entries(strings.Fields(tt.in)...)
			sortNewestFirst(es)
			if got := versionsOf(publicVersions(es)); got != tt.want {
				t.Errorf("sorted = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	versions := entries("2.1.0-rc.1", "2.0.0", "1.2.5", "1.2.0", "1.0.0", "nightly")
	tests := []struct {
		name       string
		constraint string
		want       string
		wantErr    error
	}{
		{name: "empty is the newest stable", constraint: "", want: "2.0.0"},
		{name: "blank is empty", constraint: "  ", want: "2.0.0"},
		{name: "star", constraint: "*", want: "2.0.0"},
		{name: "exact", constraint: "1.2.0", want: "1.2.0"},
		{name: "exact prerelease", constraint: "2.1.0-rc.1", want: "2.1.0-rc.1"},
		{name: "exact non-semver", constraint: "nightly", want: "nightly"},
		{name: "prerelease range", constraint: ">=2.1.0-0", want: "2.1.0-rc.1"},
		{name: "tilde", constraint: "~1.2", want: "1.2.5"},
		{name: "caret", constraint: "^1", want: "1.2.5"},
		{name: "x range", constraint: "1.2.x", want: "1.2.5"},
		{name: "bounded", constraint: ">1.0.0, <1.2.5", want: "1.2.0"},
		{name: "partial version is a range", constraint: "1", want: "1.2.5"},
		{name: "none matches", constraint: ">=3", wantErr: errNoMatch},
		{name: "invalid", constraint: "one point two", wantErr: ErrInvalidConstraint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolve(versions, tt.constraint)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("resolve: %v", err)
			}
			if got.Version != tt.want {
				t.Errorf("version = %s, want %s", got.Version, tt.want)
			}
		})
	}
}

func TestExactVersion(t *testing.T) {
	tests := []struct {
		name       string
		constraint string
		want       string
		ok         bool
	}{
		{"full version", "1.2.3", "1.2.3", true},
		{"prerelease and build", "1.2.3-rc.1+b7", "1.2.3-rc.1+b7", true},
		{"partial is a range", "1.2", "", false},
		{"v prefix is not strict", "v1.2.3", "", false},
		{"range", "~1.2.3", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := exactVersion(tt.constraint)
			if got != tt.want || ok != tt.ok {
				t.Errorf("exactVersion(%q) = %q, %v; want %q, %v", tt.constraint, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSegment(t *testing.T) {
	tests := []struct {
		name string
		in   string
		kept bool
	}{
		{"plain id", "6650c0ffee", true},
		{"version with build", "1.2.3+b7", true},
		{"path traversal", "..", false},
		{"slash", "a/b", false},
		{"empty", "", false},
		{"too long", strings.Repeat("a", 200), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := segment(tt.in)
			if (got == tt.in) != tt.kept {
				t.Errorf("segment(%q) = %q, kept = %v, want %v", tt.in, got, got == tt.in, tt.kept)
			}
			if strings.ContainsAny(got, `/\`) || got == ".." || got == "." || got == "" {
				t.Errorf("segment(%q) = %q is not a safe file name", tt.in, got)
			}
		})
	}
}

// FuzzResolve checks that any constraint either fails cleanly or picks a listed version
// that satisfies it.
func FuzzResolve(f *testing.F) {
	for _, c := range []string{"", "~1.2", "^1", ">=1.0 <2", "1.2.x", "nightly", "2.1.0-rc.1", "||", ">=", "v1"} {
		f.Add(c)
	}
	versions := entries("2.1.0-rc.1", "2.0.0", "1.2.5", "1.2.0", "1.0.0", "nightly")
	f.Fuzz(func(t *testing.T, constraint string) {
		got, err := resolve(versions, constraint)
		if err != nil {
			if !errors.Is(err, errNoMatch) && !errors.Is(err, ErrInvalidConstraint) {
				t.Fatalf("resolve(%q) error = %v, want errNoMatch or ErrInvalidConstraint", constraint, err)
			}
			return
		}
		for _, e := range versions {
			if e.Version == got.Version {
				return
			}
		}
		t.Fatalf("resolve(%q) = %q, not a listed version", constraint, got.Version)
	})
}
