package charts_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"

	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
)

// TestServiceAccountRights installs the chart in each RBAC scope, takes a token of its
// ServiceAccount (not the admin's credentials) and does with it what oneko's api and worker
// do in Kubernetes, through the same clients (internal/kube, internal/helm): ensure the
// target namespace with a pull secret, install the demo chart and wait for it, read its
// status and Pods, upgrade it, uninstall it. In the namespaced scope the same actions are
// refused in a namespace outside the chart's list.
func TestServiceAccountRights(t *testing.T) {
	for _, scope := range []string{"cluster", "namespaced"} {
		t.Run(scope, func(t *testing.T) {
			k := cluster(t)
			ctx := t.Context()
			admin := k.Client(t)
			sys := k.Namespace(t, "oneko-sys")
			managed := k.Namespace(t, "managed")
			other := k.Namespace(t, "other")

			cfg := helmConfig(t, k.KubeconfigPath(), sys)
			install := action.NewInstall(cfg)
			install.ReleaseName, install.Namespace = "oneko", sys
			vals := with(t, `{api: {replicas: 1}, worker: {replicas: 1}, rbac: {scope: `+scope+`, namespaces: [`+managed+`]}}`)
			if _, err := install.RunWithContext(ctx, loadChart(t), vals); err != nil {
				t.Fatalf("install chart: %v", err)
			}
			t.Cleanup(func() { _, _ = action.NewUninstall(cfg).Run("oneko") }) // the ClusterRole is not in a namespace

			saCfg := serviceAccountConfig(t, k.RESTConfig(), admin, sys, "oneko")
			kc, err := kube.New(saCfg, "test")
			if err != nil {
				t.Fatal(err)
			}
			hc, err := helm.New(saCfg, helm.Options{})
			if err != nil {
				t.Fatal(err)
			}
			sa := kubernetes.NewForConfigOrDie(saCfg)

			// Where oneko deploys: in the cluster scope a namespace it creates itself, in the
			// namespaced scope the listed one (it exists; creating it is not oneko's right).
			target := managed
			if scope == "cluster" {
				target = "oneko-new-" + randHex(t)
				t.Cleanup(func() { _ = admin.CoreV1().Namespaces().Delete(t.Context(), target, metav1.DeleteOptions{}) })
			}
			regs := []model.DockerRegistry{{ID: "reg-0123456789abcdef", Name: "private", URL: "https://registry.example.com", Username: "bot", Password: "s3cret"}}
			if err := kc.EnsureNamespace(ctx, target, regs); err != nil {
				t.Fatalf("ensure namespace %s with the ServiceAccount: %v", target, err)
			}
			if _, err := admin.CoreV1().Secrets(target).Get(ctx, kube.PullSecretName(&regs[0]), metav1.GetOptions{}); err != nil {
				t.Errorf("pull secret: %v", err)
			}
			if err := kc.EnsureNamespace(ctx, target, regs); err != nil { // again: it converges (updates the secret)
				t.Errorf("ensure namespace again: %v", err)
			}
			// A changed password, then the registry's deletion, reach the pull secret: across
			// namespaces in the cluster scope, in the named namespaces in the namespaced one.
			rotated := regs[0]
			rotated.Password = "rotated"
			for _, stored := range []map[string]*model.DockerRegistry{{rotated.ID: &rotated}, {}} {
				found, err := kc.PullSecrets(ctx, rotated.ID, target)
				if err != nil || len(found) != 1 {
					t.Fatalf("pull secrets with the ServiceAccount: %v, %v", found, err)
				}
				changes, err := kube.PlanPullSecrets(found, stored, true)
				if err != nil {
					t.Fatal(err)
				}
				if done, err := kc.ApplyPullSecretChanges(ctx, changes); err != nil || len(done) != 1 {
					t.Fatalf("sync pull secrets with the ServiceAccount: %v, %v", done, err)
				}
				if len(stored) == 0 {
					break
				}
				sec, err := admin.CoreV1().Secrets(target).Get(ctx, kube.PullSecretName(&rotated), metav1.GetOptions{})
				if err != nil || !strings.Contains(string(sec.Data[corev1.DockerConfigJsonKey]), "rotated") {
					t.Fatalf("pull secret after the password change: %v", err)
				}
			}
			if _, err := admin.CoreV1().Secrets(target).Get(ctx, kube.PullSecretName(&rotated), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				t.Errorf("pull secret after the registry's deletion: %v", err)
			}

			demo, err := loader.Load("../internal/demo/chart/hello")
			if err != nil {
				t.Fatal(err)
			}
			rel := helm.Release{Name: "hello", Namespace: target, Chart: demo, Values: map[string]any{"replicas": 2},
				Labels: map[string]string{helm.LabelVersion: "v-rbac"}}
			got, err := hc.UpgradeInstall(ctx, rel, true, 6*time.Minute)
			if err != nil {
				t.Fatalf("install the demo with the ServiceAccount: %v", err)
			}
			if got.Status != helm.StatusDeployed {
				t.Fatalf("demo release %s", got.Status)
			}
			if st, err := hc.Status(ctx, target, "hello"); err != nil || st.Revision != 1 {
				t.Errorf("status: %v", err)
			}
			if ready, desired, err := hc.PodCounts(ctx, got); err != nil || desired != 2 {
				t.Errorf("pod counts %d/%d: %v", ready, desired, err)
			}
			rel.Values = map[string]any{"replicas": 1}
			if got, err = hc.UpgradeInstall(ctx, rel, true, 6*time.Minute); err != nil || got.Revision != 2 {
				t.Fatalf("upgrade the demo with the ServiceAccount: %v", err)
			}
			// Logs and events of what it deployed (kwok has no kubelet to serve logs: the right is asked).
			for _, ra := range []authorizationv1.ResourceAttributes{
				{Namespace: target, Verb: "get", Resource: "pods", Subresource: "log"},
				{Namespace: target, Verb: "list", Resource: "events"},
				{Namespace: target, Verb: "watch", Resource: "pods"},
			} {
				if !allowed(t, sa, ra) {
					t.Errorf("the ServiceAccount may not %s %s/%s in %s", ra.Verb, ra.Resource, ra.Subresource, target)
				}
			}
			if _, err := sa.CoreV1().Events(target).List(ctx, metav1.ListOptions{}); err != nil {
				t.Errorf("list events: %v", err)
			}

			// Listing releases (status refresh, reconcile, stop): across namespaces in the
			// cluster scope; in the namespaced scope that is refused, and the namespaces oneko
			// names (those its versions use) are listed one by one.
			list, err := hc.ListByLabel(ctx, map[string]string{helm.LabelVersion: "v-rbac"}, target)
			if err != nil || len(list) != 1 || list[0].Namespace != target || list[0].Name != "hello" {
				t.Errorf("list releases by label in %s: %v, %v; want the demo release", target, list, err)
			}

			// The diagnostics routes read the release storage of a version the same way: across
			// namespaces where allowed, else in the namespaces its deployment recorded.
			diag := diagnose.New(sa, "")
			recorded := diag.WithNamespaces(func(context.Context, string) ([]string, error) { return []string{target}, nil })
			if hist, err := recorded.History(ctx, "v-rbac"); err != nil || len(hist) != 2 {
				t.Errorf("history of the demo with the ServiceAccount: %v, %v; want its 2 revisions", hist, err)
			}
			if _, err := recorded.Events(ctx, "v-rbac"); err != nil {
				t.Errorf("events of the demo with the ServiceAccount: %v", err)
			}
			if _, err := diag.History(ctx, "v-rbac"); (err != nil) != (scope == "namespaced") {
				t.Errorf("history without the recorded namespaces in the %s scope: %v", scope, err)
			}

			if scope == "namespaced" {
				// Outside its namespaces the ServiceAccount is refused, and says so.
				if err := kc.EnsureNamespace(ctx, other, regs); err == nil || !apierrors.IsForbidden(err) {
					t.Errorf("ensure namespace %s outside the list: %v, want forbidden", other, err)
				}
				out := rel
				out.Namespace = other
				if _, err := hc.UpgradeInstall(ctx, out, false, time.Minute); err == nil || !strings.Contains(err.Error(), "forbidden") {
					t.Errorf("install into %s outside the list: %v, want forbidden", other, err)
				}
				if allowed(t, sa, authorizationv1.ResourceAttributes{Verb: "create", Resource: "namespaces"}) {
					t.Errorf("the namespaced scope may create namespaces")
				}
			}

			if err := hc.Uninstall(ctx, target, "hello"); err != nil {
				t.Fatalf("uninstall the demo with the ServiceAccount: %v", err)
			}
			if deps, err := admin.AppsV1().Deployments(target).List(ctx, metav1.ListOptions{}); err != nil || len(deps.Items) != 0 {
				t.Errorf("after uninstall: %d Deployments (%v)", len(deps.Items), err)
			}
			if scope == "cluster" {
				if err := kc.DeleteNamespace(ctx, target); err != nil {
					t.Errorf("delete the namespace it created: %v", err)
				}
			}
		})
	}
}

// serviceAccountConfig returns a client configuration that authenticates with a fresh token
// of the ServiceAccount ns/name, as a Pod of the chart does.
func serviceAccountConfig(t testing.TB, admin *rest.Config, client kubernetes.Interface, ns, name string) *rest.Config {
	t.Helper()
	tr, err := client.CoreV1().ServiceAccounts(ns).CreateToken(t.Context(), name,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](3600)}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("token of %s/%s: %v", ns, name, err)
	}
	cfg := rest.AnonymousClientConfig(admin)
	cfg.BearerToken = tr.Status.Token
	return cfg
}

// allowed asks the API server whether the client's user may do ra.
func allowed(t testing.TB, client kubernetes.Interface, ra authorizationv1.ResourceAttributes) bool {
	t.Helper()
	r, err := client.AuthorizationV1().SelfSubjectAccessReviews().Create(t.Context(),
		&authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &ra}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("access review: %v", err)
	}
	return r.Status.Allowed
}

func randHex(t testing.TB) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
