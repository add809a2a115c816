package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/oneko/oneko/internal/localkube"
)

// Kube is the Kubernetes cluster of one test binary: an existing one named by the
// KUBECONFIG environment variable, or else a local control plane (internal/localkube).
type Kube struct {
	config     *rest.Config
	kubeconfig string
	cluster    *localkube.Cluster // nil when KUBECONFIG named an existing cluster
}

// StartKube returns the cluster for this test binary. When KUBECONFIG is set it loads
// that configuration (its current context) and starts nothing; otherwise it starts a
// local cluster, which needs the binaries of "make kube-bins" and fails saying so when
// they are missing. Warnings (a component of the local cluster that exits) go to
// standard error. Call Stop when done; Main does.
func StartKube(ctx context.Context) (*Kube, error) {
	if path := os.Getenv("KUBECONFIG"); path != "" {
		cfg, err := clientcmd.BuildConfigFromFlags("", path)
		if err != nil {
			return nil, fmt.Errorf("load KUBECONFIG %s: %w", path, err)
		}
		return &Kube{config: cfg, kubeconfig: path}, nil
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cluster, err := localkube.Start(ctx, localkube.Options{Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("start local kubernetes: %w", err)
	}
	return &Kube{config: cluster.RESTConfig(), kubeconfig: cluster.KubeconfigPath(), cluster: cluster}, nil
}

// RESTConfig returns a new copy of the admin client configuration.
func (k *Kube) RESTConfig() *rest.Config { return rest.CopyConfig(k.config) }

// KubeconfigPath returns the path of a kubeconfig file for the cluster, for tools that
// want one (Helm's RESTClientGetter).
func (k *Kube) KubeconfigPath() string { return k.kubeconfig }

// Local reports whether the cluster is a local control plane started by StartKube,
// rather than the existing cluster of KUBECONFIG.
func (k *Kube) Local() bool { return k.cluster != nil }

// Client returns a typed clientset for the cluster, failing t when it cannot be made.
func (k *Kube) Client(t testing.TB) kubernetes.Interface {
	t.Helper()
	client, err := kubernetes.NewForConfig(k.RESTConfig())
	if err != nil {
		t.Fatalf("make kubernetes client: %v", err)
	}
	return client
}

// Namespace creates a namespace with a unique name starting with prefix and deletes it
// when t ends, so tests can share one cluster, including an existing one. It returns
// the name.
func (k *Kube) Namespace(t testing.TB, prefix string) string {
	t.Helper()
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatalf("make namespace name: %v", err)
	}
	name := prefix + "-" + hex.EncodeToString(suffix)
	client := k.Client(t)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"oneko.dev/test": "true"}}}
	if _, err := client.CoreV1().Namespaces().Create(t.Context(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		// t.Context is already cancelled in Cleanup; deletion is asynchronous anyway.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
			t.Errorf("delete namespace %s: %v", name, err)
		}
	})
	return name
}

// AppendLog adds a line to the log of every container of the local cluster (see
// localkube.Cluster.AppendLog). It skips t on an existing cluster, whose logs tests cannot write.
func (k *Kube) AppendLog(t testing.TB, text string) {
	t.Helper()
	if k.cluster == nil {
		t.Skip("the containers of an existing cluster (KUBECONFIG) log what they log: this test needs the local cluster")
	}
	if err := k.cluster.AppendLog(text); err != nil {
		t.Fatalf("append to the container log: %v", err)
	}
}

// Stop stops the local cluster, if StartKube started one. It does nothing for the
// cluster of KUBECONFIG.
func (k *Kube) Stop() error {
	if k.cluster == nil {
		return nil
	}
	if err := k.cluster.Stop(); err != nil {
		return fmt.Errorf("stop local kubernetes: %w", err)
	}
	return nil
}
