package render

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Check parses content and checks its placeholders without rendering: every "{{" is
// closed, every expression follows the grammar and nests at most MaxDepth levels deep,
// functions exist and get the right number and types of arguments. It does not look
// variables up. Use it when a project is saved.
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
	prog := &program{}
	for p.pos < len(p.src) {
		open := strings.Index(p.src[p.pos:], "{{")
		if open < 0 {
			prog.segments = append(prog.segments, segment{text: p.src[p.pos:], offset: p.pos})
			break
		}
		if open > 0 {
			prog.segments = append(prog.segments, segment{text: p.src[p.pos : p.pos+open], offset: p.pos})
		}
		start := p.pos + open
		p.pos = start + 2
		e, err := p.placeholder(start)
		if err != nil {
			return nil, err
		}
		prog.segments = append(prog.segments, segment{text: p.src[start:p.pos], expr: e, offset: start})
	}
	return prog, nil
}

// parser walks the content byte by byte; pos is the next unread byte.
type parser struct {
	src string
	pos int
	// depth is how many expressions enclose the one being parsed.
	depth int
}

// fail builds an *Error at a byte offset.
func (p *parser) fail(kind error, offset int, name, format string, args ...any) *Error {
	line, col := position(p.src, offset)
	return &Error{Kind: kind, Name: name, Line: line, Column: col, Detail: fmt.Sprintf(format, args...)}
}

// unclosed reports the placeholder opened at start as never closed.
func (p *parser) unclosed(start int) *Error {
	return p.fail(ErrUnclosed, start, "", "no matching }} before the end of the template")
}

// placeholder parses the expression after "{{" (opened at start) and the closing "}}".
func (p *parser) placeholder(start int) (expr, error) {
	e, err := p.expression(start)
	if err != nil {
		return nil, err
	}
	if t, err := p.exprType(e); err != nil {
		return nil, err
	} else if t != typeString {
		return nil, p.fail(ErrType, e.at(), "", "a placeholder must produce a string, not %s (use URLS[n] for one URL)", article(t))
	}
	p.skipSpace()
	switch {
	case strings.HasPrefix(p.src[p.pos:], "}}"):
		p.pos += 2
		return e, nil
	case p.pos >= len(p.src):
		return nil, p.unclosed(start)
	default:
		if !strings.Contains(p.src[p.pos:], "}}") {
			return nil, p.unclosed(start)
		}
		return nil, p.fail(ErrSyntax, p.pos, "", "expected }} but found %q", p.peekToken())
	}
}

// expression parses one expr.
func (p *parser) expression(start int) (expr, error) {
	p.skipSpace()
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxDepth {
		return nil, p.fail(ErrTooDeep, p.pos, "", "expressions may nest at most %d levels deep", MaxDepth)
	}
	if p.pos >= len(p.src) {
		return nil, p.unclosed(start)
	}
	c := p.src[p.pos]
	switch {
	case c == '"':
		return p.stringLiteral(start)
	case c == '-' || isDigit(c):
		return p.intLiteral()
	case isIdentStart(c):
		return p.identExpr(start)
	case c == '\'':
		return nil, p.fail(ErrSyntax, p.pos, "", "strings are written in double quotes")
	case strings.HasPrefix(p.src[p.pos:], "}}"):
		return nil, p.fail(ErrSyntax, p.pos, "", "empty placeholder")
	default:
		return nil, p.fail(ErrSyntax, p.pos, "", "unexpected %q", p.peekToken())
	}
}

// identExpr parses a variable, URLS[n] or fn.name(...).
func (p *parser) identExpr(start int) (expr, error) {
	offset := p.pos
	name := p.identifier()
	p.skipSpace()
	next := byte(0)
	if p.pos < len(p.src) {
		next = p.src[p.pos]
	}
	switch {
	case name == "fn" && next == '.':
		p.pos++
		return p.call(start, offset)
	case next == '.':
		return nil, p.fail(ErrSyntax, p.pos, name, "member access is only supported on fn")
	case next == '(':
		return nil, p.fail(ErrSyntax, p.pos, name, "functions are called as fn.%s(...)", name)
	case next == '[':
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
		return indexExpr{list: name, index: index, offset: offset}, nil
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

// stringLiteral parses a double-quoted string with \" \\ \n \r \t escapes.
func (p *parser) stringLiteral(start int) (expr, error) {
	offset := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '"':
			p.pos++
			return stringLit{value: b.String(), offset: offset}, nil
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
				return nil, p.fail(ErrSyntax, p.pos, "", "unknown escape sequence \\%c", esc)
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

// intLiteral parses an optionally negative decimal integer.
func (p *parser) intLiteral() (expr, error) {
	offset := p.pos
	end := p.pos
	if p.src[end] == '-' {
		end++
	}
	digits := end
	for end < len(p.src) && isDigit(p.src[end]) {
		end++
	}
	if end == digits {
		return nil, p.fail(ErrSyntax, offset, "", "expected a number after -")
	}
	v, err := strconv.Atoi(p.src[offset:end])
	if err != nil {
		return nil, p.fail(ErrSyntax, offset, p.src[offset:end], "number out of range")
	}
	p.pos = end
	return intLit{value: v, offset: offset}, nil
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
