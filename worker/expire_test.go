package worker

import (
	"testing"
	"time"

	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// TestLifetimeExpiry deploys with a lifetime of one day and moves the clock: nothing
// happens before the end, the version is stopped after it.
func TestLifetimeExpiry(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{lifetime: model.Lifetime{Type: lifetime.Days, Value: 1}})
	v := e.version(t, p, "short-lived")
	v = e.request(t, p, v, model.Deployed)
	if v.Deployment.ExpiresAt == nil {
		t.Fatal("no expiry set by the request")
	}
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	expire := tasks.NewPeriodic(tasks.TypeExpire)

	if err := e.handle(t.Context(), expire); err != nil {
		t.Fatal(err)
	}
	if got := e.get(t, v.ID); got.DesiredState != model.Deployed || got.Generation != v.Generation {
		t.Fatalf("before its end: desired %s generation %d; want it untouched", got.DesiredState, got.Generation)
	}

	e.clock.Add(v.Deployment.ExpiresAt.Sub(e.clock.Now()) + time.Minute)
	if err := e.handle(t.Context(), expire); err != nil {
		t.Fatal(err)
	}
	if got := e.get(t, v.ID); got.DesiredState != model.NotDeployed {
		t.Fatalf("after its end: desired %s, want NotDeployed", got.DesiredState)
	}
	e.drain(t, 2)
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusNotDeployed || len(e.releases(t, v.ID)) != 0 {
		t.Fatalf("after the stop ran: %s, %d releases", got.Deployment.Status, len(e.releases(t, v.ID)))
	}
}

// TestExpiryLeavesRedeployedVersion: the expiry found a version expired, but a user deployed it
// again before the expiry requested its stop: the redeploy (a newer generation) wins.
func TestExpiryLeavesRedeployedVersion(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{lifetime: model.Lifetime{Type: lifetime.Days, Value: 1}})
	v := e.request(t, p, e.version(t, p, "redeployed"), model.Deployed)
	e.clock.Add(v.Deployment.ExpiresAt.Sub(e.clock.Now()) + time.Minute)
	expired, err := e.store.ExpiredVersions(t.Context(), e.clock.Now())
	if err != nil || len(expired) != 1 || expired[0].ID != v.ID {
		t.Fatalf("expired versions: %v, %v", expired, err)
	}
	again := e.request(t, p, v, model.Deployed) // the user's redeploy, between the read and the stop
	if err := e.worker.expire.expireOne(t.Context(), e.worker.log, &expired[0]); err != nil {
		t.Fatal(err)
	}
	got := e.get(t, v.ID)
	if got.DesiredState != model.Deployed || got.Generation != again.Generation {
		t.Fatalf("after the expiry: desired %s at generation %d; want Deployed at %d", got.DesiredState, got.Generation, again.Generation)
	}
}
