package charts_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	"helm.sh/helm/v3/pkg/release"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/restmapper"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	"github.com/oneko/oneko/internal/testenv"
)

// valueSets are the value sets every check runs with; nss are two namespaces for the
// namespaced RBAC scope.
func valueSets(t testing.TB, nss ...string) map[string]map[string]any {
	return map[string]map[string]any{
		"defaults":   with(t, ""),
		"namespaced": with(t, `rbac: {scope: namespaced, namespaces: [`+strings.Join(nss, ", ")+`]}`),
		"hpa-ingress-monitor": with(t, `
api: {autoscaling: {enabled: true}}
worker: {autoscaling: {enabled: true}}
ingress: {enabled: true, host: oneko.example.org, tls: {enabled: true}}
metrics: {serviceMonitor: {enabled: true}}`),
		"existing-secret": {"secrets": map[string]any{"existingSecret": "oneko-connections"}},
	}
}

// TestLint lints the chart through the Helm SDK with every value set: no message at all,
// not even INFO (a missing icon is the one INFO accepted).
func TestLint(t *testing.T) {
	for name, vals := range valueSets(t, "team-a", "team-b") {
		t.Run(name, func(t *testing.T) {
			res := lint.All(chartDir, vals, "tools", false)
			for _, m := range res.Messages {
				if m.Severity == support.InfoSev && strings.Contains(m.Err.Error(), "icon is recommended") {
					continue
				}
				t.Errorf("lint: %s", m)
			}
		})
	}
	// The linter reports values that break the schema, naming them.
	res := lint.All(chartDir, with(t, `worker: {replicas: -1}`), "tools", false)
	if res.HighestSeverity < support.ErrorSev || !strings.Contains(messages(res.Messages), "/worker/replicas") {
		t.Errorf("lint of worker.replicas=-1: %s, want an error naming /worker/replicas", messages(res.Messages))
	}
}

func messages(ms []support.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Error() + "\n")
	}
	return b.String()
}

// TestServerDryRun renders every value set and creates each object on the local
// kube-apiserver with dryRun=All and strict field validation: the server's own schemas
// (and admission) judge every field, nothing is stored.
func TestServerDryRun(t *testing.T) {
	k := cluster(t)
	ctx := t.Context()
	ns := k.Namespace(t, "chart-dry")
	teamA, teamB := k.Namespace(t, "team-a"), k.Namespace(t, "team-b")
	installCRD(t, k, "testdata/servicemonitor-crd.yaml")
	dyn, err := dynamic.NewForConfig(k.RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(k.RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	for name, vals := range valueSets(t, teamA, teamB) {
		t.Run(name, func(t *testing.T) {
			r := mustRender(t, ns, vals)
			for _, o := range r.objects {
				gvk := o.GroupVersionKind()
				m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
				if err != nil {
					t.Errorf("%s %s: the cluster does not know the kind: %v", gvk.Kind, o.GetName(), err)
					continue
				}
				var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
				if m.Scope.Name() == meta.RESTScopeNameNamespace {
					if o.GetNamespace() == "" {
						t.Errorf("%s %s has no namespace", gvk.Kind, o.GetName())
					}
					ri = dyn.Resource(m.Resource).Namespace(o.GetNamespace())
				}
				opts := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}, FieldValidation: "Strict"}
				if _, err := ri.Create(ctx, o, opts); err != nil {
					t.Errorf("dry-run create %s %s/%s: %v", gvk.Kind, o.GetNamespace(), o.GetName(), err)
				}
			}
			if len(r.objects) < 8 {
				t.Errorf("only %d objects rendered", len(r.objects))
			}
		})
	}
	// The server does judge: a misspelt field that the chart's schema lets through (extraEnv
	// items are free-form) is refused by name.
	r := mustRender(t, ns, with(t, `api: {extraEnv: [{name: FOO, valeu: bar}]}`))
	for _, o := range r.objects {
		if o.GetKind() != "Deployment" || o.GetName() != "oneko-api" {
			continue
		}
		_, err := dyn.Resource(schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}).Namespace(ns).
			Create(ctx, o, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}, FieldValidation: "Strict"})
		if err == nil || !strings.Contains(err.Error(), "valeu") {
			t.Errorf("dry-run of a Deployment with env[].valeu: %v, want a refusal naming valeu", err)
		}
	}
	// Nothing was stored.
	if deps, err := k.Client(t).AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{}); err != nil || len(deps.Items) != 0 {
		t.Errorf("after dry-runs: %d Deployments, %v", len(deps.Items), err)
	}
}

