package localkube

import (
	"bufio"
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// TestContainerLogsThroughAPIServer reads a Pod's log the way kubectl does — client-go,
// kube-apiserver, the Node's kubelet endpoint served by kwok — plain, from the previous
// instance, and followed, where a line appended later arrives on the open stream.
func TestContainerLogsThroughAPIServer(t *testing.T) {
	c := sharedCluster(t)
	client := clientFor(t, c)
	ns := newNamespace(t, client, "logs")
	ctx := t.Context()
	if _, err := client.AppsV1().Deployments(ns).Create(ctx, deployment("talker", 1), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := waitAvailable(ctx, client, ns, "talker", time.Minute); err != nil {
		t.Fatal(err)
	}
	pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=talker"})
	if err != nil || len(pods.Items) != 1 {
		t.Fatalf("pods: %v %v", pods, err)
	}
	pod := pods.Items[0].Name
	read := func(o *corev1.PodLogOptions) string {
		t.Helper()
		b, err := client.CoreV1().Pods(ns).GetLogs(pod, o).DoRaw(ctx)
		if err != nil {
			t.Fatalf("log %+v: %v", o, err)
		}
		return string(b)
	}
	if got := read(&corev1.PodLogOptions{}); !strings.HasPrefix(got, "demo: starting\ndemo: listening on :8080\n") {
		t.Fatalf("log = %q", got)
	}
	if got := read(&corev1.PodLogOptions{Previous: true}); !strings.Contains(got, "demo: panic: simulated crash") {
		t.Fatalf("previous log = %q", got)
	}
	if got := read(&corev1.PodLogOptions{TailLines: ptr.To[int64](1), Timestamps: true}); strings.Count(got, "\n") != 1 || !strings.Contains(got, "Z demo: ") {
		t.Fatalf("last line with its time = %q", got)
	}

	fctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	rc, err := client.CoreV1().Pods(ns).GetLogs(pod, &corev1.PodLogOptions{Follow: true, TailLines: ptr.To[int64](1)}).Stream(fctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	lines := bufio.NewScanner(rc)
	if !lines.Scan() {
		t.Fatalf("followed log ended at once: %v", lines.Err())
	}
	if err := c.AppendLog("hello from the test"); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		if lines.Text() == "hello from the test" {
			return
		}
	}
	t.Fatalf("the appended line never arrived on the followed log: %v", lines.Err())
}
