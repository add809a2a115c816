package render

import (
	"errors"
	"testing"
)

// TestLanguage renders the parts of O-Neko's template language (basis-template 1.7) that
// oneko supports, with the results O-Neko gives.
func TestLanguage(t *testing.T) {
	vars := map[string]string{"VERSION_NAME": "master", "BRANCH": "feature/x", "EMPTY": ""}
	urls := []string{"https://a", "https://b"}
	tests := []struct {
		name, content, want string
	}{
		// Whitespace: control tags do not trim anything.
		{"control tags keep their lines", "a\n{{if true}}\nb\n{{end}}\nc", "a\n\nb\n\nc"},
		{"false branch leaves its lines", "a\n{{if false}}\nb\n{{end}}\nc", "a\n\nc"},
		{"indentation is kept", "  {{if true}}x{{end}}  ", "  x  "},
		// Literals and how values are written.
		{"booleans", "{{true}} {{false}}", "true false"},
		{"null writes nothing", "[{{null}}]", "[]"},
		{"integers", "{{123}} {{-7}} {{+5}} {{0}}", "123 -7 5 0"},
		{"suffixed integers", "{{127b}} {{300s}} {{123l}} {{9000000000l}}", "127 300 123 9000000000"},
		{"a fraction is a float", "{{1.5}} {{2.0}} {{1.0 / 3}}", "1.5 2.0 0.33333334"},
		{"doubles", "{{1.5d}} {{1.0d / 3}} {{3d}}", "1.5 0.3333333333333333 3.0"},
		{"scientific notation", "{{10000000.0}} {{0.0001d}} {{1.0 / 0}} {{-1.0 / 0}}", "1.0E7 1.0E-4 Infinity -Infinity"},
		{"strings and escapes", `{{"q\"b\\"}} {{"a\tb"}} {{"a\qb"}}`, "q\"b\\ a\tb a\\qb"},
		{"list", "{{URLS}}", "[https://a, https://b]"},
		// Operators.
		{"precedence", "{{1 + 2 * 3}} {{(1 + 2) * 3}} {{10 - 4 - 3}} {{2 * 3 % 4}}", "7 9 3 2"},
		{"integer division", "{{7 / 2}} {{-7 / 2}} {{-7 % 3}} {{7 % -3}}", "3 -3 -1 1"},
		{"int overflow wraps", "{{2147483647 + 1}} {{2147483647l + 1}}", "-2147483648 2147483648"},
		{"widening", "{{1 + 1.5}} {{1b + 1b}} {{1 + 1l}} {{7 % 3.0}}", "2.5 2 2 1.0"},
		{"plus joins strings", `{{"v" + 1 + 2}} {{1 + 2 + "v"}} {{"x" + true}} {{"n" + 1.5}} {{VERSION_NAME + "-" + BRANCH}}`, "v12 3v xtrue n1.5 master-feature/x"},
		{"comparisons", "{{1 < 2}} {{2 <= 2}} {{3 > 4}} {{4 >= 4}} {{1 < 1.5}}", "true true false true true"},
		{"equality is Java's equals", `{{1 == 1}} {{1 == 1l}} {{"a" == "a"}} {{VERSION_NAME == "master"}} {{null == null}} {{EMPTY == null}} {{1.0 == 1.0}} {{1 != 2}}`,
			"true false true true true false true true"},
		{"logic", "{{!(1 > 2)}} {{true && false}} {{false || true}} {{true ^ true}}", "true false true false"},
		{"&& and || bind alike, left to right", "{{true || false && false}} {{false && true || true}}", "false true"},
		{"short circuit", "{{false && MISSING == 1}} {{true || MISSING == 1}}", "false true"},
		{"ternary", `{{VERSION_NAME == "master" ? "prod" : "test"}} {{false ? "a" : true ? "b" : "c"}}`, "prod b"},
		{"ternary of mixed kinds", `{{true ? 1 : "one"}}`, "1"},
		{"functions in expressions", `{{fn.upperCase(VERSION_NAME) + "-" + fn.truncate(BRANCH, 3)}}`, "MASTER-fea"},
		// Statements.
		{"if", `{{if VERSION_NAME == "master"}}prod{{end}}`, "prod"},
		{"if else", `{{if VERSION_NAME == "main"}}main{{else}}other{{end}}`, "other"},
		{"elseif", `{{if 1 > 2}}a{{elseif 2 > 3}}b{{elseif 3 > 2}}c{{else}}d{{end}}`, "c"},
		{"else after elseifs", `{{if false}}a{{elseif false}}b{{else}}d{{end}}`, "d"},
		{"nested if", `{{if true}}[{{if false}}x{{else}}y{{end}}]{{end}}`, "[y]"},
		{"for", "{{for u in URLS}}<{{u}}>{{end}}", "<https://a><https://b>"},
		{"for with index", "{{for i, u in URLS}}{{i}}={{u}};{{end}}", "0=https://a;1=https://b;"},
		{"index in conditions", "{{for i, u in URLS}}{{if i > 0}},{{end}}{{u}}{{end}}", "https://a,https://b"},
		{"nested loops", `{{for a in URLS}}{{for b in URLS}}{{a == b ? "=" : "x"}}{{end}}{{end}}`, "=xx="},
		{"loop variable shadows", "{{for VERSION_NAME in URLS}}{{VERSION_NAME}} {{end}}{{VERSION_NAME}}", "https://a https://b master"},
		{"for over yaml lines", "hosts:\n{{for u in URLS}}\n  - {{u}}\n{{end}}\n", "hosts:\n\n  - https://a\n\n  - https://b\n\n"},
		{"a branch not taken is not evaluated", "{{if false}}{{MISSING}}{{end}}ok", "ok"},
		// Indexes and text.
		{"computed index", "{{URLS[1 - 1]}} {{URLS[1l]}} {{URLS[1.9]}}", "https://a https://b https://b"},
		{"escaped braces in text", `a: \{x\} \{{"{{"}}`, "a: {x} \\{{"},
		{"literal braces", `{{"{{"}}x{{"}}"}}`, "{{x}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalSnippet(t, tt.content, vars, urls)
			if err != nil {
				t.Fatalf("render %q: %v", tt.content, err)
			}
			if got != tt.want {
				t.Errorf("render %q = %q, want %q", tt.content, got, tt.want)
			}
		})
	}
}

