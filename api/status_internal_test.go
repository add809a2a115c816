package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

// TestHandlerErrorsAnswer is how the api's own kinds of error are answered, as handlers
// return them: each row is the problem (status, type, title, detail, fields, no Retry-After)
// a handler used to build itself, so moving the choice into problemKinds changed nothing
// on the wire.
func TestHandlerErrorsAnswer(t *testing.T) {
	jsonErr := json.Unmarshal([]byte(`{"name":`), &struct{}{})
	if jsonErr == nil {
		t.Fatal("no JSON error to describe")
	}
	expiresAt := []model.FieldError{{Field: "expiresAt", Message: "beyond the maximum token lifetime"}}
	for _, tc := range []struct {
		name   string
		err    error
		status int
		slug   string
		title  string
		detail string
		fields []model.FieldError
	}{
		{"query parameter", explain(errInvalidRequest, "q must be 1 to 100 characters"), 400, "bad-request", "Bad request", "q must be 1 to 100 characters", nil},
		{"malformed JSON", malformedJSON(jsonErr), 400, "bad-request", "Bad request", describeJSONError(jsonErr), nil},
		{"malformed webhook, the cause's text", as(errInvalidRequest, errors.New("docker: no events array")), 400, "bad-request", "Bad request", "docker: no events array", nil},
		{"invalid request wins over its cause", as(errInvalidRequest, fmt.Errorf("tag: %w", model.ErrInvalid)), 400, "bad-request", "Bad request", "tag: " + model.ErrInvalid.Error(), nil},
		{"token lifetime", explain(errTokenLifetime, "expiresAt must be at most %s from now", "90 days"), 400, "token-lifetime", "Token lifetime too long", "expiresAt must be at most 90 days from now", expiresAt},
		{"metrics token", errMetricsToken, 401, "unauthenticated", "Unauthenticated", "send the metrics token (ONEKO_METRICS_TOKEN) as a Bearer token", nil},
		{"webhook secret", explain(errWebhookSecret, "missing or wrong webhook secret"), 401, "webhook-secret", "Webhook secret refused", "missing or wrong webhook secret", nil},
		{"forbidden", explain(errForbidden, "role %s may not %s %s", "VIEWER", "POST", "/api/v1/projects"), 403, "forbidden", "Forbidden", "role VIEWER may not POST /api/v1/projects", nil},
		{"no route", explain(errNoRoute, "no route %s %s", "GET", "/api/v1/nope"), 404, "not-found", "Not found", "no route GET /api/v1/nope", nil},
		{"last admin", explain(errLastAdmin, "%s is the last ADMIN: make another user ADMIN first", "root"), 409, "last-admin", "Last admin", "root is the last ADMIN: make another user ADMIN first", nil},
		{"self delete", errSelfDelete, 409, "self-delete", "Cannot delete yourself", "ask another ADMIN to delete your account", nil},
		{"project deleting", explain(errProjectDeleting, "project %s is being deleted; its versions cannot be deployed", "web"), 409, "project-deleting", "Project is being deleted", "project web is being deleted; its versions cannot be deployed", nil},
		{"version removed", explain(errVersionRemoved, "tag %s is gone from the registry; push it again to deploy it", "1.0"), 409, "version-removed", "Version removed from the registry", "tag 1.0 is gone from the registry; push it again to deploy it", nil},
		{"revision required", errRevisionRequired, 428, "precondition-required", "Revision required",
			"say which revision you changed: send the document's ETag as If-Match, or its revision in the body's revision field (GET it first)", nil},
		{"too many follows", explain(errTooManyFollows, "you follow %d logs already: close one first", 2), 429, "too-many-follows", "Too many followed logs", "you follow 2 logs already: close one first", nil},
		{"no cluster", errNoCluster, 503, "no-cluster", "Diagnostics unavailable", "this server has no cluster to read diagnostics from", nil},
		{"no preview", errNoPreview, 503, "no-preview", "Diff unavailable", "this server cannot render deploys to compare", nil},
		{"no events", errNoEvents, 503, "no-events", "Live events unavailable", "this server has no event bus", nil},
		{"no renderer", errNoRenderer, 503, "no-renderer", "Rendering unavailable", "this server has no renderer configured", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := toProblem(tc.err)
			want := &Problem{Type: problemBase + tc.slug, Title: tc.title, Status: tc.status, Detail: tc.detail, Fields: tc.fields}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("toProblem(%v) = %+v; want %+v", tc.err, got, want)
			}
		})
	}
}

