package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"sigs.k8s.io/yaml"

	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
)

// secretChart is a chart with a ConfigMap of a size and a Secret of a password, both from values.
func secretChart() *chart.Chart {
	return &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: "v2", Name: "secretive", Version: "0.1.0"},
		Templates: []*chart.File{
			{Name: "templates/config.yaml", Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  size: {{ .Values.size | quote }}\n")},
			{Name: "templates/secret.yaml", Data: []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\nstringData:\n  password: {{ .Values.password | quote }}\ndata:\n  token: {{ .Values.token | b64enc | quote }}\n")},
		},
	}
}

// TestDiff: on the local control plane, a deployed release compared with a plan whose values
// changed names the changed values and manifest lines; Secret data (given or derived from the
// values) never appears in either diff; a planned release not deployed is new, a deployed one
// not planned would be removed, and an identical plan shows no change.
func TestDiff(t *testing.T) {
	ns := kube.Namespace(t, "diff")
	c, err := helm.New(kube.RESTConfig(), helm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	oldValues := map[string]any{"size": "small", "password": "old-pa55word", "token": "old-t0ken-value"}
	for _, name := range []string{"web", "gone"} {
		if _, err := c.UpgradeInstall(ctx, helm.Release{Name: name, Namespace: ns, Chart: secretChart(), Values: oldValues,
			Labels: helm.VersionLabels("inst", "p1", "vdiff")}, false, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	r := diagnose.New(kube.Client(t), "inst")
	plan := func(name string, values map[string]any) diagnose.Planned {
		t.Helper()
		m, err := helm.Render(secretChart(), name, ns, values)
		if err != nil {
			t.Fatal(err)
		}
		y, _ := yaml.Marshal(values)
		return diagnose.Planned{Name: name, Namespace: ns, Values: string(y), Manifest: m}
	}
	newValues := map[string]any{"size": "large", "password": "new-pa55word", "token": "new-t0ken-value"}
	diffs, err := r.Diff(ctx, "vdiff", []diagnose.Planned{plan("web", newValues), plan("fresh", newValues)})
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 3 {
		t.Fatalf("%d release diffs, want web, fresh and gone: %+v", len(diffs), diffs)
	}
	web, fresh, gone := diffs[0], diffs[1], diffs[2]
	if web.Release != "web" || web.Change != diagnose.ChangeChanged || !strings.Contains(web.Values, "-size: small") || !strings.Contains(web.Values, "+size: large") ||
		!strings.Contains(web.Manifest, `+  size: "large"`) || !strings.Contains(web.Manifest, "(masked ") {
		t.Fatalf("web diff:\nvalues:\n%s\nmanifest:\n%s", web.Values, web.Manifest)
	}
	if fresh.Release != "fresh" || fresh.Change != diagnose.ChangeNew || gone.Release != "gone" || gone.Change != diagnose.ChangeRemoved {
		t.Fatalf("fresh %s %s, gone %s %s", fresh.Release, fresh.Change, gone.Release, gone.Change)
	}
	for _, d := range diffs {
		for _, secret := range []string{"pa55word", "t0ken-value", "b2xkLXQwa2VuLXZhbHVl", "bmV3LXQwa2VuLXZhbHVl"} {
			if strings.Contains(d.Values+d.Manifest, secret) {
				t.Fatalf("%s diff shows Secret data %q:\n%s\n%s", d.Release, secret, d.Values, d.Manifest)
			}
		}
	}
	same, err := r.Diff(ctx, "vdiff", []diagnose.Planned{plan("web", oldValues), plan("gone", oldValues)})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range same {
		if d.Change != diagnose.ChangeNone || d.Values != "" || d.Manifest != "" {
			t.Fatalf("unchanged release %s: %s\n%s\n%s", d.Release, d.Change, d.Values, d.Manifest)
		}
	}
}
