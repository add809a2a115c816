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
	limits       render.Limits
}

// NewPlanner returns a Planner for the installation with the given id (see
// store.InstallationID) that renders within limits; release names and implicit namespaces
// depend on the installation.
func NewPlanner(r RegistryHosts, installationID string, limits render.Limits) *Planner {
	return &Planner{registries: r, installation: installationID, limits: limits}
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
// configuration, not the system, is wrong. Rendered URLs that are not http or https (what a
// placeholder put there) are left out.
func (pl *Planner) Plan(ctx context.Context, p *model.Project, v *model.Version) (*Plan, error) {
	reg, err := pl.registries.GetDockerRegistry(ctx, p.DockerRegistryID)
	if err != nil {
		return nil, fmt.Errorf("plan %s: docker registry: %w", v, err)
	}
	ns := Namespace(pl.installation, p, v)
	res, err := render.Render(pl.input(p, v, reg.Host(), ns))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	urls, _ := model.WebURLs(res.URLs) // only http(s) links reach the dashboard
	out := &Plan{URLs: urls}
	for _, r := range res.Releases {
		out.Releases = append(out.Releases, Release{Name: r.Name, Namespace: ns, Template: fromRender(r.Template), Values: r.Values, ValuesMap: r.ValuesMap})
	}
	return out, nil
}

// Trial renders a project, or a version when v is not nil, the way a deploy would and
// reports only templates that exceed the rendering limits (see render.CheckLimits), as
// an error wrapping model.ErrInvalid. It is meant for saves: problems that depend on the
// version, such as undefined variables, are left to the deploy.
func (pl *Planner) Trial(ctx context.Context, p *model.Project, v *model.Version) error {
	if v == nil {
		// A stand-in for the project's future versions.
		v = &model.Version{ID: "000000000000000000000000", Name: "trial"}
	}
	host := ""
	if reg, err := pl.registries.GetDockerRegistry(ctx, p.DockerRegistryID); err == nil {
		host = reg.Host()
	}
	if err := render.CheckLimits(pl.input(p, v, host, Namespace(pl.installation, p, v))); err != nil {
		return fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	return nil
}

// input is what the renderer needs to render v of p.
func (pl *Planner) input(p *model.Project, v *model.Version, host, ns string) render.Input {
	in := render.Input{
		Context: render.Context{
			ProjectID: p.ID, ProjectName: p.Name, VersionID: v.ID, VersionName: v.Name,
			ImageHost: host, ImageRepository: p.ImageName, ImageTag: v.Name, ImageDigest: v.Digest, Namespace: ns,
		},
		Overrides:    v.TemplateVariables,
		URLTemplates: p.URLTemplates,
		Templates:    render.MergeTemplates(toRender(p.DefaultConfigurationTemplates), toRender(v.ConfigurationTemplates)),
		Limits:       pl.limits,
		ReleaseName:  func(template string) string { return ReleaseName(pl.installation, p, v, template) },
	}
	if len(v.URLTemplates) > 0 {
		in.URLTemplates = v.URLTemplates
	}
	for _, tv := range p.TemplateVariables {
		in.Variables = append(in.Variables, render.Variable{Name: tv.Name, DefaultValue: tv.DefaultValue})
	}
	return in
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
