package api

import (
	"mime"
	"testing"
)

// TestAttachmentName: a project name cannot break the Content-Disposition header, and the
// exact name survives in filename* (RFC 6266).
func TestAttachmentName(t *testing.T) {
	for _, name := range []string{`shop"; filename="evil.exe`, "café ☕", "a\r\nSet-Cookie: x=1", "plain-name_1.0"} {
		h := attachment(name + ".oneko.json")
		for _, r := range h {
			if r < 0x20 || r > 0x7e {
				t.Fatalf("%q: header has a raw byte %q: %s", name, r, h)
			}
		}
		_, params, err := mime.ParseMediaType(h)
		if err != nil {
			t.Fatalf("%q: %s does not parse: %v", name, h, err)
		}
		if params["filename"] != name+".oneko.json" {
			t.Fatalf("%q: parsed name %q from %s", name, params["filename"], h)
		}
	}
}
