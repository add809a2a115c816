package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneko/oneko/api"
)

var updateOpenAPI = flag.Bool("update-openapi", false, "rewrite web/openapi.json from the server's OpenAPI document")

// TestDashboardOpenAPIFile checks that web/openapi.json, from which the dashboard's API types
// are generated (npm run gen:api; a Vitest test checks those in turn), is the document the
// server serves. `go test ./api -run TestDashboardOpenAPIFile -update-openapi` rewrites it.
func TestDashboardOpenAPIFile(t *testing.T) {
	s, err := api.New(api.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(s.OpenAPI(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	file := filepath.Join("..", "web", "openapi.json")
	if *updateOpenAPI {
		if err := os.WriteFile(file, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read %s: %v (run with -update-openapi to write it)", file, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run `go test ./api -run TestDashboardOpenAPIFile -update-openapi`, then `npm run gen:api` in web/", file)
	}
}
