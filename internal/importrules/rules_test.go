package importrules

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestModuleFollowsTheRules lists every package of the module with `go list` and checks the
// import rules; each violation is printed on a line of its own.
func TestModuleFollowsTheRules(t *testing.T) {
	pkgs := listModule(t)
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; the check would prove nothing", len(pkgs))
	}
	for _, v := range Oneko().Check(pkgs) {
		t.Errorf("import rule broken: %s", v)
	}
}

// TestCheckFindsViolations: a graph that breaks every rule once gives one violation per break,
// and the allowed imports give none.
func TestCheckFindsViolations(t *testing.T) {
	m := func(rel string) string { return Module + "/" + rel }
	pkgs := []Package{
		{ImportPath: m("api"), Imports: []string{m("internal/store"), "helm.sh/helm/v3/pkg/chart"}},
		// The worker's tests reach the api through a domain package that imports it.
		{ImportPath: m("worker"), Imports: []string{m("internal/deploy")}, TestImports: []string{m("internal/render")}},
		{ImportPath: m("internal/render"), Imports: []string{m("api")}},
		{ImportPath: m("internal/deploy"), XTestImports: []string{m("worker")}},
		{ImportPath: m("internal/store"), Imports: []string{"go.mongodb.org/mongo-driver/v2/mongo"}},
		{ImportPath: m("internal/model"), Imports: []string{"go.mongodb.org/mongo-driver/v2/bson"}, TestImports: []string{"helm.sh/helm/v3/pkg/release"}},
		{ImportPath: m("internal/helm"), Imports: []string{"helm.sh/helm/v3/pkg/action"}},
		// The diagnostics read releases through internal/helm, never Helm's storage directly.
		{ImportPath: m("internal/diagnose"), Imports: []string{m("internal/helm"), "helm.sh/helm/v3/pkg/storage/driver"}},
		// Allowed: the wiring imports both edges, tests use Helm.
		{ImportPath: m("internal/app"), Imports: []string{m("api"), m("worker")}},
		{ImportPath: m("internal/kube"), XTestImports: []string{"helm.sh/helm/v3/pkg/action"}},
	}
	var got []string
	for _, v := range Oneko().Check(pkgs) {
		got = append(got, v.String())
	}
	want := []string{
		"api imports helm.sh/helm/v3/pkg/chart: only internal/helm, internal/charts, internal/demo import helm.sh/helm",
		"internal/deploy tests import worker: the domain under internal/ imports no edge (api, worker), not even in tests",
		"internal/diagnose imports helm.sh/helm/v3/pkg/storage/driver: only internal/helm, internal/charts, internal/demo import helm.sh/helm",
		"internal/model imports go.mongodb.org/mongo-driver/v2/bson: only internal/store, internal/localstack, web/e2e/seed import go.mongodb.org/mongo-driver",
		"internal/render imports api: the domain under internal/ imports no edge (api, worker)",
		"worker tests import api (through internal/render): worker and api never import each other",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("violations:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// listModule describes every package of the module, tests' imports included.
func listModule(t *testing.T) []Package {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,TestImports,XTestImports", "./...")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p Package
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("read go list's output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}
