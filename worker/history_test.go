package worker

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// TestHistoryNamesWhoAsked: on the local control plane, each Helm revision of a version is
// bound to the deploy that made it, so …/history names who asked for it even when two deploys
// are asked for close together (bob asks while alice's deploy runs), and for a failed upgrade
// followed by a good one.
func TestHistoryNamesWhoAsked(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "history")
	e.clock.mu.Lock()
	e.clock.wall = true // activities dated as Helm dates revisions
	e.clock.mu.Unlock()
	ask := func(actor string) int64 {
		t.Helper()
		r := deploy.Requester{Store: e.store, Queue: tasks.Queue{Enqueuer: e.queue}, Lifetime: lifetime.DefaultPolicy(), Now: e.clock.Now}
		if _, err := r.RequestState(ctx, deploy.Request{Project: p, Version: e.get(t, v.ID), State: model.Deployed, Actor: actor}); err != nil {
			t.Fatal(err)
		}
		// as the api records a request
		if err := e.store.AddActivity(ctx, &model.Activity{Priority: model.PriorityInfo, Title: "Deploy requested", Actor: actor,
			EntityType: model.EntityVersion, EntityID: v.ID}); err != nil {
			t.Fatal(err)
		}
		return e.get(t, v.ID).Generation
	}
	run := func(actor string, generation int64) error {
		payload, err := json.Marshal(tasks.VersionPayload{ProjectID: p.ID, VersionID: v.ID, Generation: generation, Actor: actor})
		if err != nil {
			return err
		}
		return e.handle(ctx, asynq.NewTask(tasks.TypeDeploy, payload))
	}
	setTemplate := func(values string) {
		t.Helper()
		cur, err := e.store.GetProject(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		cur.DefaultConfigurationTemplates[0].Content = values
		if err := e.store.UpdateProject(ctx, cur); err != nil {
			t.Fatal(err)
		}
		p = cur
	}

	// Alice's deploy runs; bob asks meanwhile, before her revision is written; his deploy runs
	// after hers.
	started, proceed := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e.onOp(func(_ string, delta int) {
		if delta > 0 {
			once.Do(func() { close(started); <-proceed })
		}
	})
	gen := ask("user:alice")
	first := make(chan error, 1)
	go func() { first <- run("user:alice", gen) }()
	<-started
	genBob := ask("user:bob")
	time.Sleep(10 * time.Millisecond)
	close(proceed)
	if err := <-first; err != nil {
		t.Fatalf("alice's deploy: %v", err)
	}
	if err := run("user:bob", genBob); err != nil {
		t.Fatalf("bob's deploy: %v", err)
	}

	// Carol's upgrade cannot be scheduled and fails; dave's good one follows.
	// (Helm patches from the last deployed revision, so a field only the failed one set stays in
	// the cluster unless the good one sets it again: both set the same key.)
	setTemplate(defaultValues + "nodeSelector:\n  type: none-such\n")
	e.rebuild(t, func(d *Deps) { d.Deploy.Timeout = 5 * time.Second })
	if err := run("user:carol", ask("user:carol")); err == nil {
		t.Fatal("carol's unschedulable upgrade succeeded")
	}
	setTemplate(defaultValues + "nodeSelector:\n  type: kwok\n")
	e.rebuild(t, func(d *Deps) { d.Deploy.Timeout = 2 * time.Minute })
	if err := run("user:dave", ask("user:dave")); err != nil {
		t.Fatalf("dave's deploy: %v", err)
	}

	hist, err := e.deps.Pods.History(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	acts, _, err := e.store.ListActivities(ctx, v.ID, storePage())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ actor, status string }{{"user:alice", "superseded"}, {"user:bob", "superseded"}, {"user:carol", "failed"}, {"user:dave", "deployed"}}
	if len(hist) != len(want) {
		t.Fatalf("history %+v", hist)
	}
	var got []string
	for i, r := range hist {
		actor := model.ActorOfRevision(acts, r.Namespace, r.Release, r.Revision, r.Time)
		got = append(got, actor)
		if r.Revision != i+1 || actor != want[i].actor || r.Status != want[i].status {
			t.Errorf("revision %d (%s): asked for by %q, want %q (status want %s)", r.Revision, r.Status, actor, want[i].actor, want[i].status)
		}
	}
	if t.Failed() {
		t.Logf("actors %s", strings.Join(got, ", "))
	}
}
