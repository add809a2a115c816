package policy

import "testing"

func TestRoleHierarchy(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		role, route, method string
		want                bool
	}{
		"anonymous may log in":            {Anonymous, "/api/v1/session", "POST", true},
		"anonymous may not list projects": {Anonymous, "/api/v1/projects", "GET", false},
		"viewer lists projects":           {"VIEWER", "/api/v1/projects", "GET", true},
		"viewer deploys":                  {"VIEWER", "/api/v1/projects/:id/versions/:vid/deploy", "POST", true},
		"viewer may not create projects":  {"VIEWER", "/api/v1/projects", "POST", false},
		"doer creates projects":           {"DOER", "/api/v1/projects", "POST", true},
		"doer reads registries":           {"DOER", "/api/v1/docker-registries", "GET", true},
		"doer may not create registries":  {"DOER", "/api/v1/docker-registries", "POST", false},
		"admin creates registries":        {"ADMIN", "/api/v1/docker-registries", "POST", true},
		"admin inherits viewer rights":    {"ADMIN", "/api/v1/activities", "GET", true},
		"unknown role denied":             {"ROOT", "/api/v1/projects", "GET", false},
		"unknown route denied":            {"ADMIN", "/api/v1/nothing", "GET", false},
		"method matters":                  {"ADMIN", "/api/v1/projects", "PATCH", false},
		"pattern, not URL":                {"ADMIN", "/api/v1/projects/123", "GET", false},
	} {
		t.Run(name, func(t *testing.T) {
			if got := a.Allowed(tc.role, tc.route, tc.method); got != tc.want {
				t.Fatalf("Allowed(%s, %s, %s) = %v, want %v", tc.role, tc.route, tc.method, got, tc.want)
			}
		})
	}
	if r, ok := a.MinimumRole("/api/v1/projects/:id", "PUT"); !ok || r != "DOER" {
		t.Fatalf("MinimumRole = %q %v", r, ok)
	}
	if _, ok := a.MinimumRole("/api/v1/nothing", "GET"); ok {
		t.Fatal("MinimumRole of an unknown route is ok")
	}
}
