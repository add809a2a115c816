package render

import "strings"

// lineBreaks are the characters that end a line in YAML 1.1 (which Helm's parser follows)
// or that YAML and Helm treat as line breaks or page breaks: LF, CR, NEL (U+0085), LINE
// SEPARATOR (U+2028), PARAGRAPH SEPARATOR (U+2029), and the vertical tab and form feed,
// which YAML refuses in plain scalars.
const lineBreaks = "\n\r\u0085\u2028\u2029\v\f"

// HasLineBreak reports whether s contains a line break. Values with one are refused:
// inserted into a YAML template, they could add keys the template's author never wrote.
func HasLineBreak(s string) bool {
	return strings.ContainsAny(s, lineBreaks)
}
