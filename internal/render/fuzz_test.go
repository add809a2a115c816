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
	replaceBomb(9), `{{fn.replace(fn.replace(A, "a", A), "a", A)}}`,
	"a\n{{if true}}\nb\n{{end}}\nc", `{{if A == "abc"}}x{{elseif 1 < 2}}y{{else}}z{{end}}`,
	"{{for i, u in URLS}}{{i}}: {{u}}\n{{end}}", `{{1 + 2 * 3 / 4 % 2}} {{"a" + 1.5}} {{true ? 1l : null}}`,
	"{{for a in URLS}}{{for b in URLS}}{{for c in URLS}}{{a + b + c}}{{end}}{{end}}{{end}}",
	"{{if}}", "{{end}}", "{{for x in}}", "{{1 / 0}}", "{{(((1)))}}", `a: \{ \}`, "{{-2147483648}}",
}

// fuzzLimits are the rendering limits of the fuzz tests: small, so that inputs reach them.
var fuzzLimits = Limits{MaxBytes: 64 << 10}

// fuzzMaxAlloc bounds what one render of the fuzz tests may allocate: the cap times a
// generous factor for the render's other work, plus the input's size for the parse.
func fuzzMaxAlloc(content string) uint64 {
	return 64*uint64(fuzzLimits.MaxBytes) + 64*uint64(len(content))
}

// fuzzInput renders content as the only template of a small version.
func fuzzInput(content string) Input {
	return Input{
		Context:      Context{ProjectName: "shop", VersionName: "Feature/X_1", ImageRepository: "team/shop"},
		Variables:    []Variable{{"NOTE", "a\nb"}, {"A", "abc"}},
		URLTemplates: []string{"https://{{SAFE_VERSION_NAME}}.example.com"},
		Templates:    []Template{{Name: "fuzz", Content: content}},
		Limits:       fuzzLimits,
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
		var res *Result
		var err error
		if alloc := allocated(func() { res, err = Render(fuzzInput(content)) }); alloc > fuzzMaxAlloc(content) {
			t.Fatalf("Render(%q) allocated %d bytes, more than %d", content, alloc, fuzzMaxAlloc(content))
		}
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
		if n := len(res.Releases[0].Values); n > fuzzLimits.MaxBytes {
			t.Fatalf("Render(%q) gave %d bytes, more than the limit %d", content, n, fuzzLimits.MaxBytes)
		}
	})
}
