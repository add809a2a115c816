package helm_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/release"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/kubectl/pkg/validation"
	"k8s.io/utils/ptr"

	"github.com/oneko/oneko/internal/helm"
)

func newClient(t *testing.T) *helm.Client {
	t.Helper()
	c, err := helm.New(kube.RESTConfig(), helm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func loadChart(t *testing.T) *chart.Chart {
	t.Helper()
	ch, err := loader.Load("testdata/app")
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestUpgradeInstallStatusListUninstall(t *testing.T) {
	ctx := t.Context()
	c := newClient(t)
	ns := kube.Namespace(t, "helm")
	ch := loadChart(t)
	labels := helm.VersionLabels("inst-1", "p1", "v-"+ns)

	rel, err := c.UpgradeInstall(ctx, helm.Release{Name: "web", Namespace: ns, Chart: ch,
		Values: map[string]any{"replicas": 2, "image": "example.invalid/app:1"}, Labels: labels}, true, 2*time.Minute)
	if err != nil {
		t.Fatalf("install: %v\n%s", err, helm.LogTail(err))
	}
	if rel.Revision != 1 || rel.Status != helm.StatusDeployed {
		t.Fatalf("after install: revision %d status %s", rel.Revision, rel.Status)
	}
	ready, desired, err := c.PodCounts(ctx, rel)
	if err != nil || ready != 2 || desired != 2 {
		t.Fatalf("pods after a waiting install = %d/%d, %v; want 2/2", ready, desired, err)
	}

	rel, err = c.UpgradeInstall(ctx, helm.Release{Name: "web", Namespace: ns, Chart: ch,
		Values: map[string]any{"replicas": 1, "image": "example.invalid/app:2"}, Labels: labels}, true, 2*time.Minute)
	if err != nil {
		t.Fatalf("upgrade: %v\n%s", err, helm.LogTail(err))
	}
	if rel.Revision != 2 || rel.Status != helm.StatusDeployed {
		t.Fatalf("after upgrade: revision %d status %s", rel.Revision, rel.Status)
	}

	st, err := c.Status(ctx, ns, "web")
	if err != nil || st.Revision != 2 {
		t.Fatalf("status = %v, %v", st, err)
	}
	if _, err := c.Status(ctx, ns, "nope"); !errors.Is(err, helm.ErrNotFound) {
		t.Fatalf("status of a missing release = %v, want ErrNotFound", err)
	}

	list, err := c.ListByLabel(ctx, map[string]string{helm.LabelVersion: helm.LabelValue("v-" + ns)})
	if err != nil || len(list) != 1 || list[0].Name != "web" || list[0].Revision != 2 || list[0].Namespace != ns {
		t.Fatalf("list by label = %v, %v; want web@2", list, err)
	}
	if list[0].Labels[helm.LabelProject] != "p1" || list[0].Labels[helm.LabelManagedBy] != helm.ManagedBy {
		t.Fatalf("labels = %v", list[0].Labels)
	}

	if err := c.Uninstall(ctx, ns, "web"); err != nil {
		t.Fatalf("uninstall: %v", err)
	}
	if err := c.Uninstall(ctx, ns, "web"); err != nil {
		t.Fatalf("uninstall twice: %v", err)
	}
	if list, _ := c.ListByLabel(ctx, map[string]string{helm.LabelVersion: helm.LabelValue("v-" + ns)}); len(list) != 0 {
		t.Fatalf("releases after uninstall: %d", len(list))
	}
}

func TestFailedInstallCarriesHelmLog(t *testing.T) {
	c := newClient(t)
	ns := kube.Namespace(t, "helmfail")
	// A value that makes an invalid Deployment: the API server refuses it.
	_, err := c.UpgradeInstall(t.Context(), helm.Release{Name: "bad", Namespace: ns, Chart: loadChart(t),
		Values: map[string]any{"replicas": -3}}, true, time.Minute)
	if err == nil {
		t.Fatal("install of an invalid Deployment succeeded")
	}
	var oe *helm.OpError
	if !errors.As(err, &oe) || oe.Op != "install" || !strings.Contains(err.Error(), ns+"/bad") {
		t.Fatalf("error = %v, want an install OpError naming the release", err)
	}
	if helm.LogTail(err) == "" {
		t.Fatal("no Helm log attached to the error")
	}
	if helm.Unreachable(err) {
		t.Fatalf("a refused manifest counted as an unreachable cluster: %v", err)
	}
}

// sdkConfig opens the release storage the way the helm CLI would, to fake a killed worker.
func sdkConfig(t *testing.T, ns string) *action.Configuration {
	t.Helper()
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = ptr.To(kube.KubeconfigPath())
	flags.Namespace = ptr.To(ns)
	flags.CacheDir = ptr.To(t.TempDir())
	cfg := new(action.Configuration)
	if err := cfg.Init(flags, ns, "secret", func(string, ...any) {}); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// leavePending writes a new revision in state st, as a worker killed mid-operation leaves it.
func leavePending(t *testing.T, ns, name string, st release.Status) {
	t.Helper()
	cfg := sdkConfig(t, ns)
	last, err := cfg.Releases.Last(name)
	if err != nil {
		t.Fatal(err)
	}
	next := *last
	next.Info = &release.Info{FirstDeployed: last.Info.FirstDeployed, LastDeployed: last.Info.LastDeployed, Status: st, Description: "killed"}
	next.Version = last.Version + 1
	if err := cfg.Releases.Create(&next); err != nil {
		t.Fatal(err)
	}
}

func TestRecoverPending(t *testing.T) {
	ctx := t.Context()
	c := newClient(t)
	ns := kube.Namespace(t, "helmpending")
	ch := loadChart(t)
	r := helm.Release{Name: "web", Namespace: ns, Chart: ch, Values: map[string]any{"replicas": 1}}
	if _, err := c.UpgradeInstall(ctx, r, true, time.Minute); err != nil {
		t.Fatalf("install: %v", err)
	}
	leavePending(t, ns, "web", release.StatusPendingUpgrade)
	if _, err := c.UpgradeInstall(ctx, r, true, time.Minute); err == nil || !strings.Contains(err.Error(), "in progress") {
		t.Fatalf("upgrade over a pending revision = %v, want Helm's 'in progress' refusal", err)
	}
	got, err := c.RecoverPending(ctx, ns, "web", time.Minute)
	if err != nil || got != helm.RolledBack {
		t.Fatalf("recover = %q, %v; want rolled back", got, err)
	}
	if got, err := c.RecoverPending(ctx, ns, "web", time.Minute); err != nil || got != helm.NothingPending {
		t.Fatalf("second recover = %q, %v; want nothing pending", got, err)
	}
	rel, err := c.UpgradeInstall(ctx, r, true, time.Minute)
	if err != nil || rel.Status != helm.StatusDeployed {
		t.Fatalf("upgrade after recovery: %v", err)
	}

	// A release that never deployed is uninstalled.
	if _, err := c.UpgradeInstall(ctx, helm.Release{Name: "fresh", Namespace: ns, Chart: ch, Values: map[string]any{"replicas": 1}}, true, time.Minute); err != nil {
		t.Fatal(err)
	}
	cfg := sdkConfig(t, ns)
	last, _ := cfg.Releases.Last("fresh")
	last.SetStatus(release.StatusPendingInstall, "killed")
	if err := cfg.Releases.Update(last); err != nil {
		t.Fatal(err)
	}
	if got, err := c.RecoverPending(ctx, ns, "fresh", time.Minute); err != nil || got != helm.Uninstalled {
		t.Fatalf("recover a pending install = %q, %v; want uninstalled", got, err)
	}
	if _, err := c.Status(ctx, ns, "fresh"); !errors.Is(err, helm.ErrNotFound) {
		t.Fatalf("status after recovering a pending install = %v, want not found", err)
	}
}

func TestUnreachable(t *testing.T) {
	cfg := kube.RESTConfig()
	cfg.Host = "https://127.0.0.1:1"
	c, err := helm.New(cfg, helm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	_, err = c.UpgradeInstall(ctx, helm.Release{Name: "x", Namespace: "default", Chart: loadChart(t)}, false, time.Minute)
	if err == nil || !helm.Unreachable(err) {
		t.Fatalf("install against a closed port = %v, want an unreachable error", err)
	}
}

// TestOperationsShareTheValidator: every operation validates manifests with one validator,
// which decides once per kind whether the API server validates fields itself (a validator
// per operation parsed the cluster's OpenAPI document of each kind on every deploy), until the
// cluster is discovered again; installs are validated as before.
func TestOperationsShareTheValidator(t *testing.T) {
	c := newClient(t)
	now := time.Now()
	helm.SetClock(c, func() time.Time { return now })
	strict := func(ns string) validation.Schema {
		t.Helper()
		v, err := helm.ValidatorOf(c, ns, metav1.FieldValidationStrict)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first := strict("ns-a")
	if again := strict("ns-b"); again != first {
		t.Fatal("two operations built two validators")
	}
	// The shared validator judges manifests against the cluster.
	dep := []byte(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{}}`)
	if err := first.ValidateBytes(dep); err != nil {
		t.Fatalf("a Deployment did not validate: %v", err)
	}
	if ignore, err := helm.ValidatorOf(c, "ns-a", metav1.FieldValidationIgnore); err != nil || ignore == first {
		t.Fatalf("the ignoring validator is the strict one: %v", err)
	}

	now = now.Add(helm.DefaultCapabilitiesTTL + time.Second)
	if strict("ns-a") == first {
		t.Fatal("the validator outlived the discovery of the cluster")
	}

	ns := kube.Namespace(t, "helmvalid")
	for i := range 2 {
		if _, err := c.UpgradeInstall(t.Context(), helm.Release{Name: "web", Namespace: ns, Chart: loadChart(t),
			Values: map[string]any{"replicas": 1, "image": "example.invalid/app:1"}}, false, time.Minute); err != nil {
			t.Fatalf("operation %d with the shared validator: %v", i, err)
		}
	}
}
