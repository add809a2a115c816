// Package importrules states which of oneko's packages may import which, and checks a
// package graph against those rules. The rules keep the house's shape (see
// docs/architecture.md): api and worker are two edges that never import each other, the
// domain under internal/ imports neither, only internal/store speaks to MongoDB, and only
// internal/helm and internal/charts use the Helm SDK. Its test runs the check over the module
// (`make lint` runs it).
package importrules

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Module is the import path of oneko's module.
const Module = "github.com/oneko/oneko"

// Package is one package of the graph, as `go list -json` describes it (import paths in full).
type Package struct {
	ImportPath string
	// Imports are the imports of its non-test files.
	Imports []string
	// TestImports and XTestImports are the imports of its _test files (package p and p_test).
	TestImports  []string
	XTestImports []string
}

// Violation is one broken rule.
type Violation struct {
	// Package imports Import (directly, or through Via when that is not empty).
	Package string
	Import  string
	Via     string
	// Test reports that only the package's tests import it.
	Test bool
	// Rule says which rule it breaks.
	Rule string
}

func (v Violation) String() string {
	what := "imports"
	if v.Test {
		what = "tests import"
	}
	via := ""
	if v.Via != "" {
		via = " (through " + v.Via + ")"
	}
	return fmt.Sprintf("%s %s %s%s: %s", short(v.Package), what, short(v.Import), via, v.Rule)
}

// short drops the module's path from a package path.
func short(p string) string {
	if p == Module {
		return "."
	}
	return strings.TrimPrefix(p, Module+"/")
}

// Rules are oneko's import rules; Check applies them.
type Rules struct {
	// Edges are the packages (module-relative) that never depend on each other, tests
	// included, directly or through other packages of the module.
	Edges []string
	// EdgeImporters are the packages under internal/ that may import the edges: the wiring
	// of the binaries and the end-to-end tests. No other internal/ package may, tests included.
	EdgeImporters []string
	// Only maps a library (an import path prefix) to the packages whose non-test files may
	// import it; tests may use any library to check what the code did.
	Only map[string][]string
}

// Oneko returns the rules of this module.
func Oneko() Rules {
	return Rules{
		Edges:         []string{"api", "worker"},
		EdgeImporters: []string{"internal/app", "internal/e2e"},
		Only: map[string][]string{
			// internal/store keeps the documents; the embedded-store starter of local mode
			// checks the server it started, and the dashboard's benchmark seeder writes 50,000
			// versions in bulk.
			"go.mongodb.org/mongo-driver": {"internal/store", "internal/localstack", "web/e2e/seed"},
			// internal/helm acts on releases, internal/charts fetches charts; the local-mode
			// demo packages its own chart.
			"helm.sh/helm": {"internal/helm", "internal/charts", "internal/demo"},
		},
	}
}

// Check returns every violation of r in pkgs, sorted.
func (r Rules) Check(pkgs []Package) []Violation {
	byPath := map[string]*Package{}
	for i := range pkgs {
		byPath[pkgs[i].ImportPath] = &pkgs[i]
	}
	var out []Violation
	for _, p := range pkgs {
		rel := short(p.ImportPath)
		if !strings.HasPrefix(p.ImportPath, Module) {
			continue
		}
		out = append(out, r.checkEdges(p, rel, byPath)...)
		out = append(out, r.checkLibraries(p, rel)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// checkEdges applies Edges and EdgeImporters to p.
func (r Rules) checkEdges(p Package, rel string, byPath map[string]*Package) []Violation {
	var out []Violation
	for _, edge := range r.Edges {
		if rel == edge || under(rel, edge) {
			for _, other := range r.Edges {
				if other == edge {
					continue
				}
				if v, ok := reaches(p, Module+"/"+other, byPath); ok {
					v.Rule = edge + " and " + other + " never import each other"
					out = append(out, v)
				}
			}
		}
	}
	if under(rel, "internal") && !slices.ContainsFunc(r.EdgeImporters, func(e string) bool { return rel == e || under(rel, e) }) {
		for _, edge := range r.Edges {
			for _, imp := range p.Imports {
				if imp == Module+"/"+edge {
					out = append(out, Violation{Package: p.ImportPath, Import: imp, Rule: "the domain under internal/ imports no edge (api, worker)"})
				}
			}
			for _, imp := range append(slices.Clone(p.TestImports), p.XTestImports...) {
				if imp == Module+"/"+edge {
					out = append(out, Violation{Package: p.ImportPath, Import: imp, Test: true, Rule: "the domain under internal/ imports no edge (api, worker), not even in tests"})
				}
			}
		}
	}
	return out
}

// reaches reports whether p depends on target, directly or through packages of the module
// (their non-test files): through its own files, or else through its tests.
func reaches(p Package, target string, byPath map[string]*Package) (Violation, bool) {
	if via, ok := path(p.Imports, target, byPath); ok {
		return Violation{Package: p.ImportPath, Import: target, Via: via}, true
	}
	if via, ok := path(append(slices.Clone(p.TestImports), p.XTestImports...), target, byPath); ok {
		return Violation{Package: p.ImportPath, Import: target, Via: via, Test: true}, true
	}
	return Violation{}, false
}

// path searches the imports of the module's packages, breadth first from roots, for target;
// via is the root it was reached through ("" when a root is target).
func path(roots []string, target string, byPath map[string]*Package) (via string, found bool) {
	type step struct{ path, via string }
	seen := map[string]bool{}
	var queue []step
	for _, r := range roots {
		queue = append(queue, step{r, ""})
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s.path == target {
			return s.via, true
		}
		if seen[s.path] {
			continue
		}
		seen[s.path] = true
		dep, ok := byPath[s.path]
		if !ok {
			continue
		}
		via := s.via
		if via == "" {
			via = short(s.path)
		}
		for _, imp := range dep.Imports {
			queue = append(queue, step{imp, via})
		}
	}
	return "", false
}

// checkLibraries applies Only to p's non-test imports.
func (r Rules) checkLibraries(p Package, rel string) []Violation {
	var out []Violation
	for lib, allowed := range r.Only {
		if slices.ContainsFunc(allowed, func(a string) bool { return rel == a || under(rel, a) }) {
			continue
		}
		for _, imp := range p.Imports {
			if imp == lib || strings.HasPrefix(imp, lib+"/") {
				out = append(out, Violation{Package: p.ImportPath, Import: imp, Rule: "only " + strings.Join(r.Only[lib], ", ") + " import " + lib})
				break
			}
		}
	}
	return out
}

// under reports whether rel is a package inside dir.
func under(rel, dir string) bool { return strings.HasPrefix(rel, dir+"/") }
