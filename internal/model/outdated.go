package model

import (
	"reflect"
	"slices"
	"sort"
)

// Kinds of OutdatedReason.
const (
	ChangedVariable  = "variable"
	ChangedTemplate  = "template"
	ChangedNamespace = "namespace"
	ChangedURLs      = "urls"
	ChangedImage     = "image"
	ChangedProject   = "project"
)

// OutdatedReason names one change since the last deploy that makes a deployed version outdated.
type OutdatedReason struct {
	// Kind is variable, template, namespace, urls, image (the tag's digest) or project (a
	// project setting: imageName or dockerRegistryId).
	Kind string `json:"kind" bson:"kind"`
	// Name is the variable, template or project setting that changed; "" for the others.
	Name string `json:"name,omitempty" bson:"name,omitempty"`
}

// AddOutdated marks the version outdated for the reasons given, after the ones it had (each
// reason once, oldest first, as the store adds them). Without reasons it changes nothing.
func (v *Version) AddOutdated(reasons ...OutdatedReason) {
	if len(reasons) == 0 {
		return
	}
	v.Outdated = true
	v.OutdatedReasons = mergeReasons(v.OutdatedReasons, reasons)
}

// mergeReasons returns the reasons of a, then those of b that a does not have.
func mergeReasons(a, b []OutdatedReason) []OutdatedReason {
	out := slices.Clone(a)
	for _, r := range b {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// VersionChanges lists what changed between two configurations of a version that a deploy
// would apply: the variables set differently, the templates overridden differently (by
// name), the namespace and the URL templates.
func VersionChanges(a, b *Version) []OutdatedReason {
	var out []OutdatedReason
	for _, name := range changedKeys(a.TemplateVariables, b.TemplateVariables) {
		out = append(out, OutdatedReason{Kind: ChangedVariable, Name: name})
	}
	for _, name := range changedTemplates(a.ConfigurationTemplates, b.ConfigurationTemplates) {
		out = append(out, OutdatedReason{Kind: ChangedTemplate, Name: name})
	}
	if a.Namespace != b.Namespace {
		out = append(out, OutdatedReason{Kind: ChangedNamespace})
	}
	if !reflect.DeepEqual(a.URLTemplates, b.URLTemplates) {
		out = append(out, OutdatedReason{Kind: ChangedURLs})
	}
	return out
}

// ProjectChanges lists what changed between two versions of a project that a deploy of its
// versions would apply: variables added, removed or with another default value (by name),
// default templates (by name), the namespace,
// the URL templates, and the image name or docker registry.
func ProjectChanges(a, b *Project) []OutdatedReason {
	var out []OutdatedReason
	vars := func(p *Project) map[string]TemplateVariable {
		m := make(map[string]TemplateVariable, len(p.TemplateVariables))
		for _, v := range p.TemplateVariables {
			m[v.Name] = v
		}
		return m
	}
	va, vb := vars(a), vars(b)
	for _, name := range unionKeys(va, vb) {
		x, inA := va[name]
		y, inB := vb[name]
		if inA != inB || x.DefaultValue != y.DefaultValue { // only the value reaches a deploy
			out = append(out, OutdatedReason{Kind: ChangedVariable, Name: name})
		}
	}
	for _, name := range changedTemplates(a.DefaultConfigurationTemplates, b.DefaultConfigurationTemplates) {
		out = append(out, OutdatedReason{Kind: ChangedTemplate, Name: name})
	}
	if a.Namespace != b.Namespace {
		out = append(out, OutdatedReason{Kind: ChangedNamespace})
	}
	if !reflect.DeepEqual(a.URLTemplates, b.URLTemplates) {
		out = append(out, OutdatedReason{Kind: ChangedURLs})
	}
	if a.ImageName != b.ImageName {
		out = append(out, OutdatedReason{Kind: ChangedProject, Name: "imageName"})
	}
	if a.DockerRegistryID != b.DockerRegistryID {
		out = append(out, OutdatedReason{Kind: ChangedProject, Name: "dockerRegistryId"})
	}
	return out
}

// changedTemplates names the templates (by name) added, removed or changed in what a deploy
// uses (content, chart, chart version, registry; not the description or id).
func changedTemplates(a, b []ConfigurationTemplate) []string {
	byName := func(ts []ConfigurationTemplate) map[string]ConfigurationTemplate {
		m := make(map[string]ConfigurationTemplate, len(ts))
		for _, t := range ts {
			t.ID, t.Description = "", ""
			m[t.Name] = t
		}
		return m
	}
	ta, tb := byName(a), byName(b)
	var out []string
	for _, name := range unionKeys(ta, tb) {
		x, inA := ta[name]
		y, inB := tb[name]
		if inA != inB || x != y {
			out = append(out, name)
		}
	}
	return out
}

// changedKeys names the keys whose values differ (or exist on one side only).
func changedKeys(a, b map[string]string) []string {
	var out []string
	for _, k := range unionKeys(a, b) {
		x, inA := a[k]
		y, inB := b[k]
		if inA != inB || x != y {
			out = append(out, k)
		}
	}
	return out
}

// unionKeys returns the keys of both maps, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
