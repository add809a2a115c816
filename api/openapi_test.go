package api_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/oneko/oneko/policy"
)

// TestOpenAPIMatchesRouterAndPolicy checks three lists against each other: the routes the
// router answers (every route is called), the OpenAPI document, and the Casbin policy — and
// that the role each route declares is the lowest role the policy allows.
func TestOpenAPIMatchesRouterAndPolicy(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Role string `json:"x-oneko-role"`
		} `json:"paths"`
	}
	e.do("GET", "/api/v1/openapi.json", nil, anonymous).must(t, 200).json(t, &doc)
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{([A-Za-z]+)\}`)
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			ginPath := param.ReplaceAllString(path, ":$1")
			key := strings.ToUpper(method) + " " + ginPath
			documented[key] = true
			min, ok := authz.MinimumRole(ginPath, strings.ToUpper(method))
			if !ok {
				t.Errorf("%s has no policy", key)
				continue
			}
			if min != op.Role {
				t.Errorf("%s: declared role %s, policy allows from %s", key, op.Role, min)
			}
			// The router answers it: a route it does not know is 404 with "no route".
			res := e.do(strings.ToUpper(method), param.ReplaceAllString(path, "x"), nil, e.as("ADMIN"))
			if res.status == 404 && strings.Contains(string(res.body), "no route") {
				t.Errorf("%s is documented but the router does not answer it", key)
			}
		}
	}
	rules, err := authz.Rules()
	if err != nil {
		t.Fatal(err)
	}
	var orphans []string
	for _, r := range rules {
		if !documented[r.Method+" "+r.Route] {
			orphans = append(orphans, r.Method+" "+r.Route)
		}
	}
	sort.Strings(orphans)
	if len(orphans) > 0 {
		t.Errorf("policy lines without a route: %v", orphans)
	}
	// An undocumented route is not answered.
	if res := e.do("GET", "/api/v1/nothing-here", nil, e.as("ADMIN")); res.status != 404 {
		t.Errorf("unknown route answered %d", res.status)
	}
}