// installCRD creates a CRD from a file (if missing) and waits until it is served.
func installCRD(t testing.TB, k *testenv.Kube, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	o := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(b, &o.Object); err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(k.RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	crds := dyn.Resource(schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"})
	if _, err := crds.Create(t.Context(), o, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatalf("create CRD: %v", err)
	}
	err = wait.PollUntilContextTimeout(t.Context(), 200*time.Millisecond, 5*time.Minute, true, func(ctx context.Context) (bool, error) {
		got, err := crds.Get(ctx, o.GetName(), metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		conds, _, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
		for _, c := range conds {
			if m, ok := c.(map[string]any); ok && m["type"] == "Established" && m["status"] == "True" {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("CRD %s not established: %v", o.GetName(), err)
	}
}

// helmConfig is an action configuration for namespace ns of the test cluster.
func helmConfig(t testing.TB, kubeconfig, ns string) *action.Configuration {
	t.Helper()
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = ptr.To(kubeconfig)
	flags.Namespace = ptr.To(ns)
	flags.CacheDir = ptr.To(t.TempDir())
	cfg := new(action.Configuration)
	if err := cfg.Init(flags, ns, "secret", func(format string, v ...any) { t.Logf("helm: "+format, v...) }); err != nil {
		t.Fatalf("helm init: %v", err)
	}
	return cfg
}

// TestInstallUpgradeUninstall installs the chart with the Helm SDK on the local control
// plane, waits for every Pod to run (kwok plays the kubelet), upgrades it with more workers
// and another setting, and uninstalls it, checking the cluster after each step.
func TestInstallUpgradeUninstall(t *testing.T) {
	k := cluster(t)
	ctx := t.Context()
	client := k.Client(t)
	ns := k.Namespace(t, "chart-install")
	cfg := helmConfig(t, k.KubeconfigPath(), ns)
	ch := loadChart(t)

	install := action.NewInstall(cfg)
	install.ReleaseName, install.Namespace = "oneko", ns
	install.Wait, install.Timeout = true, 6*time.Minute
	rel, err := install.RunWithContext(ctx, ch, with(t, ""))
	if err != nil {
		t.Fatalf("install: %v", err)
	}
	if rel.Info.Status != release.StatusDeployed {
		t.Fatalf("release %s", rel.Info.Status)
	}
	waitPods(t, client, ns, "api", 2, nil)
	waitPods(t, client, ns, "worker", 2, nil)
	crName := ns + "-oneko"
	if _, err := client.RbacV1().ClusterRoles().Get(ctx, crName, metav1.GetOptions{}); err != nil {
		t.Errorf("cluster role: %v", err)
	}
	if !strings.Contains(rel.Info.Notes, "port-forward service/oneko") {
		t.Errorf("notes: %s", rel.Info.Notes)
	}

	upgrade := action.NewUpgrade(cfg)
	upgrade.Namespace = ns
	upgrade.Wait, upgrade.Timeout = true, 6*time.Minute
	rel, err = upgrade.RunWithContext(ctx, "oneko", ch, with(t, `{worker: {replicas: 3}, config: {logLevel: debug}}`))
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if rel.Version != 2 || rel.Info.Status != release.StatusDeployed {
		t.Fatalf("after upgrade: revision %d %s", rel.Version, rel.Info.Status)
	}
	debug := func(p corev1.Pod) bool {
		for _, e := range p.Spec.Containers[0].Env {
			if e.Name == "ONEKO_LOG_LEVEL" {
				return e.Value == "debug"
			}
		}
		return false
	}
	waitPods(t, client, ns, "worker", 3, debug)
	waitPods(t, client, ns, "api", 2, debug)

	if _, err := action.NewUninstall(cfg).Run("oneko"); err != nil {
		t.Fatalf("uninstall: %v", err)
	}
	deps, err := client.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
	if err != nil || len(deps.Items) != 0 {
		t.Errorf("after uninstall: %d Deployments (%v)", len(deps.Items), err)
	}
	if _, err := client.RbacV1().ClusterRoles().Get(ctx, crName, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("cluster role after uninstall: %v, want not found", err)
	}
	if _, err := client.CoreV1().Secrets(ns).Get(ctx, "oneko", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("secret after uninstall: %v, want not found", err)
	}
}

// TestInstallRefusesBadValues: an install with values that break the schema fails before
// anything reaches the cluster, with a message that names the values.
func TestInstallRefusesBadValues(t *testing.T) {
	k := cluster(t)
	ns := k.Namespace(t, "chart-bad")
	cfg := helmConfig(t, k.KubeconfigPath(), ns)
	install := action.NewInstall(cfg)
	install.ReleaseName, install.Namespace = "oneko", ns
	_, err := install.RunWithContext(t.Context(), loadChart(t), with(t, `{api: {replicas: many}, rbac: {scope: everywhere}}`))
	if err == nil {
		t.Fatal("install with bad values succeeded")
	}
	for _, want := range []string{"/api/replicas", "/rbac/scope"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	secrets, err := k.Client(t).CoreV1().Secrets(ns).List(t.Context(), metav1.ListOptions{})
	if err != nil || len(secrets.Items) != 0 {
		t.Errorf("secrets in the namespace after a refused install: %d (%v)", len(secrets.Items), err)
	}
}

// waitPods waits until want Pods of a component run and are ready (and match, if given) and
// no other Pod of it is left.
func waitPods(t testing.TB, client kubernetes.Interface, ns, component string, want int, match func(corev1.Pod) bool) {
	t.Helper()
	var last string
	err := wait.PollUntilContextTimeout(t.Context(), 250*time.Millisecond, 6*time.Minute, true, func(ctx context.Context) (bool, error) {
		pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/component=" + component})
		if err != nil {
			return false, err
		}
		ok := 0
		for _, p := range pods.Items {
			if p.Status.Phase == corev1.PodRunning && ready(p) && p.DeletionTimestamp == nil && (match == nil || match(p)) {
				ok++
			}
		}
		last = component + ": " + strconv.Itoa(ok) + " running of " + strconv.Itoa(len(pods.Items))
		return ok == want && len(pods.Items) == want, nil
	})
	if err != nil {
		t.Fatalf("wait for %d %s Pods: %v (%s)", want, component, err, last)
	}
}

func ready(p corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
