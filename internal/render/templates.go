package render

// Template is a configuration template: Helm values with placeholders, and the chart
// they are for. Each effective template of a version becomes one Helm release.
type Template struct {
	ID             string
	Name           string
	Description    string
	Content        string
	ChartName      string
	ChartVersion   string // empty means the latest version
	HelmRegistryID string
}

// Variable is a project's template variable with its default value.
type Variable struct {
	Name         string
	DefaultValue string
}

// MergeTemplates returns a version's effective templates: the project's templates in
// their order, each replaced by the version's template of the same name if there is one,
// followed by the version's other templates in their order. Names compare exactly. If a
// list repeats a name, the later template wins and keeps the earlier one's place. The
// inputs are not modified.
func MergeTemplates(project, version []Template) []Template {
	merged := make([]Template, 0, len(project)+len(version))
	index := make(map[string]int, len(project)+len(version))
	for _, list := range [][]Template{project, version} {
		for _, t := range list {
			if k, ok := index[t.Name]; ok {
				merged[k] = t
				continue
			}
			index[t.Name] = len(merged)
			merged = append(merged, t)
		}
	}
	return merged
}
