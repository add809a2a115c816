package render

// check checks the kinds of every expression in body. locals maps the loop variables in
// scope to their kinds. Every other variable is a string, except URLS, a list.
func (p *parser) check(body []node, locals map[string]kind) error {
	for _, n := range body {
		switch n := n.(type) {
		case exprNode:
			if _, err := p.exprKind(n.expr, locals); err != nil {
				return err
			}
		case ifNode:
			for _, b := range n.branches {
				if err := p.condition(b.cond, locals, "the condition of if"); err != nil {
					return err
				}
				if err := p.check(b.body, locals); err != nil {
					return err
				}
			}
			if err := p.check(n.orElse, locals); err != nil {
				return err
			}
		case forNode:
			k, err := p.exprKind(n.list, locals)
			if err != nil {
				return err
			}
			if k != kindList && k != kindAny {
				return p.fail(ErrType, n.list.at(), "for", "for loops go over a list such as URLS, not %s", article(k))
			}
			inner := make(map[string]kind, len(locals)+2)
			for name, k := range locals {
				inner[name] = k
			}
			inner[n.value] = kindString
			if n.index != "" {
				inner[n.index] = kindInt
			}
			if err := p.check(n.body, inner); err != nil {
				return err
			}
		}
	}
	return nil
}

// condition checks that e is a boolean (or can only be known when rendering).
func (p *parser) condition(e expr, locals map[string]kind, what string) error {
	k, err := p.exprKind(e, locals)
	if err != nil {
		return err
	}
	if k != kindBool && k != kindAny {
		return p.fail(ErrType, e.at(), "", "%s must be a boolean, not %s", what, article(k))
	}
	return nil
}

// varKind returns the static kind of a variable.
func varKind(name string, locals map[string]kind) kind {
	if k, ok := locals[name]; ok {
		return k
	}
	if name == VarURLs {
		return kindList
	}
	return kindString
}

// exprKind returns the static kind of e, checking functions, arities, argument kinds,
// operators and indexing on the way.
func (p *parser) exprKind(e expr, locals map[string]kind) (kind, error) {
	switch n := e.(type) {
	case literal:
		return n.val.kind, nil
	case varRef:
		return varKind(n.name, locals), nil
	case indexExpr:
		lk, err := p.exprKind(n.list, locals)
		if err != nil {
			return 0, err
		}
		if lk != kindList && lk != kindAny {
			name := ""
			if v, ok := n.list.(varRef); ok {
				name = v.name
			}
			return 0, p.fail(ErrType, n.offset, name, "only a list such as URLS can be indexed, not %s", article(lk))
		}
		ik, err := p.exprKind(n.index, locals)
		if err != nil {
			return 0, err
		}
		if !ik.numeric() && ik != kindAny {
			return 0, p.fail(ErrType, n.index.at(), "", "an index must be an integer, not %s", article(ik))
		}
		return kindString, nil
	case callExpr:
		fn, ok := lookupFunction(n.name)
		if !ok {
			return 0, p.fail(ErrUnknownFunction, n.offset, "fn."+n.name, "known functions are %s", functionNames())
		}
		sig, ok := fn.signatureFor(len(n.args))
		if !ok {
			return 0, p.fail(ErrArity, n.offset, "fn."+n.name, "takes %s argument(s), got %d", fn.arities(), len(n.args))
		}
		for k, arg := range n.args {
			t, err := p.exprKind(arg, locals)
			if err != nil {
				return 0, err
			}
			if !accepts(sig[k], t) {
				return 0, p.fail(ErrType, arg.at(), "fn."+n.name, "argument %d must be %s, not %s", k+1, article(sig[k]), article(t))
			}
		}
		return kindString, nil
	case unaryExpr:
		k, err := p.exprKind(n.x, locals)
		if err != nil {
			return 0, err
		}
		return p.unaryKind(n, k)
	case binaryExpr:
		x, err := p.exprKind(n.x, locals)
		if err != nil {
			return 0, err
		}
		y, err := p.exprKind(n.y, locals)
		if err != nil {
			return 0, err
		}
		return p.binaryKind(n, x, y)
	case ternaryExpr:
		if err := p.condition(n.cond, locals, "the condition of ?:"); err != nil {
			return 0, err
		}
		yes, err := p.exprKind(n.yes, locals)
		if err != nil {
			return 0, err
		}
		no, err := p.exprKind(n.no, locals)
		if err != nil {
			return 0, err
		}
		if yes == no {
			return yes, nil
		}
		return kindAny, nil
	}
	return 0, p.fail(ErrSyntax, e.at(), "", "unknown expression")
}

// unaryKind returns the kind of a unary operation on an operand of kind k.
func (p *parser) unaryKind(n unaryExpr, k kind) (kind, error) {
	switch n.op {
	case "+":
		return k, nil
	case "!":
		if k == kindBool || k == kindAny {
			return kindBool, nil
		}
		return 0, p.fail(ErrType, n.offset, "!", "the operand must be a boolean, not %s", article(k))
	}
	switch {
	case k == kindAny:
		return kindAny, nil
	case k.numeric():
		return numericKind(k, k), nil
	}
	return 0, p.fail(ErrType, n.offset, "-", "the operand must be a number, not %s", article(k))
}

// binaryKind returns the kind of x op y, or an error when the operands can never suit op.
func (p *parser) binaryKind(n binaryExpr, x, y kind) (kind, error) {
	bad := func(want string) (kind, error) {
		return 0, p.fail(ErrType, n.offset, n.op, "the operands must be %s, not %s and %s", want, article(x), article(y))
	}
	numericOrAny := func(k kind) bool { return k.numeric() || k == kindAny }
	switch n.op {
	case "==", "!=":
		return kindBool, nil
	case "&&", "||", "^":
		if (x == kindBool || x == kindAny) && (y == kindBool || y == kindAny) {
			return kindBool, nil
		}
		return bad("booleans")
	case "<", "<=", ">", ">=":
		if numericOrAny(x) && numericOrAny(y) {
			return kindBool, nil
		}
		return bad("numbers")
	case "+":
		switch {
		case x == kindNull || y == kindNull:
			return bad("strings or numbers, never null,")
		case x == kindString || y == kindString:
			return kindString, nil
		case x == kindAny || y == kindAny:
			return kindAny, nil
		case x.numeric() && y.numeric():
			return numericKind(x, y), nil
		}
		return bad("strings or numbers")
	}
	// - * / %
	switch {
	case x.numeric() && y.numeric():
		return numericKind(x, y), nil
	case numericOrAny(x) && numericOrAny(y):
		return kindAny, nil
	}
	return bad("numbers")
}
