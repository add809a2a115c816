package localkube

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
)

// shared is the cluster the integration tests of this binary share, started by the
// first test that needs it and stopped by TestMain.
var shared struct {
	once    sync.Once
	cluster *Cluster
	err     error
	took    time.Duration
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cluster != nil {
		if err := shared.cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "stop shared cluster: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// sharedCluster returns the shared cluster, starting it on first use. A cluster that
// cannot start fails the test with the reason (missing binaries say to run
// "make kube-bins"); it is never skipped.
func sharedCluster(tb testing.TB) *Cluster {
	tb.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		begin := time.Now()
		shared.cluster, shared.err = Start(ctx, Options{Logger: testLogger()})
		shared.took = time.Since(begin)
	})
	if shared.err != nil {
		tb.Fatalf("start local cluster: %v", shared.err)
	}
	return shared.cluster
}

// testLogger reports warnings (a component that exits) on standard error.
func testLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// clientFor returns a clientset for c.
func clientFor(tb testing.TB, c *Cluster) kubernetes.Interface {
	tb.Helper()
	client, err := kubernetes.NewForConfig(c.RESTConfig())
	if err != nil {
		tb.Fatalf("make client: %v", err)
	}
	return client
}

// newNamespace creates a namespace with a unique name and deletes it when tb ends.
func newNamespace(tb testing.TB, client kubernetes.Interface, prefix string) string {
	tb.Helper()
	suffix := make([]byte, 3)
	_, _ = rand.Read(suffix)
	name := prefix + "-" + hex.EncodeToString(suffix)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := client.CoreV1().Namespaces().Create(tb.Context(), ns, metav1.CreateOptions{}); err != nil {
		tb.Fatalf("create namespace %s: %v", name, err)
	}
	tb.Cleanup(func() {
		err := client.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			tb.Errorf("delete namespace %s: %v", name, err)
		}
	})
	return name
}

// deployment returns a Deployment of replicas Pods labelled app=name. Its image is
// never pulled: kwok plays the Pods.
func deployment(name string, replicas int32) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:  "app",
						Image: "registry.example/" + name + ":1.0.0",
						Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
					}},
				},
			},
		},
	}
}

// waitAvailable waits until the Deployment reports all its replicas updated, ready and
// available for its current generation.
func waitAvailable(ctx context.Context, client kubernetes.Interface, ns, name string, timeout time.Duration) (*appsv1.Deployment, error) {
	var last *appsv1.Deployment
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		d, err := client.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, fmt.Errorf("get deployment %s/%s: %w", ns, name, err)
		}
		last = d
		return deploymentAvailable(d), nil
	})
	if err != nil {
		return last, fmt.Errorf("wait for deployment %s/%s to be available (last status %+v): %w", ns, name, statusOf(last), err)
	}
	return last, nil
}

// deploymentAvailable reports whether d's controller has rolled out its current spec
// and every replica is ready and available.
func deploymentAvailable(d *appsv1.Deployment) bool {
	want := ptr.Deref(d.Spec.Replicas, 1)
	if d.Status.ObservedGeneration < d.Generation {
		return false
	}
	if d.Status.UpdatedReplicas != want || d.Status.ReadyReplicas != want || d.Status.AvailableReplicas != want {
		return false
	}
	for _, cond := range d.Status.Conditions {
		if cond.Type == appsv1.DeploymentAvailable {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// statusOf returns d's status, or nothing for a nil d.
func statusOf(d *appsv1.Deployment) appsv1.DeploymentStatus {
	if d == nil {
		return appsv1.DeploymentStatus{}
	}
	return d.Status
}

// podReady reports whether pod has condition Ready=True.
func podReady(pod *corev1.Pod) bool {
	for _, cond := range pod.Status.Conditions {
		if cond.Type == corev1.PodReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}
