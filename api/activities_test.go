package api_test

import (
	"testing"

	"github.com/oneko/oneko/internal/model"
)

// TestAccountActivitiesForAdminsOnly: GET /activities shows activities about users and API
// tokens to ADMINs only — the rule the live event stream applies — and the total counts only
// what the caller may see, also when the caller asks for a user's activities by id.
func TestAccountActivitiesForAdminsOnly(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	var carol struct {
		ID string `json:"id"`
	}
	e.do("POST", "/api/v1/users", map[string]any{"username": "carol", "email": "carol@example.com", "role": "DOER", "password": "another-long-password"}, e.as(model.RoleAdmin)).must(t, 201).json(t, &carol)
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "ci", "role": "VIEWER"}, basic("viewer", testPassword)).must(t, 201)
	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/deploy", nil, e.as(model.RoleViewer)).must(t, 202)

	type page struct {
		Items []model.Activity `json:"items"`
		Total int64            `json:"total"`
	}
	read := func(path string, role model.Role) page {
		t.Helper()
		var p page
		e.do("GET", path, nil, e.as(role)).must(t, 200).json(t, &p)
		return p
	}
	accounts := func(p page) int {
		n := 0
		for _, a := range p.Items {
			if a.EntityType == model.EntityUser || a.EntityType == model.EntityToken {
				n++
			}
		}
		return n
	}
	if all := read("/api/v1/activities?limit=500", model.RoleAdmin); accounts(all) != 2 {
		t.Fatalf("ADMIN sees %d account activities, want 2 (user created, token created): %+v", accounts(all), all.Items)
	}
	for _, role := range []model.Role{model.RoleViewer, model.RoleDoer} {
		p := read("/api/v1/activities?limit=500", role)
		if accounts(p) != 0 || int64(len(p.Items)) != p.Total || p.Total == 0 {
			t.Fatalf("%s sees %d account activities (total %d of %d shown): %+v", role, accounts(p), p.Total, len(p.Items), p.Items)
		}
		if byID := read("/api/v1/activities?entityId="+carol.ID, role); len(byID.Items) != 0 || byID.Total != 0 {
			t.Fatalf("%s reads a user's activities by id: %+v", role, byID)
		}
	}
	if byID := read("/api/v1/activities?entityId="+carol.ID, model.RoleAdmin); len(byID.Items) != 1 {
		t.Fatalf("ADMIN reads %d activities of the user, want 1", len(byID.Items))
	}
}
