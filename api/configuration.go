package api

import (
	"context"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
)

// PlanRenderer answers the configuration route from a deploy.Planner.
type PlanRenderer struct{ Planner *deploy.Planner }

var _ Renderer = PlanRenderer{}

// Render renders the plan of a version.
func (r PlanRenderer) Render(ctx context.Context, p *model.Project, v *model.Version) (*Rendered, error) {
	plan, err := r.Planner.Plan(ctx, p, v)
	if err != nil {
		return nil, err
	}
	out := &Rendered{URLs: plan.URLs, Releases: []RenderedRelease{}}
	if out.URLs == nil {
		out.URLs = []string{}
	}
	for _, rel := range plan.Releases {
		out.Releases = append(out.Releases, RenderedRelease{Name: rel.Name, Template: rel.Template.Name, Chart: rel.ChartRef(), Namespace: rel.Namespace, Values: rel.Values})
	}
	return out, nil
}

// Trial checks a project or version against the rendering limits (see deploy.Planner.Trial).
func (r PlanRenderer) Trial(ctx context.Context, p *model.Project, v *model.Version) error {
	return r.Planner.Trial(ctx, p, v)
}
