package render

import (
	"errors"
	"testing"
)

// fuzzSeeds are templates worth starting from: valid ones, each error kind and edge cases.
var fuzzSeeds = []string{
	"",
	"a: b",
	"tag: {{VERSION_NAME}}",
	"host: {{ URLS[0] }}",
	`x: {{fn.replace(fn.lowerCase(VERSION_NAME), "/", "-", -1)}}`,
	`x: {{fn.suffixWithMaxLength(SAFE_VERSION_NAME, "-api", 8)}}`,
	`x: {{fn.truncate(VERSION_NAME, -1)}}`,
	"{{", "}}", "{{}}", "{{ {{ }}", `{{"}}"}}`, `{{"\"}}`, "{{URLS[", "{{fn.", "{{fn.trim(",
	"{{URLS[99]}}", "{{MISSING}}", "{{NOTE}}", "- a", "a: [", "{{-}}", "{{fn.x()}}",
}

// fuzzInput renders content as the only template of a small version.
func fuzzInput(content string) Input {
	return Input{
		Context:      Context{ProjectName: "shop", VersionName: "Feature/X_1", ImageRepository: "team/shop"},
		Variables:    []Variable{{"NOTE", "a\nb"}, {"A", "abc"}},
		URLTemplates: []string{"https://{{SAFE_VERSION_NAME}}.example.com"},
		Templates:    []Template{{Name: "fuzz", Content: content}},
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		err := Check(content)
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("Check(%q) returned %T, not *Error", content, err)
		}
	})
}

func FuzzRender(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		res, err := Render(fuzzInput(content))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Template != "fuzz" {
				t.Fatalf("Render(%q) = %v, want an *Error naming the template", content, err)
			}
			return
		}
		if checkErr := Check(content); checkErr != nil {
			t.Fatalf("Render accepted %q but Check rejects it: %v", content, checkErr)
		}
		if len(res.Releases) != 1 || res.Releases[0].ValuesMap == nil {
			t.Fatalf("Render(%q) = %+v", content, res)
		}
	})
}
