package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
)

// chartRepo serves chart web 1.0.0 as a classic repository behind Basic authentication
// (oneko / good-pa55word), counting the downloads of the archive.
func chartRepo(t *testing.T) (url string, downloads *atomic.Int32) {
	t.Helper()
	dir := t.TempDir()
	ch := &chart.Chart{Metadata: &chart.Metadata{APIVersion: chart.APIVersionV2, Name: "web", Version: "1.0.0"}, Templates: []*chart.File{
		{Name: "templates/cm.yaml", Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  size: {{ .Values.size | quote }}\n")},
	}}
	if _, err := chartutil.Save(ch, dir); err != nil {
		t.Fatal(err)
	}
	idx, err := repo.IndexDirectory(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	downloads = new(atomic.Int32)
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "oneko" || p != "good-pa55word" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".tgz") {
			downloads.Add(1)
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, downloads
}

// TestHelmRegistryChangeForgetsCachedCharts: a Helm registry's PUT and DELETE make the chart
// cache forget it. A chart version fetched once is kept and answered without asking the
// registry; after the registry's password changes, the next fetch (the diff route's) asks the
// registry with the new password — refused here, where the kept chart would have been
// answered — and after the right password is back, downloads it again. Deleting the registry
// removes its charts from disk.
func TestHelmRegistryChangeForgetsCachedCharts(t *testing.T) {
	cacheDir := t.TempDir()
	cache, err := charts.NewCache(cacheDir, charts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvB(t, func(d *api.Deps) {
		d.Charts = api.CacheCharts{Cache: cache}
		d.Diagnostics = diagnose.New(fake.NewClientset(), "api-test")
		d.Preview = api.PlanPreview{Planner: deploy.NewPlanner(d.Store, "api-test", render.Limits{}), Store: d.Store, Charts: helm.Templater{Charts: cache}}
	})
	f := e.fixture()
	admin, doer := e.as(model.RoleAdmin), e.as(model.RoleDoer)
	repoURL, downloads := chartRepo(t)

	var doc struct {
		ID string `json:"id"`
	}
	e.do("POST", "/api/v1/helm-registries", map[string]any{"name": "cached", "url": repoURL, "username": "oneko", "password": "good-pa55word"}, admin).must(t, 201).json(t, &doc)
	helmID, reg := doc.ID, "/api/v1/helm-registries/"+doc.ID
	body := e.projectBody("cached", fixture{registryID: f.registryID, helmID: helmID})
	body["defaultConfigurationTemplates"].([]map[string]any)[0]["chartVersion"] = "1.0.0" // an exact version: kept, answered without asking
	e.do("POST", "/api/v1/projects", body, doer).must(t, 201).json(t, &doc)
	projectID := doc.ID
	ctx := context.Background()
	p, err := e.store.GetProject(ctx, projectID)
	if err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(p, "1.0.0", "sha256:"+strings.Repeat("b", 64), time.Now())
	if err := e.store.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	diff := "/api/v1/projects/" + projectID + "/versions/" + v.ID + "/diff"

	e.do("GET", diff, nil, doer).must(t, 200)
	e.do("GET", diff, nil, doer).must(t, 200)
	if n := downloads.Load(); n != 1 {
		t.Fatalf("chart downloaded %d times for two diffs, want 1 (kept)", n)
	}

	put := func(password string) {
		e.do("PUT", reg, map[string]any{"name": "cached", "url": repoURL, "username": "oneko", "password": password}, admin, e.fresh(reg)).must(t, 200)
	}
	put("changed-pa55word")
	res := e.do("GET", diff, nil, doer).must(t, 502)
	if !strings.Contains(string(res.body), "chart-unavailable") {
		t.Fatalf("diff with the refused password: %s", res.body)
	}
	put("good-pa55word")
	e.do("GET", diff, nil, doer).must(t, 200)
	if n := downloads.Load(); n != 2 {
		t.Fatalf("chart downloaded %d times, want 2 (again after the registry changed)", n)
	}

	kept := filepath.Join(cacheDir, "charts", helmID)
	if _, err := os.Stat(kept); err != nil {
		t.Fatalf("the registry's charts are not kept where expected: %v", err)
	}
	if err := e.store.DeleteProject(ctx, projectID); err != nil {
		t.Fatal(err)
	}
	e.do("DELETE", reg, nil, admin).must(t, 204)
	if _, err := os.Stat(kept); !os.IsNotExist(err) {
		t.Fatalf("the deleted registry's charts are still on disk (%s): %v", kept, err)
	}
}
