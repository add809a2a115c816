package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
)

// TestExtendLifetime: extend restarts the lifetime clock of a deployed version (409 before it
// is deployed), optionally with another lifetime kept as the version's own; bad lifetimes are
// 422 and change nothing; the activity is recorded and a version.status event is published.
func TestExtendLifetime(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	ctx := context.Background()
	ver := "/api/v1/projects/" + f.projectID + "/versions/" + f.versionID
	viewer := e.as(model.RoleViewer)

	res := e.do("POST", ver+"/extend", nil, viewer).must(t, 409)
	if !strings.Contains(string(res.body), "not deployed") {
		t.Fatalf("409 detail: %s", res.body)
	}
	e.do("POST", ver+"/deploy", nil, viewer).must(t, 202)
	// The clock ran: the lifetime is about to end.
	soon := time.Now().Add(time.Minute).UTC().Truncate(time.Millisecond)
	if _, err := e.store.ExtendLifetime(ctx, f.projectID, f.versionID, nil, &soon); err != nil {
		t.Fatal(err)
	}
	bus := events.NewBus(e.rdb)
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	ch, err := bus.Subscribe(sctx)
	if err != nil {
		t.Fatal(err)
	}

	// No body: the project's DAYS 2 starts again from now.
	before := time.Now()
	var ans struct {
		ExpiresAt         *time.Time     `json:"expiresAt"`
		LifetimeBehaviour model.Lifetime `json:"lifetimeBehaviour"`
		Version           model.Version  `json:"version"`
	}
	e.do("POST", ver+"/extend", nil, viewer).must(t, 200).json(t, &ans)
	after := time.Now()
	pol := lifetime.DefaultPolicy()
	days2 := lifetime.Behaviour{Type: lifetime.Days, Value: 2}
	lo, _ := pol.ExpiresAt(before, days2)
	hi, _ := pol.ExpiresAt(after, days2)
	if ans.ExpiresAt == nil || ans.ExpiresAt.Before(lo) || ans.ExpiresAt.After(hi) || ans.LifetimeBehaviour != days2 {
		t.Fatalf("extend answered %+v, want expiry in [%s, %s] by DAYS 2", ans, lo, hi)
	}
	v, _ := e.store.GetVersion(ctx, f.projectID, f.versionID)
	if v.Deployment.ExpiresAt == nil || !v.Deployment.ExpiresAt.Equal(*ans.ExpiresAt) {
		t.Fatalf("stored expiry %v, answered %v", v.Deployment.ExpiresAt, ans.ExpiresAt)
	}
	if v.LifetimeBehaviour == nil || v.LifetimeBehaviour.Type != lifetime.Inherit {
		t.Fatalf("extend without body changed the version's lifetime to %+v", v.LifetimeBehaviour)
	}
	waitStatusEvent(t, ch, f.versionID, ans.ExpiresAt)

	// Another lifetime: kept as the version's own.
	e.do("POST", ver+"/extend", map[string]any{"lifetimeBehaviour": map[string]any{"type": "UNTIL_WEEKEND"}}, viewer).must(t, 200).json(t, &ans)
	if ans.ExpiresAt == nil || ans.LifetimeBehaviour.Type != lifetime.UntilWeekend {
		t.Fatalf("answer %+v", ans)
	}
	v, _ = e.store.GetVersion(ctx, f.projectID, f.versionID)
	if v.LifetimeBehaviour == nil || v.LifetimeBehaviour.Type != lifetime.UntilWeekend || !v.Deployment.ExpiresAt.Equal(*ans.ExpiresAt) {
		t.Fatalf("version lifetime %+v expires %v", v.LifetimeBehaviour, v.Deployment.ExpiresAt)
	}
	ans.ExpiresAt = nil
	e.do("POST", ver+"/extend", `{"lifetimeBehaviour":{"type":"INFINITE"}}`, viewer).must(t, 200).json(t, &ans)
	v, _ = e.store.GetVersion(ctx, f.projectID, f.versionID)
	if ans.ExpiresAt != nil || v.Deployment.ExpiresAt != nil {
		t.Fatalf("INFINITE still expires: answer %v, stored %v", ans.ExpiresAt, v.Deployment.ExpiresAt)
	}

	// Bad input changes nothing.
	for _, body := range []string{`{"lifetimeBehaviour":{"type":"DAYS","value":0}}`, `{"lifetimeBehaviour":{"type":"FOREVER"}}`} {
		res := e.do("POST", ver+"/extend", body, viewer).must(t, 422)
		if !strings.Contains(string(res.body), "lifetimeBehaviour") {
			t.Fatalf("422 does not name the field: %s", res.body)
		}
	}
	e.do("POST", ver+"/extend", `{"lifetime":{}}`, viewer).must(t, 400)
	after2, _ := e.store.GetVersion(ctx, f.projectID, f.versionID)
	if after2.LifetimeBehaviour.Type != lifetime.Infinite || after2.Revision != v.Revision {
		t.Fatalf("refused extend changed the version: %+v", after2.LifetimeBehaviour)
	}

	var acts struct {
		Items []model.Activity `json:"items"`
	}
	e.do("GET", "/api/v1/activities?entityId="+f.versionID, nil, viewer).must(t, 200).json(t, &acts)
	n := 0
	for _, a := range acts.Items {
		if a.Title == "Lifetime extended" && strings.HasPrefix(a.Actor, "token:") {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("%d 'Lifetime extended' activities, want 3: %+v", n, acts.Items)
	}

	// Stopped: 409 again.
	e.do("POST", ver+"/stop", nil, viewer).must(t, 202)
	e.do("POST", ver+"/extend", nil, viewer).must(t, 409)
	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/000000000000000000000000/extend", nil, viewer).must(t, 404)
}

// waitStatusEvent waits for the version.status event of a version with the expiry.
func waitStatusEvent(t *testing.T, ch <-chan events.Event, versionID string, expires *time.Time) {
	t.Helper()
	for ev := range ch {
		if ev.Type != events.VersionStatus {
			continue
		}
		var data struct {
			ID         string           `json:"id"`
			Deployment model.Deployment `json:"deployment"`
		}
		if err := json.Unmarshal(ev.Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.ID == versionID && data.Deployment.ExpiresAt != nil && data.Deployment.ExpiresAt.Equal(*expires) {
			return
		}
	}
	t.Fatal("no version.status event with the new expiry")
}
