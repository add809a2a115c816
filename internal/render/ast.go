package render

// valueType is the static type of an expression.
type valueType int

const (
	typeString valueType = iota
	typeInt
	typeList
)

func (t valueType) String() string {
	switch t {
	case typeInt:
		return "integer"
	case typeList:
		return "list"
	default:
		return "string"
	}
}

// program is a parsed template: text and placeholders in order.
type program struct {
	segments []segment
}

// segment is either literal text (expr == nil) or a placeholder.
type segment struct {
	text   string // literal text, or the placeholder's source including the braces
	expr   expr
	offset int // byte offset of the segment in the content
}

// expr is a node of a placeholder's expression.
type expr interface {
	// at returns the byte offset of the node in the template content.
	at() int
}

type stringLit struct {
	value  string
	offset int
}

type intLit struct {
	value  int
	offset int
}

type varRef struct {
	name   string
	offset int
}

type indexExpr struct {
	list   string
	index  expr
	offset int
}

type callExpr struct {
	name   string
	args   []expr
	offset int
}

func (n stringLit) at() int { return n.offset }
func (n intLit) at() int    { return n.offset }
func (n varRef) at() int    { return n.offset }
func (n indexExpr) at() int { return n.offset }
func (n callExpr) at() int  { return n.offset }
