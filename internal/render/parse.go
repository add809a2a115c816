package render

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Check parses content and checks it without rendering: every "{{" is closed, every tag
// follows the grammar, every {{if}} and {{for}} has its {{end}}, nesting stays within
// MaxDepth, functions exist and get the right number and kinds of arguments, and
// operators get operands they accept where that is known before rendering. It does not
// look variables up. Use it when a project is saved.
func Check(content string) error {
	if _, err := parse(content); err != nil {
		return err
	}
	return nil
}

// parse turns template content into a program, reporting the first problem found.
// Returned errors are *Error without a template name.
func parse(content string) (*program, error) {
	p := &parser{src: content}
	body, end, err := p.block()
	if err != nil {
		return nil, err
	}
	if end.word != "" {
		return nil, p.fail(ErrSyntax, end.offset, end.word, "{{%s}} without a matching {{if}} or {{for}}", end.word)
	}
	prog := &program{body: body}
	if err := p.check(prog.body, nil); err != nil {
		return nil, err
	}
	return prog, nil
}

// parser walks the content byte by byte; pos is the next unread byte.
type parser struct {
	src string
	pos int
	// depth is how many expressions and blocks enclose the one being parsed.
	depth int
}

// closing is the control tag that ended a block: elseif, else or end, or "" at the end
// of the content.
type closing struct {
	word   string
	cond   expr // the condition of an elseif
	offset int  // where the tag's "{{" is
}

// fail builds an *Error at a byte offset.
func (p *parser) fail(kind error, offset int, name, format string, args ...any) *Error {
	line, col := position(p.src, offset)
	return &Error{Kind: kind, Name: name, Line: line, Column: col, Detail: fmt.Sprintf(format, args...)}
}

// unclosed reports the tag opened at start as never closed.
func (p *parser) unclosed(start int) *Error {
	return p.fail(ErrUnclosed, start, "", "no matching }} before the end of the template")
}

