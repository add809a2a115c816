package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/demo"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
)

// TestSeededProjectDeploys checks the seeded project end to end short of a cluster: it
// validates, its template renders for a version into values naming the demo image, and the
// demo chart, fetched from the demo repository, renders those values into a Deployment of
// that image and a Service.
func TestSeededProjectDeploys(t *testing.T) {
	s := newStore(t)
	d := start(t)
	ctx := context.Background()
	seeded, err := d.Seed(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.GetProject(ctx, seeded.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(render.Check); err != nil {
		t.Fatalf("the seeded project does not validate: %v", err)
	}
	if p.NewVersionsDeploymentBehaviour != model.BehaviourAutomatically || p.Namespace != "on-demo" || p.ImageName != demo.ImageName {
		t.Fatalf("project = %+v", p)
	}
	cache, err := charts.NewCache(t.TempDir(), charts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	chrt, err := cache.Chart(ctx, charts.Registry{ID: seeded.HelmRegistryID, URL: d.ChartsURL()}, p.DefaultConfigurationTemplates[0].ChartName, p.DefaultConfigurationTemplates[0].ChartVersion)
	if err != nil {
		t.Fatal(err)
	}

	repository := strings.TrimPrefix(d.RegistryURL(), "http://") + "/" + demo.ImageName
	digest := d.Images()[1].Digest
	for _, tc := range []struct {
		name, tag, digest string
		replicas          string // a version override of REPLICAS; empty: the default
		wantImage         string
		wantReplicas      int
	}{
		{name: "pinned by digest", tag: "1.1.0", digest: digest, wantImage: repository + "@" + digest, wantReplicas: 1},
		{name: "digest not known yet", tag: "1.0.0", wantImage: repository + ":1.0.0", wantReplicas: 1},
		{name: "three replicas", tag: "latest", digest: digest, replicas: "3", wantImage: repository + "@" + digest, wantReplicas: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := model.NewVersion(p, tc.tag, tc.digest, time.Now())
			v.ID = "v-" + tc.tag
			if tc.replicas != "" {
				v.TemplateVariables["REPLICAS"] = tc.replicas
			}
			if err := v.Validate(p, render.Check); err != nil {
				t.Fatal(err)
			}
			plan, err := deploy.NewPlanner(s, "demo-test", render.Limits{}).Plan(ctx, p, v)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Releases) != 1 || len(plan.URLs) != 1 {
				t.Fatalf("plan = %+v", plan)
			}
			if want := "http://" + strings.ReplaceAll(tc.tag, ".", "-") + ".hello.local"; plan.URLs[0] != want {
				t.Errorf("URL = %s, want %s", plan.URLs[0], want)
			}
			rel := plan.Releases[0]
			image, _ := rel.ValuesMap["image"].(map[string]any)
			if image["repository"] != repository || image["tag"] != tc.tag || image["digest"] != tc.digest {
				t.Errorf("image values = %v, want repository %s, tag %s, digest %q", image, repository, tc.tag, tc.digest)
			}
			manifests := renderChart(t, chrt, rel)
			dep := manifests["hello/templates/deployment.yaml"]
			if !strings.Contains(dep, fmt.Sprintf("image: %q", tc.wantImage)) {
				t.Errorf("the Deployment does not run %s:\n%s", tc.wantImage, dep)
			}
			if !strings.Contains(dep, fmt.Sprintf("replicas: %d\n", tc.wantReplicas)) {
				t.Errorf("the Deployment does not have %d replicas:\n%s", tc.wantReplicas, dep)
			}
			if svc := manifests["hello/templates/service.yaml"]; !strings.Contains(svc, "name: "+rel.Name) {
				t.Errorf("no Service named %s:\n%s", rel.Name, svc)
			}
		})
	}
}

// renderChart renders a chart with a planned release's values, as helm template would.
func renderChart(t *testing.T, chrt *chart.Chart, rel deploy.Release) map[string]string {
	t.Helper()
	vals, err := chartutil.ToRenderValues(chrt, rel.ValuesMap, chartutil.ReleaseOptions{Name: rel.Name, Namespace: rel.Namespace, IsInstall: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := engine.Render(chrt, vals)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
