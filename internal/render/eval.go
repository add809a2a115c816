package render

import (
	"errors"
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
	// max caps every value and the output in bytes (Limits.maxBytes).
	max int
	// lenient takes undefined variables, missing URLs and failing placeholders as empty
	// text, so that CheckLimits gets through a template it cannot fully render.
	lenient bool
}

// fail builds an *Error at a byte offset of the content.
func (ev *evaluator) fail(kind error, offset int, name, detail string) *Error {
	line, col := position(ev.content, offset)
	return &Error{Kind: kind, Name: name, Line: line, Column: col, Detail: detail}
}

// tooLarge builds the ErrTooLarge of a value of n bytes at offset.
func (ev *evaluator) tooLarge(offset int, name, what string, n int) *Error {
	return ev.fail(ErrTooLarge, offset, name, sizeDetail(what, n, ev.max))
}

// isLimit reports whether err is a breach of the rendering limits.
func isLimit(err error) bool {
	return errors.Is(err, ErrTooLarge) || errors.Is(err, ErrTooDeep)
}

// run renders the program to text. The output never grows beyond ev.max bytes: each
// piece is measured before it is appended.
func (ev *evaluator) run(prog *program) (string, error) {
	var b strings.Builder
	for _, seg := range prog.segments {
		s := seg.text
		if seg.expr != nil {
			v, err := ev.eval(seg.expr)
			if err != nil && (!ev.lenient || isLimit(err)) {
				return "", err
			}
			s, _ = v.(string)
			if HasLineBreak(s) && !ev.lenient {
				return "", ev.fail(ErrLineBreak, seg.offset, seg.text, "the placeholder's result contains a line break")
			}
		}
		if n := b.Len() + len(s); n > ev.max {
			return "", ev.tooLarge(seg.offset, "", "the rendered template", n)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// eval evaluates a type-checked expression to a string or an int. No string it returns
// is longer than ev.max bytes.
func (ev *evaluator) eval(e expr) (any, error) {
	switch n := e.(type) {
	case stringLit:
		if len(n.value) > ev.max {
			return nil, ev.tooLarge(n.offset, "", "the string", len(n.value))
		}
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
			if ev.lenient {
				return "", nil
			}
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
		if fn.size != nil {
			if size := fn.size(args); size > ev.max {
				return nil, ev.tooLarge(n.offset, "fn."+n.name, "the result", size)
			}
		}
		out, err := fn.call(args)
		if err != nil {
			return nil, ev.fail(ErrInvalidArgument, n.offset, "fn."+n.name, err.Error())
		}
		if len(out) > ev.max {
			return nil, ev.tooLarge(n.offset, "fn."+n.name, "the result", len(out))
		}
		return out, nil
	}
	return nil, ev.fail(ErrSyntax, e.at(), "", "unknown expression")
}

// lookup returns a variable's value, refusing undefined ones, line breaks and values
// larger than the limit.
func (ev *evaluator) lookup(name string, offset int) (string, error) {
	v, ok := ev.scope.vars[name]
	if !ok {
		if ev.lenient {
			return "", nil
		}
		return "", ev.fail(ErrUndefinedVariable, offset, name, "")
	}
	if len(v) > ev.max {
		return "", ev.tooLarge(offset, name, "the value", len(v))
	}
	if HasLineBreak(v) && !ev.lenient {
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
