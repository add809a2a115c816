package model

import "testing"

func TestURLSchemes(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://a.example.com/x?y=1":            true,
		"http://a.example.com":                   true,
		"HTTPS://a.example.com":                  true,
		"javascript:alert(1)":                    false,
		"JavaScript://a.example.com/%0aalert(1)": false,
		"data:text/html,<script>":                false,
		"//a.example.com":                        false,
		"/relative":                              false,
		" https://a.example.com":                 false,
		"https://a.example.com\"onclick=x":       false,
		"":                                       false,
	} {
		if got := IsWebURL(raw); got != want {
			t.Errorf("IsWebURL(%q) = %v, want %v", raw, got, want)
		}
	}
	for tmpl, want := range map[string]bool{
		"https://{{SAFE_VERSION_NAME}}.example.com": true,
		"HTTP://x.example.com":                      true,
		"{{URL}}":                                   true, // checked when rendered
		"javascript:alert(1)//{{VERSION_NAME}}":     false,
		" java\tscript:alert(1)":                    false,
		"data:text/html,x":                          false,
		"vbscript:x":                                false,
	} {
		if got := checkURLTemplateScheme(tmpl); got != want {
			t.Errorf("checkURLTemplateScheme(%q) = %v, want %v", tmpl, got, want)
		}
	}
	kept, dropped := WebURLs([]string{"https://ok.example.com", "javascript:alert(1)"})
	if len(kept) != 1 || dropped != 1 {
		t.Fatalf("WebURLs = %v, %d", kept, dropped)
	}
}
