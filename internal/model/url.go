package model

import (
	"net/url"
	"regexp"
	"strings"
)

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// IsWebURL reports whether raw is an absolute http or https URL with a host: the only kind of
// rendered URL oneko stores and shows as a link (a javascript: or data: URL would run in the
// dashboard when clicked).
func IsWebURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(raw, " \t\r\n\"'<>`\\")
}

// WebURLs returns the URLs of urls that are IsWebURL, in order, and how many it dropped.
func WebURLs(urls []string) (kept []string, dropped int) {
	for _, u := range urls {
		if IsWebURL(u) {
			kept = append(kept, u)
		} else {
			dropped++
		}
	}
	return kept, dropped
}

// literalScheme matches a URL scheme at the start of a template's literal text.
var literalScheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*):`)

// checkURLTemplateScheme refuses a URL template whose literal start names a scheme other than
// http or https. Browsers ignore leading spaces and control characters and every tab and line
// break in a URL, so they are ignored here too. What placeholders render to is checked when the
// URLs are rendered (WebURLs).
func checkURLTemplateScheme(template string) bool {
	lit, _, _ := strings.Cut(template, "{{")
	lit = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, lit)
	lit = strings.TrimLeftFunc(lit, func(r rune) bool { return r <= ' ' })
	m := literalScheme.FindStringSubmatch(lit)
	if m == nil {
		return true
	}
	s := strings.ToLower(m[1])
	return s == "http" || s == "https"
}
