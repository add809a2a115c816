package worker

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// TestRedisFlushReconcileRestores loses every queued task and lease (Redis flushed) while
// versions are deployed, being deployed and being stopped, and an orphaned release exists;
// one reconcile then brings the cluster to exactly what the store asks for.
func TestRedisFlushReconcileRestores(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := e.project(t, projectSpec{})
	deploy := func(tag string) *model.Version {
		v := e.version(t, p, tag)
		v = e.request(t, p, v, model.Deployed)
		if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
			t.Fatal(err)
		}
		return v
	}
	running := deploy("running")
	stopping := deploy("stopping")
	orphan := deploy("orphan")
	pending := e.version(t, p, "pending")
	e.request(t, p, pending, model.Deployed)
	e.request(t, p, stopping, model.NotDeployed)
	if err := e.store.DeleteVersion(ctx, orphan.ID); err != nil {
		t.Fatal(err)
	}

	if err := redisSrv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.periodic(t, tasks.TypeReconcile); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	e.drain(t, 4)

	for _, c := range []struct {
		v        *model.Version
		releases int
		status   model.DeploymentStatus
	}{
		{running, 1, model.StatusRunning},
		{pending, 1, model.StatusRunning},
		{stopping, 0, model.StatusNotDeployed},
	} {
		got := e.get(t, c.v.ID)
		if n := len(e.releases(t, c.v.ID)); n != c.releases || got.Deployment.Status != c.status {
			t.Errorf("%s: %d releases, status %s (%q); want %d, %s", c.v.Name, n, got.Deployment.Status, got.Deployment.Message, c.releases, c.status)
		}
	}
	if n := len(e.releases(t, orphan.ID)); n != 0 {
		t.Errorf("orphaned release still installed (%d)", n)
	}

	// A second reconcile finds nothing to do.
	counter := e.countOps()
	if err := e.periodic(t, tasks.TypeReconcile); err != nil {
		t.Fatal(err)
	}
	e.drain(t, 4)
	if n := counter.countFor(running.ID, pending.ID, stopping.ID, helm.LabelValue(orphan.ID)); n != 0 {
		t.Errorf("a reconcile of a converged cluster ran %d Helm operations", n)
	}
}

// TestStatusRefreshAndSelfHeal removes a release behind oneko's back: the status refresh
// records the version Failed, and the reconcile deploys it again.
func TestStatusRefreshAndSelfHeal(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "heal")
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	rel := e.get(t, v.ID).Deployment.Releases[0]
	if err := e.periodic(t, tasks.TypeRefreshStatus); err != nil {
		t.Fatal(err)
	}
	if got := e.get(t, v.ID); got.Deployment.Status != model.StatusRunning || got.Deployment.ReadyPods != 2 {
		t.Fatalf("refresh of a healthy version: %+v", got.Deployment)
	}

	if err := e.helm.Uninstall(t.Context(), rel.Namespace, rel.Name); err != nil {
		t.Fatal(err)
	}
	if err := e.periodic(t, tasks.TypeRefreshStatus); err != nil {
		t.Fatal(err)
	}
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusFailed || got.Deployment.Message == "" {
		t.Fatalf("after the release vanished: %s %q, want Failed with a message", got.Deployment.Status, got.Deployment.Message)
	}
	t.Logf("status message: %s", got.Deployment.Message)

	// Within FailedRetryAfter of the last deploy the reconcile leaves it; after, it deploys again.
	// (The deploy task queued by the request was run by hand above: drop it from Redis.)
	if err := redisSrv.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	counter := e.countOps()
	if err := e.periodic(t, tasks.TypeReconcile); err != nil {
		t.Fatal(err)
	}
	e.drain(t, 2)
	if counter.countFor(v.ID) != 0 {
		t.Fatalf("reconcile redeployed a version that failed %s ago", defaultFailedRetryAfter)
	}
	e.clock.Add(defaultFailedRetryAfter + time.Minute)
	if err := e.periodic(t, tasks.TypeReconcile); err != nil {
		t.Fatal(err)
	}
	e.drain(t, 2)
	got = e.get(t, v.ID)
	if got.Deployment.Status != model.StatusRunning || len(e.releases(t, v.ID)) != 1 {
		t.Fatalf("after reconcile: %s %q", got.Deployment.Status, got.Deployment.Message)
	}
}

// TestReconcileRequeuesArchivedDeploy: a version whose deploy task asynq archived (it ran out
// of retries, leaving the version Pending) is deployed by the next reconcile. Before, the
// reconcile queued the task under its own id, which the archived task still held: the enqueue
// was taken for a duplicate and the version stayed Pending for good.
func TestReconcileRequeuesArchivedDeploy(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.request(t, p, e.version(t, p, "archived"), model.Deployed)
	in := asynq.NewInspector(e.redis)
	defer in.Close()
	id := tasks.VersionTaskID("deploy", v.ID, v.Generation)
	if err := in.ArchiveTask(tasks.QueueCritical, id); err != nil {
		t.Fatal(err)
	}
	if err := e.periodic(t, tasks.TypeReconcile); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	e.drain(t, 2)
	if got := e.get(t, v.ID); got.Deployment.Status != model.StatusRunning || len(e.releases(t, v.ID)) != 1 {
		t.Fatalf("status %s (%q), %d releases; want running with 1 release", got.Deployment.Status, got.Deployment.Message, len(e.releases(t, v.ID)))
	}
}

// TestReconcileStopsAReleaseTheRecordForgot: the reconcile reads only the versions whose
// record may name releases (store.RecordedVersions), and finds the others by the label of a
// release in the cluster. A version stopped in the store, whose record says NotDeployed with
// no releases while its release is still installed (the worker died between install and
// record), is stopped, not left alone.
func TestReconcileStopsAReleaseTheRecordForgot(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := e.project(t, projectSpec{})
	v := e.request(t, p, e.version(t, p, "forgotten"), model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	stopped := e.request(t, p, v, model.NotDeployed)
	if ok, err := e.store.RecordDeployment(ctx, v.ID, stopped.Generation, 0, model.Deployment{Status: model.StatusNotDeployed}, nil); err != nil || !ok {
		t.Fatalf("record a stop that never ran = %v, %v", ok, err)
	}
	if rec, err := e.store.RecordedVersions(ctx); err != nil || len(rec) != 0 {
		t.Fatalf("recorded versions = %d, %v; want none (the record names no release)", len(rec), err)
	}
	if n := len(e.releases(t, v.ID)); n != 1 {
		t.Fatalf("releases before the reconcile = %d, want 1", n)
	}
	if err := redisSrv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.periodic(t, tasks.TypeReconcile); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	e.drain(t, 2)
	if n := len(e.releases(t, v.ID)); n != 0 {
		t.Fatalf("releases after the reconcile = %d, want 0", n)
	}
	if got := e.get(t, v.ID); got.Deployment.Status != model.StatusNotDeployed {
		t.Fatalf("status after the reconcile = %s, want NotDeployed", got.Deployment.Status)
	}
}
