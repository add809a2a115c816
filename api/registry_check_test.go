package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

// TestRegistryCheckAnswersAClass: the check of a registry URL that answers with a web page
// gives the class not_a_registry and a fixed message; the page's body is never echoed (it may
// hold anything, a reflected script included). Before, the upstream error text came back.
func TestRegistryCheckAnswersAClass(t *testing.T) {
	e := newEnv(t)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"errors":[{"code":"UPSTREAM","message":"<script>alert(1)</script>"}]}`))
	}))
	defer page.Close()
	var doc struct{ ID string }
	e.do("POST", "/api/v1/docker-registries", map[string]any{"name": "site", "url": page.URL}, e.as(model.RoleAdmin)).must(t, 201).json(t, &doc)
	var res struct {
		OK      bool
		Result  string
		Message string
	}
	r := e.do("POST", "/api/v1/docker-registries/"+doc.ID+"/check", nil, e.as(model.RoleAdmin)).must(t, 200)
	r.json(t, &res)
	if res.OK || res.Result != "not_a_registry" || res.Message == "" {
		t.Fatalf("check = %+v, want not_a_registry", res)
	}
	if strings.Contains(res.Message, "UPSTREAM") || strings.Contains(res.Message, "script") {
		t.Fatalf("the upstream body is echoed: %q", res.Message)
	}
}
