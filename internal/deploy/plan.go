package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
)

// Release is one planned Helm release of a version.
type Release struct {
	Name      string
	Namespace string
	Template  model.ConfigurationTemplate
	Values    string
	ValuesMap map[string]any
}

// Plan is what a version should look like in the cluster.
type Plan struct {
	URLs     []string
	Releases []Release
}

// RegistryHosts looks up the host of a docker registry by id.
type RegistryHosts interface {
	GetDockerRegistry(ctx context.Context, id string) (*model.DockerRegistry, error)
}

// Planner renders the plans of one installation.
type Planner struct {
	registries   RegistryHosts
	installation string
}

// NewPlanner returns a Planner for the installation with the given id (see
// store.InstallationID); release names and implicit namespaces depend on it.
func NewPlanner(r RegistryHosts, installationID string) *Planner {
	return &Planner{registries: r, installation: installationID}
}

// Namespace is the namespace a version deploys into: its override, the project's, or an
// implicit one per installation, project and version (see implicitNamespace).
func Namespace(installationID string, p *model.Project, v *model.Version) string {
	if ns := v.EffectiveNamespace(p); ns != "" {
		return ns
	}
	return implicitNamespace(installationID, p, v)
}

// Plan renders the version's effective templates. Render errors wrap model.ErrInvalid: the
// configuration, not the system, is wrong.
func (pl *Planner) Plan(ctx context.Context, p *model.Project, v *model.Version) (*Plan, error) {
	reg, err := pl.registries.GetDockerRegistry(ctx, p.DockerRegistryID)
	if err != nil {
		return nil, fmt.Errorf("plan %s: docker registry: %w", v, err)
	}
	ns := Namespace(pl.installation, p, v)
	in := render.Input{
		Context: render.Context{
			ProjectID: p.ID, ProjectName: p.Name, VersionID: v.ID, VersionName: v.Name,
			ImageHost: reg.Host(), ImageRepository: p.ImageName, ImageTag: v.Name, ImageDigest: v.Digest, Namespace: ns,
		},
		Overrides:    v.TemplateVariables,
		URLTemplates: p.URLTemplates,
		Templates:    render.MergeTemplates(toRender(p.DefaultConfigurationTemplates), toRender(v.ConfigurationTemplates)),
		ReleaseName:  func(template string) string { return ReleaseName(pl.installation, p, v, template) },
	}
	if len(v.URLTemplates) > 0 {
		in.URLTemplates = v.URLTemplates
	}
	for _, tv := range p.TemplateVariables {
		in.Variables = append(in.Variables, render.Variable{Name: tv.Name, DefaultValue: tv.DefaultValue})
	}
	res, err := render.Render(in)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	out := &Plan{URLs: res.URLs}
	for _, r := range res.Releases {
		out.Releases = append(out.Releases, Release{Name: r.Name, Namespace: ns, Template: fromRender(r.Template), Values: r.Values, ValuesMap: r.ValuesMap})
	}
	return out, nil
}

func toRender(ts []model.ConfigurationTemplate) []render.Template {
	out := make([]render.Template, len(ts))
	for i, t := range ts {
		out[i] = render.Template{ID: t.ID, Name: t.Name, Description: t.Description, Content: t.Content,
			ChartName: t.ChartName, ChartVersion: t.ChartVersion, HelmRegistryID: t.HelmRegistryID}
	}
	return out
}

func fromRender(t render.Template) model.ConfigurationTemplate {
	return model.ConfigurationTemplate{ID: t.ID, Name: t.Name, Description: t.Description, Content: t.Content,
		ChartName: t.ChartName, ChartVersion: t.ChartVersion, HelmRegistryID: t.HelmRegistryID}
}

// ChartRef names a release's chart for display.
func (r Release) ChartRef() string {
	return strings.TrimSuffix(r.Template.ChartName+"@"+r.Template.ChartVersion, "@")
}
