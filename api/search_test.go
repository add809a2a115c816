package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
)

// TestSearchPages: /search answers a page of the matching versions (limit, offset; newest
// image first) with their total, the first matching projects with theirs, and a 400 that says
// what to fix for a bad page.
func TestSearchPages(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	ctx := context.Background()
	p, err := e.store.GetProject(ctx, f.projectID)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Now().Add(-time.Hour)
	vs := make([]*model.Version, 0, 12)
	for i := range 12 {
		vs = append(vs, model.NewVersion(p, fmt.Sprintf("feature-%02d", i), "", base.Add(time.Duration(i)*time.Minute)))
	}
	if err := e.store.InsertVersions(ctx, vs); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Projects      []struct{ Name string } `json:"projects"`
		ProjectsTotal int64                   `json:"projectsTotal"`
		Versions      []struct{ Name string } `json:"versions"`
		Total         int64                   `json:"total"`
	}
	names := func(a answer) string {
		out := make([]string, len(a.Versions))
		for i, v := range a.Versions {
			out[i] = v.Name
		}
		return strings.Join(out, ",")
	}
	var a answer
	e.do("GET", "/api/v1/search?q=FEATURE&limit=5&offset=5", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.Total != 12 || names(a) != "feature-06,feature-05,feature-04,feature-03,feature-02" {
		t.Fatalf("second page of 5 = %s (total %d); want feature-06…02 of 12", names(a), a.Total)
	}
	e.do("GET", "/api/v1/search?q=feature&limit=5&offset=10", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.Total != 12 || names(a) != "feature-01,feature-00" {
		t.Fatalf("last page = %s (total %d); want feature-01,feature-00", names(a), a.Total)
	}
	e.do("GET", "/api/v1/search?q=feature&offset=50", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.Total != 12 || len(a.Versions) != 0 {
		t.Fatalf("beyond the end = %s (total %d); want none of 12", names(a), a.Total)
	}
	e.do("GET", "/api/v1/search?q=sho", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.ProjectsTotal != 1 || len(a.Projects) != 1 || a.Projects[0].Name != "shop" || a.Total != 0 {
		t.Fatalf("project search = %+v; want the project shop and no version", a)
	}
	r := e.do("GET", "/api/v1/search?q=feature&limit=-1", nil, e.as(model.RoleViewer)).must(t, 400)
	if !strings.Contains(string(r.body), "limit must be") {
		t.Errorf("400 without a detail that says what to fix: %s", r.body)
	}
}

// TestProjectVersionCount: the project list and one project answer how many versions each
// project has, and the count follows new and deleted versions.
func TestProjectVersionCount(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	ctx := context.Background()
	p, err := e.store.GetProject(ctx, f.projectID)
	if err != nil {
		t.Fatal(err)
	}
	type project struct {
		ID           string `json:"id"`
		VersionCount *int64 `json:"versionCount"`
	}
	count := func() (inList, one int64) {
		t.Helper()
		var l struct{ Items []project }
		e.do("GET", "/api/v1/projects", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &l)
		var got project
		e.do("GET", "/api/v1/projects/"+f.projectID, nil, e.as(model.RoleViewer)).must(t, 200).json(t, &got)
		for _, x := range l.Items {
			if x.ID == f.projectID && x.VersionCount != nil && got.VersionCount != nil {
				return *x.VersionCount, *got.VersionCount
			}
		}
		t.Fatalf("no versionCount for %s in %+v / %+v", f.projectID, l.Items, got)
		return 0, 0
	}
	l0, o0 := count()
	if l0 != o0 || l0 < 1 {
		t.Fatalf("versionCount in the list %d, of the project %d; want the fixture's (≥ 1) in both", l0, o0)
	}
	extra := model.NewVersion(p, "9.9.9", "", time.Now())
	if err := e.store.CreateVersion(ctx, extra); err != nil {
		t.Fatal(err)
	}
	if l, o := count(); l != l0+1 || o != o0+1 {
		t.Fatalf("after a new version: %d / %d, want %d", l, o, l0+1)
	}
	if err := e.store.DeleteVersion(ctx, extra.ID); err != nil {
		t.Fatal(err)
	}
	if l, o := count(); l != l0 || o != o0 {
		t.Fatalf("after a deleted version: %d / %d, want %d", l, o, l0)
	}
}
