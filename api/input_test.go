package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// TestBadInput sends wrong bodies to the create routes: each answers a problem+json 4xx and
// leaves the store unchanged.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	doer, admin := e.as(model.RoleDoer), e.as(model.RoleAdmin)
	valid := e.projectBody("valid", f)
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for a, b := range valid {
			m[a] = b
		}
		m[k] = v
		return m
	}
	tmpl := func(content string) map[string]any {
		return with("defaultConfigurationTemplates", []map[string]any{{"name": "web", "chartName": "web", "helmRegistryId": f.helmID, "content": content}})
	}
	huge := `{"name":"` + strings.Repeat("x", 1<<20) + `"}`
	for name, tc := range map[string]struct {
		method, path string
		body         any
		c            cred
		status       int
	}{
		"malformed JSON":          {"POST", "/api/v1/projects", `{"name":`, doer, 400},
		"not JSON at all":         {"POST", "/api/v1/projects", `hello`, doer, 400},
		"empty body":              {"POST", "/api/v1/projects", ``, doer, 400},
		"two JSON values":         {"POST", "/api/v1/projects", `{} {}`, doer, 400},
		"wrong type":              {"POST", "/api/v1/projects", with("urlTemplates", "not-a-list"), doer, 400},
		"unknown field":           {"POST", "/api/v1/projects", with("colour", "blue"), doer, 400},
		"duplicate name":          {"POST", "/api/v1/projects", with("name", "shop"), doer, 409},
		"empty name":              {"POST", "/api/v1/projects", with("name", ""), doer, 422},
		"invalid image":           {"POST", "/api/v1/projects", with("imageName", "Team/App:latest"), doer, 422},
		"unknown registry":        {"POST", "/api/v1/projects", with("dockerRegistryId", "000000000000000000000000"), doer, 422},
		"undefined namespace":     {"POST", "/api/v1/projects", with("namespace", "nowhere"), doer, 422},
		"unclosed template":       {"POST", "/api/v1/projects", tmpl("image: {{VERSION_NAME"), doer, 422},
		"unknown function":        {"POST", "/api/v1/projects", tmpl("x: {{fn.shout(VERSION_NAME)}}"), doer, 422},
		"bad lifetime":            {"POST", "/api/v1/projects", with("defaultLifetimeBehaviour", map[string]any{"type": "DAYS", "value": 0}), doer, 422},
		"bad behaviour":           {"POST", "/api/v1/projects", with("newVersionsDeploymentBehaviour", "sometimes"), doer, 422},
		"bad auto-deploy semver":  {"POST", "/api/v1/projects", with("autoDeploy", map[string]any{"semver": ">>1"}), doer, 422},
		"body over 1 MiB":         {"POST", "/api/v1/projects", huge, doer, 413},
		"unknown project":         {"GET", "/api/v1/projects/000000000000000000000000", nil, doer, 404},
		"unknown version":         {"GET", "/api/v1/projects/" + f.projectID + "/versions/000000000000000000000000", nil, doer, 404},
		"registry bad URL":        {"POST", "/api/v1/docker-registries", map[string]any{"name": "x", "url": "ftp://x"}, admin, 422},
		"registry URL with creds": {"POST", "/api/v1/docker-registries", map[string]any{"name": "x", "url": "https://u:p@x"}, admin, 422},
		"registry bad interval":   {"POST", "/api/v1/docker-registries", map[string]any{"name": "x", "url": "https://x", "pollInterval": "soon"}, admin, 400},
		"registry bad format":     {"POST", "/api/v1/docker-registries", map[string]any{"name": "x", "url": "https://x", "webhookFormat": "gitea"}, admin, 422},
		"duplicate registry":      {"POST", "/api/v1/docker-registries", map[string]any{"name": "hub", "url": "https://x"}, admin, 409},
		"namespace no letters":    {"POST", "/api/v1/namespaces", map[string]any{"name": "__--"}, admin, 422},
		"duplicate namespace":     {"POST", "/api/v1/namespaces", map[string]any{"name": "team-shop"}, admin, 409},
		"user short password":     {"POST", "/api/v1/users", map[string]any{"username": "eve", "role": "VIEWER", "password": "short"}, admin, 422},
		"user bad role":           {"POST", "/api/v1/users", map[string]any{"username": "eve", "role": "ROOT", "password": "long-enough-pw"}, admin, 422},
		"bad paging":              {"GET", "/api/v1/projects?limit=-1", nil, doer, 400},
		"used registry delete":    {"DELETE", "/api/v1/docker-registries/" + f.registryID, nil, admin, 409},
		"used namespace delete":   {"DELETE", "/api/v1/namespaces/" + f.namespaceID, nil, admin, 409},
	} {
		t.Run(name, func(t *testing.T) {
			before := e.counts(t)
			res := e.do(tc.method, tc.path, tc.body, tc.c)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.status, tc.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q", ct)
			}
			var p struct{ Type, Title, Detail string }
			res.json(t, &p)
			if !strings.HasPrefix(p.Type, "https://oneko.dev/problems/") || p.Title == "" || p.Detail == "" {
				t.Fatalf("problem = %+v", p)
			}
			if after := e.counts(t); after != before {
				t.Fatalf("store changed: %v → %v", before, after)
			}
		})
	}
	// A namespace the cluster refuses is not left in the store.
	e.cluster.fail = true
	before := e.counts(t)
	e.do("POST", "/api/v1/namespaces", map[string]any{"name": "refused"}, admin).must(t, 502)
	if after := e.counts(t); after != before {
		t.Fatalf("store changed after a cluster failure: %v → %v", before, after)
	}
}

