package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

// TestRoleMatrix calls every route of the OpenAPI document (which the openapi test keeps equal
// to the router) without credentials and with each role, and checks the answer against the
// route's declared role: 401 without credentials, 403 below the role, neither at or above it.
func TestRoleMatrix(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	var doc struct {
		Paths map[string]map[string]struct {
			Role string `json:"x-oneko-role"`
		} `json:"paths"`
	}
	e.do("GET", "/api/v1/openapi.json", nil, anonymous).must(t, 200).json(t, &doc)
	rank := map[string]int{"ANONYMOUS": 0, "VIEWER": 1, "DOER": 2, "ADMIN": 3}
	callers := []struct {
		name string
		rank int
		role model.Role
	}{{"anonymous", 0, ""}, {"viewer", 1, model.RoleViewer}, {"doer", 2, model.RoleDoer}, {"admin", 3, model.RoleAdmin}}
	// Callers sign in (session cookie): API tokens are refused some routes whatever their role
	// (TestTokenCannotTakeOverAccount).
	sessions := map[model.Role]cred{}
	for _, c := range callers[1:] {
		sessions[c.role] = e.login(t, strings.ToLower(string(c.role)), testPassword)
	}
	checked := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			method = strings.ToUpper(method)
			for _, caller := range callers {
				t.Run(method+" "+path+" as "+caller.name, func(t *testing.T) {
					cr := anonymous
					url := path
					if caller.role != "" {
						cr = sessions[caller.role]
						if method == http.MethodDelete && path == "/api/v1/session" {
							cr = e.login(t, strings.ToLower(string(caller.role)), testPassword) // signing out ends the session
						}
						// /users/{id} admits the user itself; everyone else uses ids that do not exist
						// (authorization happens before the handler looks anything up).
						url = strings.Replace(url, "/users/{id}", "/users/"+e.users[caller.role].ID, 1)
					}
					url = strings.NewReplacer("{id}", "000000000000000000000000", "{vid}", "000000000000000000000000").Replace(url)
					var body any
					if method != http.MethodGet && method != http.MethodDelete {
						body = "{}"
					}
					res := e.do(method, url, body, cr)
					want := rank[op.Role]
					switch {
					case caller.rank >= want && (res.status == 401 || res.status == 403):
						t.Fatalf("%s may call it (role %s) but got %d: %s", caller.name, op.Role, res.status, res.body)
					case caller.rank < want && caller.role == "" && res.status != 401:
						t.Fatalf("no credentials: got %d, want 401", res.status)
					case caller.rank < want && caller.role != "" && res.status != 403:
						t.Fatalf("%s below %s: got %d, want 403: %s", caller.name, op.Role, res.status, res.body)
					}
					if res.status == 401 || res.status == 403 {
						if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
							t.Fatalf("refusal Content-Type = %q", ct)
						}
					}
				})
				checked++
			}
		}
	}
	if checked < 4*40 {
		t.Fatalf("only %d calls checked: the route table looks incomplete", checked)
	}
	_ = f
}

// TestViewerSelectVariables: a VIEWER may set a dashboard select variable to a listed value
// and nothing else; refused attempts leave the version unchanged.
func TestViewerSelectVariables(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	path := "/api/v1/projects/" + f.projectID + "/versions/" + f.versionID + "/variables"
	viewer := e.as(model.RoleViewer)
	for name, tc := range map[string]struct {
		body   any
		status int
	}{
		"unlisted value":           {map[string]string{"SIZE": "huge"}, 403},
		"not a select variable":    {map[string]string{"NOTE": "hi"}, 403},
		"select not on dashboard":  {map[string]string{"HIDDEN": "b"}, 403},
		"unknown variable":         {map[string]string{"OTHER": "x"}, 403},
		"listed and one forbidden": {map[string]string{"SIZE": "large", "NOTE": "x"}, 403},
		"not a map":                {`["SIZE"]`, 400},
	} {
		t.Run(name, func(t *testing.T) {
			e.do("PUT", path, tc.body, viewer).must(t, tc.status)
			v, err := e.store.GetVersion(t.Context(), f.projectID, f.versionID)
			if err != nil || len(v.TemplateVariables) != 0 {
				t.Fatalf("version changed: %v %v", v.TemplateVariables, err)
			}
		})
	}
	// Another field of the version is out of a VIEWER's reach.
	e.do("PATCH", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID, map[string]any{"deploymentBehaviour": "automatically"}, viewer).must(t, 403)

	e.do("PUT", path, map[string]string{"SIZE": "large"}, viewer).must(t, 200)
	v, _ := e.store.GetVersion(t.Context(), f.projectID, f.versionID)
	if v.TemplateVariables["SIZE"] != "large" || len(v.TemplateVariables) != 1 {
		t.Fatalf("variables = %v", v.TemplateVariables)
	}
	// A DOER may set any variable.
	e.do("PUT", path, map[string]string{"NOTE": "free text"}, e.as(model.RoleDoer)).must(t, 200)
	var cfg struct {
		Releases []struct{ Values string } `json:"releases"`
	}
	e.do("GET", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/configuration", nil, e.as(model.RoleDoer)).must(t, 200).json(t, &cfg)
	if len(cfg.Releases) != 1 || !strings.Contains(cfg.Releases[0].Values, `size: "large"`) || !strings.Contains(cfg.Releases[0].Values, `note: "free text"`) {
		t.Fatalf("rendered = %+v", cfg)
	}
}