// enter counts one more level of nesting and refuses more than MaxDepth.
func (p *parser) enter(offset int) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.fail(ErrTooDeep, offset, "", "expressions and blocks may nest at most %d levels deep", MaxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// block parses text and tags up to an elseif, else or end tag, or the end of the content.
func (p *parser) block() ([]node, closing, error) {
	var body []node
	for p.pos < len(p.src) {
		open := strings.Index(p.src[p.pos:], "{{")
		if open < 0 {
			body = append(body, textNode{text: unescapeText(p.src[p.pos:]), offset: p.pos})
			p.pos = len(p.src)
			break
		}
		if open > 0 {
			body = append(body, textNode{text: unescapeText(p.src[p.pos : p.pos+open]), offset: p.pos})
		}
		start := p.pos + open
		p.pos = start + 2
		n, end, err := p.tag(start)
		if err != nil {
			return nil, closing{}, err
		}
		if end.word != "" {
			return body, end, nil
		}
		body = append(body, n)
	}
	return body, closing{}, nil
}

// unescapeText turns \{ into { and \} into } in text, as O-Neko's engine does.
func unescapeText(s string) string {
	if !strings.Contains(s, `\{`) && !strings.Contains(s, `\}`) {
		return s
	}
	return strings.NewReplacer(`\{`, "{", `\}`, "}").Replace(s)
}

// keyword returns the control word at the current position (if, elseif, else, end, for,
// or one of O-Neko's engine that oneko does not support), or "".
func (p *parser) keyword() string {
	p.skipSpace()
	if p.pos >= len(p.src) || !isIdentStart(p.src[p.pos]) {
		return ""
	}
	end := p.pos
	for end < len(p.src) && (isIdentStart(p.src[end]) || isDigit(p.src[end])) {
		end++
	}
	switch w := p.src[p.pos:end]; w {
	case "if", "elseif", "else", "end", "for", "while", "break", "continue", "macro", "include", "return":
		return w
	}
	return ""
}

// tag parses one tag after "{{" (opened at start): a control tag or a placeholder. A tag
// that ends a block is returned as closing.
func (p *parser) tag(start int) (node, closing, error) {
	word := p.keyword()
	if word != "" {
		p.pos += len(word)
	}
	switch word {
	case "":
		e, err := p.expression(start)
		if err != nil {
			return nil, closing{}, err
		}
		if err := p.closeTag(start); err != nil {
			return nil, closing{}, err
		}
		return exprNode{expr: e, source: p.src[start:p.pos], offset: start}, closing{}, nil
	case "if":
		n, err := p.ifBlock(start)
		return n, closing{}, err
	case "for":
		n, err := p.forBlock(start)
		return n, closing{}, err
	case "elseif":
		cond, err := p.expression(start)
		if err != nil {
			return nil, closing{}, err
		}
		if err := p.closeTag(start); err != nil {
			return nil, closing{}, err
		}
		return nil, closing{word: word, cond: cond, offset: start}, nil
	case "else", "end":
		if err := p.closeTag(start); err != nil {
			return nil, closing{}, err
		}
		return nil, closing{word: word, offset: start}, nil
	}
	return nil, closing{}, p.fail(ErrSyntax, start, word, "{{%s}} of O-Neko's template engine is not supported; use if, for, expressions and fn functions", word)
}

// closeTag consumes the "}}" that ends the tag opened at start.
func (p *parser) closeTag(start int) error {
	p.skipSpace()
	switch {
	case strings.HasPrefix(p.src[p.pos:], "}}"):
		p.pos += 2
		return nil
	case p.pos >= len(p.src):
		return p.unclosed(start)
	case !strings.Contains(p.src[p.pos:], "}}"):
		return p.unclosed(start)
	case p.src[p.pos] == '=' && !strings.HasPrefix(p.src[p.pos:], "=="):
		return p.fail(ErrSyntax, p.pos, "=", "assignments are not supported")
	}
	return p.fail(ErrSyntax, p.pos, "", "expected }} but found %q", p.peekToken())
}

// ifBlock parses the rest of {{if c}}…{{end}} after the word if.
func (p *parser) ifBlock(start int) (node, error) {
	if err := p.enter(start); err != nil {
		return nil, err
	}
	defer p.leave()
	n := ifNode{offset: start}
	cond, err := p.expression(start)
	if err != nil {
		return nil, err
	}
	if err := p.closeTag(start); err != nil {
		return nil, err
	}
	for {
		body, end, err := p.block()
		if err != nil {
			return nil, err
		}
		switch end.word {
		case "":
			return nil, p.fail(ErrSyntax, start, "if", "no matching {{end}}")
		case "elseif":
			n.branches = append(n.branches, branch{cond: cond, body: body})
			cond = end.cond
			continue
		case "else":
			n.branches = append(n.branches, branch{cond: cond, body: body})
			orElse, last, err := p.block()
			if err != nil {
				return nil, err
			}
			if last.word != "end" {
				if last.word == "" {
					return nil, p.fail(ErrSyntax, start, "if", "no matching {{end}}")
				}
				return nil, p.fail(ErrSyntax, last.offset, last.word, "{{%s}} after {{else}}", last.word)
			}
			n.orElse = orElse
			if n.orElse == nil {
				n.orElse = []node{}
			}
			return n, nil
		}
		n.branches = append(n.branches, branch{cond: cond, body: body})
		return n, nil
	}
}

// forBlock parses the rest of {{for [index,] value in list}}…{{end}} after the word for.
func (p *parser) forBlock(start int) (node, error) {
	if err := p.enter(start); err != nil {
		return nil, err
	}
	defer p.leave()
	n := forNode{offset: start}
	name, err := p.loopVariable(start)
	if err != nil {
		return nil, err
	}
	n.value = name
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ',' {
		p.pos++
		n.index = name
		if n.value, err = p.loopVariable(start); err != nil {
			return nil, err
		}
	}
	p.skipSpace()
	if !strings.HasPrefix(p.src[p.pos:], "in") || (p.pos+2 < len(p.src) && (isIdentStart(p.src[p.pos+2]) || isDigit(p.src[p.pos+2]))) {
		return nil, p.fail(ErrSyntax, p.pos, "for", "expected in after the loop variable, as in {{for url in URLS}}")
	}
	p.pos += 2
	if n.list, err = p.expression(start); err != nil {
		return nil, err
	}
	if err := p.closeTag(start); err != nil {
		return nil, err
	}
	body, end, err := p.block()
	if err != nil {
		return nil, err
	}
	if end.word != "end" {
		if end.word == "" {
			return nil, p.fail(ErrSyntax, start, "for", "no matching {{end}}")
		}
		return nil, p.fail(ErrSyntax, end.offset, end.word, "{{%s}} inside {{for}} without {{if}}", end.word)
	}
	n.body = body
	return n, nil
}

// loopVariable parses the name of a loop variable.
func (p *parser) loopVariable(start int) (string, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return "", p.unclosed(start)
	}
	if !isIdentStart(p.src[p.pos]) {
		return "", p.fail(ErrSyntax, p.pos, "for", "expected a loop variable name, as in {{for url in URLS}}")
	}
	return p.identifier(), nil
}