type counts struct{ projects, registries, namespaces, users, versions int64 }

func (e *env) counts(t *testing.T) counts {
	t.Helper()
	ctx := context.Background()
	_, p, err1 := e.store.ListProjects(ctx, "", store.Page{})
	_, r, err2 := e.store.ListDockerRegistries(ctx, store.Page{})
	_, n, err3 := e.store.ListNamespaces(ctx, store.Page{})
	_, u, err4 := e.store.ListUsers(ctx, store.Page{})
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			t.Fatal(err)
		}
	}
	var v int64
	items, _, _ := e.store.ListProjects(ctx, "", store.Page{Limit: 500})
	for _, it := range items {
		_, n, _ := e.store.ListVersions(ctx, it.ID, "", store.Page{})
		v += n
	}
	return counts{p, r, n, u, v}
}

// TestNoSecretInAnyAnswer stores known secrets and reads every GET route as ADMIN.
func TestNoSecretInAnyAnswer(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	admin := e.as(model.RoleAdmin)
	var tok struct{ ID, Secret string }
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "ci"}, basic("admin", testPassword)).must(t, 201).json(t, &tok)
	if !strings.HasPrefix(tok.Secret, "onk_") {
		t.Fatalf("token secret not answered on creation: %+v", tok)
	}
	u, _ := e.store.GetUser(context.Background(), e.users[model.RoleAdmin].ID)
	secrets := []string{"registry-pa55word", "hook-s3cret-value", "helm-pa55word", tok.Secret, u.PasswordHash, testPassword}
	for _, tk := range e.tokens {
		secrets = append(secrets, tk)
	}
	paths := []string{
		"/api/v1/projects", "/api/v1/projects/" + f.projectID, "/api/v1/projects/" + f.projectID + "/versions",
		"/api/v1/projects/" + f.projectID + "/versions/" + f.versionID, "/api/v1/projects/" + f.projectID + "/export",
		"/api/v1/projects/" + f.projectID + "/versions/" + f.versionID + "/configuration",
		"/api/v1/docker-registries", "/api/v1/docker-registries/" + f.registryID,
		"/api/v1/helm-registries", "/api/v1/helm-registries/" + f.helmID, "/api/v1/helm-registries/" + f.helmID + "/charts",
		"/api/v1/namespaces", "/api/v1/users", "/api/v1/users/" + u.ID, "/api/v1/tokens", "/api/v1/activities",
		"/api/v1/search?q=s", "/api/v1/session", "/api/v1/openapi.json",
	}
	for _, p := range paths {
		res := e.do("GET", p, nil, admin)
		if res.status != 200 {
			t.Fatalf("GET %s: %d %s", p, res.status, res.body)
		}
		for _, s := range secrets {
			if strings.Contains(string(res.body), s) {
				t.Fatalf("GET %s contains a stored secret %q", p, s[:6])
			}
		}
	}
	var reg struct {
		HasPassword, HasWebhookSecret bool
		WebhookURL                    string
	}
	e.do("GET", "/api/v1/docker-registries/"+f.registryID, nil, admin).json(t, &reg)
	if !reg.HasPassword || !reg.HasWebhookSecret || reg.WebhookURL != "http://oneko.test/api/v1/webhooks/"+f.registryID {
		t.Fatalf("registry = %+v", reg)
	}
}

// TestDeployQueuesTask: deploy records the desired state, the expiry and a task in Redis.
func TestDeployQueuesTask(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	var out struct{ TaskID string }
	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/deploy", nil, e.as(model.RoleViewer)).must(t, 202).json(t, &out)
	if out.TaskID != "deploy:"+f.versionID+"@1" {
		t.Fatalf("task id = %q", out.TaskID)
	}
	n, err := e.rdb.Exists(context.Background(), "asynq:{critical}:t:"+out.TaskID).Result()
	if err != nil || n != 1 {
		t.Fatalf("task not in Redis: %d %v", n, err)
	}
	v, _ := e.store.GetVersion(context.Background(), f.projectID, f.versionID)
	if v.DesiredState != model.Deployed || v.Deployment.ExpiresAt == nil || v.Deployment.ExpiresAt.Before(time.Now().Add(47*time.Hour)) {
		t.Fatalf("version = %+v", v.Deployment)
	}
	// Changing the project now marks the deployed version outdated.
	body := e.projectBody("shop", f)
	body["urlTemplates"] = []string{"https://{{DNS_VERSION_NAME}}.example.com"}
	e.do("PUT", "/api/v1/projects/"+f.projectID, body, e.as(model.RoleDoer), e.fresh("/api/v1/projects/"+f.projectID)).must(t, 200)
	v, _ = e.store.GetVersion(context.Background(), f.projectID, f.versionID)
	if !v.Outdated {
		t.Fatal("deployed version not marked outdated")
	}
	// Deleting the project stops it first.
	e.do("DELETE", "/api/v1/projects/"+f.projectID, nil, e.as(model.RoleDoer)).must(t, 202)
	v, _ = e.store.GetVersion(context.Background(), f.projectID, f.versionID)
	if v.DesiredState != model.NotDeployed {
		t.Fatal("project delete did not stop the version")
	}
}
