package model

import (
	"errors"
	"strings"
	"testing"
)

// TestValuesWithLineBreaksAreRefused: saving a default or an override with any line break
// YAML knows is refused, so a value cannot add keys to the rendered values.
func TestValuesWithLineBreaksAreRefused(t *testing.T) {
	for _, value := range []string{"a\nb", "a\rb", "a\u0085b", "a\u2028b", "a\u2029b", "a\vb", "a\fb"} {
		p := &Project{Name: "shop", DockerRegistryID: "r", ImageName: "team/shop",
			TemplateVariables: []TemplateVariable{{Name: "NOTE", DefaultValue: value}}}
		p.Normalize()
		if err := p.Validate(nil); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "line breaks") {
			t.Errorf("default %q: Validate = %v, want ErrInvalid", value, err)
		}
		v := &Version{TemplateVariables: map[string]string{"NOTE": value}}
		v.Normalize()
		if err := v.Validate(p, nil); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "line breaks") {
			t.Errorf("override %q: Validate = %v, want ErrInvalid", value, err)
		}
	}
	p := &Project{Name: "shop", DockerRegistryID: "r", ImageName: "team/shop",
		TemplateVariables: []TemplateVariable{{Name: "NOTE", DefaultValue: "tab\tand no-break\u00a0space"}}}
	p.Normalize()
	if err := p.Validate(nil); err != nil {
		t.Errorf("a value without line breaks: %v", err)
	}
}
