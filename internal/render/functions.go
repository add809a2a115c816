package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// function describes one fn.* function: the kinds of its parameters for each accepted
// arity, and its implementation.
type function struct {
	// signatures lists the accepted parameter lists; the first is the shortest. A string
	// parameter also takes null, an integer parameter also takes bytes and shorts.
	signatures [][]kind
	// call computes the result from the arguments: strings as string, integers as int.
	call func(args []any) (string, error)
	// size, when set, returns the length in bytes of the result before call builds it, so
	// that a result over the limit is refused without being allocated. Functions without
	// it return at most a few times the bytes of their arguments.
	size func(args []any) int
	// nullSafe functions behave like their Apache Commons Lang model with null: a null
	// first argument gives null, a null in another string parameter leaves the first
	// argument unchanged.
	nullSafe bool
}

// lookupFunction returns the function called fn.<name>.
func lookupFunction(name string) (function, bool) {
	s, i := kindString, kindInt
	switch name {
	case "lowerCase":
		return function{[][]kind{{s}}, func(a []any) (string, error) { return strings.ToLower(a[0].(string)), nil }, nil, true}, true
	case "upperCase":
		return function{[][]kind{{s}}, func(a []any) (string, error) { return strings.ToUpper(a[0].(string)), nil }, nil, true}, true
	case "trim":
		return function{[][]kind{{s}}, func(a []any) (string, error) { return javaTrim(a[0].(string)), nil }, nil, true}, true
	case "replace":
		return function{[][]kind{{s, s, s}, {s, s, s, i}}, replace, replaceSize, true}, true
	case "truncate":
		return function{[][]kind{{s, i}}, func(a []any) (string, error) { return truncate(a[0].(string), a[1].(int)) }, nil, true}, true
	case "removeStart":
		return function{[][]kind{{s, s}}, func(a []any) (string, error) { return strings.TrimPrefix(a[0].(string), a[1].(string)), nil }, nil, true}, true
	case "removeEnd":
		return function{[][]kind{{s, s}}, func(a []any) (string, error) { return strings.TrimSuffix(a[0].(string), a[1].(string)), nil }, nil, true}, true
	case "suffixWithMaxLength":
		return function{[][]kind{{s, s, i}}, suffixWithMaxLength, nil, false}, true
	}
	return function{}, false
}

// functionNames lists every function, for error messages.
func functionNames() string {
	return "lowerCase, upperCase, trim, replace, truncate, removeStart, removeEnd, suffixWithMaxLength"
}

// signatureFor returns the parameter list for a call with n arguments.
func (f function) signatureFor(n int) ([]kind, bool) {
	for _, sig := range f.signatures {
		if len(sig) == n {
			return sig, true
		}
	}
	return nil, false
}

// arities describes the accepted argument counts, such as "3 or 4".
func (f function) arities() string {
	parts := make([]string, len(f.signatures))
	for k, sig := range f.signatures {
		parts[k] = fmt.Sprint(len(sig))
	}
	return strings.Join(parts, " or ")
}

// accepts reports whether an argument of kind k can be passed for a parameter of kind
// param (Java's method invocation conversion, as far as fn's parameters go).
func accepts(param, k kind) bool {
	if k == kindAny {
		return true
	}
	if param == kindString {
		return k == kindString || k == kindNull
	}
	return k == kindInt || k == kindShort || k == kindByte
}

// javaTrim removes leading and trailing characters up to U+0020, like Java's String.trim.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// replace replaces occurrences of a[1] in a[0] by a[2]; an optional a[3] limits how many
// (negative: all). An empty search string replaces nothing.
func replace(a []any) (string, error) {
	text, search, replacement := a[0].(string), a[1].(string), a[2].(string)
	limit := -1
	if len(a) == 4 {
		limit = a[3].(int)
	}
	if search == "" || limit == 0 {
		return text, nil
	}
	return strings.Replace(text, search, replacement, limit), nil
}

// replaceSize returns the length of replace's result without building it.
func replaceSize(a []any) int {
	text, search, replacement := a[0].(string), a[1].(string), a[2].(string)
	limit := -1
	if len(a) == 4 {
		limit = a[3].(int)
	}
	if search == "" || limit == 0 {
		return len(text)
	}
	n := strings.Count(text, search)
	if limit > 0 && limit < n {
		n = limit
	}
	return len(text) + n*(len(replacement)-len(search))
}

// truncate keeps the first width characters of s.
func truncate(s string, width int) (string, error) {
	if width < 0 {
		return "", fmt.Errorf("maxWidth %d is negative", width)
	}
	return firstRunes(s, width), nil
}

// suffixWithMaxLength appends a[1] to a[0], first cutting a[0] so that the result has at
// most a[2] characters. When the suffix alone is longer than a[2], the result is the
// suffix alone, as in O-Neko.
func suffixWithMaxLength(a []any) (string, error) {
	s, suffix, limit := a[0].(string), a[1].(string), a[2].(int)
	n := utf8.RuneCountInString(suffix)
	if n >= limit {
		return suffix, nil
	}
	return firstRunes(s, limit-n) + suffix, nil
}

// firstRunes returns the first n code points of s.
func firstRunes(s string, n int) string {
	count := 0
	for k := range s {
		if count == n {
			return s[:k]
		}
		count++
	}
	return s
}
