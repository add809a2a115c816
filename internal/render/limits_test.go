package render

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// replaceBomb is a template of a few hundred bytes whose output grows tenfold with each
// of its levels of fn.replace: 10^(levels+1) bytes.
func replaceBomb(levels int) string {
	expr := `"aaaaaaaaaa"`
	for range levels {
		expr = `fn.replace(` + expr + `, "a", "aaaaaaaaaa")`
	}
	return "x: {{" + expr + "}}"
}

// allocated returns the bytes the process allocated while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestReplaceBombIsRefusedWithinTheMemoryCap(t *testing.T) {
	content := replaceBomb(9) // 10 GB of output without the cap
	if len(content) > 400 {
		t.Fatalf("the bomb has %d bytes; the point is that it is small", len(content))
	}
	var err error
	alloc := allocated(func() {
		_, err = Render(Input{Context: testContext(), Templates: []Template{{Name: "web", Content: content}}})
	})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Render = %v, want ErrTooLarge", err)
	}
	if e.Template != "web" || e.Name != "fn.replace" || e.Line != 1 {
		t.Errorf("error names %q %q at line %d, want the template, fn.replace and a position", e.Template, e.Name, e.Line)
	}
	if !strings.Contains(err.Error(), "limit of 1048576 bytes") {
		t.Errorf("message %q does not state the limit", err)
	}
	// The largest string built is below the cap; the levels before it add a tenth, a
	// hundredth… Allow generous slack for the rest of the render.
	if alloc > 16*DefaultMaxBytes {
		t.Errorf("refusing the bomb allocated %d bytes, want at most %d", alloc, 16*DefaultMaxBytes)
	}
}

func TestLimits(t *testing.T) {
	small := Limits{MaxBytes: 100}
	long := strings.Repeat("x", 60)
	tests := []struct {
		name    string
		in      Input
		kind    error // nil: renders
		subject string
	}{
		{"configured cap on a function result", Input{Limits: small, Templates: []Template{{Name: "web",
			Content: `a: {{fn.replace("` + long + `", "x", "xx")}}`}}}, ErrTooLarge, "fn.replace"},
		{"replace that shrinks is fine", Input{Limits: small, Templates: []Template{{Name: "web",
			Content: `a: {{fn.replace("` + long + `", "xx", "x")}}`}}}, nil, ""},
		{"replace with a max counts only max occurrences", Input{Limits: small, Templates: []Template{{Name: "web",
			Content: `a: {{fn.replace("` + long + `", "x", "xx", 30)}}`}}}, nil, ""},
		{"cap on the whole template", Input{Limits: small, Overrides: map[string]string{"L": long},
			Templates: []Template{{Name: "web", Content: "a: {{L}}\nb: {{L}}"}}}, ErrTooLarge, ""},
		{"cap on a value", Input{Limits: small, Overrides: map[string]string{"L": long + long},
			Templates: []Template{{Name: "web", Content: "a: {{L}}"}}}, ErrTooLarge, "L"},
		{"cap on a string literal", Input{Limits: small,
			Templates: []Template{{Name: "web", Content: `a: {{"` + long + long + `"}}`}}}, ErrTooLarge, ""},
		{"cap on a URL template", Input{Limits: small, URLTemplates: []string{long + long}}, ErrTooLarge, ""},
		{"cap on literal text", Input{Limits: small, Templates: []Template{{Name: "web", Content: "a: " + long + long}}}, ErrTooLarge, ""},
		{"default cap", Input{Overrides: map[string]string{"L": strings.Repeat("x", DefaultMaxBytes)},
			Templates: []Template{{Name: "web", Content: "a: {{L}}"}}}, ErrTooLarge, ""},
		{"just under the default cap", Input{Overrides: map[string]string{"L": strings.Repeat("x", DefaultMaxBytes-3)},
			Templates: []Template{{Name: "web", Content: "a: {{L}}"}}}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Context = testContext()
			_, err := Render(tt.in)
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("Render = %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.kind) {
				t.Fatalf("Render = %v, want %v", err, tt.kind)
			}
			if e.Name != tt.subject {
				t.Errorf("Name = %q, want %q", e.Name, tt.subject)
			}
		})
	}
}

