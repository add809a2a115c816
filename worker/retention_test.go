package worker

import (
	"context"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

func TestActivityRetention(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	for _, age := range []time.Duration{31 * 24 * time.Hour, 29 * 24 * time.Hour} {
		a := &model.Activity{Time: now.Add(-age), Priority: model.PriorityInfo, Title: age.String(), EntityType: model.EntityVersion, EntityID: "v"}
		if err := e.store.AddActivity(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for id, exp := range map[string]time.Time{"expired": now.Add(-time.Minute), "live": now.Add(time.Hour)} {
		if err := e.store.CreateSession(ctx, &model.Session{ID: id, UserID: "u", CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.periodic(t, tasks.TypeActivityRetention); err != nil {
		t.Fatal(err)
	}
	acts, total, err := e.store.ListActivities(ctx, "v", storePage())
	if err != nil || total != 1 || acts[0].Title != (29*24*time.Hour).String() {
		t.Fatalf("activities left = %+v (%d), %v; want only the 29-day-old one", acts, total, err)
	}
	if _, err := e.store.RawDocument(ctx, "sessions", "expired"); err == nil {
		t.Fatal("expired session not deleted")
	}
	if _, err := e.store.RawDocument(ctx, "sessions", "live"); err != nil {
		t.Fatalf("live session deleted: %v", err)
	}
}
