package worker

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// TestLivePodStatus: on the local control plane, a pod of a deployed version that restarts
// and goes not-ready changes the version's stored status — ready/desired pods, restarts, and
// the warning that explains it in the message — and publishes it as a version.status event;
// when the pod is ready again the warning goes. A refresh that sees nothing new publishes
// nothing. (kwok leaves a Running pod's status alone, so the test writes the status and the
// BackOff warning a kubelet would write.)
func TestLivePodStatus(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.rebuild(t, func(d *Deps) { d.Events = events.NewBus(e.rdb) })
	sub, err := e.deps.Events.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "live")
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	for nextStatus(t, sub).Deployment.Status != model.StatusRunning { // the deploy's own events
	}
	refresh := func() {
		t.Helper()
		if err := e.handle(ctx, tasks.NewPeriodic(tasks.TypeRefreshStatus)); err != nil {
			t.Fatal(err)
		}
	}
	refresh() // nothing changed: no event (the next one received must be the change below)
	if got := e.get(t, v.ID).Deployment; got.ReadyPods != 2 || got.DesiredPods != 2 || got.Restarts != 0 || got.Message != "" {
		t.Fatalf("healthy version %+v", got)
	}

	cs := cluster.Client(t)
	ns := p.Namespace
	pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil || len(pods.Items) != 2 {
		t.Fatalf("pods %v %v", pods, err)
	}
	pod := pods.Items[0]
	setReady := func(ready bool) {
		t.Helper()
		cur, err := cs.CoreV1().Pods(ns).Get(ctx, pod.Name, metav1.GetOptions{})
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
		c.Ready, c.RestartCount = ready, 3
		c.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error"}}
		if !ready {
			c.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
		} else {
			c.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.Now()}}
		}
		if _, err := cs.CoreV1().Pods(ns).UpdateStatus(ctx, cur, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		want := 2
		if !ready {
			want = 1
		}
		deadline := time.Now().Add(time.Minute)
		for { // the controllers count the pod
			dep, err := cs.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
			if err == nil && len(dep.Items) == 1 && int(dep.Items[0].Status.ReadyReplicas) == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("deployments %+v %v", dep, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	setReady(false)
	now := metav1.Now()
	warning := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: pod.Name + ".backoff", Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: pod.Name, UID: pod.UID},
		Type:           corev1.EventTypeWarning, Reason: "BackOff", Message: "Back-off restarting failed container app",
		Count: 4, FirstTimestamp: now, LastTimestamp: now, Source: corev1.EventSource{Component: "kubelet"},
	}
	if _, err := cs.CoreV1().Events(ns).Create(ctx, warning, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	refresh()
	got := e.get(t, v.ID).Deployment
	if got.Status != model.StatusRunning || got.ReadyPods != 1 || got.DesiredPods != 2 || got.Restarts != 3 ||
		!strings.Contains(got.Message, "BackOff: Back-off restarting failed container app") || !strings.Contains(got.Message, pod.Name) {
		t.Fatalf("after a crash: %+v", got)
	}
	published := nextStatus(t, sub)
	if published.ID != v.ID || published.Deployment.Restarts != 3 || published.Deployment.ReadyPods != 1 || published.Deployment.Message != got.Message {
		t.Fatalf("published %+v", published)
	}

	setReady(true)
	refresh()
	got = e.get(t, v.ID).Deployment
	if got.ReadyPods != 2 || got.Restarts != 3 || got.Message != "" {
		t.Fatalf("after recovery: %+v", got)
	}
	if published := nextStatus(t, sub); published.Deployment.ReadyPods != 2 || published.Deployment.Message != "" {
		t.Fatalf("published after recovery %+v", published)
	}
}

// nextStatus returns the next version.status event (activities are skipped).
func nextStatus(t *testing.T, sub <-chan events.Event) statusEvent {
	t.Helper()
	for {
		select {
		case ev := <-sub:
			if ev.Type != events.VersionStatus {
				continue
			}
			var s statusEvent
			if err := json.Unmarshal(ev.Data, &s); err != nil {
				t.Fatalf("event %s: %v", ev.Data, err)
			}
			return s
		case <-time.After(30 * time.Second):
			t.Fatal("no version.status event")
		}
	}
}

// hangingStatus is a cluster whose release reads never answer (until the caller gives up).
type hangingStatus struct{ Releases }

func (hangingStatus) Status(ctx context.Context, _, _ string) (*helm.Info, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestRefreshGivesUpOnAHangingCluster: a status refresh whose cluster reads never answer ends
// after two lease TTLs, records nothing and frees the version's lease (it was renewed for as
// long as the refresh ran, which kept the version's deploys out for good); the periodic
// refresh goes on with the other versions instead of failing.
func TestRefreshGivesUpOnAHangingCluster(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.deployed(t, p, "hang")
	const ttl = 300 * time.Millisecond
	e.rebuild(t, func(d *Deps) {
		d.Helm = hangingStatus{d.Helm}
		d.Deploy.LeaseTTL = ttl
	})

	done := make(chan error, 1)
	go func() { done <- e.handle(t.Context(), tasks.NewPeriodic(tasks.TypeRefreshStatus)) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the periodic refresh failed instead of going on: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the status refresh still waits for a cluster that never answers")
	}
	if got := e.get(t, v.ID).Deployment; got.Status != model.StatusRunning || got.ReadyPods != 2 {
		t.Fatalf("a refresh that gave up recorded %+v", got)
	}
	le, held, err := e.worker.refresh.leases.acquire(t.Context(), v.ID)
	if err != nil || held {
		t.Fatalf("the version's lease is still held after the refresh gave up: held=%v err=%v", held, err)
	}
	le.release(t.Context(), false)
}
