package worker

import (
	"errors"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
)

// TestLostLeaseStopsHelm deletes the version's lease key while a deploy waits in a Helm
// upgrade (pods that cannot be scheduled): the first operation stops at once (its context
// is cancelled), records nothing, and fails to be retried; the marker of its operation keeps
// every other worker away until it ended; then a second worker (a real asynq server) waits
// out the marker, finds no pending release to recover, and completes. Never two operations
// on the version run at once.
func TestLostLeaseStopsHelm(t *testing.T) {
	e := newEnv(t, func(d *Deps) { d.Deploy.LeaseTTL = 3 * time.Second })
	pool := "lease-" + randomSuffix(t)
	p, v, name := e.deployedBeforeKill(t, pool)
	counter := e.countOps()

	first := make(chan error, 1)
	go func() { first <- e.run(t, model.Deployed, v, v.Generation) }()
	waitFor(t, "the upgrade to wait for its pods", 2*time.Minute, func() (bool, error) {
		rel, err := e.helm.Status(t.Context(), p.Namespace, name)
		return err == nil && rel.Status == helm.StatusPendingUpgrade && rel.Revision == 2, err
	})
	if err := e.rdb.Del(t.Context(), leaseKeyPrefix+v.ID).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-first:
		if !errors.Is(err, errLeaseLost) {
			t.Fatalf("first operation ended with %v, want the lost lease", err)
		}
	case <-time.After(time.Minute): // a failure bound: the renewal notices within a third of the TTL
		t.Fatal("the first operation went on after its lease was lost")
	}
	rel, err := e.helm.Status(t.Context(), p.Namespace, name)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Revision != 2 || rel.Status == helm.StatusDeployed {
		t.Fatalf("after the first operation stopped: revision %d %s, want revision 2 not deployed", rel.Revision, rel.Status)
	}
	if got := e.get(t, v.ID); got.Deployment.Status != model.StatusPending {
		t.Fatalf("the stopped operation recorded %s %q", got.Deployment.Status, got.Deployment.Message)
	}
	if n, err := e.rdb.Exists(t.Context(), opKeyPrefix+v.ID).Result(); err != nil || n != 1 {
		t.Fatalf("operation marker after the cancelled operation: %d, %v; want it kept until it expires", n, err)
	}

	labelNode(t, pool)
	e.drain(t, 2)
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusRunning || got.Generation != v.Generation {
		t.Fatalf("after the second worker: %s %q at generation %d", got.Deployment.Status, got.Deployment.Message, got.Generation)
	}
	if rel, err := e.helm.Status(t.Context(), p.Namespace, name); err != nil || rel.Status != helm.StatusDeployed || rel.Revision < 3 {
		t.Fatalf("release after the second worker: %v, %v", rel, err)
	}
	if m := counter.maxFor(v.ID); m != 1 {
		t.Fatalf("%d Helm operations on the version ran at once", m)
	}
}
