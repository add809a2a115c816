package worker

import (
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
)

// TestPendingDeploySaysWhy: on the local control plane, a deploy whose pods cannot be scheduled
// (a nodeSelector no node matches) says so in the version's status message and on the event
// stream while it still waits — nobody reads …/events — and its Failed message keeps the
// warning when the wait times out.
func TestPendingDeploySaysWhy(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.rebuild(t, func(d *Deps) {
		d.Deploy.Timeout = 20 * time.Second
		d.Events = events.NewBus(e.rdb)
	})
	sub, err := e.deps.Events.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := e.project(t, projectSpec{values: "replicas: 1\nimage: \"{{IMAGE}}@{{IMAGE_DIGEST}}\"\nnodeSelector:\n  disk: none-such\n"})
	v := e.version(t, p, "unschedulable")
	v = e.request(t, p, v, model.Deployed)
	result := make(chan error, 1)
	go func() { result <- e.run(t, model.Deployed, v, v.Generation) }()

	deadline := time.Now().Add(time.Minute)
	for {
		got := e.get(t, v.ID).Deployment
		if strings.Contains(got.Message, "FailedScheduling") {
			if got.Status != model.StatusPending {
				t.Fatalf("the warning came with the outcome, not while pending: %+v", got)
			}
			break
		}
		select {
		case err := <-result:
			t.Fatalf("the deploy ended (%v) before its status said why it waits: %+v", err, got)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no warning in the pending status: %+v", got)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for {
		s := nextStatus(t, sub)
		if s.ID == v.ID && s.Deployment.Status == model.StatusPending && strings.Contains(s.Deployment.Message, "FailedScheduling") {
			break
		}
	}

	if err := <-result; err == nil {
		t.Fatal("a deploy whose pods cannot be scheduled succeeded")
	}
	got := e.get(t, v.ID).Deployment
	if got.Status != model.StatusFailed || !strings.Contains(got.Message, "\nWhy: Pod ") ||
		!strings.Contains(got.Message, "FailedScheduling: 0/") || !strings.Contains(got.Message, "nodes are available") {
		t.Fatalf("failed deployment %+v", got)
	}
}
