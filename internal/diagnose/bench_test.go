package diagnose_test

import (
	"fmt"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
)

// BenchmarkDiffThreeReleases measures one diff of a version with three deployed releases on
// the local control plane: reading the release storage and rendering and comparing the three
// planned releases (the work of GET …/diff besides the plan itself).
func BenchmarkDiffThreeReleases(b *testing.B) {
	ns := kube.Namespace(b, "diffbench")
	c, err := helm.New(kube.RESTConfig(), helm.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	values := map[string]any{"size": "small", "password": "bench-pa55word", "token": "bench-t0ken"}
	for i := range 3 {
		if _, err := c.UpgradeInstall(ctx, helm.Release{Name: fmt.Sprintf("r%d", i), Namespace: ns, Chart: secretChart(), Values: values,
			Labels: helm.VersionLabels("inst", "p1", "vbench")}, false, time.Minute); err != nil {
			b.Fatal(err)
		}
	}
	r := diagnose.New(kube.Client(b), "inst")
	changed := map[string]any{"size": "large", "password": "bench-pa55word", "token": "bench-t0ken"}
	y, _ := yaml.Marshal(changed)
	b.ResetTimer()
	for b.Loop() {
		planned := make([]diagnose.Planned, 3)
		for i := range planned {
			name := fmt.Sprintf("r%d", i)
			m, err := helm.Render(secretChart(), name, ns, changed)
			if err != nil {
				b.Fatal(err)
			}
			planned[i] = diagnose.Planned{Name: name, Namespace: ns, Values: string(y), Manifest: m}
		}
		diffs, err := r.Diff(ctx, "vbench", planned)
		if err != nil || len(diffs) != 3 {
			b.Fatalf("%d diffs, %v", len(diffs), err)
		}
	}
}
