package api_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
)

// TestImportONekoExport imports testdata/oneko-export.json, an export as O-Neko 1.8 writes
// it: "id": null, null chart versions and default values, URL templates without a scheme,
// chartName "<helm-registry-name>/<chart>", exportMetadata.version 0.
func TestImportONekoExport(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	raw, err := os.ReadFile("testdata/oneko-export.json")
	if err != nil {
		t.Fatal(err)
	}
	doer, admin := e.as(model.RoleDoer), e.as(model.RoleAdmin)
	problemOf := func(r response, status int) (pr struct {
		Detail string
		Fields []model.FieldError
	}) {
		t.Helper()
		r.must(t, status).json(t, &pr)
		return pr
	}
	before := e.counts(t)

	// O-Neko's docker registry uuid means nothing here.
	pr := problemOf(e.do("POST", "/api/v1/projects/import", raw, doer), 422)
	if !strings.Contains(pr.Detail, "6a3f2f9e-1d4b-4a52-b6a0-93c1e0f7d6b2") || !strings.Contains(pr.Detail, "?dockerRegistryId=") {
		t.Fatalf("detail %q does not say what to pass", pr.Detail)
	}
	// Only one of the two Helm registries exists here: the answer names the other template.
	var internal, bitnami struct{ ID string }
	e.do("POST", "/api/v1/helm-registries", map[string]any{"name": "internal-charts", "url": "https://charts.internal.example.com"}, admin).must(t, 201).json(t, &internal)
	importURL := "/api/v1/projects/import?dockerRegistryId=" + f.registryID
	pr = problemOf(e.do("POST", importURL, raw, doer), 422)
	if len(pr.Fields) != 1 || pr.Fields[0].Field != "defaultConfigurationTemplates[1].chartName" ||
		!strings.Contains(pr.Fields[0].Message, `"database"`) || !strings.Contains(pr.Fields[0].Message, `"bitnami"`) {
		t.Fatalf("unmapped templates = %+v", pr.Fields)
	}
	if after := e.counts(t); after.projects != before.projects {
		t.Fatal("a refused import created a project")
	}

	e.do("POST", "/api/v1/helm-registries", map[string]any{"name": "bitnami", "url": "https://charts.bitnami.com/bitnami"}, admin).must(t, 201).json(t, &bitnami)
	var p model.Project
	e.do("POST", importURL, raw, doer).must(t, 201).json(t, &p)
	wantURLs := []string{"https://{{SAFE_VERSION_NAME}}.shop.example.com", "https://admin-{{SAFE_VERSION_NAME}}.shop.example.com/login"}
	if p.Name != "webshop" || p.ImageName != "team/webshop" || p.DockerRegistryID != f.registryID ||
		p.NewVersionsDeploymentBehaviour != model.BehaviourAutomatically || strings.Join(p.URLTemplates, " ") != strings.Join(wantURLs, " ") ||
		p.DefaultLifetimeBehaviour.Type != "DAYS" || p.DefaultLifetimeBehaviour.Value != 3 {
		t.Fatalf("imported = %+v", p)
	}
	web, db := p.DefaultConfigurationTemplates[0], p.DefaultConfigurationTemplates[1]
	if web.ChartName != "webshop" || web.HelmRegistryID != internal.ID || web.ChartVersion != "" || web.ID == "" ||
		db.ChartName != "postgresql" || db.HelmRegistryID != bitnami.ID || db.ChartVersion != "12.1.2" || db.Description != "" {
		t.Fatalf("templates = %+v", p.DefaultConfigurationTemplates)
	}
	if len(p.TemplateVariables) != 2 || !p.TemplateVariables[0].UseValues || p.TemplateVariables[1].DefaultValue != "" || p.TemplateVariables[1].ID == "" {
		t.Fatalf("variables = %+v", p.TemplateVariables)
	}
	// The imported templates render as in O-Neko: if, for over the https:// URLs.
	st, err := e.store.GetProject(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(st, "master", "", time.Now())
	if err := e.store.CreateVersion(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	var conf struct {
		Releases []struct{ Template, Values string }
	}
	e.do("GET", "/api/v1/projects/"+p.ID+"/versions/"+v.ID+"/configuration", nil, doer).must(t, 200).json(t, &conf)
	if len(conf.Releases) != 2 || !strings.Contains(conf.Releases[0].Values, "\n    - \"https://master.shop.example.com\"\n") ||
		!strings.Contains(conf.Releases[0].Values, "memory: 1Gi") || !strings.Contains(conf.Releases[1].Values, `database: "master-db"`) {
		t.Fatalf("configuration = %+v", conf)
	}

	// The caller may name one Helm registry for every template; the chart stays alone.
	renamed := strings.Replace(string(raw), `"name" : "webshop",`+"\n  \"imageName\"", `"name" : "webshop-2",`+"\n  \"imageName\"", 1)
	e.do("POST", importURL+"&helmRegistryId="+f.helmID, renamed, doer).must(t, 201).json(t, &p)
	if p.Name != "webshop-2" || p.DefaultConfigurationTemplates[0].HelmRegistryID != f.helmID || p.DefaultConfigurationTemplates[1].HelmRegistryID != f.helmID ||
		p.DefaultConfigurationTemplates[1].ChartName != "postgresql" {
		t.Fatalf("with ?helmRegistryId = %+v", p)
	}
	// A null lifetime never expires; unknown fields are ignored.
	variant := strings.Replace(renamed, `"name" : "webshop-2",`, `"name" : "webshop-3", "someFutureField" : {"x" : [1]},`, 1)
	variant = strings.Replace(variant, "\"defaultLifetimeBehaviour\" : {\n    \"type\" : \"DAYS\",\n    \"value\" : 3\n  },", `"defaultLifetimeBehaviour" : null,`, 1)
	e.do("POST", importURL, variant, doer).must(t, 201).json(t, &p)
	if p.Name != "webshop-3" || p.DefaultLifetimeBehaviour.Type != "INFINITE" {
		t.Fatalf("null lifetime = %+v", p.DefaultLifetimeBehaviour)
	}
	// An export version oneko does not know is refused, saying which it reads.
	future := strings.Replace(strings.Replace(renamed, `"webshop-2"`, `"webshop-4"`, 1), `"version" : 0`, `"version" : 1`, 1)
	pr = problemOf(e.do("POST", importURL, future, doer), 422)
	if len(pr.Fields) != 1 || pr.Fields[0].Field != "exportMetadata.version" || !strings.Contains(pr.Fields[0].Message, "version 1 is not supported") {
		t.Fatalf("future version = %+v", pr)
	}
	// The same project again is a conflict.
	e.do("POST", importURL, raw, doer).must(t, 409)
}

// TestImportOwnExport round-trips this server's export and refuses an unknown format.
func TestImportOwnExport(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	doer := e.as(model.RoleDoer)
	exp := e.do("GET", "/api/v1/projects/"+f.projectID+"/export", nil, doer).must(t, 200)
	renamed := strings.Replace(string(exp.body), `"name":"shop"`, `"name":"shop-copy"`, 1)
	var copyP model.Project
	e.do("POST", "/api/v1/projects/import", renamed, doer).must(t, 201).json(t, &copyP)
	if copyP.Name != "shop-copy" || copyP.Namespace != "on-team-shop" || len(copyP.TemplateVariables) != 3 ||
		copyP.DefaultConfigurationTemplates[0].HelmRegistryID != f.helmID || copyP.DefaultLifetimeBehaviour.Type != "DAYS" {
		t.Fatalf("round trip = %+v", copyP)
	}
	unknown := strings.Replace(strings.Replace(renamed, `"shop-copy"`, `"shop-3"`, 1), `"format":"oneko/v1"`, `"format":"oneko/v9"`, 1)
	e.do("POST", "/api/v1/projects/import", unknown, doer).must(t, 422)
}
