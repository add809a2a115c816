package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
)

// TestRecordDigestKeepsTheLaterAnswer: two workers asked the registry at t1 < t2 and write in
// the wrong order; the answer of t2 stays. An answer equal to the stored digest still counts
// as the latest check, so an older, different answer cannot replace it afterwards.
func TestRecordDigestKeepsTheLaterAnswer(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	p := newProject("shop")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(p, "latest", "sha256:"+hex('0'), s.Now())
	if err := s.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC()
	a, b, c := "sha256:"+hex('a'), "sha256:"+hex('b'), "sha256:"+hex('c')
	digestIs := func(want string) {
		t.Helper()
		got, err := s.GetVersionByID(ctx, v.ID)
		if err != nil || got.Digest != want {
			t.Fatalf("digest = %q (%v), want %q", got.Digest, err, want)
		}
	}
	if changed, err := s.RecordDigest(ctx, v.ID, b, t0.Add(2*time.Second)); err != nil || !changed {
		t.Fatalf("later answer: changed %v, %v", changed, err)
	}
	if changed, err := s.RecordDigest(ctx, v.ID, a, t0.Add(time.Second)); err != nil || changed {
		t.Fatalf("earlier answer written last: changed %v, %v", changed, err)
	}
	digestIs(b)
	// The same digest seen again at t4, then a different answer from t3.
	if changed, err := s.RecordDigest(ctx, v.ID, b, t0.Add(4*time.Second)); err != nil || changed {
		t.Fatalf("same digest: changed %v, %v", changed, err)
	}
	if changed, _ := s.RecordDigest(ctx, v.ID, c, t0.Add(3*time.Second)); changed {
		t.Fatal("an answer older than the last check replaced the digest")
	}
	digestIs(b)
	if changed, _ := s.RecordDigest(ctx, v.ID, c, t0.Add(5*time.Second)); !changed {
		t.Fatal("a newer answer was refused")
	}
	digestIs(c)
}

// TestRemovedMarkIsCleared: a version marked removed whose tag is pushed again loses the mark,
// and the stop task's conditional delete then leaves it alone.
func TestRemovedMarkIsCleared(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	p := newProject("shop")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(p, "1.0", "", s.Now())
	if err := s.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRemoved(ctx, v.ID); err != nil {
		t.Fatal(err)
	}
	if back, err := s.ClearRemoved(ctx, v.ID); err != nil || !back {
		t.Fatalf("clear: %v, %v", back, err)
	}
	if deleted, err := s.DeleteRemovedVersion(ctx, v.ID); err != nil || deleted {
		t.Fatalf("a version pushed again was deleted: %v, %v", deleted, err)
	}
	got, err := s.GetVersionByID(ctx, v.ID)
	if err != nil || got.Removed {
		t.Fatalf("version = %+v, %v", got, err)
	}
	if err := s.MarkRemoved(ctx, v.ID); err != nil {
		t.Fatal(err)
	}
	if deleted, err := s.DeleteRemovedVersion(ctx, v.ID); err != nil || !deleted {
		t.Fatalf("a removed version was kept: %v, %v", deleted, err)
	}
}

func hex(c byte) string {
	b := make([]byte, 64)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

// TestNewDigestMarksManualVersionsOutdated: a new digest of a deployed version that is
// redeployed by hand marks it outdated with the reason "image"; one redeployed automatically,
// or not deployed, is not marked.
func TestNewDigestMarksManualVersionsOutdated(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	p := newProject("shop")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC()
	for i, c := range []struct {
		behaviour model.DeploymentBehaviour
		deployed  bool
		outdated  bool
	}{
		{model.BehaviourManually, true, true},
		{model.BehaviourAutomatically, true, false},
		{model.BehaviourManually, false, false},
	} {
		v := model.NewVersion(p, fmt.Sprintf("v%d", i), "sha256:"+hex('0'), s.Now())
		v.DeploymentBehaviour = c.behaviour
		if err := s.CreateVersion(ctx, v); err != nil {
			t.Fatal(err)
		}
		if c.deployed {
			if _, err := s.SetDesiredState(ctx, p.ID, v.ID, model.Deployed, nil); err != nil {
				t.Fatal(err)
			}
		}
		if changed, err := s.RecordDigest(ctx, v.ID, "sha256:"+hex('d'), t0); err != nil || !changed {
			t.Fatalf("record: %v %v", changed, err)
		}
		got, err := s.GetVersionByID(ctx, v.ID)
		if err != nil || got.Outdated != c.outdated || (c.outdated && (len(got.OutdatedReasons) != 1 || got.OutdatedReasons[0].Kind != model.ChangedImage)) {
			t.Fatalf("%+v: outdated %v %+v %v", c, got.Outdated, got.OutdatedReasons, err)
		}
	}
}
