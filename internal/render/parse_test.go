package render

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckAccepts(t *testing.T) {
	tests := []struct {
		name    string
		content string
	}{
		{"empty", ""},
		{"plain yaml", "a: b\nc: [1, 2]\n"},
		{"variable", "tag: {{VERSION_NAME}}"},
		{"whitespace inside braces", "tag: {{   VERSION_NAME\t}}"},
		{"line breaks inside braces", "tag: {{\n  fn.lowerCase(\n    VERSION_NAME\n  )\n}}"},
		{"url index", "host: {{URLS[0]}}"},
		{"url index with spaces", "host: {{ URLS [ 12 ] }}"},
		{"lower and upper", "{{fn.lowerCase(A)}}{{fn.upperCase(A)}}"},
		{"trim", "{{fn.trim(A)}}"},
		{"replace three", `{{fn.replace(A, "/", "-")}}`},
		{"replace four", `{{fn.replace(A, "/", "-", -1)}}`},
		{"truncate", "{{fn.truncate(A, 10)}}"},
		{"remove start and end", `{{fn.removeStart(A, "v")}}{{fn.removeEnd(A, "-SNAPSHOT")}}`},
		{"suffix with max length", `{{fn.suffixWithMaxLength(SAFE_VERSION_NAME, "-api", 63)}}`},
		{"nested calls", `{{fn.truncate(fn.lowerCase(fn.replace(VERSION_NAME, "_", "-")), 20)}}`},
		{"string literal", `{{"{{"}}`},
		{"string with braces inside", `{{ "}}" }}`},
		{"escapes", `{{"a\"b\\c\t"}}`},
		{"identifier characters", "{{_a$1}}"},
		{"single closing braces are text", "a: }} b }"},
		{"adjacent placeholders", "{{A}}{{B}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(tt.content); err != nil {
				t.Fatalf("Check(%q) = %v, want nil", tt.content, err)
			}
		})
	}
}

