package api_test

import (
	"net/http"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

// TestOutdatedReasons: changing a deployed version's variable, then its project's template,
// marks it outdated with what changed (variable SIZE, template web), each once and oldest first, in the answer
// and on GET; a change that reaches no deploy (a variable's label) adds nothing.
func TestOutdatedReasons(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	doer := e.as(model.RoleDoer)
	ver := "/api/v1/projects/" + f.projectID + "/versions/" + f.versionID
	e.do("POST", ver+"/deploy", nil, doer).must(t, 202)

	var v model.Version
	e.do("PUT", ver+"/variables", map[string]string{"SIZE": "large"}, doer).must(t, 200).json(t, &v)
	if !v.Outdated || len(v.OutdatedReasons) != 1 || v.OutdatedReasons[0] != (model.OutdatedReason{Kind: model.ChangedVariable, Name: "SIZE"}) {
		t.Fatalf("after SIZE changed: %v %+v", v.Outdated, v.OutdatedReasons)
	}
	e.do("PUT", ver+"/variables", map[string]string{"SIZE": "small"}, doer).must(t, 200)

	project := "/api/v1/projects/" + f.projectID
	put := func(body map[string]any) {
		t.Helper()
		etag := e.do("GET", project, nil, doer).must(t, 200).header.Get("ETag")
		e.do("PUT", project, body, doer, func(r *http.Request) { r.Header.Set("If-Match", etag) }).must(t, 200)
	}
	body := e.projectBody("shop", f)
	body["templateVariables"].([]map[string]any)[1]["label"] = "A note"
	put(body)
	e.do("GET", ver, nil, doer).must(t, 200).json(t, &v)
	if len(v.OutdatedReasons) != 1 {
		t.Fatalf("a label change added a reason: %+v", v.OutdatedReasons)
	}
	body["defaultConfigurationTemplates"].([]map[string]any)[0]["content"] = "image: \"{{IMAGE_REF}}\"\nsize: \"{{SIZE}}\"\n"
	put(body)
	e.do("GET", ver, nil, doer).must(t, 200).json(t, &v)
	want := []model.OutdatedReason{{Kind: model.ChangedVariable, Name: "SIZE"}, {Kind: model.ChangedTemplate, Name: "web"}}
	if !v.Outdated || len(v.OutdatedReasons) != 2 || v.OutdatedReasons[0] != want[0] || v.OutdatedReasons[1] != want[1] {
		t.Fatalf("after the template changed: %+v", v.OutdatedReasons)
	}
}
