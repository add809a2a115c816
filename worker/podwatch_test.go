package worker

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
)

// TestPodWatchRefreshesStatus: on the local control plane, a pod of a deployed version that
// goes not ready changes the version's stored readiness and publishes a version.status event
// through the pod watch alone — no periodic refresh runs in this test — and so does its
// recovery.
func TestPodWatchRefreshesStatus(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	e.rebuild(t, func(d *Deps) { d.Events = events.NewBus(e.rdb) })
	sub, err := e.deps.Events.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "watched")
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	for nextStatus(t, sub).Deployment.Status != model.StatusRunning { // the deploy's own events
	}
	if got := e.get(t, v.ID).Deployment; got.ReadyPods != 2 || got.DesiredPods != 2 {
		t.Fatalf("deployed %+v", got)
	}
	done := make(chan error, 1)
	go func() { done <- e.worker.RunPodWatch(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	cs := cluster.Client(t)
	ns := p.Namespace
	pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil || len(pods.Items) != 2 {
		t.Fatalf("pods %v %v", pods, err)
	}
	setReady := func(name string, ready bool) time.Time {
		t.Helper()
		cur, err := cs.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		status := corev1.ConditionTrue
		if !ready {
			status = corev1.ConditionFalse
		}
		for i := range cur.Status.Conditions {
			if c := &cur.Status.Conditions[i]; c.Type == corev1.PodReady || c.Type == corev1.ContainersReady {
				c.Status, c.LastTransitionTime = status, metav1.Now()
			}
		}
		c := &cur.Status.ContainerStatuses[0]
		c.Ready = ready
		c.RestartCount++
		if _, err := cs.CoreV1().Pods(ns).UpdateStatus(ctx, cur, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		return time.Now()
	}
	// wait for the version's event with the given ready pods, skipping others.
	wait := func(ready, restarts int, since time.Time) {
		t.Helper()
		for {
			s := nextStatus(t, sub)
			if s.ID == v.ID && s.Deployment.ReadyPods == ready && s.Deployment.Restarts == restarts {
				t.Logf("pod change → version.status (%d/%d ready) in %s", ready, s.Deployment.DesiredPods, time.Since(since).Round(time.Millisecond))
				break
			}
		}
		if got := e.get(t, v.ID).Deployment; got.ReadyPods != ready || got.Restarts != restarts {
			t.Fatalf("stored %+v, want %d ready pods and %d restarts", got, ready, restarts)
		}
	}

	// The informer's first listing refreshes nothing new; once synced, the watch holds the
	// namespace's pods and ReplicaSets for the status refreshes (diagnose.PodCache); then the
	// pod goes not ready.
	time.Sleep(time.Second)
	held, ok := e.worker.watch.Namespace(ns)
	if !ok {
		t.Fatalf("the pod watch does not hold namespace %s", ns)
	}
	if cached, err := held.Pods.List(labels.Everything()); err != nil || len(cached) != 2 {
		t.Fatalf("pods in the watch's cache: %d %v", len(cached), err)
	}
	if rss, err := held.ReplicaSets.List(labels.Everything()); err != nil || len(rss) != 1 || len(rss[0].ManagedFields) != 0 || len(rss[0].OwnerReferences) != 1 {
		t.Fatalf("ReplicaSets' metadata in the watch's cache (owners kept, managed fields dropped): %v %v", rss, err)
	}
	if _, ok := e.worker.watch.Namespace("no-such-namespace"); ok {
		t.Fatal("the pod watch claims a namespace it does not watch")
	}
	wait(1, 1, setReady(pods.Items[0].Name, false))
	wait(2, 2, setReady(pods.Items[0].Name, true))
}
