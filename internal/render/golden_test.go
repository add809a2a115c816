package render

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .golden files of TestGolden")

// TestGolden renders every testdata/golden/*.yaml template for one fixed version and
// compares the values (or the error message) with the .golden file next to it.
// Run `go test ./internal/render -run TestGolden -update` to accept changes.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "golden", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, input := range inputs {
		name := strings.TrimSuffix(filepath.Base(input), ".yaml")
		t.Run(name, func(t *testing.T) {
			content, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			got := renderGolden(name, string(content))
			goldenPath := strings.TrimSuffix(input, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(goldenPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n--- got ---\n%s\n--- want ---\n%s", input, goldenPath, got, want)
			}
		})
	}
}

// renderGolden renders one template for the golden version and returns the values, or
// "error: <message>\n" when rendering fails.
func renderGolden(name, content string) string {
	res, err := Render(Input{
		Context: Context{
			ProjectID: "6650f1c2a9e4b1d2c3f4a5b6", ProjectName: "webshop",
			VersionID: "6650f1c2a9e4b1d2c3f4a5c7", VersionName: "feature/JIRA-123_New-Checkout",
			ImageHost: "registry.example.com", ImageRepository: "team/webshop", ImageTag: "feature-JIRA-123_New-Checkout",
			ImageDigest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Namespace: "on-webshop",
		},
		Variables: []Variable{
			{Name: "REPLICAS", DefaultValue: "1"},
			{Name: "LOG_LEVEL", DefaultValue: "info"},
			{Name: "DOMAIN", DefaultValue: "test.example.com"},
		},
		Overrides: map[string]string{"LOG_LEVEL": "debug", "PAYMENT_URL": "https://pay.sandbox.example.com"},
		URLTemplates: []string{
			"https://{{SAFE_VERSION_NAME}}.test.example.com",
			"https://{{fn.suffixWithMaxLength(DNS_VERSION_NAME, \"-admin\", 63)}}.test.example.com/admin",
		},
		Templates: []Template{{Name: name, Content: content}},
	})
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	return res.Releases[0].Values
}
