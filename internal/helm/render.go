package helm

import (
	"context"
	"fmt"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/oneko/oneko/internal/charts"
)

// RenderError reports that a chart does not render with the values given (a template fails,
// a required value is missing): a fault of the chart or the values, not of the cluster.
type RenderError struct {
	Chart, Release string
	Err            error
}

func (e *RenderError) Error() string {
	return fmt.Sprintf("render chart %s for release %s: %v", e.Chart, e.Release, e.Err)
}

func (e *RenderError) Unwrap() error { return e.Err }

// Render renders a chart's manifests with values for release name in namespace, as an
// install would, without a cluster (helm template, CRDs left out). Errors are *RenderError.
func Render(ch *chart.Chart, name, namespace string, values map[string]any) (string, error) {
	cfg := &action.Configuration{Capabilities: chartutil.DefaultCapabilities}
	inst := action.NewInstall(cfg)
	inst.ClientOnly, inst.DryRun, inst.Replace, inst.IncludeCRDs = true, true, true, false
	inst.ReleaseName, inst.Namespace = name, namespace
	rel, err := inst.Run(ch, values)
	if err != nil {
		return "", &RenderError{Chart: ch.Name(), Release: name, Err: err}
	}
	return rel.Manifest, nil
}

// ChartSource answers charts from Helm registries (charts.Cache).
type ChartSource interface {
	Chart(ctx context.Context, r charts.Registry, name, versionConstraint string) (*chart.Chart, error)
}

// Templater renders charts of Helm registries without a cluster, so that callers outside
// this package (the api's diff) need no Helm type.
type Templater struct {
	Charts ChartSource
}

// Template fetches the chart name in the version the constraint picks from registry r and
// renders it for release in namespace with values (see Render). A chart that does not render
// is a *RenderError; an error fetching it is the chart source's, as it is.
func (t Templater) Template(ctx context.Context, r charts.Registry, name, versionConstraint, release, namespace string, values map[string]any) (string, error) {
	ch, err := t.Charts.Chart(ctx, r, name, versionConstraint)
	if err != nil {
		return "", err
	}
	return Render(ch, release, namespace, values)
}
