package render

import "fmt"

const (
	// DefaultMaxBytes is the default cap on the output of one placeholder and of one
	// rendered template: 1 MiB.
	DefaultMaxBytes = 1 << 20
	// MaxDepth is how deeply expressions may nest: fn.a(fn.b(…)) has depth 2. Deeper
	// templates are refused by Check, so they are rejected when they are saved.
	MaxDepth = 32
)

// Limits bound the memory one render can use. A template that would exceed them fails
// with ErrTooLarge before the oversized text is built, so a small template cannot make a
// process run out of memory (nested fn.replace calls multiply the output with each level).
type Limits struct {
	// MaxBytes caps the bytes of each placeholder's result, of each variable value used and
	// of each rendered template; zero or less means DefaultMaxBytes.
	MaxBytes int
}

// maxBytes returns the effective byte cap.
func (l Limits) maxBytes() int {
	if l.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return l.MaxBytes
}

// sizeDetail explains a result that would be too large.
func sizeDetail(what string, n, limit int) string {
	return fmt.Sprintf("%s would have %d bytes, more than the limit of %d bytes", what, n, limit)
}
