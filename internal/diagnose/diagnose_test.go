package diagnose_test

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart/loader"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/testenv"
)

// kube is the cluster of this test binary.
var kube *testenv.Kube

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Kube: true}, func(s *testenv.Shared) error { kube = s.Kube; return nil }))
}

const digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111"

// install installs the test chart as a release of a version and waits for it when wait.
func install(t *testing.T, ns, name, versionID string, values map[string]any, wait bool) {
	t.Helper()
	c, err := helm.New(kube.RESTConfig(), helm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := loader.Load("../helm/testdata/app")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UpgradeInstall(t.Context(), helm.Release{Name: name, Namespace: ns, Chart: ch, Values: values, Labels: helm.VersionLabels("inst", "p1", versionID)}, wait, 2*time.Minute)
	if err != nil && wait {
		t.Fatal(err)
	}
}

// eventually retries f until it returns nil or 60 s pass.
func eventually(t *testing.T, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// TestPodsEventsHistory: on the local control plane, the pods of a version are found through
// the releases' objects and owner references (a pod with the same name prefix that no
// release owns is not one of them, nor are other versions' pods); events and history come
// from the same releases; an unschedulable pod's FailedScheduling warning explains it.
func TestPodsEventsHistory(t *testing.T) {
	ns := kube.Namespace(t, "diag")
	client := kube.Client(t)
	r := diagnose.New(client, "inst")
	ctx := t.Context()

	install(t, ns, "web", "v1", map[string]any{"replicas": 2, "image": "example.invalid/app@" + digest}, true)
	install(t, ns, "web-other", "v2", map[string]any{"replicas": 1}, true)
	stray := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-stray", Namespace: ns},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	if _, err := client.CoreV1().Pods(ns).Create(ctx, stray, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	var pods []diagnose.Pod
	eventually(t, "two running pods of v1", func() error {
		var err error
		pods, err = r.Pods(ctx, "v1")
		if err != nil {
			return err
		}
		if len(pods) != 2 || pods[0].Phase != "Running" || pods[1].Phase != "Running" {
			return errors.New("not yet: " + podNames(pods))
		}
		return nil
	})
	for _, p := range pods {
		if !strings.HasPrefix(p.Name, "web-") || strings.HasPrefix(p.Name, "web-other") || p.Name == "web-stray" {
			t.Fatalf("pod %s is not one of v1's", p.Name)
		}
		if p.Release != "web" || p.Node == "" || p.Namespace != ns || len(p.Containers) != 1 {
			t.Fatalf("pod %+v", p)
		}
		c := p.Containers[0]
		if c.Name != "app" || c.Kind != diagnose.ContainerRegular || c.Image != "example.invalid/app@"+digest {
			t.Fatalf("container %+v", c)
		}
	}
	other, err := r.Pods(ctx, "v2")
	if err != nil || len(other) != 1 || !strings.HasPrefix(other[0].Name, "web-other-") {
		t.Fatalf("v2 pods %s %v", podNames(other), err)
	}

	// Logs: the container's real (simulated by kwok) lines through kube-apiserver.
	rc, err := r.Logs(ctx, "v1", pods[0].Name, diagnose.LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !strings.Contains(string(text), "demo: listening on :8080") {
		t.Fatalf("log %q %v", text, err)
	}
	// An unknown pod or container is refused before the cluster is asked.
	if _, err := r.Logs(ctx, "v1", other[0].Name, diagnose.LogOptions{}); !errors.Is(err, diagnose.ErrNoPod) {
		t.Fatalf("another version's pod: %v", err)
	}
	if _, err := r.Logs(ctx, "v1", pods[0].Name, diagnose.LogOptions{Container: "nope"}); !errors.Is(err, diagnose.ErrNoContainer) {
		t.Fatalf("unknown container: %v", err)
	}

	// An upgrade whose pods cannot be scheduled: history shows both revisions, events the reason.
	install(t, ns, "web", "v1", map[string]any{"replicas": 2, "nodeSelector": map[string]any{"disk": "none-such"}}, false)
	var events []diagnose.Event
	eventually(t, "a FailedScheduling event", func() error {
		var err error
		events, err = r.Events(ctx, "v1")
		if err != nil {
			return err
		}
		if !strings.Contains(diagnose.Explain(events), "FailedScheduling") {
			return errors.New("not yet")
		}
		return nil
	})
	for i := 1; i < len(events); i++ {
		if events[i].Time.After(events[i-1].Time) {
			t.Fatal("events are not newest first")
		}
	}
	for _, e := range events {
		if strings.HasPrefix(e.Object.Name, "web-other") || e.Object.Name == "web-stray" {
			t.Fatalf("event of another object: %+v", e)
		}
	}
	hist, err := r.History(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].Revision != 1 || hist[1].Revision != 2 || hist[0].Chart != "app" || hist[0].ChartVersion != "0.1.0" ||
		hist[0].ImageDigest != digest || hist[0].Release != "web" || hist[0].Time.IsZero() {
		t.Fatalf("history %+v", hist)
	}
	if none, err := r.History(ctx, "v-unknown"); err != nil || len(none) != 0 {
		t.Fatalf("history of a version without releases: %v %v", none, err)
	}
}

func podNames(ps []diagnose.Pod) string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Name+"("+p.Phase+")")
	}
	return strings.Join(names, ",")
}
