package render

import (
	"errors"
	"fmt"
	"strings"
)

// MaxSteps bounds the work of rendering one template: every statement, every loop
// iteration and every expression evaluated counts one step. Nested loops over URLS cannot run for long.
const MaxSteps = 1 << 20

// scope holds the values a template can see.
type scope struct {
	vars    map[string]string
	urls    []string
	hasURLs bool // false for URL templates, which cannot see URLS
}

// local is a loop variable.
type local struct {
	name string
	val  value
}

// evaluator renders one parsed template; content is kept to locate errors.
type evaluator struct {
	content string
	scope   scope
	// max caps every value and the output in bytes (Limits.maxBytes).
	max int
	// lenient takes undefined variables, missing URLs and failing placeholders as empty
	// text and skips failing if and for statements, so that CheckLimits gets through a
	// template it cannot fully render.
	lenient bool
	out     strings.Builder
	locals  []local // loop variables, innermost last
	steps   int
}

// fail builds an *Error at a byte offset of the content.
func (ev *evaluator) fail(kind error, offset int, name, detail string) *Error {
	line, col := position(ev.content, offset)
	return &Error{Kind: kind, Name: name, Line: line, Column: col, Detail: detail}
}

// failf is fail with a formatted detail.
func (ev *evaluator) failf(kind error, offset int, name, format string, args ...any) *Error {
	return ev.fail(kind, offset, name, fmt.Sprintf(format, args...))
}

// tooLarge builds the ErrTooLarge of a value of n bytes at offset.
func (ev *evaluator) tooLarge(offset int, name, what string, n int) *Error {
	return ev.fail(ErrTooLarge, offset, name, sizeDetail(what, n, ev.max))
}

// isLimit reports whether err is a breach of the rendering limits.
func isLimit(err error) bool {
	return errors.Is(err, ErrTooLarge) || errors.Is(err, ErrTooDeep) || errors.Is(err, ErrTooComplex)
}

// step counts one step of work and refuses more than MaxSteps.
func (ev *evaluator) step(offset int) error {
	ev.steps++
	if ev.steps > MaxSteps {
		return ev.failf(ErrTooComplex, offset, "", "rendering takes more than %d steps", MaxSteps)
	}
	return nil
}

// tolerate reports whether err may be ignored: in lenient mode, anything but a limit.
func (ev *evaluator) tolerate(err error) bool {
	return ev.lenient && !isLimit(err)
}

// run renders the program to text. The output never grows beyond ev.max bytes: each
// piece is measured before it is appended.
func (ev *evaluator) run(prog *program) (string, error) {
	if err := ev.exec(prog.body); err != nil {
		return "", err
	}
	return ev.out.String(), nil
}

// write appends s to the output unless that makes it larger than the limit.
func (ev *evaluator) write(offset int, s string) error {
	if n := ev.out.Len() + len(s); n > ev.max {
		return ev.tooLarge(offset, "", "the rendered template", n)
	}
	ev.out.WriteString(s)
	return nil
}

// exec runs statements in order.
func (ev *evaluator) exec(body []node) error {
	for _, n := range body {
		if err := ev.step(n.pos()); err != nil {
			return err
		}
		var err error
		switch n := n.(type) {
		case textNode:
			err = ev.write(n.offset, n.text)
		case exprNode:
			err = ev.placeholder(n)
		case ifNode:
			err = ev.ifStatement(n)
		case forNode:
			err = ev.forStatement(n)
		}
		if err != nil && !ev.tolerate(err) {
			return err
		}
	}
	return nil
}

// placeholder writes the value of an expression: nothing for null, else its text, which
// must have no line break.
func (ev *evaluator) placeholder(n exprNode) error {
	v, err := ev.eval(n.expr)
	if err != nil {
		return err
	}
	if v.kind == kindNull {
		return nil
	}
	if size := v.textSize(); size > ev.max {
		return ev.tooLarge(n.offset, "", "the placeholder's result", size)
	}
	s := v.text()
	if HasLineBreak(s) {
		return ev.fail(ErrLineBreak, n.offset, n.source, "the placeholder's result contains a line break")
	}
	return ev.write(n.offset, s)
}

// ifStatement runs the block of the first branch whose condition holds, else the else block.
func (ev *evaluator) ifStatement(n ifNode) error {
	for _, b := range n.branches {
		ok, err := ev.condition(b.cond, "the condition of if")
		if err != nil {
			return err
		}
		if ok {
			return ev.exec(b.body)
		}
	}
	return ev.exec(n.orElse)
}

