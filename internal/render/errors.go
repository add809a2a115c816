package render

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, one per kind of problem. An *Error wraps exactly one of them.
var (
	// ErrUnclosed reports a "{{" without a matching "}}".
	ErrUnclosed = errors.New("unclosed {{")
	// ErrSyntax reports a placeholder that does not follow the grammar.
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownFunction reports a call of a function that does not exist.
	ErrUnknownFunction = errors.New("unknown function")
	// ErrArity reports a call with the wrong number of arguments.
	ErrArity = errors.New("wrong number of arguments")
	// ErrType reports a value of the wrong type: a number where a string is needed,
	// a list used as a string, an index on something other than URLS.
	ErrType = errors.New("type mismatch")
	// ErrUndefinedVariable reports a variable that has no value.
	ErrUndefinedVariable = errors.New("undefined variable")
	// ErrLineBreak reports a value, or a placeholder's result, that contains a line break.
	ErrLineBreak = errors.New("value contains a line break")
	// ErrIndexOutOfRange reports URLS[n] with n outside the rendered URLs.
	ErrIndexOutOfRange = errors.New("index out of range")
	// ErrInvalidArgument reports a function argument outside what the function accepts.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrInvalidYAML reports a rendered template that is not a YAML mapping.
	ErrInvalidYAML = errors.New("rendered output is not valid YAML")
	// ErrDuplicateRelease reports two templates that map to the same release name.
	ErrDuplicateRelease = errors.New("duplicate release name")
	// ErrTooLarge reports a placeholder, a value or a rendered template larger than
	// Limits.MaxBytes.
	ErrTooLarge = errors.New("output too large")
	// ErrTooDeep reports expressions or blocks nested more deeply than MaxDepth.
	ErrTooDeep = errors.New("expression nested too deeply")
	// ErrTooComplex reports a template that takes more than MaxSteps to render.
	ErrTooComplex = errors.New("template too complex")
)

// Error is a problem found while checking or rendering one template.
type Error struct {
	// Template is the template's name, "URL template <n>" for a URL template,
	// or empty when Check was called on bare content.
	Template string
	// Kind is one of the sentinel errors of this package.
	Kind error
	// Name is the variable or function concerned, or the placeholder's source text;
	// empty when nothing more specific applies.
	Name string
	// Line and Column locate the problem in the template content (both 1-based, the
	// column in bytes); zero when the problem has no single position, as for YAML errors,
	// whose cause then names the line of the rendered output.
	Line, Column int
	// Detail adds a human explanation; may be empty.
	Detail string
	// Err is an underlying cause, such as a YAML parser error; may be nil.
	Err error
}

// Error formats the problem as `template "web": line 3, column 9: undefined variable "FOO"`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Template != "" {
		fmt.Fprintf(&b, "template %q: ", e.Template)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(e.Kind.Error())
	if e.Name != "" {
		fmt.Fprintf(&b, " %q", e.Name)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the kind and the underlying cause, so errors.Is matches either.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// position converts a byte offset in content to a 1-based line and column
// (the column counts bytes).
func position(content string, offset int) (line, column int) {
	if offset > len(content) {
		offset = len(content)
	}
	before := content[:offset]
	line = strings.Count(before, "\n") + 1
	column = offset - strings.LastIndexByte(before, '\n')
	return line, column
}
