package render

// exprType returns the static type of e, checking functions, arities, argument types and
// indexing on the way. Every variable is a string except URLS, which is a list.
func (p *parser) exprType(e expr) (valueType, error) {
	switch n := e.(type) {
	case stringLit:
		return typeString, nil
	case intLit:
		return typeInt, nil
	case varRef:
		if n.name == VarURLs {
			return typeList, nil
		}
		return typeString, nil
	case indexExpr:
		if n.list != VarURLs {
			return 0, p.fail(ErrType, n.offset, n.list, "only URLS can be indexed")
		}
		t, err := p.exprType(n.index)
		if err != nil {
			return 0, err
		}
		if t != typeInt {
			return 0, p.fail(ErrType, n.index.at(), "", "an index must be an integer, not %s", article(t))
		}
		return typeString, nil
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
			t, err := p.exprType(arg)
			if err != nil {
				return 0, err
			}
			if t != sig[k] {
				return 0, p.fail(ErrType, arg.at(), "fn."+n.name, "argument %d must be %s, not %s", k+1, article(sig[k]), article(t))
			}
		}
		return typeString, nil
	}
	return 0, p.fail(ErrSyntax, e.at(), "", "unknown expression")
}

// article prefixes a type name with "a" or "an".
func article(t valueType) string {
	if t == typeInt {
		return "an integer"
	}
	return "a " + t.String()
}