// forStatement runs the body once per element of a list, with the loop variables set.
func (ev *evaluator) forStatement(n forNode) error {
	list, err := ev.eval(n.list)
	if err != nil {
		return err
	}
	if list.kind != kindList {
		return ev.failf(ErrType, n.list.at(), "for", "for loops go over a list such as URLS, not %s", article(list.kind))
	}
	depth := len(ev.locals)
	defer func() { ev.locals = ev.locals[:depth] }()
	for k, item := range list.list {
		if err := ev.step(n.offset); err != nil {
			return err
		}
		ev.locals = ev.locals[:depth]
		if n.index != "" {
			ev.locals = append(ev.locals, local{n.index, intValue(int64(k))})
		}
		ev.locals = append(ev.locals, local{n.value, stringValue(item)})
		if err := ev.exec(n.body); err != nil {
			return err
		}
	}
	return nil
}

// condition evaluates a condition, which must be a boolean.
func (ev *evaluator) condition(e expr, what string) (bool, error) {
	v, err := ev.eval(e)
	if err != nil {
		return false, err
	}
	if v.kind != kindBool {
		return false, ev.failf(ErrType, e.at(), "", "%s must be a boolean, not %s", what, article(v.kind))
	}
	return v.b, nil
}

// eval evaluates an expression. No string it returns is longer than ev.max bytes.
func (ev *evaluator) eval(e expr) (value, error) {
	if err := ev.step(e.at()); err != nil {
		return value{}, err
	}
	switch n := e.(type) {
	case literal:
		if n.val.kind == kindString && len(n.val.s) > ev.max {
			return value{}, ev.tooLarge(n.offset, "", "the string", len(n.val.s))
		}
		return n.val, nil
	case varRef:
		return ev.lookup(n.name, n.offset)
	case indexExpr:
		return ev.index(n)
	case callExpr:
		return ev.call(n)
	case unaryExpr:
		return ev.unary(n)
	case binaryExpr:
		return ev.binary(n)
	case ternaryExpr:
		ok, err := ev.condition(n.cond, "the condition of ?:")
		if err != nil {
			return value{}, err
		}
		if ok {
			return ev.eval(n.yes)
		}
		return ev.eval(n.no)
	}
	return value{}, ev.fail(ErrSyntax, e.at(), "", "unknown expression")
}

// lookup returns a variable's value, refusing undefined ones, line breaks and values
// larger than the limit.
func (ev *evaluator) lookup(name string, offset int) (value, error) {
	for k := len(ev.locals) - 1; k >= 0; k-- {
		if ev.locals[k].name == name {
			return ev.locals[k].val, nil
		}
	}
	if name == VarURLs {
		if !ev.scope.hasURLs {
			if ev.lenient {
				return value{kind: kindList}, nil
			}
			return value{}, ev.fail(ErrUndefinedVariable, offset, VarURLs, "URL templates cannot use URLS")
		}
		return value{kind: kindList, list: ev.scope.urls}, nil
	}
	v, ok := ev.scope.vars[name]
	if !ok {
		if ev.lenient {
			return stringValue(""), nil
		}
		return value{}, ev.fail(ErrUndefinedVariable, offset, name, "")
	}
	if len(v) > ev.max {
		return value{}, ev.tooLarge(offset, name, "the value", len(v))
	}
	if HasLineBreak(v) && !ev.lenient {
		return value{}, ev.fail(ErrLineBreak, offset, name, "")
	}
	return stringValue(v), nil
}

// index evaluates list[index].
func (ev *evaluator) index(n indexExpr) (value, error) {
	name := ""
	if v, ok := n.list.(varRef); ok {
		name = v.name
	}
	list, err := ev.eval(n.list)
	if err != nil {
		return value{}, err
	}
	if list.kind != kindList {
		return value{}, ev.failf(ErrType, n.offset, name, "only a list such as URLS can be indexed, not %s", article(list.kind))
	}
	iv, err := ev.eval(n.index)
	if err != nil {
		return value{}, err
	}
	if !iv.kind.numeric() {
		return value{}, ev.failf(ErrType, n.index.at(), "", "an index must be an integer, not %s", article(iv.kind))
	}
	k := javaIntValue(iv)
	if k < 0 || k >= int64(len(list.list)) {
		if ev.lenient {
			return stringValue(""), nil
		}
		return value{}, ev.fail(ErrIndexOutOfRange, n.offset, name, indexDetail(k, len(list.list)))
	}
	return stringValue(list.list[k]), nil
}

