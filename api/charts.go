package api

import (
	"context"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/model"
)

// CacheCharts lists charts through the shared chart cache (the worker fetches charts through
// the same code).
type CacheCharts struct{ Cache *charts.Cache }

var _ ChartCache = CacheCharts{}

// Forget drops the listings and charts kept for the Helm registry (charts.Cache.Forget).
func (c CacheCharts) Forget(registryID string) error { return c.Cache.Forget(registryID) }

// ChartRegistry converts a Helm registry document for package charts.
func ChartRegistry(r *model.HelmRegistry) charts.Registry {
	return charts.Registry{ID: r.ID, URL: r.URL, Username: r.Username, Password: r.Password}
}

// ListCharts lists the charts of a Helm registry, newest version first.
func (c CacheCharts) ListCharts(ctx context.Context, r *model.HelmRegistry) (map[string][]ChartVersion, error) {
	list, err := c.Cache.ListCharts(ctx, ChartRegistry(r))
	if err != nil {
		return nil, err
	}
	out := make(map[string][]ChartVersion, len(list))
	for name, vs := range list {
		cv := make([]ChartVersion, len(vs))
		for i, v := range vs {
			cv[i] = ChartVersion{Version: v.Version, AppVersion: v.AppVersion, Description: v.Description}
		}
		out[name] = cv
	}
	return out, nil
}
