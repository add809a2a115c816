package helm_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
	helmtime "helm.sh/helm/v3/pkg/time"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/oneko/oneko/internal/helm"
)

// TestRevisions reads Helm's storage Secrets into oneko's own Info (chart, values, time),
// filtered by label; nothing stored is no error and a refusal stays recognisable. (The
// diagnostics tests read it on the local control plane.)
func TestRevisions(t *testing.T) {
	cs := fake.NewClientset()
	ctx := t.Context()
	deployed := time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	none, err := helm.Revisions(ctx, cs, "", map[string]string{"a": "b"})
	if err != nil || len(none) != 0 {
		t.Fatalf("empty storage: %v, %v", none, err)
	}
	for i, labels := range []map[string]string{{"oneko.dev/version": "v1"}, {"oneko.dev/version": "v2"}} {
		rel := &release.Release{Name: "web", Namespace: "ns", Version: i + 1, Labels: labels, Config: map[string]any{"size": "small"},
			Info:     &release.Info{Status: release.StatusDeployed, Description: "Install complete", LastDeployed: helmtime.Time{Time: deployed}},
			Chart:    &chart.Chart{Metadata: &chart.Metadata{Name: "web", Version: "1.2.3", AppVersion: "4.5"}},
			Manifest: "---\nkind: ConfigMap\n"}
		if err := driver.NewSecrets(cs.CoreV1().Secrets("ns")).Create("sh.helm.release.v1.web.v"+string(rune('1'+i)), rel); err != nil {
			t.Fatal(err)
		}
	}
	got, err := helm.Revisions(ctx, cs, "", map[string]string{"oneko.dev/version": "v2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("revisions of v2: %d, want 1", len(got))
	}
	g := got[0]
	if g.Name != "web" || g.Namespace != "ns" || g.Revision != 2 || g.Status != helm.StatusDeployed || g.Description != "Install complete" ||
		g.Chart != "web" || g.ChartVersion != "1.2.3" || g.AppVersion != "4.5" || !g.Deployed.Equal(deployed) || g.Deployed.Location() != time.UTC ||
		!reflect.DeepEqual(g.Values, map[string]any{"size": "small"}) || g.Manifest != "---\nkind: ConfigMap\n" {
		t.Fatalf("revision read: %+v", g)
	}

	cs.PrependReactor("list", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "", errors.New("namespaced scope"))
	})
	if _, err := helm.Revisions(ctx, cs, "", nil); !apierrors.IsForbidden(err) {
		t.Fatalf("refused list: err = %v, want one apierrors.IsForbidden recognises", err)
	}
}

// TestSplitManifest keeps the documents of a manifest in their order (the leading "---" makes
// no empty document).
func TestSplitManifest(t *testing.T) {
	var m string
	var want []string
	for i := range 12 { // more than 9, so that "manifest-10" must not sort before "manifest-2"
		doc := "kind: ConfigMap\nmetadata:\n  name: cm" + string(rune('a'+i))
		m += "---\n" + doc + "\n"
		want = append(want, doc)
	}
	if got := helm.SplitManifest(m); !reflect.DeepEqual(got, want) {
		t.Fatalf("SplitManifest:\n%q\nwant\n%q", got, want)
	}
}