// TestLanguageErrors: what can only go wrong while rendering is reported with its kind,
// subject and position.
func TestLanguageErrors(t *testing.T) {
	tests := []struct {
		name, content string
		kind          error
		subject       string
		line, col     int
	}{
		{"integer division by zero", "a\n{{1 / 0}}", ErrInvalidArgument, "/", 2, 5},
		{"modulo by zero", "{{1 % (1 - 1)}}", ErrInvalidArgument, "%", 1, 5},
		{"undefined in the branch taken", "{{if true}}{{MISSING}}{{end}}", ErrUndefinedVariable, "MISSING", 1, 14},
		{"undefined in a condition", "{{if MISSING == 1}}x{{end}}", ErrUndefinedVariable, "MISSING", 1, 6},
		{"condition only known when rendering", `{{if (true ? "a" : false)}}x{{end}}`, ErrType, "", 1, 7},
		{"index out of range in a loop", "{{for u in URLS}}{{URLS[2]}}{{end}}", ErrIndexOutOfRange, "URLS", 1, 20},
		{"line break from an expression", `{{"a" + "\n"}}`, ErrLineBreak, `{{"a" + "\n"}}`, 1, 1},
		{"null in a function that does not take it", `{{fn.suffixWithMaxLength("a", null, 3)}}`, ErrInvalidArgument, "fn.suffixWithMaxLength", 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evalSnippet(t, tt.content, map[string]string{"A": "abc"}, []string{"https://a", "https://b"})
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.kind) {
				t.Fatalf("render %q = %v, want %v", tt.content, err, tt.kind)
			}
			if e.Name != tt.subject || e.Line != tt.line || e.Column != tt.col {
				t.Errorf("error names %q at %d:%d, want %q at %d:%d (%v)", e.Name, e.Line, e.Column, tt.subject, tt.line, tt.col, err)
			}
		})
	}
}
