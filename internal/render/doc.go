// Package render implements oneko's template language, which is O-Neko's (the
// basis-template 1.7 engine with O-Neko's fn functions), and turns a version's
// configuration templates into Helm values, one release per template.
//
// # Syntax
//
// A template is YAML text with tags between "{{" and "}}". Text outside tags is copied
// verbatim, except that \{ and \} become { and }, as in O-Neko. Whitespace (including
// line breaks) between the tokens inside a tag is ignored. Control tags are not replaced
// by anything and trim nothing: "a\n{{if true}}\nb\n{{end}}\nc" renders "a\n\nb\n\nc".
//
//	template  = { text | tag } .
//	tag       = "{{" ( expr | "if" expr | "elseif" expr | "else" | "end" | for ) "}}" .
//	for       = "for" [ identifier "," ] identifier "in" expr .
//	expr      = binary [ "?" expr ":" expr ] .
//	binary    = unary { op unary } .   (see Operators for precedence)
//	unary     = ( "!" | "-" | "+" ) unary | primary { "[" expr "]" } .
//	primary   = literal | identifier | "fn" "." identifier "(" [ expr { "," expr } ] ")" | "(" expr ")" .
//	literal   = string | number | "true" | "false" | "null" .
//	string    = `"` { character | `\"` | `\\` | `\n` | `\r` | `\t` } `"` .
//	number    = digit { digit } [ "." { digit } ] [ "b" | "s" | "l" | "f" | "d" ] .
//
// {{if c}}…{{elseif c}}…{{else}}…{{end}} renders the block of the first condition that
// is true; conditions must be booleans. {{for url in URLS}}…{{end}} renders its block once
// per element of a list, {{for i, url in URLS}} also sets i to the index from 0. Loop
// variables shadow other variables inside the loop.
//
// Values are strings, booleans, null, numbers of Java's kinds (int, long, float, double;
// byte and short literals widen to int) and lists. A number literal with a decimal point
// is a float, with the suffix d a double, with l a long. A placeholder writes its value
// as Java's String.valueOf does ("1.5", "1.0E7", "true", a list as "[a, b]") and writes
// nothing for null. Every variable is a string, except URLS, the list of rendered URLs.
//
// Strings are written in double quotes; a backslash before a character that is not an
// escape stays. To emit a literal "{{", write {{"{{"}}.
//
// # Operators
//
// From the loosest to the tightest binding; each level associates to the left:
//
//	?:                   condition ? a : b (condition must be a boolean)
//	|| && ^              booleans; && and || short-circuit. As in O-Neko, the three share
//	                     one level: true || false && false is false.
//	== !=                Java's equals: kinds must match (1 == 1l is false), strings compare by content
//	< <= > >=            numbers
//	+ -                  + joins when either side is a string, else adds; - subtracts
//	* / %                numbers; integer division by zero is an error, integers wrap around
//	! - +                unary
//
// Not supported, and refused by Check: assignments, while, break, continue, macros,
// include, return, member access and method calls other than fn.name(...), list and
// map literals, single-quoted character literals. A tag holds one statement.
//
// # Functions
//
// Functions are called as fn.name(arguments) and behave like the Apache Commons Lang
// StringUtils methods O-Neko exposes. Lengths count Unicode code points (Java counts
// UTF-16 units) and case mapping is per character (Java upper-cases "ß" to "SS"). A null
// first argument gives null (except for suffixWithMaxLength, which refuses null).
//
//	fn.lowerCase(s)                          s in lower case
//	fn.upperCase(s)                          s in upper case
//	fn.trim(s)                               s without leading and trailing characters <= U+0020
//	fn.replace(s, search, replacement)       every occurrence of search replaced (none if search is "")
//	fn.replace(s, search, replacement, max)  at most max occurrences replaced; max < 0 means all
//	fn.truncate(s, maxWidth)                 the first maxWidth characters of s; maxWidth < 0 is an error
//	fn.removeStart(s, prefix)                s without prefix, if s starts with it
//	fn.removeEnd(s, suffix)                  s without suffix, if s ends with it
//	fn.suffixWithMaxLength(s, suffix, max)   s, cut so that s+suffix has at most max characters, then
//	                                         suffix; the suffix alone when it is longer than max
//
// # Variables
//
// The variables a configuration template sees are, lowest precedence first: the project's
// variable defaults, the built-ins (see Builtins, plus RELEASE_NAME), the version's
// overrides, and URLS, the rendered URL templates. URL templates see the built-ins only,
// without RELEASE_NAME (they belong to a version, not to a release) and without URLS.
// Reading a variable that has no value is an error, as in O-Neko.
//
// # Limits
//
// Rendering is bounded (see Limits, MaxDepth and MaxSteps): a template that would build a
// string, a value or an output larger than Limits.MaxBytes, nest deeper than MaxDepth or
// take more than MaxSteps fails before it uses the memory or time.
//
// # Errors
//
// Check reports what is wrong before rendering, including kinds that can never suit an
// operator or function, even in a branch that would not run. Check and Render report
// problems as *Error, which names the template, the variable, function or operator and
// the position, and wraps one of the sentinel errors (ErrUnclosed, ErrSyntax,
// ErrUnknownFunction, ErrArity, ErrType, ErrUndefinedVariable, ErrLineBreak,
// ErrIndexOutOfRange, ErrInvalidArgument, ErrInvalidYAML, ErrDuplicateRelease,
// ErrTooLarge, ErrTooDeep, ErrTooComplex), so both errors.As and errors.Is work.
package render
