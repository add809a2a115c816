package e2e

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
	"github.com/oneko/oneko/worker"
)

// TestWebhookOnlyRegistryCatchesUp: a registry polled never (pollInterval 0s, webhooks only)
// whose event was lost after the 202 (here: never sent, as after a Redis flush) still gets
// its version, from the slow catch-up poll. Before, such a registry was never polled.
func TestWebhookOnlyRegistryCatchesUp(t *testing.T) {
	s := newSystem(t)
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	_, projectID := s.createRegistryAndProject(srv.URL, "auto", "x-secret", "team/app")
	push(t, host, "team/app", "lost-event")
	w, err := worker.New(worker.Deps{Store: s.store, Queue: s.queue, Redis: s.rdb, Lifetime: lifetime.DefaultPolicy(), WebhookOnlyPollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.runWorker(w)
	s.waitVersion(projectID, "lost-event", "") // a poll resolves digests only where they matter
}

// flakyRegistry serves an in-process registry, or refuses every request with a status.
type flakyRegistry struct {
	inner  http.Handler
	refuse atomic.Int64 // status answered to every request; 0 serves the registry
}

func (f *flakyRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if code := f.refuse.Load(); code != 0 {
		w.WriteHeader(int(code))
		return
	}
	f.inner.ServeHTTP(w, r)
}

// TestPayloadTrustedOnlyWhenUnreachable: the worker applies an event the registry did not
// confirm only when the registry cannot be reached, and only a push. A 401, 403 or 429 gets the
// event retried; a delete is never applied unconfirmed. Before, any registry error made the
// worker trust the payload, deletes included.
func TestPayloadTrustedOnlyWhenUnreachable(t *testing.T) {
	s := newSystem(t)
	fr := &flakyRegistry{inner: ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))}
	srv := httptest.NewServer(fr)
	host := strings.TrimPrefix(srv.URL, "http://")
	regID, projectID := s.createRegistryAndProject(srv.URL, "auto", "x-secret", "team/app")
	keep := push(t, host, "team/app", "keep")
	ctx := context.Background()
	mux := s.worker.Mux()
	handle := func(action, tag, digest string) error {
		t.Helper()
		task, err := tasks.NewImagePush(tasks.PushPayload{RegistryID: regID, Action: action, Repository: "team/app", Tag: tag, Digest: digest, Source: "webhook", ReceivedAt: time.Now()}, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return mux.ProcessTask(ctx, task)
	}
	if err := handle("push", "keep", ""); err != nil {
		t.Fatal(err)
	}
	const hint = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	for _, code := range []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests} {
		fr.refuse.Store(int64(code))
		if err := handle("push", "refused", hint); err == nil {
			t.Errorf("%d: a push the registry did not confirm was applied", code)
		}
		if err := handle("delete", "keep", ""); err == nil {
			t.Errorf("%d: a delete the registry did not confirm was applied", code)
		}
	}
	if _, err := s.store.GetVersionByTag(ctx, projectID, "refused"); err == nil {
		t.Fatal("version created from an unconfirmed payload while the registry answered")
	}
	srv.Close() // unreachable now
	if err := handle("delete", "keep", ""); err == nil {
		t.Error("a delete was applied while the registry was unreachable")
	}
	if v, err := s.store.GetVersionByTag(ctx, projectID, "keep"); err != nil || v.Digest != keep {
		t.Fatalf("version keep: %+v, %v", v, err)
	}
	if err := handle("push", "trusted", hint); err != nil {
		t.Fatalf("push while unreachable: %v", err)
	}
	if v, err := s.store.GetVersionByTag(ctx, projectID, "trusted"); err != nil || v.Digest != hint {
		t.Fatalf("a push while the registry was unreachable was not trusted: %+v, %v", v, err)
	}
}

// TestPollRefusesMassRemoval: a poll that finds most of a project's tags gone removes none and
// records an activity; a tag missing from the list is removed only when its HEAD says 404.
// Before, an emptied registry removed every version.
func TestPollRefusesMassRemoval(t *testing.T) {
	s := newSystem(t)
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	regID, projectID := s.createRegistryAndProject(srv.URL, "auto", "x-secret", "team/app")
	ctx := context.Background()
	for _, tag := range []string{"a", "b", "c", "d"} {
		push(t, host, "team/app", tag)
	}
	reg, err := s.store.GetDockerRegistry(ctx, regID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	del := func(tag string) {
		ref, _ := name.ParseReference(host+"/team/app:"+tag, name.Insecure)
		if err := remote.Delete(ref); err != nil {
			t.Fatal(err)
		}
	}
	del("a")
	del("b")
	del("c")
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"a", "b", "c", "d"} {
		if _, err := s.store.GetVersionByTag(ctx, projectID, tag); err != nil {
			t.Fatalf("version %s removed by a poll that found 3 of 4 tags gone: %v", tag, err)
		}
	}
	acts, _, err := s.store.ListActivities(ctx, projectID, store.Page{})
	if err != nil || len(acts) == 0 || acts[0].Title != "Removals refused" || acts[0].Priority != model.PriorityWarning {
		t.Fatalf("activities of the project = %+v, %v; want Removals refused", acts, err)
	}
	// One removal at a time is applied.
	push(t, host, "team/app", "a")
	push(t, host, "team/app", "b")
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.GetVersionByTag(ctx, projectID, "c"); err == nil {
		t.Fatal("version c kept though its tag is gone and it is the only removal")
	}
}

// TestRemovedVersionComesBack: a version marked removed (its tag deleted while it has
// releases) cannot be deployed (409); when the tag is pushed again it loses the mark and can
// be deployed again. Before, the mark stayed and the stop task deleted the version.
func TestRemovedVersionComesBack(t *testing.T) {
	s := newSystem(t)
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	regID, projectID := s.createRegistryAndProject(srv.URL, "auto", "x-secret", "team/app")
	ctx := context.Background()
	d := push(t, host, "team/app", "1.0")
	reg, err := s.store.GetDockerRegistry(ctx, regID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	v := s.waitVersion(projectID, "1.0", "")
	if err := s.store.MarkRemoved(ctx, v.ID); err != nil { // as removeTag does for a deployed version
		t.Fatal(err)
	}
	deploy := "/api/v1/projects/" + projectID + "/versions/" + v.ID + "/deploy"
	if st, body := s.admin("POST", deploy, nil); st != 409 || !strings.Contains(string(body), "gone from the registry") {
		t.Fatalf("deploy of a removed version: %d %s", st, body)
	}
	task, err := tasks.NewImagePush(tasks.PushPayload{RegistryID: regID, Action: "push", Repository: "team/app", Tag: "1.0", Source: "webhook", ReceivedAt: time.Now()}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.worker.Mux().ProcessTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	got, err := s.store.GetVersionByID(ctx, v.ID)
	if err != nil || got.Removed || got.Digest != d {
		t.Fatalf("version after the tag came back: %+v, %v", got, err)
	}
	if deleted, err := s.store.DeleteRemovedVersion(ctx, v.ID); err != nil || deleted {
		t.Fatalf("the stop task would still delete it: %v, %v", deleted, err)
	}
	if st, body := s.admin("POST", deploy, nil); st != 202 {
		t.Fatalf("deploy after the tag came back: %d %s", st, body)
	}
}
