package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

func TestRecordDeploymentOnlyForCurrentGeneration(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newProject("deploys")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(p, "1.0", "", s.Now())
	if err := s.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	got, err := s.SetDesiredState(ctx, p.ID, v.ID, model.Deployed, &expires)
	if err != nil {
		t.Fatal(err)
	}
	gen := got.Generation

	if _, _, err := s.ListVersions(ctx, p.ID, "", store.Page{}); err != nil { // warm the list cache
		t.Fatal(err)
	}
	now := time.Date(2029, 5, 6, 7, 8, 9, 0, time.UTC)
	d := model.Deployment{Status: model.StatusRunning, DeployedAt: &now, ReadyPods: 2, DesiredPods: 2,
		Releases: []model.Release{{Name: "r", Namespace: "on-x", Revision: 1, Status: "deployed"}}}
	if ok, err := s.RecordDeployment(ctx, v.ID, gen-1, 0, d, []string{"http://old"}); err != nil || ok {
		t.Fatalf("record for an older generation = %v, %v; want false, nil", ok, err)
	}
	if ok, err := s.RecordDeployment(ctx, v.ID, gen, 0, d, []string{"http://x"}); err != nil || !ok {
		t.Fatalf("record for the current generation = %v, %v; want true, nil", ok, err)
	}
	after, err := s.GetVersionByID(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Deployment.Status != model.StatusRunning || len(after.Deployment.Releases) != 1 || after.URLs[0] != "http://x" {
		t.Fatalf("deployment = %+v, urls %v", after.Deployment, after.URLs)
	}
	if list, _, err := s.ListVersions(ctx, p.ID, "", store.Page{}); err != nil || list[0].Deployment.Status != model.StatusRunning {
		t.Fatalf("listed version after the record: %+v, %v; want the list to see Running", list, err)
	}
	if after.Deployment.ExpiresAt == nil || !after.Deployment.ExpiresAt.Equal(expires) {
		t.Fatalf("expiresAt = %v, want it kept at %v", after.Deployment.ExpiresAt, expires)
	}

	ok, err := s.RecordObservedStatus(ctx, v.ID, gen, 0, model.Deployment{Status: model.StatusFailed, Message: "gone"})
	if err != nil || !ok {
		t.Fatalf("observed status = %v, %v", ok, err)
	}
	after, _ = s.GetVersionByID(ctx, v.ID)
	if after.Deployment.Status != model.StatusFailed || after.Deployment.DeployedAt == nil || !after.Deployment.DeployedAt.Equal(now) {
		t.Fatalf("after refresh: %+v", after.Deployment)
	}

	expired, err := s.ExpiredVersions(ctx, expires.Add(time.Second))
	if err != nil || len(expired) != 1 {
		t.Fatalf("expired = %d, %v; want 1", len(expired), err)
	}
	if expired, _ := s.ExpiredVersions(ctx, expires.Add(-time.Second)); len(expired) != 0 {
		t.Fatalf("expired before the time = %d, want 0", len(expired))
	}
	deployed, err := s.VersionsByDesiredState(ctx, model.Deployed)
	if err != nil || len(deployed) != 1 {
		t.Fatalf("deployed = %d, %v", len(deployed), err)
	}
}

// TestRecordFencedByLease: once a later lease holder claimed the version, the earlier
// holder's result is refused, even for the current generation; the later holder's is written.
func TestRecordFencedByLease(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newProject("fenced")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(p, "1.0", "", s.Now())
	if err := s.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	got, err := s.SetDesiredState(ctx, p.ID, v.ID, model.Deployed, nil)
	if err != nil {
		t.Fatal(err)
	}
	stale, err := s.ClaimFence(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	current, err := s.ClaimFence(ctx, v.ID)
	if err != nil || current <= stale {
		t.Fatalf("fences %d then %d, %v; want increasing", stale, current, err)
	}
	if ok, err := s.RecordDeployment(ctx, v.ID, got.Generation, stale, model.Deployment{Status: model.StatusFailed, Message: "stale"}, nil); err != nil || ok {
		t.Fatalf("record of the stale holder = %v, %v; want refused", ok, err)
	}
	if ok, err := s.RecordObservedStatus(ctx, v.ID, got.Generation, stale, model.Deployment{Status: model.StatusFailed}); err != nil || ok {
		t.Fatalf("observed status of the stale holder = %v, %v; want refused", ok, err)
	}
	if ok, err := s.RecordDeployment(ctx, v.ID, got.Generation, current, model.Deployment{Status: model.StatusRunning}, nil); err != nil || !ok {
		t.Fatalf("record of the current holder = %v, %v; want written", ok, err)
	}
	if _, err := s.ClaimFence(ctx, "no-such-version"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("claim of a missing version: %v, want ErrNotFound", err)
	}
}

// A status message (the warning that explains a pending deployment) is written only while the
// deployment still has the status it was meant for: it never overwrites the outcome a deploy
// recorded meanwhile. Also where the store checks conditions itself (SoleWriter).
func TestRecordStatusMessageKeepsTheOutcome(t *testing.T) {
	for _, sole := range []bool{false, true} {
		t.Run(fmt.Sprintf("SoleWriter=%v", sole), func(t *testing.T) {
			ctx := context.Background()
			s := shared.Mongo.Store(t, store.Options{SoleWriter: sole})
			p := newProject("message")
			if err := s.CreateProject(ctx, p); err != nil {
				t.Fatal(err)
			}
			v := createVersions(t, s, p, "1.0")[0]
			got, err := s.SetDesiredState(ctx, p.ID, v.ID, model.Deployed, nil)
			if err != nil || got.Deployment.Status != model.StatusPending {
				t.Fatalf("request: %+v %v", got, err)
			}
			fence, err := s.ClaimFence(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			const why = "Why: Pod web-1: FailedScheduling: 0/1 nodes are available"
			if ok, err := s.RecordStatusMessage(ctx, v.ID, got.Generation, fence, model.StatusPending, why); err != nil || !ok {
				t.Fatalf("message while pending = %v, %v; want written", ok, err)
			}
			after, _ := s.GetVersionByID(ctx, v.ID)
			if after.Deployment.Status != model.StatusPending || after.Deployment.Message != why {
				t.Fatalf("deployment %+v", after.Deployment)
			}
			if ok, err := s.RecordStatusMessage(ctx, v.ID, got.Generation, fence+1, model.StatusPending, "stale"); err != nil || ok {
				t.Fatalf("message of a stale lease holder = %v, %v; want refused", ok, err)
			}
			if ok, err := s.RecordDeployment(ctx, v.ID, got.Generation, fence, model.Deployment{Status: model.StatusRunning}, nil); err != nil || !ok {
				t.Fatalf("outcome = %v, %v", ok, err)
			}
			if ok, err := s.RecordStatusMessage(ctx, v.ID, got.Generation, 0, model.StatusPending, why); err != nil || ok {
				t.Fatalf("message meant for Pending after the outcome = %v, %v; want refused", ok, err)
			}
			if after, _ := s.GetVersionByID(ctx, v.ID); after.Deployment.Status != model.StatusRunning || after.Deployment.Message != "" {
				t.Fatalf("the outcome was overwritten: %+v", after.Deployment)
			}
		})
	}
}
