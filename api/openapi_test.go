package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/policy"
)

// TestOpenAPIMatchesRouterAndPolicy checks three lists against each other: the routes the
// router answers (every route is called), the OpenAPI document, and the Casbin policy — and
// that the role each route declares is the lowest role the policy allows.
func TestOpenAPIMatchesRouterAndPolicy(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Role string `json:"x-oneko-role"`
		} `json:"paths"`
	}
	e.do("GET", "/api/v1/openapi.json", nil, anonymous).must(t, 200).json(t, &doc)
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{([A-Za-z]+)\}`)
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			ginPath := param.ReplaceAllString(path, ":$1")
			key := strings.ToUpper(method) + " " + ginPath
			documented[key] = true
			min, ok := authz.MinimumRole(ginPath, strings.ToUpper(method))
			if !ok {
				t.Errorf("%s has no policy", key)
				continue
			}
			if min != op.Role {
				t.Errorf("%s: declared role %s, policy allows from %s", key, op.Role, min)
			}
			// The router answers it: a route it does not know is 404 with "no route".
			res := e.do(strings.ToUpper(method), param.ReplaceAllString(path, "x"), nil, e.as("ADMIN"))
			if res.status == 404 && strings.Contains(string(res.body), "no route") {
				t.Errorf("%s is documented but the router does not answer it", key)
			}
		}
	}
	rules, err := authz.Rules()
	if err != nil {
		t.Fatal(err)
	}
	var orphans []string
	for _, r := range rules {
		if !documented[r.Method+" "+r.Route] {
			orphans = append(orphans, r.Method+" "+r.Route)
		}
	}
	sort.Strings(orphans)
	if len(orphans) > 0 {
		t.Errorf("policy lines without a route: %v", orphans)
	}
	// An undocumented route is not answered.
	if res := e.do("GET", "/api/v1/nothing-here", nil, e.as("ADMIN")); res.status != 404 {
		t.Errorf("unknown route answered %d", res.status)
	}
}

// TestOpenAPIFileIsCurrent: web/openapi.json (from which the dashboard's types are generated)
// is byte for byte what the server serves. Run `make openapi` after changing a route or type.
func TestOpenAPIFileIsCurrent(t *testing.T) {
	e := newEnv(t)
	served := e.do("GET", "/api/v1/openapi.json", nil, anonymous).must(t, 200).body
	committed, err := os.ReadFile("../web/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(served, committed) {
		t.Fatal("web/openapi.json differs from the served document: run `make openapi` and commit it")
	}
}

// TestOpenAPIDocumentIsValid loads the served document with kin-openapi and validates it, and
// checks what the generation must have produced: schemas for every body, problem answers,
// parameters, read-only and write-only fields, enums, security schemes and roles.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := loadOpenAPI(t, newEnv(t))
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			role, _ := op.Extensions["x-oneko-role"].(string)
			if role == "" || !strings.Contains(op.Description, "Role: ") {
				t.Errorf("%s %s: no role (%q) or role missing in the description", method, path, role)
			}
			if op.Responses.Default() == nil || op.Responses.Default().Ref != "#/components/responses/Problem" {
				t.Errorf("%s %s: no problem+json default answer", method, path)
			}
			if (method == "POST" || method == "PUT" || method == "PATCH") && op.RequestBody == nil && !strings.HasSuffix(path, "/deploy") &&
				!strings.HasSuffix(path, "/stop") && !strings.HasSuffix(path, "/check") && !strings.HasSuffix(path, "/extend") {
				t.Errorf("%s %s: no request body", method, path)
			}
			for status, res := range op.Responses.Map() {
				if status != "204" && res.Ref == "" && len(res.Value.Content) == 0 {
					t.Errorf("%s %s: answer %s has no body schema", method, path, status)
				}
			}
		}
	}
	schema := func(name string) *openapi3.Schema {
		t.Helper()
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Fatalf("no schema %s", name)
		}
		return s.Value
	}
	prop := func(of, name string) *openapi3.Schema {
		t.Helper()
		p, ok := schema(of).Properties[name]
		if !ok {
			t.Fatalf("%s has no property %s", of, name)
		}
		return p.Value // a $ref wrapped in allOf carries the marks itself
	}
	for _, c := range []struct{ schema, prop string }{
		{"Project", "id"}, {"Project", "status"}, {"Version", "deployment"}, {"Version", "digest"},
		{"DockerRegistry", "webhookUrl"}, {"DockerRegistry", "hasPassword"}, {"Token", "secret"}, {"Namespace", "kubeName"},
		{"DockerRegistryInput", "hasWebhookSecret"},
	} {
		if !prop(c.schema, c.prop).ReadOnly {
			t.Errorf("%s.%s is not readOnly", c.schema, c.prop)
		}
	}
	for _, c := range []struct{ schema, prop string }{
		{"DockerRegistryInput", "password"}, {"DockerRegistryInput", "webhookSecret"}, {"HelmRegistryInput", "password"},
		{"UserInput", "password"}, {"LoginInput", "password"},
	} {
		if !prop(c.schema, c.prop).WriteOnly {
			t.Errorf("%s.%s is not writeOnly", c.schema, c.prop)
		}
	}
	for _, s := range []string{"DockerRegistry", "HelmRegistry", "User"} {
		if _, ok := schema(s).Properties["password"]; ok {
			t.Errorf("answer schema %s has a password", s)
		}
	}
	enum := func(of, name string, want ...string) {
		t.Helper()
		got := fmt.Sprint(prop(of, name).Enum)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s.%s enum %s lacks %s", of, name, got, w)
			}
		}
	}
	enum("User", "role", "VIEWER", "DOER", "ADMIN")
	enum("Version", "desiredState", "Deployed", "NotDeployed")
	enum("Deployment", "status", "Pending", "Running", "Failed")
	enum("Lifetime", "type", "UNTIL_TONIGHT", "DAYS", "INHERIT")
	enum("DockerRegistry", "webhookFormat", "harbor", "dockerhub", "generic")
	if got := prop("DockerRegistry", "pollInterval"); got.Type == nil || !got.Type.Is("string") {
		t.Errorf("pollInterval (a Go duration written as text) is %v, want string", got.Type)
	}
	for _, name := range []string{"token", "basic", "session"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("no security scheme %s", name)
		}
	}
	params := map[string]bool{}
	for _, p := range doc.Paths.Find("/api/v1/projects").Get.Parameters {
		params[p.Value.Name] = true
	}
	if !params["limit"] || !params["offset"] || !params["q"] {
		t.Errorf("GET /projects parameters = %v", params)
	}
	if login := doc.Paths.Find("/api/v1/session").Post; login.Security == nil || len(*login.Security) != 0 {
		t.Error("POST /session must need no authentication")
	}
}

// loadOpenAPI reads the served document with kin-openapi's loader.
func loadOpenAPI(t *testing.T, e *env) *openapi3.T {
	t.Helper()
	raw := e.do("GET", "/api/v1/openapi.json", nil, anonymous).must(t, 200).body
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestAnswersMatchOpenAPI sends real requests and checks each request and answer against the
// document with kin-openapi's validator: the generated schemas describe what the server does.
func TestAnswersMatchOpenAPI(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	doc := loadOpenAPI(t, e)
	doc.Servers = openapi3.Servers{{URL: e.srv.URL}}
	router, err := legacyrouter.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	admin := basic("admin", testPassword) // API tokens may not create tokens or change passwords
	proj := "/api/v1/projects/" + f.projectID
	ver := proj + "/versions/" + f.versionID
	calls := []struct {
		method, path string
		body         any
		status       int
	}{
		{"GET", "/healthz", nil, 200},
		{"GET", "/api/v1/session", nil, 200},
		{"POST", "/api/v1/session", map[string]string{"username": "admin", "password": testPassword}, 200},
		{"GET", "/api/v1/projects?limit=5&offset=0&q=sh", nil, 200},
		{"GET", proj, nil, 200},
		{"PUT", proj, withRevision(e.projectBody("shop", f), 1), 200},
		{"GET", proj + "/versions", nil, 200},
		{"GET", ver, nil, 200},
		{"PATCH", ver, map[string]any{"deploymentBehaviour": "manually", "lifetimeBehaviour": map[string]any{"type": "DAYS", "value": 3}}, 200},
		{"PUT", ver + "/variables", map[string]string{"SIZE": "large"}, 200},
		{"GET", ver + "/configuration", nil, 200},
		{"POST", ver + "/deploy", nil, 202},
		{"POST", ver + "/extend", nil, 200},
		{"POST", ver + "/extend", map[string]any{"lifetimeBehaviour": map[string]any{"type": "UNTIL_TONIGHT"}}, 200},
		{"POST", "/api/v1/webhooks/" + f.registryID + "?token=hook-s3cret-value", map[string]any{"image": "registry.example.com/team/shop", "tag": "9.9"}, 202},
		{"GET", "/api/v1/docker-registries/" + f.registryID + "/deliveries", nil, 200},
		{"GET", proj + "/export", nil, 200},
		{"GET", "/api/v1/docker-registries", nil, 200},
		{"GET", "/api/v1/docker-registries/" + f.registryID, nil, 200},
		{"PUT", "/api/v1/docker-registries/" + f.registryID, map[string]any{"name": "hub", "url": "https://registry.example.com", "username": "robot", "pollInterval": "1m", "webhookFormat": "harbor", "revision": 1}, 200},
		{"GET", "/api/v1/helm-registries/" + f.helmID, nil, 200},
		{"PUT", "/api/v1/helm-registries/" + f.helmID, map[string]any{"name": "charts", "url": "https://charts.example.com", "username": "u", "revision": 1}, 200},
		{"GET", "/api/v1/helm-registries/" + f.helmID + "/charts", nil, 200},
		{"GET", "/api/v1/namespaces", nil, 200},
		{"GET", "/api/v1/users", nil, 200},
		{"POST", "/api/v1/users", map[string]any{"username": "carol", "role": "DOER", "password": "another-long-password"}, 201},
		{"PUT", "/api/v1/users/" + e.users[model.RoleDoer].ID, map[string]any{"username": "doer", "email": "doer@example.com", "role": "DOER", "password": "reset-by-the-admin", "revision": 1}, 200},
		{"POST", "/api/v1/tokens", map[string]any{"name": "ci", "role": "VIEWER"}, 201},
		{"GET", "/api/v1/tokens", nil, 200},
		{"GET", "/api/v1/activities?limit=3", nil, 200},
		{"GET", "/api/v1/search?q=1.0", nil, 200},
		{"GET", proj + "/versions/nope", nil, 404},
		{"POST", "/api/v1/projects", map[string]any{"name": ""}, 422},
	}
	for _, c := range calls {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			var body []byte
			if c.body != nil {
				body, _ = json.Marshal(c.body)
			}
			res := e.do(c.method, c.path, body, admin).must(t, c.status)
			req, _ := http.NewRequest(c.method, e.srv.URL+c.path, bytes.NewReader(body))
			if body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("not in the document: %v", err)
			}
			opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
			if err := openapi3filter.ValidateRequest(t.Context(), in); err != nil {
				t.Fatalf("request does not match the document: %v", err)
			}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.status, Header: res.header, Options: opts}
			out.SetBodyBytes(res.body)
			if err := openapi3filter.ValidateResponse(t.Context(), out); err != nil {
				t.Fatalf("answer does not match the document: %v\n%s", err, res.body)
			}
		})
	}
}

// withRevision adds the revision a PUT was made from to a body.
func withRevision(body map[string]any, rev int64) map[string]any {
	body["revision"] = rev
	return body
}
