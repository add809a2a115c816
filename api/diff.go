package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// Previewer renders what a deploy of a version would apply now, without applying anything.
type Previewer interface {
	Preview(ctx context.Context, p *model.Project, v *model.Version) ([]diagnose.Planned, error)
}

// Differ compares a version's deployed releases with planned ones (diagnose.Reader). The
// diff route needs Diagnostics to implement it too; without it the route answers 503.
type Differ interface {
	Diff(ctx context.Context, versionID string, planned []diagnose.Planned) ([]diagnose.ReleaseDiff, error)
}

// ChartTemplater renders a chart of a Helm registry for one release as an install would,
// without a cluster (helm.Templater). A chart that does not render is a *helm.RenderError.
type ChartTemplater interface {
	Template(ctx context.Context, r charts.Registry, name, versionConstraint, release, namespace string, values map[string]any) (string, error)
}

// PlanPreview previews a deploy from the release plan and the charts it names (helm template).
type PlanPreview struct {
	Planner *deploy.Planner
	Store   *store.Store
	Charts  ChartTemplater
}

// Preview renders the values and manifests of each planned release.
func (pp PlanPreview) Preview(ctx context.Context, p *model.Project, v *model.Version) ([]diagnose.Planned, error) {
	plan, err := pp.Planner.Plan(ctx, p, v)
	if err != nil {
		return nil, err
	}
	out := make([]diagnose.Planned, 0, len(plan.Releases))
	for _, r := range plan.Releases {
		hr, err := pp.Store.GetHelmRegistry(ctx, r.Template.HelmRegistryID)
		if err != nil {
			return nil, fmt.Errorf("template %q: helm registry %s: %w", r.Template.Name, r.Template.HelmRegistryID, err)
		}
		reg := charts.Registry{ID: hr.ID, URL: hr.URL, Username: hr.Username, Password: hr.Password, Revision: hr.Revision}
		manifest, err := pp.Charts.Template(ctx, reg, r.Template.ChartName, r.Template.ChartVersion, r.Name, r.Namespace, r.ValuesMap)
		var re *helm.RenderError
		if err != nil && !errors.As(err, &re) {
			err = as(errChartUnavailable, fmt.Errorf("template %q: chart %s: %w", r.Template.Name, r.ChartRef(), err))
		}
		if err != nil {
			return nil, err
		}
		out = append(out, diagnose.Planned{Name: r.Name, Namespace: r.Namespace, Values: r.Values, Manifest: manifest})
	}
	return out, nil
}

// versionDiff answers, per release, what a deploy would change: values and manifests as
// unified diffs (Secret data masked), new releases and releases that would be removed.
func (s *Server) versionDiff(c *gin.Context) {
	p, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, ok := s.diagnostics(c)
	if !ok {
		return
	}
	differ, ok := d.(Differ)
	if s.Preview == nil || !ok {
		s.fail(c, errNoPreview)
		return
	}
	ctx := c.Request.Context()
	planned, err := s.Preview.Preview(ctx, p, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	diffs, err := differ.Diff(ctx, v.ID, planned)
	if err != nil {
		s.fail(c, diagnoseErr(err))
		return
	}
	c.JSON(http.StatusOK, newList(diffs, int64(len(diffs))))
}
