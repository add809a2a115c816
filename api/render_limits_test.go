package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
)

// renderBomb is a template of about 300 bytes whose output grows tenfold with each fn.replace:
// without a cap, rendering it needs 10 GB.
func renderBomb() string {
	expr := `"aaaaaaaaaa"`
	for range 9 {
		expr = `fn.replace(` + expr + `, "a", "aaaaaaaaaa")`
	}
	return "x: \"{{" + expr + "}}\"\n"
}

// seededBomb grows with the size of SEED to the fourth power; harmless with SEED "a".
const seededBomb = "x: \"{{fn.replace(fn.replace(fn.replace(SEED, \"a\", SEED), \"a\", SEED), \"a\", SEED)}}\"\n"

// TestRenderBombIsRefused: a template that would exhaust memory is refused when it is
// saved, and the configuration of a version that holds one anyway answers 422 at once,
// with the api still serving.
func TestRenderBombIsRefused(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	doer := e.as(model.RoleDoer)
	ctx := context.Background()
	if n := len(renderBomb()); n > 400 {
		t.Fatalf("the bomb has %d bytes", n)
	}
	withTemplate := func(name, content string) map[string]any {
		body := e.projectBody(name, f)
		body["defaultConfigurationTemplates"] = []map[string]any{{"name": "web", "chartName": "web", "helmRegistryId": f.helmID, "content": content}}
		return body
	}
	expect422 := func(r response, want string) {
		t.Helper()
		var pr struct{ Detail string }
		r.must(t, 422).json(t, &pr)
		if !strings.Contains(pr.Detail, want) {
			t.Fatalf("detail %q does not say %q", pr.Detail, want)
		}
	}

	// Saving a project: refused by the trial render, nothing written.
	before := e.counts(t)
	expect422(e.do("POST", "/api/v1/projects", withTemplate("bomb", renderBomb()), doer), "output too large")
	// Too deep a nesting is refused by the syntax check.
	deep := "x: {{" + strings.Repeat("fn.trim(", 40) + "VERSION_NAME" + strings.Repeat(")", 40) + "}}"
	expect422(e.do("POST", "/api/v1/projects", withTemplate("deep", deep), doer), "nested too deeply")
	// A bomb in a URL template too.
	body := e.projectBody("bomb-url", f)
	body["urlTemplates"] = []string{strings.TrimPrefix(renderBomb(), "x: ")}
	expect422(e.do("POST", "/api/v1/projects", body, doer), "output too large")
	if after := e.counts(t); after != before {
		t.Fatalf("refused saves wrote something: %+v → %+v", before, after)
	}
	// PUT of the existing project is refused the same way and leaves it unchanged.
	etag := e.do("GET", "/api/v1/projects/"+f.projectID, nil, doer).must(t, 200).header.Get("ETag")
	expect422(e.do("PUT", "/api/v1/projects/"+f.projectID, withTemplate("shop", renderBomb()), doer,
		func(r *http.Request) { r.Header.Set("If-Match", etag) }), "output too large")

	// A version's own template, and an override that feeds a harmless-looking template.
	vpath := "/api/v1/projects/" + f.projectID + "/versions/" + f.versionID
	expect422(e.do("PATCH", vpath, map[string]any{"configurationTemplates": []map[string]any{{
		"name": "extra", "chartName": "web", "helmRegistryId": f.helmID, "content": renderBomb()}}}, doer), "output too large")
	seeded := withTemplate("seeded", seededBomb)
	seeded["templateVariables"] = []map[string]any{{"name": "SEED", "label": "Seed", "defaultValue": "a"}}
	var sp model.Project
	e.do("POST", "/api/v1/projects", seeded, doer).must(t, 201).json(t, &sp)
	p, err := e.store.GetProject(ctx, sp.ID)
	if err != nil {
		t.Fatal(err)
	}
	sv := model.NewVersion(p, "1.0.0", "", time.Now())
	if err := e.store.CreateVersion(ctx, sv); err != nil {
		t.Fatal(err)
	}
	expect422(e.do("PUT", "/api/v1/projects/"+sp.ID+"/versions/"+sv.ID+"/variables",
		map[string]string{"SEED": strings.Repeat("a", 300)}, doer), "output too large")

	// A bomb that reached the database anyway (written before the limits existed): the
	// configuration route answers 422 at once, and the api keeps serving.
	v, err := e.store.GetVersion(ctx, f.projectID, f.versionID)
	if err != nil {
		t.Fatal(err)
	}
	v.ConfigurationTemplates = []model.ConfigurationTemplate{{Name: "web", ChartName: "web", HelmRegistryID: f.helmID, Content: renderBomb()}}
	if err := e.store.UpdateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	expect422(e.do("GET", vpath+"/configuration", nil, doer), "limit of 1048576 bytes")
	e.do("GET", "/healthz", nil, anonymous).must(t, 200)
	e.do("GET", vpath, nil, doer).must(t, 200)
}
