package render

// program is a parsed template: text, placeholders and control statements in order.
type program struct {
	body []node
}

// node is a statement of a template.
type node interface {
	// pos returns the byte offset of the node in the template content.
	pos() int
}

// textNode is literal text, copied to the output.
type textNode struct {
	text   string
	offset int
}

// exprNode is a placeholder: an expression whose value is written out.
type exprNode struct {
	expr   expr
	source string // the placeholder's source including the braces, for errors
	offset int
}

// ifNode is {{if c}}…{{elseif c}}…{{else}}…{{end}}.
type ifNode struct {
	branches []branch // the if and each elseif, in order
	orElse   []node   // the else block; nil without one
	offset   int
}

// branch is a condition and the block it guards.
type branch struct {
	cond expr
	body []node
}

// forNode is {{for [index,] value in list}}…{{end}}.
type forNode struct {
	index  string // empty without an index variable
	value  string
	list   expr
	body   []node
	offset int
}

func (n textNode) pos() int { return n.offset }
func (n exprNode) pos() int { return n.offset }
func (n ifNode) pos() int   { return n.offset }
func (n forNode) pos() int  { return n.offset }

// expr is a node of an expression.
type expr interface {
	// at returns the byte offset of the node in the template content.
	at() int
}

// literal is a string, number, boolean or null literal.
type literal struct {
	val    value
	offset int
}

// varRef reads a variable.
type varRef struct {
	name   string
	offset int
}

// indexExpr is list[index].
type indexExpr struct {
	list   expr
	index  expr
	offset int
}

// callExpr is fn.name(args).
type callExpr struct {
	name   string
	args   []expr
	offset int
}

// unaryExpr is !x, -x or +x.
type unaryExpr struct {
	op     string
	x      expr
	offset int
}

// binaryExpr is x op y.
type binaryExpr struct {
	op     string
	x, y   expr
	offset int // the operator's offset
}

// ternaryExpr is cond ? yes : no.
type ternaryExpr struct {
	cond, yes, no expr
	offset        int
}

func (n literal) at() int     { return n.offset }
func (n varRef) at() int      { return n.offset }
func (n indexExpr) at() int   { return n.offset }
func (n callExpr) at() int    { return n.offset }
func (n unaryExpr) at() int   { return n.offset }
func (n binaryExpr) at() int  { return n.offset }
func (n ternaryExpr) at() int { return n.offset }
