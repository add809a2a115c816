package localkube

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/release"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/utils/ptr"
)

// helmLog collects Helm's debug output, to show with a failure.
type helmLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *helmLog) logf(format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.buf, format+"\n", v...)
}

func (l *helmLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestHelmInstallWithWaitAndUninstall(t *testing.T) {
	c := sharedCluster(t)
	client := clientFor(t, c)
	ctx := t.Context()
	ns := newNamespace(t, client, "helm")

	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = ptr.To(c.KubeconfigPath())
	flags.Namespace = ptr.To(ns)
	flags.CacheDir = ptr.To(t.TempDir())
	var logs helmLog
	cfg := new(action.Configuration)
	if err := cfg.Init(flags, ns, "secret", logs.logf); err != nil {
		t.Fatalf("init helm: %v", err)
	}
	chart, err := loader.Load("testdata/hello")
	if err != nil {
		t.Fatalf("load chart: %v", err)
	}

	install := action.NewInstall(cfg)
	install.ReleaseName = "hello"
	install.Namespace = ns
	install.Wait = true
	install.Timeout = 2 * time.Minute
	begin := time.Now()
	rel, err := install.RunWithContext(ctx, chart, map[string]any{"replicas": 3, "message": "from the test"})
	if err != nil {
		t.Fatalf("helm install: %v\nhelm log:\n%s", err, logs.String())
	}
	t.Logf("helm install with wait took %s", time.Since(begin).Round(time.Millisecond))
	if rel.Info.Status != release.StatusDeployed {
		t.Errorf("release status = %s, want %s", rel.Info.Status, release.StatusDeployed)
	}

	// Helm's wait accepts a Deployment once its new ReplicaSet has replicas - maxUnavailable
	// ready Pods (and the Deployment's own status may lag behind its ReplicaSet), so all 3 are
	// awaited here with a bound.
	deadline := time.Now().Add(30 * time.Second)
	for {
		d, err := client.AppsV1().Deployments(ns).Get(ctx, "hello", metav1.GetOptions{})
		if err != nil {
			t.Fatalf("get deployment: %v", err)
		}
		if d.Status.ReadyReplicas == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deployment ready replicas = %d 30s after a waiting install, want 3", d.Status.ReadyReplicas)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cm, err := client.CoreV1().ConfigMaps(ns).Get(ctx, "hello", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get configmap: %v", err)
	}
	if cm.Data["message"] != "from the test" {
		t.Errorf("configmap message = %q, want the value passed to install", cm.Data["message"])
	}
	if _, err := client.CoreV1().Services(ns).Get(ctx, "hello", metav1.GetOptions{}); err != nil {
		t.Errorf("get service: %v", err)
	}

	uninstall := action.NewUninstall(cfg)
	uninstall.Wait = true
	uninstall.Timeout = 2 * time.Minute
	if _, err := uninstall.Run("hello"); err != nil {
		t.Fatalf("helm uninstall: %v\nhelm log:\n%s", err, logs.String())
	}

	for kind, get := range map[string]func() error{
		"deployment": func() error {
			_, err := client.AppsV1().Deployments(ns).Get(ctx, "hello", metav1.GetOptions{})
			return err
		},
		"service": func() error {
			_, err := client.CoreV1().Services(ns).Get(ctx, "hello", metav1.GetOptions{})
			return err
		},
		"configmap": func() error {
			_, err := client.CoreV1().ConfigMaps(ns).Get(ctx, "hello", metav1.GetOptions{})
			return err
		},
	} {
		if err := get(); !apierrors.IsNotFound(err) {
			t.Errorf("%s hello after uninstall: err = %v, want NotFound", kind, err)
		}
	}
	secrets, err := client.CoreV1().Secrets(ns).List(ctx, metav1.ListOptions{LabelSelector: "owner=helm"})
	if err != nil {
		t.Fatalf("list release secrets: %v", err)
	}
	if len(secrets.Items) != 0 {
		t.Errorf("%d helm release secrets left after uninstall", len(secrets.Items))
	}

	// The garbage collector removes the ReplicaSet and kwok lets its Pods go.
	var left []corev1.Pod
	err = wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
		pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/instance=hello"})
		if err != nil {
			return false, err
		}
		left = pods.Items
		return len(left) == 0, nil
	})
	if err != nil {
		t.Errorf("%d pods of the release left after uninstall: %v", len(left), err)
	}
}
