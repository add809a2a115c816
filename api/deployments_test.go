package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
)

// TestDeployments: the home page's route lists the versions desired Deployed (and those still
// running after a stop) across projects with their projects, filters by project, and refuses
// an over-long project list with a 400 that says why.
func TestDeployments(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	p, err := e.store.GetProject(context.Background(), f.projectID)
	if err != nil {
		t.Fatal(err)
	}
	idle := model.NewVersion(p, "2.0.0", "sha256:"+strings.Repeat("b", 64), time.Now())
	if err := e.store.CreateVersion(context.Background(), idle); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Items []struct {
			ID, Name, DesiredState string
		} `json:"items"`
		Total    int `json:"total"`
		Projects []struct {
			ID, Name string
		} `json:"projects"`
	}
	var a answer
	e.do("GET", "/api/v1/deployments", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.Total != 0 || len(a.Items) != 0 || len(a.Projects) != 0 {
		t.Fatalf("nothing deployed, got %+v", a)
	}

	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/deploy", nil, e.as(model.RoleViewer)).must(t, 202)
	e.do("GET", "/api/v1/deployments", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.Total != 1 || a.Items[0].ID != f.versionID || a.Items[0].DesiredState != "Deployed" {
		t.Fatalf("want only the deployed version, got %+v", a)
	}
	if len(a.Projects) != 1 || a.Projects[0].ID != f.projectID || a.Projects[0].Name != "shop" {
		t.Fatalf("want its project, got %+v", a.Projects)
	}

	e.do("GET", "/api/v1/deployments?project=other", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.Total != 0 {
		t.Fatalf("filtered by another project, got %+v", a)
	}
	e.do("GET", "/api/v1/deployments?project=other,"+f.projectID, nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.Total != 1 {
		t.Fatalf("filtered by its project, got %+v", a)
	}

	// Stopped while its releases still run (status Pending until the worker is done): still listed.
	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/stop", nil, e.as(model.RoleViewer)).must(t, 202)
	e.do("GET", "/api/v1/deployments", nil, e.as(model.RoleViewer)).must(t, 200).json(t, &a)
	if a.Total != 1 || a.Items[0].DesiredState != "NotDeployed" {
		t.Fatalf("a stop in progress stays listed, got %+v", a)
	}

	r := e.do("GET", "/api/v1/deployments?project="+strings.Repeat("x,", 101), nil, e.as(model.RoleViewer)).must(t, 400)
	if !strings.Contains(string(r.body), "at most 100") {
		t.Errorf("400 without a detail that says what to fix: %s", r.body)
	}
	e.do("GET", "/api/v1/deployments", nil, anonymous).must(t, 401)
}
