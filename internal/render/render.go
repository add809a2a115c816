package render

import (
	"fmt"
	"maps"

	"sigs.k8s.io/yaml"
)

// Input is everything needed to render one version.
type Input struct {
	// Context describes the version; it yields the built-in variables.
	Context Context
	// Variables are the project's template variables; their defaults have the lowest precedence.
	Variables []Variable
	// Overrides are the version's variable values; they win over defaults and built-ins.
	Overrides map[string]string
	// URLTemplates are the effective URL templates (the version's when it has any,
	// otherwise the project's). They see the built-ins only.
	URLTemplates []string
	// Templates are the effective configuration templates (see MergeTemplates).
	Templates []Template
	// ReleaseName names the release of a template (deploy.ReleaseName makes names unique
	// per installation and version); nil: ReleaseName of the context's names.
	ReleaseName func(templateName string) string
	// Limits bound the size of what is rendered; the zero value means the defaults.
	Limits Limits
}

// Result is a rendered version.
type Result struct {
	// URLs are the rendered URL templates, in order; templates see them as URLS.
	URLs []string
	// Releases holds one entry per template, in the order of Input.Templates.
	Releases []Release
}

// Release is one template rendered into Helm values.
type Release struct {
	// Name is the Helm release name (see ReleaseName).
	Name string
	// Template is the template that was rendered, unchanged.
	Template Template
	// Values is the rendered YAML text.
	Values string
	// ValuesMap is Values parsed the way Helm parses values files; never nil.
	ValuesMap map[string]any
}

// Render renders a version's URL templates and then each configuration template into
// Helm values. It fails on the first problem, with an *Error naming the template: a syntax
// error, an undefined variable, a value with a line break, an index out of range, a
// breach of in.Limits, output that is not a YAML mapping, or two templates with the same
// release name. Nothing is returned on failure, so nothing half-rendered can reach a
// cluster.
func Render(in Input) (*Result, error) {
	return render(in, false)
}

// CheckLimits renders in the way Render does, but takes undefined variables, URLS
// indexes out of range and placeholders that fail for any other reason as empty text,
// and reports only a breach of the rendering limits (ErrTooLarge or ErrTooDeep). It is
// the trial render done when a project or a version is saved: a template that would
// exceed the limits with the project's defaults is refused before anyone deploys it.
func CheckLimits(in Input) error {
	if _, err := render(in, true); err != nil && isLimit(err) {
		return err
	}
	return nil
}

// render is Render, or CheckLimits when lenient is set.
func render(in Input, lenient bool) (*Result, error) {
	builtins := Builtins(in.Context)
	renderer := contentRenderer{max: in.Limits.maxBytes(), lenient: lenient}

	urls := make([]string, len(in.URLTemplates))
	for k, content := range in.URLTemplates {
		name := fmt.Sprintf("URL template %d", k)
		out, err := renderer.render(name, content, scope{vars: builtins})
		if err != nil {
			return nil, err
		}
		urls[k] = out
	}

	vars := make(map[string]string, len(in.Variables)+len(builtins)+len(in.Overrides)+1)
	for _, v := range in.Variables {
		vars[v.Name] = v.DefaultValue
	}
	maps.Copy(vars, builtins)

	result := &Result{URLs: urls, Releases: make([]Release, 0, len(in.Templates))}
	owners := make(map[string]string, len(in.Templates))
	for _, t := range in.Templates {
		release := ReleaseName(in.Context.ProjectName, in.Context.VersionName, t.Name)
		if in.ReleaseName != nil {
			release = in.ReleaseName(t.Name)
		}
		if other, ok := owners[release]; ok && !lenient {
			return nil, &Error{Template: t.Name, Kind: ErrDuplicateRelease, Name: release,
				Detail: fmt.Sprintf("template %q has the same release name", other)}
		}
		owners[release] = t.Name

		vars[VarReleaseName] = release
		maps.Copy(vars, in.Overrides)
		out, err := renderer.render(t.Name, t.Content, scope{vars: vars, urls: urls, hasURLs: true})
		if err != nil {
			return nil, err
		}
		if lenient {
			continue
		}
		values, err := parseValues(t.Name, out)
		if err != nil {
			return nil, err
		}
		result.Releases = append(result.Releases, Release{Name: release, Template: t, Values: out, ValuesMap: values})
	}
	return result, nil
}

// contentRenderer renders the templates of one Render or CheckLimits call.
type contentRenderer struct {
	max     int
	lenient bool
}

// render parses and evaluates one template, naming it in any error.
func (r contentRenderer) render(name, content string, sc scope) (string, error) {
	prog, err := parse(content)
	if err != nil {
		if r.lenient && !isLimit(err) {
			return "", nil
		}
		return "", named(name, err)
	}
	ev := &evaluator{content: content, scope: sc, max: r.max, lenient: r.lenient}
	out, err := ev.run(prog)
	if err != nil {
		return "", named(name, err)
	}
	return out, nil
}

// named sets the template name on an *Error.
func named(name string, err error) error {
	if e, ok := err.(*Error); ok {
		e.Template = name
		return e
	}
	return fmt.Errorf("template %q: %w", name, err)
}

// parseValues parses rendered output as a Helm values file: a YAML mapping, or nothing.
func parseValues(name, out string) (map[string]any, error) {
	var doc any
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil {
		return nil, &Error{Template: name, Kind: ErrInvalidYAML, Err: err}
	}
	switch v := doc.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		return v, nil
	case []any:
		return nil, &Error{Template: name, Kind: ErrInvalidYAML, Detail: "Helm values must be a mapping, not a list"}
	default:
		return nil, &Error{Template: name, Kind: ErrInvalidYAML, Detail: fmt.Sprintf("Helm values must be a mapping, not a %T scalar", v)}
	}
}