// binaryLevels is how many levels of binary operators there are.
const binaryLevels = 5

// binaryOperators returns the binary operators of a level, from 0, the loosest binding,
// to binaryLevels-1, the tightest. As in O-Neko's engine, && || and ^ share one level
// and every level associates to the left.
func binaryOperators(level int) []string {
	switch level {
	case 0:
		return []string{"||", "&&", "^"}
	case 1:
		return []string{"==", "!="}
	case 2:
		return []string{"<=", ">=", "<", ">"}
	case 3:
		return []string{"+", "-"}
	}
	return []string{"*", "/", "%"}
}

// expression parses a ternary expression: binary [ "?" expression ":" expression ].
func (p *parser) expression(start int) (expr, error) {
	p.skipSpace()
	if err := p.enter(p.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	cond, err := p.binary(start, 0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '?' {
		return cond, nil
	}
	p.pos++
	yes, err := p.expression(start)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.unclosed(start)
	}
	if p.src[p.pos] != ':' {
		return nil, p.fail(ErrSyntax, p.pos, "?", "expected : of the ?: operator but found %q", p.peekToken())
	}
	p.pos++
	no, err := p.expression(start)
	if err != nil {
		return nil, err
	}
	return ternaryExpr{cond: cond, yes: yes, no: no, offset: cond.at()}, nil
}

// binary parses the operators of one level and tighter ones, associating to the left.
func (p *parser) binary(start, level int) (expr, error) {
	operand := func() (expr, error) {
		if level+1 == binaryLevels {
			return p.unary(start)
		}
		return p.binary(start, level+1)
	}
	x, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		op := p.operator(binaryOperators(level))
		if op == "" {
			return x, nil
		}
		offset := p.pos
		p.pos += len(op)
		y, err := operand()
		if err != nil {
			return nil, err
		}
		x = binaryExpr{op: op, x: x, y: y, offset: offset}
	}
}

// operator returns the operator of ops at the current position, or "".
func (p *parser) operator(ops []string) string {
	rest := p.src[p.pos:]
	for _, op := range ops {
		if !strings.HasPrefix(rest, op) {
			continue
		}
		// "<" is not "<=", "!" not "!=", "&" alone and "|" alone are no operators.
		if (op == "<" || op == ">") && strings.HasPrefix(rest, op+"=") {
			continue
		}
		return op
	}
	return ""
}

// unary parses [ "!" | "-" | "+" ] unary | postfix.
func (p *parser) unary(start int) (expr, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.unclosed(start)
	}
	c := p.src[p.pos]
	if (c == '!' && !strings.HasPrefix(p.src[p.pos:], "!=")) || c == '-' || c == '+' {
		offset := p.pos
		if err := p.enter(offset); err != nil {
			return nil, err
		}
		defer p.leave()
		p.pos++
		x, err := p.unary(start)
		if err != nil {
			return nil, err
		}
		return unaryExpr{op: string(c), x: x, offset: offset}, nil
	}
	return p.postfix(start)
}

