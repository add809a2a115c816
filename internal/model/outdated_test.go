package model

import (
	"reflect"
	"testing"
)

// TestVersionAndProjectChanges: the reasons name exactly what a deploy would apply
// differently; descriptions, ids and variable labels are not among them.
func TestVersionAndProjectChanges(t *testing.T) {
	a := &Version{TemplateVariables: map[string]string{"SIZE": "small", "NOTE": "x"}, Namespace: "on-a",
		ConfigurationTemplates: []ConfigurationTemplate{{ID: "1", Name: "web", Content: "a: 1", Description: "d"}}}
	b := &Version{TemplateVariables: map[string]string{"SIZE": "large", "NOTE": "x", "NEW": "y"}, Namespace: "on-b",
		ConfigurationTemplates: []ConfigurationTemplate{{ID: "2", Name: "web", Content: "a: 1", Description: "other"}, {Name: "db", Content: "b: 2"}},
		URLTemplates:           []string{"https://x"}}
	want := []OutdatedReason{{ChangedVariable, "NEW"}, {ChangedVariable, "SIZE"}, {ChangedTemplate, "db"}, {ChangedNamespace, ""}, {ChangedURLs, ""}}
	if got := VersionChanges(a, b); !reflect.DeepEqual(got, want) {
		t.Fatalf("version changes %+v, want %+v", got, want)
	}
	if got := VersionChanges(a, a); len(got) != 0 {
		t.Fatalf("no change: %+v", got)
	}

	p := &Project{ImageName: "team/shop", TemplateVariables: []TemplateVariable{{ID: "1", Name: "SIZE", Label: "Size", DefaultValue: "small"}},
		DefaultConfigurationTemplates: []ConfigurationTemplate{{Name: "web", ChartName: "web", ChartVersion: "1.0.0"}}}
	q := &Project{ImageName: "team/shop2", TemplateVariables: []TemplateVariable{{ID: "2", Name: "SIZE", Label: "The size", DefaultValue: "small"}},
		DefaultConfigurationTemplates: []ConfigurationTemplate{{Name: "web", ChartName: "web", ChartVersion: "2.0.0"}}}
	want = []OutdatedReason{{ChangedTemplate, "web"}, {ChangedProject, "imageName"}}
	if got := ProjectChanges(p, q); !reflect.DeepEqual(got, want) {
		t.Fatalf("project changes %+v, want %+v", got, want)
	}
	q.TemplateVariables[0].DefaultValue = "large"
	if got := ProjectChanges(p, q); got[0] != (OutdatedReason{ChangedVariable, "SIZE"}) {
		t.Fatalf("default value changed: %+v", got)
	}

	v := &Version{}
	v.AddOutdated()
	if v.Outdated {
		t.Fatal("no reason marked the version outdated")
	}
	v.AddOutdated(OutdatedReason{ChangedImage, ""}, OutdatedReason{ChangedVariable, "SIZE"})
	v.AddOutdated(OutdatedReason{ChangedVariable, "SIZE"}, OutdatedReason{ChangedURLs, ""})
	if want := []OutdatedReason{{ChangedImage, ""}, {ChangedVariable, "SIZE"}, {ChangedURLs, ""}}; !v.Outdated || !reflect.DeepEqual(v.OutdatedReasons, want) {
		t.Fatalf("merged %+v", v.OutdatedReasons)
	}
}