// statusAllowed are the files besides problem.go that may name an HTTP error status, and
// which: none of them chooses how an error is answered.
var statusAllowed = map[string][]string{
	// The OpenAPI document lists the problems each route may answer.
	"openapi.go": {"StatusBadRequest", "StatusUnauthorized", "StatusForbidden", "StatusNotFound", "StatusRequestEntityTooLarge", "StatusUnprocessableEntity", "StatusPreconditionFailed", "StatusPreconditionRequired"},
	// The route table documents /readyz's 503, which health.go answers: a readiness
	// report, not a problem.
	"routes.go": {"StatusServiceUnavailable"},
	"health.go": {"StatusServiceUnavailable"},
	// The webhook deliveries list reads the status the webhook was answered with.
	"deliveries.go": {"StatusNotFound", "StatusBadRequest", "StatusUnauthorized", "StatusRequestEntityTooLarge", "StatusServiceUnavailable"},
}

// answering are the methods (gin's context, http.ResponseWriter) whose status argument
// answers a request.
var answering = map[string]bool{"JSON": true, "Data": true, "Status": true, "String": true, "AbortWithStatus": true,
	"AbortWithStatusJSON": true, "AbortWithError": true, "WriteHeader": true, "Error": true}

// TestStatusChosenInProblemGo keeps problemKinds the one place where an error's HTTP status
// is chosen: outside problem.go no handler builds a problem (problem, badRequest, forbidden,
// notFound, a Problem literal), names an HTTP status of 400 or more (but for statusAllowed)
// or answers one as a number.
func TestStatusChosenInProblemGo(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var violations []string
	for _, name := range files {
		if name == "problem.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		violations = append(violations, statusViolations(t, name, statusAllowed[name])...)
	}
	sort.Strings(violations)
	for _, v := range violations {
		t.Error(v)
	}
	if len(violations) > 0 {
		t.Log("return an error of a kind (explain(errForbidden, ...), as(errInvalidRequest, err), or a new kind) and add its answer to problemKinds in problem.go")
	}
}

// statusViolations are the places in the file name that choose an HTTP error status.
func statusViolations(t *testing.T, name string, allowed []string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	errorStatuses := httpErrorStatuses(t)
	httpName := ""
	for _, im := range f.Imports {
		if im.Path.Value == `"net/http"` {
			httpName = "http"
			if im.Name != nil {
				httpName = im.Name.Name
			}
		}
	}
	var out []string
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s: %s", fset.Position(n.Pos()), fmt.Sprintf(format, args...)))
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok {
				switch id.Name {
				case "problem", "badRequest", "forbidden", "notFound":
					report(n, "%s(...) builds a problem: return an error of a kind instead", id.Name)
				}
			}
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && answering[sel.Sel.Name] {
				for _, arg := range n.Args {
					if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.INT {
						if v, err := strconv.Atoi(lit.Value); err == nil && v >= 400 && v < 600 {
							report(n, "%s(%d, ...) answers an error status itself", sel.Sel.Name, v)
						}
					}
				}
			}
		case *ast.CompositeLit:
			if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Problem" && len(n.Elts) > 0 {
				report(n, "a Problem literal chooses its own status")
			}
		case *ast.SelectorExpr:
			pkg, ok := n.X.(*ast.Ident)
			if !ok || httpName == "" || pkg.Name != httpName {
				return true
			}
			if _, isError := errorStatuses[n.Sel.Name]; isError && !slices.Contains(allowed, n.Sel.Name) {
				report(n, "%s.%s chooses an HTTP error status outside problem.go", pkg.Name, n.Sel.Name)
			}
		}
		return true
	})
	return out
}

// httpErrorStatuses are the names of net/http's status constants of 400 or more, read from
// its source (status.go).
func httpErrorStatuses(t *testing.T) map[string]int {
	t.Helper()
	pkg, err := build.Import("net/http", "", build.FindOnly)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(pkg.Dir, "status.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, id := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					continue
				}
				if v, err := strconv.Atoi(lit.Value); err == nil && v >= 400 && strings.HasPrefix(id.Name, "Status") {
					out[id.Name] = v
				}
			}
		}
	}
	if out["StatusNotFound"] != http.StatusNotFound || out["StatusServiceUnavailable"] != http.StatusServiceUnavailable {
		t.Fatalf("cannot read net/http's status constants from %s: %v", pkg.Dir, out)
	}
	return out
}