// postfix parses a primary expression followed by any number of [index].
func (p *parser) postfix(start int) (expr, error) {
	x, err := p.primary(start)
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != '[' {
			return x, nil
		}
		p.pos++
		index, err := p.expression(start)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.unclosed(start)
		}
		if p.src[p.pos] != ']' {
			return nil, p.fail(ErrSyntax, p.pos, "", "expected ] but found %q", p.peekToken())
		}
		p.pos++
		x = indexExpr{list: x, index: index, offset: x.at()}
	}
}

// primary parses a literal, a variable, fn.name(...) or a parenthesised expression.
func (p *parser) primary(start int) (expr, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.unclosed(start)
	}
	c := p.src[p.pos]
	switch {
	case c == '"':
		return p.stringLiteral(start)
	case isDigit(c):
		return p.number()
	case c == '(':
		p.pos++
		x, err := p.expression(start)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.unclosed(start)
		}
		if p.src[p.pos] != ')' {
			return nil, p.fail(ErrSyntax, p.pos, "", "expected ) but found %q", p.peekToken())
		}
		p.pos++
		return x, nil
	case isIdentStart(c):
		return p.identExpr(start)
	case c == '\'':
		return nil, p.fail(ErrSyntax, p.pos, "", "strings are written in double quotes")
	case c == '[' || c == '{':
		return nil, p.fail(ErrSyntax, p.pos, "", "list and map literals are not supported")
	case strings.HasPrefix(p.src[p.pos:], "}}"):
		if p.pos == start+2 || strings.TrimSpace(p.src[start+2:p.pos]) == "" {
			return nil, p.fail(ErrSyntax, p.pos, "", "empty placeholder")
		}
		return nil, p.fail(ErrSyntax, p.pos, "", "expected an operand before }}")
	}
	return nil, p.fail(ErrSyntax, p.pos, "", "unexpected %q", p.peekToken())
}

// identExpr parses true, false, null, a variable or fn.name(...).
func (p *parser) identExpr(start int) (expr, error) {
	offset := p.pos
	name := p.identifier()
	switch name {
	case "true", "false":
		return literal{val: boolValue(name == "true"), offset: offset}, nil
	case "null":
		return literal{val: value{kind: kindNull}, offset: offset}, nil
	}
	p.skipSpace()
	next := byte(0)
	if p.pos < len(p.src) {
		next = p.src[p.pos]
	}
	switch {
	case name == "fn" && next == '.':
		p.pos++
		return p.call(start, offset)
	case name == "fn":
		return nil, p.fail(ErrSyntax, offset, "fn", "fn is used as fn.name(...)")
	case next == '.':
		return nil, p.fail(ErrSyntax, p.pos, name, "member access is only supported on fn")
	case next == '(':
		return nil, p.fail(ErrSyntax, p.pos, name, "functions are called as fn.%s(...)", name)
	}
	return varRef{name: name, offset: offset}, nil
}

// call parses "name(args)" after "fn.".
func (p *parser) call(start, offset int) (expr, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.unclosed(start)
	}
	if !isIdentStart(p.src[p.pos]) {
		return nil, p.fail(ErrSyntax, p.pos, "", "expected a function name after fn.")
	}
	name := p.identifier()
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.unclosed(start)
	}
	if p.src[p.pos] != '(' {
		return nil, p.fail(ErrSyntax, p.pos, "fn."+name, "expected ( after the function name")
	}
	p.pos++
	var args []expr
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ')' {
		p.pos++
		return callExpr{name: name, offset: offset}, nil
	}
	for {
		arg, err := p.expression(start)
		if err != nil {
			return nil, err
		}
		args = append(args, arg)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.unclosed(start)
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return callExpr{name: name, args: args, offset: offset}, nil
		default:
			return nil, p.fail(ErrSyntax, p.pos, "fn."+name, "expected , or ) but found %q", p.peekToken())
		}
	}
}