func TestCheckRejects(t *testing.T) {
	tests := []struct {
		name         string
		content      string
		kind         error
		line, column int
		mention      string
	}{
		{"unclosed at end", "a: {{VERSION_NAME", ErrUnclosed, 1, 4, ""},
		{"unclosed bare", "{{", ErrUnclosed, 1, 1, ""},
		{"unclosed on later line", "a: b\nc: {{ fn.trim(A", ErrUnclosed, 2, 4, ""},
		{"unclosed string at end", `{{ "abc`, ErrUnclosed, 1, 1, ""},
		{"unterminated string", `{{ "abc }}`, ErrSyntax, 1, 4, "double quote"},
		{"empty placeholder", "{{ }}", ErrSyntax, 1, 4, "empty"},
		{"two identifiers", "{{A B}}", ErrSyntax, 1, 5, `"B"`},
		{"single quotes", "{{fn.trim('a')}}", ErrSyntax, 1, 11, "double quotes"},
		{"member access", "{{A.b}}", ErrSyntax, 1, 4, "fn"},
		{"bare call", "{{trim(A)}}", ErrSyntax, 1, 7, "fn.trim"},
		{"missing paren", "{{fn.trim A}}", ErrSyntax, 1, 11, ""},
		{"bad separator", "{{fn.replace(A; B)}}", ErrSyntax, 1, 15, ""},
		{"dash alone", "{{-}}", ErrSyntax, 1, 4, "operand"},
		{"number too large", "{{URLS[99999999999999999999]}}", ErrSyntax, 1, 8, "range"},
		{"missing bracket", "{{URLS[0}}", ErrSyntax, 1, 9, "]"},
		{"unknown function", "{{fn.toLower(A)}}", ErrUnknownFunction, 1, 3, "fn.toLower"},
		{"too few arguments", "{{fn.replace(A, B)}}", ErrArity, 1, 3, "3 or 4"},
		{"too many arguments", "{{fn.trim(A, B)}}", ErrArity, 1, 3, "fn.trim"},
		{"no arguments", "{{fn.lowerCase()}}", ErrArity, 1, 3, "got 0"},
		{"string for integer", `{{fn.truncate(A, "3")}}`, ErrType, 1, 18, "integer"},
		{"integer for string", "{{fn.trim(3)}}", ErrType, 1, 11, "string"},
		{"URLS as argument", "{{fn.trim(URLS)}}", ErrType, 1, 11, "list"},
		{"index other variable", "{{FOO[0]}}", ErrType, 1, 3, "URLS"},
		{"if without end", "a\n{{if true}}\nb", ErrSyntax, 2, 1, "{{end}}"},
		{"for without end", "{{for u in URLS}}x", ErrSyntax, 1, 1, "{{end}}"},
		{"end alone", "a: 1\n{{ end }}", ErrSyntax, 2, 1, "without a matching"},
		{"else alone", "{{else}}", ErrSyntax, 1, 1, "else"},
		{"elseif after else", "{{if true}}{{else}}{{elseif false}}{{end}}", ErrSyntax, 1, 20, "after {{else}}"},
		{"else in for", "{{for u in URLS}}{{else}}{{end}}", ErrSyntax, 1, 18, "inside {{for}}"},
		{"for without in", "{{for u URLS}}{{end}}", ErrSyntax, 1, 9, "in"},
		{"for without variable", "{{for in URLS}}{{end}}", ErrSyntax, 1, 10, "in"},
		{"for over a string", "{{for c in VERSION_NAME}}{{end}}", ErrType, 1, 12, "list"},
		{"if on a string", `{{if VERSION_NAME}}x{{end}}`, ErrType, 1, 6, "boolean"},
		{"elseif on a number", `{{if false}}{{elseif 1}}x{{end}}`, ErrType, 1, 22, "boolean"},
		{"while", "{{while true}}{{end}}", ErrSyntax, 1, 1, "not supported"},
		{"macro", "{{macro m()}}{{end}}", ErrSyntax, 1, 1, "not supported"},
		{"include", `{{include "x"}}`, ErrSyntax, 1, 1, "not supported"},
		{"assignment", "{{a = 1}}", ErrSyntax, 1, 5, "assignments"},
		{"list literal", "{{[1, 2]}}", ErrSyntax, 1, 3, "list"},
		{"map literal", "{{ {a: 1} }}", ErrSyntax, 1, 4, "map"},
		{"minus on strings", `{{VERSION_NAME - 1}}`, ErrType, 1, 16, "numbers"},
		{"less on strings", `{{"a" < "b"}}`, ErrType, 1, 7, "numbers"},
		{"and on numbers", `{{1 && true}}`, ErrType, 1, 5, "booleans"},
		{"not on a string", `{{!VERSION_NAME}}`, ErrType, 1, 3, "boolean"},
		{"negative string", `{{-"a"}}`, ErrType, 1, 3, "number"},
		{"null joined", `{{"a" + null}}`, ErrType, 1, 7, "null"},
		{"ternary on a string", `{{A ? "x" : "y"}}`, ErrType, 1, 3, "boolean"},
		{"ternary without colon", `{{true ? "x"}}`, ErrSyntax, 1, 13, ":"},
		{"unclosed parenthesis", `{{(1 + 2}}`, ErrSyntax, 1, 9, ")"},
		{"long with a point", "{{1.5l}}", ErrSyntax, 1, 3, "long"},
		{"byte out of range", "{{300b}}", ErrSyntax, 1, 3, "range"},
		{"int out of range", "{{2147483648}}", ErrSyntax, 1, 3, "range"},
		{"letters after a number", "{{12ab}}", ErrSyntax, 1, 3, "number"},
		{"method call", "{{URLS.size()}}", ErrSyntax, 1, 7, "member"},
		{"fn alone", "{{fn}}", ErrSyntax, 1, 3, "fn.name"},
		{"function result indexed", `{{fn.trim(A)[0]}}`, ErrType, 1, 3, "list"},
		{"string index", `{{URLS["a"]}}`, ErrType, 1, 8, "integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.content)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Check(%q) = %v, want %v", tt.content, err, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Line != tt.line || e.Column != tt.column {
				t.Errorf("position = %d:%d, want %d:%d (%v)", e.Line, e.Column, tt.line, tt.column, err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("message %q does not mention %q", err, tt.mention)
			}
		})
	}
}
