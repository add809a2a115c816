// Package render implements oneko's template language, which is compatible with the
// placeholder syntax of O-Neko, and turns a version's configuration templates into Helm
// values, one release per template.
//
// # Syntax
//
// A template is YAML text with placeholders. Everything outside a placeholder is copied
// verbatim. A placeholder is an expression between "{{" and "}}"; whitespace (including
// line breaks) around and between the tokens of the expression is ignored, so
// "{{ VERSION_NAME }}" and "{{VERSION_NAME}}" are the same. The grammar, in EBNF:
//
//	template    = { text | placeholder } .
//	placeholder = "{{" expr "}}" .
//	expr        = call | index | variable | string | integer .
//	call        = "fn" "." function "(" [ expr { "," expr } ] ")" .
//	index       = "URLS" "[" expr "]" .
//	variable    = identifier .
//	identifier  = ( letter | "_" | "$" ) { letter | digit | "_" | "$" } .
//	string      = `"` { character | `\"` | `\\` | `\n` | `\r` | `\t` } `"` .
//	integer     = [ "-" ] digit { digit } .
//
// Strings are written in double quotes, as in O-Neko (single quotes are Java character
// literals there and never worked as function arguments). To emit a literal "{{", write
// {{"{{"}}. Every variable holds a string, except URLS, a list that can only be indexed:
// URLS[0] is the first rendered URL. Operators, conditions, loops, macros and member
// access of O-Neko's underlying engine are not supported; a template using them fails
// Check instead of rendering something else.
//
// # Functions
//
// Functions are called as fn.name(arguments) and behave like the Apache Commons Lang
// StringUtils methods O-Neko exposes. Lengths count Unicode code points (Java counts
// UTF-16 units) and case mapping is per character (Java upper-cases "ß" to "SS").
//
//	fn.lowerCase(s)                          s in lower case
//	fn.upperCase(s)                          s in upper case
//	fn.trim(s)                               s without leading and trailing characters <= U+0020
//	fn.replace(s, search, replacement)       every occurrence of search replaced (none if search is "")
//	fn.replace(s, search, replacement, max)  at most max occurrences replaced; max < 0 means all
//	fn.truncate(s, maxWidth)                 the first maxWidth characters of s; maxWidth < 0 is an error
//	fn.removeStart(s, prefix)                s without prefix, if s starts with it
//	fn.removeEnd(s, suffix)                  s without suffix, if s ends with it
//	fn.suffixWithMaxLength(s, suffix, max)   s, cut so that s+suffix has at most max characters, then suffix;
//	                                         an error if suffix alone is longer than max
//
// # Variables
//
// The variables a configuration template sees are, lowest precedence first: the project's
// variable defaults, the built-ins (see Builtins, plus RELEASE_NAME), the version's
// overrides, and URLS, the rendered URL templates. URL templates see the built-ins only,
// without RELEASE_NAME (they belong to a version, not to a release) and without URLS.
//
// # Errors
//
// Check and Render report problems as *Error, which names the template, the variable or
// function and the position, and wraps one of the sentinel errors (ErrUnclosed,
// ErrSyntax, ErrUnknownFunction, ErrArity, ErrType, ErrUndefinedVariable, ErrLineBreak,
// ErrIndexOutOfRange, ErrInvalidArgument, ErrInvalidYAML, ErrDuplicateRelease), so both
// errors.As and errors.Is work.
package render
