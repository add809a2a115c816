package deploy

import (
	"regexp"
	"strings"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// TestNamesOfCollidingPairs: the pairs that shared a release name and an implicit namespace
// under the old "<project>-<version>-<template>" shape get distinct, valid names now.
func TestNamesOfCollidingPairs(t *testing.T) {
	type pv struct{ projectID, project, tag string }
	for _, c := range []struct {
		name string
		a, b pv
	}{
		{"tag case", pv{"p1", "shop", "V1"}, pv{"p1", "shop", "v1"}},
		{"dash moves between project and tag", pv{"p1", "a-b", "c"}, pv{"p2", "a", "b-c"}},
		{"underscore and dash in tags", pv{"p1", "shop", "1.0_rc"}, pv{"p1", "shop", "1.0-rc"}},
		{"project names that sanitise alike", pv{"p1", "Shop", "main"}, pv{"p2", "shop!", "main"}},
		{"non-Latin project names", pv{"p1", "магазин", "main"}, pv{"p2", "商店", "main"}},
		{"long names with one prefix", pv{"p1", strings.Repeat("very-long-project-", 4) + "1", "main"}, pv{"p2", strings.Repeat("very-long-project-", 4) + "2", "main"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			names := map[string]bool{}
			namespaces := map[string]bool{}
			for _, x := range []pv{c.a, c.b} {
				p := &model.Project{ID: x.projectID, Name: x.project}
				v := &model.Version{ID: x.projectID + "-" + x.tag, ProjectID: x.projectID, Name: x.tag}
				rel := ReleaseName("inst", p, v, "web")
				if len(rel) > maxReleaseName || !dnsLabel.MatchString(rel) {
					t.Errorf("release name %q is not a valid name of at most %d characters", rel, maxReleaseName)
				}
				ns := Namespace("inst", p, v)
				if len(ns) > maxNamespace || !dnsLabel.MatchString(ns) || !strings.HasPrefix(ns, model.NamespacePrefix) {
					t.Errorf("namespace %q is not a valid on- name of at most %d characters", ns, maxNamespace)
				}
				names[rel], namespaces[ns] = true, true
			}
			if len(names) != 2 || len(namespaces) != 2 {
				t.Fatalf("%v and %v share a name: releases %v, namespaces %v", c.a, c.b, names, namespaces)
			}
		})
	}
}

// TestNamesPerInstallationAndTemplate: the same project and version in two installations,
// and two templates that differ only in case, get distinct names; names are stable and keep
// a readable prefix.
func TestNamesPerInstallationAndTemplate(t *testing.T) {
	p := &model.Project{ID: "p1", Name: "Shop"}
	v := &model.Version{ID: "p1-abc", ProjectID: "p1", Name: "feature/Login"}
	a, b := ReleaseName("prod", p, v, "web"), ReleaseName("staging", p, v, "web")
	if a == b || Namespace("prod", p, v) == Namespace("staging", p, v) {
		t.Fatalf("two installations share %q", a)
	}
	if ReleaseName("prod", p, v, "Web") == a {
		t.Fatal("templates Web and web share a release name")
	}
	if again := ReleaseName("prod", p, v, "web"); again != a {
		t.Fatalf("not stable: %q, %q", a, again)
	}
	if !strings.HasPrefix(a, "shop-feature-login-web-") || !strings.HasPrefix(Namespace("prod", p, v), "on-shop-feature-login-") {
		t.Fatalf("no readable prefix: %q, %q", a, Namespace("prod", p, v))
	}
	if got := ReleaseName("prod", &model.Project{ID: "p2", Name: "商店"}, v, ""); !dnsLabel.MatchString(got) {
		t.Fatalf("non-Latin name gives %q", got)
	}
	// An explicit namespace is kept as it is.
	p.Namespace = "on-team"
	if ns := Namespace("prod", p, v); ns != "on-team" {
		t.Fatalf("explicit namespace became %q", ns)
	}
}
