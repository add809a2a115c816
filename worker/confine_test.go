package worker

import (
	"fmt"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
)

// TestReleaseKeptInsideItsNamespace deploys a chart that passes extra objects through from
// its values: a ClusterRole, a ConfigMap in another namespace and a pre-install hook in another
// namespace are refused (the version fails naming the object, which is not created), a
// ConfigMap in the release's own namespace deploys, and an allowed kind deploys.
func TestReleaseKeptInsideItsNamespace(t *testing.T) {
	e := newEnv(t)
	suffix := randomSuffix(t)
	values := func(extra string) string {
		return "replicas: 1\nimage: \"{{IMAGE}}@{{IMAGE_DIGEST}}\"\nextraObjects:\n" + extra
	}
	clusterRole := fmt.Sprintf("  - apiVersion: rbac.authorization.k8s.io/v1\n    kind: ClusterRole\n    metadata:\n      name: escape-%s\n    rules: []\n", suffix)
	otherNS := fmt.Sprintf("  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: escape-%s\n      namespace: default\n", suffix)
	hook := fmt.Sprintf("  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: hook-%s\n      namespace: default\n      annotations:\n        helm.sh/hook: pre-install\n", suffix)
	own := fmt.Sprintf("  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: own-%s\n", suffix)
	cs := cluster.Client(t)
	t.Cleanup(func() {
		_ = cs.RbacV1().ClusterRoles().Delete(t.Context(), "escape-"+suffix, metav1.DeleteOptions{})
	})

	for _, c := range []struct {
		name, extra, want string
		exists            func() error
	}{
		{"cluster-scoped kind", clusterRole, `ClusterRole "escape-` + suffix + `" is cluster-scoped`, func() error {
			_, err := cs.RbacV1().ClusterRoles().Get(t.Context(), "escape-"+suffix, metav1.GetOptions{})
			return err
		}},
		{"another namespace", otherNS, `ConfigMap "escape-` + suffix + `" is in namespace default`, func() error {
			_, err := cs.CoreV1().ConfigMaps("default").Get(t.Context(), "escape-"+suffix, metav1.GetOptions{})
			return err
		}},
		{"hook in another namespace", hook, `ConfigMap "hook-` + suffix + `" is in namespace default`, func() error {
			_, err := cs.CoreV1().ConfigMaps("default").Get(t.Context(), "hook-"+suffix, metav1.GetOptions{})
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := e.project(t, projectSpec{values: values(c.extra)})
			v := e.request(t, p, e.version(t, p, "v1"), model.Deployed)
			if err := e.run(t, model.Deployed, v, v.Generation); err == nil {
				t.Fatal("the deploy succeeded")
			}
			got := e.get(t, v.ID)
			if got.Deployment.Status != model.StatusFailed || !strings.Contains(got.Deployment.Message, c.want) {
				t.Fatalf("version: %s %q, want Failed with %q", got.Deployment.Status, got.Deployment.Message, c.want)
			}
			if err := c.exists(); !apierrors.IsNotFound(err) {
				t.Fatalf("the refused object was created (get: %v)", err)
			}
		})
	}

	t.Run("own namespace", func(t *testing.T) {
		p := e.project(t, projectSpec{values: values(own)})
		e.deployed(t, p, "v1")
		if _, err := cs.CoreV1().ConfigMaps(p.Namespace).Get(t.Context(), "own-"+suffix, metav1.GetOptions{}); err != nil {
			t.Fatalf("the ConfigMap in the release's namespace: %v", err)
		}
	})

	t.Run("allowed kind", func(t *testing.T) {
		hc, _, _, err := clusterClients(cluster.RESTConfig(), e.installation, helm.Confinement{ClusterScoped: []string{"ClusterRole"}}, e.deps.Log)
		if err != nil {
			t.Fatal(err)
		}
		e.rebuild(t, func(d *Deps) { d.Helm = hc })
		p := e.project(t, projectSpec{values: values(clusterRole)})
		e.deployed(t, p, "v1")
		if _, err := cs.RbacV1().ClusterRoles().Get(t.Context(), "escape-"+suffix, metav1.GetOptions{}); err != nil {
			t.Fatalf("the allowed ClusterRole: %v", err)
		}
	})
}
