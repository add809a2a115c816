package localkube

import (
	"context"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// BenchmarkStart measures a cold process start of the whole control plane with the
// binaries cached: from Start to every Node Ready, then Stop (not timed).
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		ctx, cancel := context.WithTimeout(b.Context(), 3*time.Minute)
		c, err := Start(ctx, Options{Nodes: 1, WorkDir: b.TempDir(), Logger: testLogger()})
		cancel()
		if err != nil {
			b.Fatalf("start: %v", err)
		}
		b.StopTimer()
		if rss, err := c.ResidentMemory(); err == nil {
			b.ReportMetric(float64(rss>>20), "rss-MiB")
		}
		if err := c.Stop(); err != nil {
			b.Fatalf("stop: %v", err)
		}
		b.StartTimer()
	}
}

// BenchmarkDeployments100x2 measures how long 100 Deployments of 2 replicas each take,
// from the first create, to all be Available on the shared cluster. It also reports
// the control plane's resident memory at that point.
func BenchmarkDeployments100x2(b *testing.B) {
	const deployments, replicas = 100, 2
	c := sharedCluster(b)
	client := clientFor(b, c)
	for b.Loop() {
		b.StopTimer()
		ns := newNamespace(b, client, "bench")
		b.StartTimer()

		for i := range deployments {
			d := deployment(fmt.Sprintf("app-%03d", i), replicas)
			if _, err := client.AppsV1().Deployments(ns).Create(b.Context(), d, metav1.CreateOptions{}); err != nil {
				b.Fatalf("create deployment %d: %v", i, err)
			}
		}
		if err := waitAllAvailable(b.Context(), client, ns, deployments, 5*time.Minute); err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		if rss, err := c.ResidentMemory(); err == nil {
			b.ReportMetric(float64(rss>>20), "rss-MiB")
		}
		b.StartTimer()
	}
}

// waitAllAvailable waits until ns holds want Deployments and all of them are Available.
func waitAllAvailable(ctx context.Context, client kubernetes.Interface, ns string, want int, timeout time.Duration) error {
	available := 0
	err := wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		list, err := client.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, fmt.Errorf("list deployments: %w", err)
		}
		available = 0
		for i := range list.Items {
			if deploymentAvailable(&list.Items[i]) {
				available++
			}
		}
		return available == want, nil
	})
	if err != nil {
		return fmt.Errorf("wait for %d available deployments in %s (have %d): %w", want, ns, available, err)
	}
	return nil
}
