package render

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// testContext is the version most tests render.
func testContext() Context {
	return Context{ProjectID: "p-1", ProjectName: "shop", VersionID: "v-1", VersionName: "Feature/Login_2",
		ImageHost: "registry.example.com", ImageRepository: "team/shop", ImageDigest: "sha256:abc", Namespace: "on-shop"}
}

func TestRenderPrecedence(t *testing.T) {
	tests := []struct {
		name      string
		variables []Variable
		overrides map[string]string
		content   string
		want      string
	}{
		{"project default", []Variable{{"REPLICAS", "1"}}, nil, "r: {{REPLICAS}}", "r: 1"},
		{"override beats default", []Variable{{"REPLICAS", "1"}}, map[string]string{"REPLICAS": "3"}, "r: {{REPLICAS}}", "r: 3"},
		{"built-in beats default", []Variable{{"VERSION_NAME", "from-project"}}, nil, "v: {{VERSION_NAME}}", "v: Feature/Login_2"},
		{"override beats built-in", nil, map[string]string{"NAMESPACE": "custom"}, "n: {{NAMESPACE}}", "n: custom"},
		{"override beats release name", nil, map[string]string{"RELEASE_NAME": "mine"}, "r: {{RELEASE_NAME}}", "r: mine"},
		{"URLS beats override", nil, map[string]string{"URLS": "x"}, "u: {{URLS[0]}}", "u: https://featurelogin2.example.com"},
		{"release name", nil, nil, "r: {{RELEASE_NAME}}", "r: shop-feature-login-2-web"},
		{"unused variable with a line break is fine", []Variable{{"NOTE", "a\nb"}}, nil, "a: b", "a: b"},
		{"empty value", []Variable{{"EMPTY", ""}}, nil, "e: '{{EMPTY}}'", "e: ''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Render(Input{
				Context:      testContext(),
				Variables:    tt.variables,
				Overrides:    tt.overrides,
				URLTemplates: []string{"https://{{SAFE_VERSION_NAME}}.example.com"},
				Templates:    []Template{{Name: "web", Content: tt.content}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Releases[0].Values; got != tt.want {
				t.Errorf("Values = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderResult(t *testing.T) {
	web := Template{ID: "t1", Name: "web", Content: "image:\n  repository: {{IMAGE}}\n  tag: '{{IMAGE_TAG}}'\nhosts:\n  - {{URLS[0]}}\n  - {{URLS[1]}}\n", ChartName: "app"}
	worker := Template{ID: "t2", Name: "worker", Content: ""}
	res, err := Render(Input{
		Context:      testContext(),
		URLTemplates: []string{"{{DNS_VERSION_NAME}}.example.com", "{{fn.suffixWithMaxLength(SAFE_VERSION_NAME, \"-admin\", 12)}}.example.com"},
		Templates:    []Template{web, worker},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantURLs := []string{"feature-login-2.example.com", "featur-admin.example.com"}
	if !reflect.DeepEqual(res.URLs, wantURLs) {
		t.Errorf("URLs = %q, want %q", res.URLs, wantURLs)
	}
	if len(res.Releases) != 2 {
		t.Fatalf("%d releases, want 2", len(res.Releases))
	}
	r := res.Releases[0]
	if r.Name != "shop-feature-login-2-web" || r.Template != web {
		t.Errorf("release = %q %+v", r.Name, r.Template)
	}
	wantMap := map[string]any{
		"image": map[string]any{"repository": "registry.example.com/team/shop", "tag": "Feature/Login_2"},
		"hosts": []any{"feature-login-2.example.com", "featur-admin.example.com"},
	}
	if !reflect.DeepEqual(r.ValuesMap, wantMap) {
		t.Errorf("ValuesMap = %#v, want %#v", r.ValuesMap, wantMap)
	}
	if w := res.Releases[1]; w.Name != "shop-feature-login-2-worker" || w.ValuesMap == nil || len(w.ValuesMap) != 0 {
		t.Errorf("empty template gave %+v", w)
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        Input
		kind      error
		template  string
		subject   string
		line, col int
	}{
		{
			name:     "undefined variable",
			in:       Input{Templates: []Template{{Name: "web", Content: "a: 1\nb: {{ MISSING }}"}}},
			kind:     ErrUndefinedVariable,
			template: "web", subject: "MISSING", line: 2, col: 7,
		},
		{
			name:     "URL templates cannot see project variables",
			in:       Input{Variables: []Variable{{"HOST", "x"}}, URLTemplates: []string{"ok", "{{HOST}}"}},
			kind:     ErrUndefinedVariable,
			template: "URL template 1", subject: "HOST", line: 1, col: 3,
		},
		{
			name:     "URL templates cannot see overrides",
			in:       Input{Overrides: map[string]string{"HOST": "x"}, URLTemplates: []string{"{{HOST}}"}},
			kind:     ErrUndefinedVariable,
			template: "URL template 0", subject: "HOST", line: 1, col: 3,
		},
		{
			name:     "URL templates cannot see URLS",
			in:       Input{URLTemplates: []string{"{{URLS[0]}}"}},
			kind:     ErrUndefinedVariable,
			template: "URL template 0", subject: "URLS", line: 1, col: 3,
		},
		{
			name:     "URL templates cannot see RELEASE_NAME",
			in:       Input{URLTemplates: []string{"{{RELEASE_NAME}}"}},
			kind:     ErrUndefinedVariable,
			template: "URL template 0", subject: "RELEASE_NAME", line: 1, col: 3,
		},
		{
			name:     "line break in a default",
			in:       Input{Variables: []Variable{{"NOTE", "a\nb"}}, Templates: []Template{{Name: "web", Content: "n: {{NOTE}}"}}},
			kind:     ErrLineBreak,
			template: "web", subject: "NOTE", line: 1, col: 6,
		},
		{
			name:     "carriage return in an override",
			in:       Input{Overrides: map[string]string{"NOTE": "a\rb"}, Templates: []Template{{Name: "web", Content: "n: {{NOTE}}"}}},
			kind:     ErrLineBreak,
			template: "web", subject: "NOTE", line: 1, col: 6,
		},
		{
			name:     "line break in a URL",
			in:       Input{URLTemplates: []string{`{{"a\nb"}}`}},
			kind:     ErrLineBreak,
			template: "URL template 0", subject: `{{"a\nb"}}`, line: 1, col: 1,
		},
		{
			name:     "unclosed",
			in:       Input{Templates: []Template{{Name: "web", Content: "a: {{VERSION_NAME"}}},
			kind:     ErrUnclosed,
			template: "web", line: 1, col: 4,
		},
		{
			name:     "unknown function",
			in:       Input{Templates: []Template{{Name: "web", Content: "a: {{fn.camelCase(VERSION_NAME)}}"}}},
			kind:     ErrUnknownFunction,
			template: "web", subject: "fn.camelCase", line: 1, col: 6,
		},
		{
			name:     "wrong arity",
			in:       Input{Templates: []Template{{Name: "web", Content: "a: {{fn.truncate(VERSION_NAME)}}"}}},
			kind:     ErrArity,
			template: "web", subject: "fn.truncate", line: 1, col: 6,
		},
		{
			name:     "index out of range",
			in:       Input{URLTemplates: []string{"a"}, Templates: []Template{{Name: "web", Content: "a: {{URLS[1]}}"}}},
			kind:     ErrIndexOutOfRange,
			template: "web", subject: "URLS", line: 1, col: 6,
		},
		{
			name:     "negative index",
			in:       Input{URLTemplates: []string{"a"}, Templates: []Template{{Name: "web", Content: "a: {{URLS[-1]}}"}}},
			kind:     ErrIndexOutOfRange,
			template: "web", subject: "URLS", line: 1, col: 6,
		},
		{
			name:     "index without URLs",
			in:       Input{Templates: []Template{{Name: "web", Content: "a: {{URLS[0]}}"}}},
			kind:     ErrIndexOutOfRange,
			template: "web", subject: "URLS", line: 1, col: 6,
		},
		{
			name:     "invalid argument",
			in:       Input{Templates: []Template{{Name: "web", Content: "a: {{fn.truncate(VERSION_NAME, -2)}}"}}},
			kind:     ErrInvalidArgument,
			template: "web", subject: "fn.truncate", line: 1, col: 6,
		},
		{
			name:     "invalid yaml",
			in:       Input{Templates: []Template{{Name: "web", Content: "a: [{{VERSION_NAME}}\nb: 1"}}},
			kind:     ErrInvalidYAML,
			template: "web",
		},
		{
			name:     "value breaks yaml",
			in:       Input{Overrides: map[string]string{"V": "x: y: z"}, Templates: []Template{{Name: "web", Content: "a: {{V}}"}}},
			kind:     ErrInvalidYAML,
			template: "web",
		},
		{
			name:     "yaml list is not values",
			in:       Input{Templates: []Template{{Name: "web", Content: "- a\n- b"}}},
			kind:     ErrInvalidYAML,
			template: "web",
		},
		{
			name:     "yaml scalar is not values",
			in:       Input{Templates: []Template{{Name: "web", Content: "{{VERSION_NAME}}"}}},
			kind:     ErrInvalidYAML,
			template: "web",
		},
		{
			name:     "duplicate release name",
			in:       Input{Templates: []Template{{Name: "Web"}, {Name: "web"}}},
			kind:     ErrDuplicateRelease,
			template: "web", subject: "shop-feature-login-2-web",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Context = testContext()
			res, err := Render(tt.in)
			if res != nil {
				t.Errorf("Render returned a result along with an error")
			}
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Render = %v, want %v", err, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not *Error", err)
			}
			if e.Template != tt.template || e.Name != tt.subject {
				t.Errorf("Template, Name = %q, %q; want %q, %q", e.Template, e.Name, tt.template, tt.subject)
			}
			if e.Line != tt.line || e.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d", e.Line, e.Column, tt.line, tt.col)
			}
			msg := err.Error()
			if !strings.Contains(msg, strconv.Quote(tt.template)) || (tt.subject != "" && !strings.Contains(msg, strconv.Quote(tt.subject))) {
				t.Errorf("message %q does not name %q and %q", msg, tt.template, tt.subject)
			}
		})
	}
}

func TestErrorUnwrapsYAMLCause(t *testing.T) {
	_, err := Render(Input{Templates: []Template{{Name: "web", Content: "a: [\n"}}})
	var e *Error
	if !errors.As(err, &e) || e.Err == nil {
		t.Fatalf("Render = %v, want an *Error with a cause", err)
	}
	if !errors.Is(err, e.Err) {
		t.Error("errors.Is does not reach the cause")
	}
}
