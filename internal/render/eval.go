package render

import (
	"fmt"
	"strings"
)

// scope holds the values a template can see.
type scope struct {
	vars    map[string]string
	urls    []string
	hasURLs bool // false for URL templates, which cannot see URLS
}

// evaluator renders one parsed template; content is kept to locate errors.
type evaluator struct {
	content string
	scope   scope
}

// fail builds an *Error at a byte offset of the content.
func (ev *evaluator) fail(kind error, offset int, name, detail string) *Error {
	line, col := position(ev.content, offset)
	return &Error{Kind: kind, Name: name, Line: line, Column: col, Detail: detail}
}

// run renders the program to text.
func (ev *evaluator) run(prog *program) (string, error) {
	var b strings.Builder
	for _, seg := range prog.segments {
		if seg.expr == nil {
			b.WriteString(seg.text)
			continue
		}
		v, err := ev.eval(seg.expr)
		if err != nil {
			return "", err
		}
		s := v.(string)
		if strings.ContainsAny(s, "\r\n") {
			return "", ev.fail(ErrLineBreak, seg.offset, seg.text, "the placeholder's result contains a line break")
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// eval evaluates a type-checked expression to a string or an int.
func (ev *evaluator) eval(e expr) (any, error) {
	switch n := e.(type) {
	case stringLit:
		return n.value, nil
	case intLit:
		return n.value, nil
	case varRef:
		return ev.lookup(n.name, n.offset)
	case indexExpr:
		if !ev.scope.hasURLs {
			return nil, ev.fail(ErrUndefinedVariable, n.offset, VarURLs, "URL templates cannot use URLS")
		}
		v, err := ev.eval(n.index)
		if err != nil {
			return nil, err
		}
		k := v.(int)
		if k < 0 || k >= len(ev.scope.urls) {
			return nil, ev.fail(ErrIndexOutOfRange, n.offset, VarURLs,
				indexDetail(k, len(ev.scope.urls)))
		}
		return ev.scope.urls[k], nil
	case callExpr:
		fn, _ := lookupFunction(n.name)
		args := make([]any, len(n.args))
		for k, arg := range n.args {
			v, err := ev.eval(arg)
			if err != nil {
				return nil, err
			}
			args[k] = v
		}
		out, err := fn.call(args)
		if err != nil {
			return nil, ev.fail(ErrInvalidArgument, n.offset, "fn."+n.name, err.Error())
		}
		return out, nil
	}
	return nil, ev.fail(ErrSyntax, e.at(), "", "unknown expression")
}

// lookup returns a variable's value, refusing undefined ones and line breaks.
func (ev *evaluator) lookup(name string, offset int) (string, error) {
	v, ok := ev.scope.vars[name]
	if !ok {
		return "", ev.fail(ErrUndefinedVariable, offset, name, "")
	}
	if strings.ContainsAny(v, "\r\n") {
		return "", ev.fail(ErrLineBreak, offset, name, "")
	}
	return v, nil
}

// indexDetail explains an out-of-range index.
func indexDetail(k, n int) string {
	if n == 0 {
		return fmt.Sprintf("index %d, but there are no URLs", k)
	}
	return fmt.Sprintf("index %d, but URLS has %d entries (0..%d)", k, n, n-1)
}
