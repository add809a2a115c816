package render

import (
	"errors"
	"testing"
)

// evalSnippet renders content with the given variables and URLs.
func evalSnippet(t *testing.T, content string, vars map[string]string, urls []string) (string, error) {
	t.Helper()
	prog, err := parse(content)
	if err != nil {
		return "", err
	}
	ev := &evaluator{content: content, scope: scope{vars: vars, urls: urls, hasURLs: true}, max: DefaultMaxBytes}
	return ev.run(prog)
}

func TestFunctions(t *testing.T) {
	vars := map[string]string{
		"TAG":    "Feature/JIRA-12_Login",
		"SPACED": " \t padded\u00a0 ",
		"UNI":    "Grüße",
		"EMPTY":  "",
	}
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"lowerCase", "{{fn.lowerCase(TAG)}}", "feature/jira-12_login"},
		{"upperCase", "{{fn.upperCase(TAG)}}", "FEATURE/JIRA-12_LOGIN"},
		{"upperCase maps per character", "{{fn.upperCase(UNI)}}", "GRÜßE"},
		{"trim removes control and space only", "[{{fn.trim(SPACED)}}]", "[padded\u00a0]"},
		{"trim empty", "[{{fn.trim(EMPTY)}}]", "[]"},
		{"replace all", `{{fn.replace(TAG, "-", ".")}}`, "Feature/JIRA.12_Login"},
		{"replace several", `{{fn.replace("a-b-c-d", "-", "")}}`, "abcd"},
		{"replace with max", `{{fn.replace("a-b-c-d", "-", "+", 2)}}`, "a+b+c-d"},
		{"replace max zero", `{{fn.replace("a-b", "-", "+", 0)}}`, "a-b"},
		{"replace max negative", `{{fn.replace("a-b-c", "-", "+", -1)}}`, "a+b+c"},
		{"replace empty search", `{{fn.replace("abc", "", "x")}}`, "abc"},
		{"replace missing", `{{fn.replace("abc", "z", "x")}}`, "abc"},
		{"truncate", "{{fn.truncate(TAG, 7)}}", "Feature"},
		{"truncate longer than input", "{{fn.truncate(TAG, 100)}}", "Feature/JIRA-12_Login"},
		{"truncate zero", "[{{fn.truncate(TAG, 0)}}]", "[]"},
		{"truncate counts characters", "{{fn.truncate(UNI, 3)}}", "Grü"},
		{"removeStart", `{{fn.removeStart(TAG, "Feature/")}}`, "JIRA-12_Login"},
		{"removeStart absent", `{{fn.removeStart(TAG, "bugfix/")}}`, "Feature/JIRA-12_Login"},
		{"removeStart only once", `{{fn.removeStart("aab", "a")}}`, "ab"},
		{"removeEnd", `{{fn.removeEnd(TAG, "_Login")}}`, "Feature/JIRA-12"},
		{"removeEnd absent", `{{fn.removeEnd(TAG, "x")}}`, "Feature/JIRA-12_Login"},
		{"suffix fits", `{{fn.suffixWithMaxLength("app", "-api", 63)}}`, "app-api"},
		{"suffix cuts the string", `{{fn.suffixWithMaxLength("abcdefghij", "-api", 8)}}`, "abcd-api"},
		{"suffix exactly max", `{{fn.suffixWithMaxLength("abcd", "-api", 4)}}`, "-api"},
		{"suffix counts characters", `{{fn.suffixWithMaxLength(UNI, "ß", 3)}}`, "Grß"},
		{"suffix longer than max gives the suffix alone", `{{fn.suffixWithMaxLength("abc", "-long", 3)}}`, "-long"},
		{"null in gives null out", `[{{fn.lowerCase(null)}}]`, "[]"},
		{"null search replaces nothing", `{{fn.replace(TAG, null, "x")}}`, "Feature/JIRA-12_Login"},
		{"null prefix removes nothing", `{{fn.removeStart(TAG, null)}}`, "Feature/JIRA-12_Login"},
		{"byte and short widen to int", `{{fn.truncate(TAG, 3b)}}{{fn.truncate(TAG, 2s)}}`, "FeaFe"},
		{"computed arguments", `{{fn.truncate(TAG + "-x", 2 * 4)}}`, "Feature/"},
		{"nested", `{{fn.truncate(fn.lowerCase(fn.replace(TAG, "/", "-")), 12)}}`, "feature-jira"},
		{"string escapes", `{{"q\"b\\"}}`, `q"b\`},
		{"tab escape", `{{"a\tb"}}`, "a\tb"},
		{"url", "{{URLS[1]}}", "https://b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalSnippet(t, tt.content, vars, []string{"https://a", "https://b"})
			if err != nil {
				t.Fatalf("render %q: %v", tt.content, err)
			}
			if got != tt.want {
				t.Errorf("render %q = %q, want %q", tt.content, got, tt.want)
			}
		})
	}
}

func TestFunctionErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		kind    error
		subject string
	}{
		{"negative truncate", "{{fn.truncate(A, -1)}}", ErrInvalidArgument, "fn.truncate"},
		{"null where null is not taken", `{{fn.suffixWithMaxLength(null, "-api", 8)}}`, ErrInvalidArgument, "fn.suffixWithMaxLength"},
		{"computed negative truncate", `{{fn.truncate(A, 1 - 2)}}`, ErrInvalidArgument, "fn.truncate"},
		{"replace introduces line break", `{{fn.replace(A, "a", "\n")}}`, ErrLineBreak, `{{fn.replace(A, "a", "\n")}}`},
		{"literal line break", `{{"a\rb"}}`, ErrLineBreak, `{{"a\rb"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evalSnippet(t, tt.content, map[string]string{"A": "abc"}, nil)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.kind) {
				t.Fatalf("render %q = %v, want %v", tt.content, err, tt.kind)
			}
			if e.Name != tt.subject {
				t.Errorf("Name = %q, want %q", e.Name, tt.subject)
			}
		})
	}
}
