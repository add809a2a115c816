package render

import (
	"math"
	"strconv"
	"strings"
)

// kind is the type of a value. The numeric kinds follow Java, whose rules O-Neko's
// engine applies: byte and short widen to int in arithmetic, and an operation takes the
// wider kind of its operands (int < long < float < double).
type kind int

const (
	kindNull kind = iota
	kindBool
	kindString
	kindByte
	kindShort
	kindInt
	kindLong
	kindFloat
	kindDouble
	kindList
	// kindAny is a static type only: the kind is known when the template runs.
	kindAny
)

func (k kind) String() string {
	return [...]string{"null", "boolean", "string", "byte", "short", "integer", "long", "float", "double", "list", "value"}[k]
}

// article prefixes a kind's name with "a" or "an".
func article(k kind) string {
	if k == kindInt {
		return "an integer"
	}
	return "a " + k.String()
}

func (k kind) numeric() bool  { return k >= kindByte && k <= kindDouble }
func (k kind) integral() bool { return k >= kindByte && k <= kindLong }

// value is a value during evaluation.
type value struct {
	kind kind
	s    string   // kindString
	i    int64    // kindByte, kindShort, kindInt, kindLong
	f    float64  // kindFloat (rounded to float32), kindDouble
	b    bool     // kindBool
	list []string // kindList
}

func stringValue(s string) value { return value{kind: kindString, s: s} }
func intValue(i int64) value     { return value{kind: kindInt, i: int64(int32(i))} }
func boolValue(b bool) value     { return value{kind: kindBool, b: b} }

// numericKind is the kind of an arithmetic operation on a and b: Java's binary numeric
// promotion, where byte and short become int.
func numericKind(a, b kind) kind {
	k := max(a, b)
	if k < kindInt {
		return kindInt
	}
	return k
}

// number returns v as a float64, for operations in float or double.
func (v value) number() float64 {
	if v.kind.integral() {
		return float64(v.i)
	}
	return v.f
}

// text is Java's String.valueOf of v: how a value is written out and joined by +.
func (v value) text() string {
	switch v.kind {
	case kindNull:
		return "null"
	case kindBool:
		return strconv.FormatBool(v.b)
	case kindString:
		return v.s
	case kindFloat:
		return javaFloat(v.f, 32)
	case kindDouble:
		return javaFloat(v.f, 64)
	case kindList:
		return "[" + strings.Join(v.list, ", ") + "]"
	}
	return strconv.FormatInt(v.i, 10)
}

// textSize returns len(v.text()) without building it for strings and lists, so that a
// result over the limit is refused before it is allocated.
func (v value) textSize() int {
	switch v.kind {
	case kindString:
		return len(v.s)
	case kindList:
		n := 2
		for k, s := range v.list {
			if k > 0 {
				n += 2
			}
			n += len(s)
		}
		return n
	}
	return len(v.text())
}

// javaFloat formats f like Java's Float.toString (bits 32) or Double.toString (bits 64):
// plain decimals from 10^-3 up to 10^7, computerized scientific notation ("1.0E10")
// outside, always with a digit after the point.
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, bits)
	mantissa, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mantissa, ".") {
		mantissa += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mantissa + "E" + strconv.Itoa(e)
}

// equal is Java's equals on boxed values, which O-Neko's engine uses for == and !=:
// values of different kinds are never equal (1 == 1l is false), floating point values
// compare by their bits (NaN equals NaN, 0.0 does not equal -0.0).
func equal(a, b value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kindNull:
		return true
	case kindBool:
		return a.b == b.b
	case kindString:
		return a.s == b.s
	case kindFloat:
		return floatBits(float32(a.f)) == floatBits(float32(b.f))
	case kindDouble:
		return doubleBits(a.f) == doubleBits(b.f)
	case kindList:
		if len(a.list) != len(b.list) {
			return false
		}
		for k := range a.list {
			if a.list[k] != b.list[k] {
				return false
			}
		}
		return true
	}
	return a.i == b.i
}

// floatBits and doubleBits are Java's floatToIntBits and doubleToLongBits: the IEEE bits
// with every NaN made the same.
func floatBits(f float32) uint32 {
	if f != f {
		return 0x7fc00000
	}
	return math.Float32bits(f)
}

func doubleBits(f float64) uint64 {
	if math.IsNaN(f) {
		return 0x7ff8000000000000
	}
	return math.Float64bits(f)
}

// arithmetic applies + - * / % to two numbers of the same promoted kind k. ok is false
// for an integer division by zero, which Java refuses.
func arithmetic(op string, k kind, a, b value) (v value, ok bool) {
	switch k {
	case kindFloat, kindDouble:
		x, y := a.number(), b.number()
		var r float64
		switch op {
		case "+":
			r = x + y
		case "-":
			r = x - y
		case "*":
			r = x * y
		case "/":
			r = x / y
		case "%":
			r = math.Mod(x, y)
		}
		if k == kindFloat {
			r = float64(float32(r))
		}
		return value{kind: k, f: r}, true
	}
	x, y := a.i, b.i
	var r int64
	switch op {
	case "+":
		r = x + y
	case "-":
		r = x - y
	case "*":
		r = x * y
	case "/", "%":
		if y == 0 {
			return value{}, false
		}
		if y == -1 { // avoids the overflow of MinInt64 / -1; Java gives x * -1 and 0
			if op == "/" {
				r = -x
			}
		} else if op == "/" {
			r = x / y
		} else {
			r = x % y
		}
	}
	if k == kindInt {
		r = int64(int32(r))
	}
	return value{kind: k, i: r}, true
}

// compare applies < <= > >= to two numbers.
func compare(op string, a, b value) bool {
	k := numericKind(a.kind, b.kind)
	var c int
	if k == kindFloat || k == kindDouble {
		x, y := a.number(), b.number()
		if k == kindFloat {
			x, y = float64(float32(x)), float64(float32(y))
		}
		if x != x || y != y { // NaN compares false
			return false
		}
		c = cmpFloat(x, y)
	} else {
		c = cmpInt(a.i, b.i)
	}
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// javaIntValue is Java's Number.intValue: integers are cut to 32 bits, floating point
// values are truncated and saturate (NaN becomes 0).
func javaIntValue(v value) int64 {
	if v.kind.integral() {
		return int64(int32(v.i))
	}
	f := v.f
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int64(f)
}
