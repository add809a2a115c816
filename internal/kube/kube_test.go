package kube_test

import (
	"context"
	"os"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/testenv"
)

// cluster is the cluster of this test binary.
var cluster *testenv.Kube

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Kube: true}, func(s *testenv.Shared) error { cluster = s.Kube; return nil }))
}

// TestNamespaceWithPullSecrets runs against the real control plane.
func TestNamespaceWithPullSecrets(t *testing.T) {
	ctx := context.Background()
	c, err := kube.New(cluster.RESTConfig(), "inst-a")
	if err != nil {
		t.Fatal(err)
	}
	regs := []model.DockerRegistry{
		{ID: "0123456789abcdef01234567", Name: "Team Hub", URL: "https://registry.example.com:5000", Username: "robot", Password: "s3cret"},
		{ID: "0123456789abcdef0123abcd", Name: "public", URL: "https://public.example.com"},
	}
	name := "on-kube-test-" + strings.ToLower(t.Name()[4:12])
	if err := c.EnsureNamespace(ctx, name, regs); err != nil {
		t.Fatal(err)
	}
	regs[0].Password = "rotated"
	if err := c.EnsureNamespace(ctx, name, regs); err != nil {
		t.Fatalf("second ensure: %v", err)
	}
	cs := cluster.Client(t)
	ns, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil || ns.Labels[kube.ManagedByLabel] != kube.ManagedBy || ns.Labels[kube.InstallationLabel] != "inst-a" {
		t.Fatalf("namespace = %v, %v", ns, err)
	}
	secrets, err := cs.CoreV1().Secrets(name).List(ctx, metav1.ListOptions{LabelSelector: kube.ManagedByLabel + "=" + kube.ManagedBy})
	if err != nil {
		t.Fatal(err)
	}
	if len(secrets.Items) != 1 {
		t.Fatalf("pull secrets = %d, want 1 (only the registry with credentials)", len(secrets.Items))
	}
	s := secrets.Items[0]
	cfg := string(s.Data[corev1.DockerConfigJsonKey])
	if s.Labels[kube.RegistryLabel] != regs[0].ID || s.Labels[kube.InstallationLabel] != "inst-a" {
		t.Fatalf("pull secret labels %v: the sync finds it by installation and registry", s.Labels)
	}
	if s.Type != corev1.SecretTypeDockerConfigJson || !strings.Contains(cfg, "registry.example.com:5000") || !strings.Contains(cfg, "rotated") {
		t.Fatalf("secret = %s %s", s.Type, cfg)
	}
	if err := c.DeleteNamespace(ctx, name); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteNamespace(ctx, "on-never-existed"); err != nil {
		t.Fatalf("deleting a missing namespace: %v", err)
	}
}

// TestDeleteOnlyOwnNamespaces: an installation deletes the namespaces it created and those
// from before installation ids, never another installation's or one oneko did not create.
func TestDeleteOnlyOwnNamespaces(t *testing.T) {
	ctx := context.Background()
	a, err := kube.New(cluster.RESTConfig(), "inst-a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := kube.New(cluster.RESTConfig(), "inst-b")
	if err != nil {
		t.Fatal(err)
	}
	cs := cluster.Client(t)
	if err := b.EnsureNamespace(ctx, "on-kube-of-b", nil); err != nil {
		t.Fatal(err)
	}
	for name, labels := range map[string]map[string]string{
		"on-kube-legacy":  {kube.ManagedByLabel: kube.ManagedBy},
		"on-kube-foreign": {"team": "payments"},
	} {
		ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
		if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, n := range []string{"on-kube-of-b", "on-kube-foreign", "on-kube-legacy"} {
			_ = cs.CoreV1().Namespaces().Delete(context.Background(), n, metav1.DeleteOptions{})
		}
	})
	for _, n := range []string{"on-kube-of-b", "on-kube-foreign", "on-kube-legacy"} {
		if err := a.DeleteNamespace(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	alive := func(n string) bool {
		ns, err := cs.CoreV1().Namespaces().Get(ctx, n, metav1.GetOptions{})
		return err == nil && ns.DeletionTimestamp == nil
	}
	if !alive("on-kube-of-b") || !alive("on-kube-foreign") {
		t.Fatal("installation a deleted a namespace it did not create")
	}
	if alive("on-kube-legacy") {
		t.Fatal("a namespace from before installation ids was not deleted")
	}
	if err := b.DeleteNamespace(ctx, "on-kube-of-b"); err != nil || alive("on-kube-of-b") {
		t.Fatalf("installation b could not delete its own namespace: %v", err)
	}
}
