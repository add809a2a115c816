package render

import (
	"errors"
	"testing"
)

// TestLineBreaks: every character YAML or Helm takes for a line break is refused in a
// value, because it would let a value add keys to the rendered values (YAML 1.1 ends a line
// at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR too), and nothing else is.
func TestLineBreaks(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		{"LF", "a\nb: injected", true},
		{"CR", "a\rb: injected", true},
		{"CRLF", "a\r\nb", true},
		{"NEL U+0085", "a\u0085b: injected", true},
		{"LINE SEPARATOR U+2028", "a\u2028b: injected", true},
		{"PARAGRAPH SEPARATOR U+2029", "a\u2029b: injected", true},
		{"vertical tab", "a\vb", true},
		{"form feed", "a\fb", true},
		{"plain", "feature/JIRA-1", false},
		{"tab", "a\tb", false},
		{"no-break space", "a\u00a0b", false},
		{"other non-ASCII", "Grüße €", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HasLineBreak(tt.value); got != tt.want {
				t.Fatalf("HasLineBreak(%q) = %v, want %v", tt.value, got, tt.want)
			}
			_, err := Render(Input{Context: testContext(), Overrides: map[string]string{"V": tt.value},
				Templates: []Template{{Name: "web", Content: "v: \"{{V}}\""}}})
			if refused := errors.Is(err, ErrLineBreak); refused != tt.want {
				t.Fatalf("Render with %q = %v, want refused=%v", tt.value, err, tt.want)
			}
			// A placeholder's result is held to the same rule.
			_, err = Render(Input{Context: testContext(), Templates: []Template{{Name: "web", Content: "v: \"{{\"" + tt.value + "\"}}\""}}})
			if refused := errors.Is(err, ErrLineBreak); refused != tt.want {
				t.Fatalf("Render of the literal %q = %v, want refused=%v", tt.value, err, tt.want)
			}
		})
	}
}