// call evaluates fn.name(args).
func (ev *evaluator) call(n callExpr) (value, error) {
	fn, _ := lookupFunction(n.name)
	sig, _ := fn.signatureFor(len(n.args))
	vals := make([]value, len(n.args))
	for k, arg := range n.args {
		v, err := ev.eval(arg)
		if err != nil {
			return value{}, err
		}
		if !accepts(sig[k], v.kind) {
			return value{}, ev.failf(ErrType, arg.at(), "fn."+n.name, "argument %d must be %s, not %s", k+1, article(sig[k]), article(v.kind))
		}
		vals[k] = v
	}
	args := make([]any, len(vals))
	for k, v := range vals {
		switch {
		case v.kind == kindNull && !fn.nullSafe:
			return value{}, ev.failf(ErrInvalidArgument, n.offset, "fn."+n.name, "argument %d is null", k+1)
		case v.kind == kindNull && k == 0:
			return value{kind: kindNull}, nil
		case v.kind == kindNull:
			return vals[0], nil
		case v.kind == kindString:
			args[k] = v.s
		default:
			args[k] = int(int32(v.i))
		}
	}
	if fn.size != nil {
		if size := fn.size(args); size > ev.max {
			return value{}, ev.tooLarge(n.offset, "fn."+n.name, "the result", size)
		}
	}
	out, err := fn.call(args)
	if err != nil {
		return value{}, ev.fail(ErrInvalidArgument, n.offset, "fn."+n.name, err.Error())
	}
	if len(out) > ev.max {
		return value{}, ev.tooLarge(n.offset, "fn."+n.name, "the result", len(out))
	}
	return stringValue(out), nil
}

// unary evaluates !x, -x and +x.
func (ev *evaluator) unary(n unaryExpr) (value, error) {
	v, err := ev.eval(n.x)
	if err != nil {
		return value{}, err
	}
	switch n.op {
	case "+":
		return v, nil
	case "!":
		if v.kind != kindBool {
			return value{}, ev.failf(ErrType, n.offset, "!", "the operand must be a boolean, not %s", article(v.kind))
		}
		return boolValue(!v.b), nil
	}
	if !v.kind.numeric() {
		return value{}, ev.failf(ErrType, n.offset, "-", "the operand must be a number, not %s", article(v.kind))
	}
	r, _ := arithmetic("-", numericKind(v.kind, v.kind), intValue(0), v)
	if k := numericKind(v.kind, v.kind); k == kindFloat || k == kindDouble {
		r = value{kind: k, f: -v.f} // keeps -0.0
	}
	return r, nil
}

// binary evaluates x op y; && and || evaluate y only when x does not decide.
func (ev *evaluator) binary(n binaryExpr) (value, error) {
	x, err := ev.eval(n.x)
	if err != nil {
		return value{}, err
	}
	if n.op == "&&" || n.op == "||" {
		if x.kind != kindBool {
			return value{}, ev.failf(ErrType, n.x.at(), n.op, "the left operand must be a boolean, not %s", article(x.kind))
		}
		if x.b == (n.op == "||") {
			return x, nil
		}
	}
	y, err := ev.eval(n.y)
	if err != nil {
		return value{}, err
	}
	bad := func(want string) (value, error) {
		return value{}, ev.failf(ErrType, n.offset, n.op, "the operands must be %s, not %s and %s", want, article(x.kind), article(y.kind))
	}
	switch n.op {
	case "&&", "||":
		if y.kind != kindBool {
			return value{}, ev.failf(ErrType, n.y.at(), n.op, "the right operand must be a boolean, not %s", article(y.kind))
		}
		return y, nil
	case "^":
		if x.kind != kindBool || y.kind != kindBool {
			return bad("booleans")
		}
		return boolValue(x.b != y.b), nil
	case "==":
		return boolValue(equal(x, y)), nil
	case "!=":
		return boolValue(!equal(x, y)), nil
	case "<", "<=", ">", ">=":
		if !x.kind.numeric() || !y.kind.numeric() {
			return bad("numbers")
		}
		return boolValue(compare(n.op, x, y)), nil
	case "+":
		if x.kind == kindNull || y.kind == kindNull {
			return bad("strings or numbers, never null,")
		}
		if x.kind == kindString || y.kind == kindString {
			if size := x.textSize() + y.textSize(); size > ev.max {
				return value{}, ev.tooLarge(n.offset, "+", "the result", size)
			}
			return stringValue(x.text() + y.text()), nil
		}
	}
	if !x.kind.numeric() || !y.kind.numeric() {
		if n.op == "+" {
			return bad("strings or numbers")
		}
		return bad("numbers")
	}
	r, ok := arithmetic(n.op, numericKind(x.kind, y.kind), x, y)
	if !ok {
		return value{}, ev.fail(ErrInvalidArgument, n.offset, n.op, "division by zero")
	}
	return r, nil
}

// indexDetail explains an out-of-range index.
func indexDetail(k int64, n int) string {
	if n == 0 {
		return fmt.Sprintf("index %d, but there are no URLs", k)
	}
	return fmt.Sprintf("index %d, but the list has %d entries (0..%d)", k, n, n-1)
}