// stringLiteral parses a double-quoted string. \" \\ \n \r \t are escapes; as in O-Neko,
// a backslash before any other character is kept.
func (p *parser) stringLiteral(start int) (expr, error) {
	offset := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '"':
			p.pos++
			return literal{val: stringValue(b.String()), offset: offset}, nil
		case '\\':
			if p.pos+1 >= len(p.src) {
				return nil, p.unclosed(start)
			}
			switch esc := p.src[p.pos+1]; esc {
			case '"', '\\':
				b.WriteByte(esc)
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte('\\')
				p.pos++
				continue
			}
			p.pos += 2
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	if strings.Contains(p.src[offset:], "}}") {
		return nil, p.fail(ErrSyntax, offset, "", "string is not closed by a double quote")
	}
	return nil, p.unclosed(start)
}

// number parses a number literal: digits, an optional fraction, an optional suffix b
// (byte), s (short), l (long), f (float) or d (double). Without a suffix a number with a
// fraction is a float, as in O-Neko's engine, and one without is an int.
func (p *parser) number() (expr, error) {
	offset := p.pos
	end := p.pos
	for end < len(p.src) && isDigit(p.src[end]) {
		end++
	}
	fraction := end < len(p.src) && p.src[end] == '.'
	if fraction {
		end++
		for end < len(p.src) && isDigit(p.src[end]) {
			end++
		}
	}
	digits := p.src[offset:end]
	suffix := byte(0)
	if end < len(p.src) && strings.IndexByte("bslfd", p.src[end]) >= 0 {
		suffix = p.src[end]
		end++
	}
	if end < len(p.src) && (isIdentStart(p.src[end]) || isDigit(p.src[end])) {
		return nil, p.fail(ErrSyntax, offset, p.src[offset:end+1], "not a number")
	}
	p.pos = end
	text := p.src[offset:end]
	if fraction && strings.IndexByte("bsl", suffix) >= 0 && suffix != 0 {
		return nil, p.fail(ErrSyntax, offset, text, "a number with a decimal point cannot be a byte, short or long")
	}
	switch suffix {
	case 'f', 'd', 0:
		if !fraction && suffix == 0 {
			break
		}
		bits, k := 32, kindFloat
		if suffix == 'd' {
			bits, k = 64, kindDouble
		}
		f, err := strconv.ParseFloat(strings.TrimSuffix(digits, "."), bits)
		if err != nil {
			return nil, p.fail(ErrSyntax, offset, text, "number out of range")
		}
		return literal{val: value{kind: k, f: f}, offset: offset}, nil
	}
	k, bits := kindInt, 32
	switch suffix {
	case 'b':
		k, bits = kindByte, 8
	case 's':
		k, bits = kindShort, 16
	case 'l':
		k, bits = kindLong, 64
	}
	v, err := strconv.ParseInt(digits, 10, bits)
	if err != nil {
		return nil, p.fail(ErrSyntax, offset, text, "number out of range")
	}
	return literal{val: value{kind: k, i: v}, offset: offset}, nil
}

// identifier consumes an identifier; the caller has checked its first byte.
func (p *parser) identifier() string {
	start := p.pos
	p.pos++
	for p.pos < len(p.src) && (isIdentStart(p.src[p.pos]) || isDigit(p.src[p.pos])) {
		p.pos++
	}
	return p.src[start:p.pos]
}

// skipSpace skips ASCII whitespace.
func (p *parser) skipSpace() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n\f\v", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

// peekToken returns the token at the current position for error messages: an
// identifier or number, or else a single character.
func (p *parser) peekToken() string {
	if p.pos >= len(p.src) {
		return ""
	}
	end := p.pos
	for end < len(p.src) && (isIdentStart(p.src[end]) || isDigit(p.src[end])) {
		end++
	}
	if end == p.pos {
		_, size := utf8.DecodeRuneInString(p.src[p.pos:])
		end = p.pos + size
	}
	return p.src[p.pos:end]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