func TestDepthIsCheckedOnSave(t *testing.T) {
	nest := func(n int) string {
		return "a: {{" + strings.Repeat("fn.trim(", n-1) + "VERSION_NAME" + strings.Repeat(")", n-1) + "}}"
	}
	if err := Check(nest(MaxDepth)); err != nil {
		t.Fatalf("depth %d: %v", MaxDepth, err)
	}
	err := Check(nest(MaxDepth + 1))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTooDeep) || e.Line != 1 {
		t.Fatalf("depth %d: Check = %v, want ErrTooDeep with a position", MaxDepth+1, err)
	}
	// A very deep template fails quickly instead of recursing through all of it.
	if err := Check(nest(100000)); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("depth 100000: Check = %v, want ErrTooDeep", err)
	}
}

func TestCheckLimits(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		kind error // nil: accepted
	}{
		{"bomb", Input{Templates: []Template{{Name: "web", Content: replaceBomb(7)}}}, ErrTooLarge},
		{"bomb after an undefined variable", Input{Templates: []Template{{Name: "web", Content: "a: {{MISSING}}\n" + replaceBomb(7)}}}, ErrTooLarge},
		{"bomb after a bad URL index", Input{Templates: []Template{{Name: "web", Content: "a: {{URLS[3]}}\n" + replaceBomb(7)}}}, ErrTooLarge},
		// An undefined variable is empty on trial, so a bomb seeded only by one is caught on
		// deploy (Render), not on save.
		{"bomb seeded by an undefined variable", Input{Templates: []Template{{Name: "web",
			Content: strings.Replace(replaceBomb(7), `"aaaaaaaaaa"`, "MISSING", 1)}}}, nil},
		{"bomb in a URL template", Input{URLTemplates: []string{replaceBomb(7)}}, ErrTooLarge},
		{"undefined variables only", Input{Templates: []Template{{Name: "web", Content: "a: {{MISSING}}"}}}, nil},
		{"syntax errors are Check's business", Input{Templates: []Template{{Name: "web", Content: "a: {{"}}}, nil},
		{"invalid YAML is not a limit", Input{Templates: []Template{{Name: "web", Content: "a: ["}}}, nil},
		{"duplicate names are not a limit", Input{Templates: []Template{{Name: "Web"}, {Name: "web"}}}, nil},
		{"line breaks are not a limit", Input{Overrides: map[string]string{"N": "a\nb"}, Templates: []Template{{Name: "web", Content: "a: {{N}}"}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Context = testContext()
			err := CheckLimits(tt.in)
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("CheckLimits = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.kind) || e.Template == "" {
				t.Fatalf("CheckLimits = %v, want %v naming the template", err, tt.kind)
			}
		})
	}
}

func TestNestedLoopsAreBounded(t *testing.T) {
	urls := make([]string, 20)
	for k := range urls {
		urls[k] = "u"
	}
	// 20^5 = 3.2 million iterations that write nothing: the step limit stops them.
	content := "a: 1\n" + strings.Repeat("{{for x in URLS}}", 5) + strings.Repeat("{{end}}", 5)
	_, err := Render(Input{Context: testContext(), URLTemplates: urls, Templates: []Template{{Name: "web", Content: content}}})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTooComplex) || e.Template != "web" {
		t.Fatalf("Render = %v, want ErrTooComplex naming the template", err)
	}
	if err := CheckLimits(Input{Context: testContext(), URLTemplates: urls, Templates: []Template{{Name: "web", Content: content}}}); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("CheckLimits = %v, want ErrTooComplex", err)
	}
	// Loops that write stop at the byte cap.
	content = "a: \"" + strings.Repeat("{{for x in URLS}}", 4) + "{{x}}{{x}}{{x}}" + strings.Repeat("{{end}}", 4) + "\""
	_, err = Render(Input{Context: testContext(), URLTemplates: urls, Templates: []Template{{Name: "web", Content: content}}, Limits: Limits{MaxBytes: 64 << 10}})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Render = %v, want ErrTooLarge", err)
	}
}
