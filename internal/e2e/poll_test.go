package e2e

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/model"
)

// TestPollCycle polls an in-process registry: new tags become versions, a deleted tag removes
// its version, a re-pushed tag of a deployed automatically version updates the digest and
// queues a redeploy, and an auto-deploy rule deploys a matching new tag.
func TestPollCycle(t *testing.T) {
	s := newSystem(t)
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	regID, projectID := s.createRegistryAndProject(srv.URL, "auto", "x-secret", "team/app")
	ctx := context.Background()
	d1 := push(t, host, "team/app", "1.0")
	push(t, host, "team/app", "1.1")
	push(t, host, "team/app", "gone")
	reg, err := s.store.GetDockerRegistry(ctx, regID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"1.0", "1.1", "gone"} {
		if _, err := s.store.GetVersionByTag(ctx, projectID, tag); err != nil {
			t.Fatalf("version %s not created: %v", tag, err)
		}
	}
	// Deploy 1.0 (behaviour automatically is the project's default for new versions here).
	v, _ := s.store.GetVersionByTag(ctx, projectID, "1.0")
	if st, body := s.admin("POST", "/api/v1/projects/"+projectID+"/versions/"+v.ID+"/deploy", nil); st != 202 {
		t.Fatalf("deploy: %d %s", st, body)
	}
	// Delete "gone", re-push "1.0", add an auto-deploy rule and a matching tag.
	ref, _ := name.ParseReference(host+"/team/app:gone", name.Insecure)
	if err := remote.Delete(ref); err != nil {
		t.Fatal(err)
	}
	d2 := push(t, host, "team/app", "1.0")
	p, _ := s.store.GetProject(ctx, projectID)
	p.AutoDeploy = &model.AutoDeploy{TagPattern: "release-*"}
	if err := s.store.UpdateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	push(t, host, "team/app", "release-7")
	push(t, host, "team/app", "feature-x")
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.GetVersionByTag(ctx, projectID, "gone"); err == nil {
		t.Fatal("version of a deleted tag is still there")
	}
	v, _ = s.store.GetVersionByTag(ctx, projectID, "1.0")
	if v.Digest != d2 || d2 == d1 || v.Generation != 2 {
		t.Fatalf("re-pushed tag: digest %s (want %s), generation %d (want 2: deploy, then redeploy)", v.Digest, d2, v.Generation)
	}
	rel, _ := s.store.GetVersionByTag(ctx, projectID, "release-7")
	if rel.DesiredState != model.Deployed {
		t.Fatal("auto-deploy rule did not deploy release-7")
	}
	if fx, _ := s.store.GetVersionByTag(ctx, projectID, "feature-x"); fx.DesiredState != model.NotDeployed {
		t.Fatal("feature-x deployed without a matching rule")
	}
	if n := pending(t, "critical"); n != 3 {
		t.Fatalf("queued deploy tasks = %d, want 3 (deploy 1.0, redeploy 1.0, release-7)", n)
	}
	// A second poll with nothing changed changes nothing.
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if n := pending(t, "critical"); n != 3 {
		t.Fatalf("an idle poll queued work: %d", n)
	}
}

// stoppableRegistry is an in-process registry on a fixed address that can be stopped (its port
// refuses connections) and started again with its content kept.
type stoppableRegistry struct {
	t       *testing.T
	addr    string
	handler http.Handler
	srv     *http.Server
}

func newStoppableRegistry(t *testing.T) *stoppableRegistry {
	t.Helper()
	r := &stoppableRegistry{t: t, handler: ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))}
	r.start("127.0.0.1:0")
	t.Cleanup(r.stop)
	return r
}

func (r *stoppableRegistry) start(addr string) {
	r.t.Helper()
	var l net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may take a moment to be free again
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatal(err)
	}
	r.addr = l.Addr().String()
	r.srv = &http.Server{Handler: r.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(l) }()
}

func (r *stoppableRegistry) stop() {
	if r.srv != nil {
		_ = r.srv.Close()
		r.srv = nil
	}
}

// TestPollingSurvivesFailures: a project created before its first push discovers the tag by
// polling; the registry then goes away for longer than an interval (polls fail) and comes back:
// the next tag is discovered too. Before, one failed poll archived the task under its fixed id
// "poll:<registry>" and every later poll of that registry was refused as a duplicate.
func TestPollingSurvivesFailures(t *testing.T) {
	s := newSystem(t)
	reg := newStoppableRegistry(t)
	regID, projectID := s.createRegistryAndProject("http://"+reg.addr, "auto", "x-secret", "team/app")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const interval = time.Second
	r, err := s.store.GetDockerRegistry(ctx, regID)
	if err != nil {
		t.Fatal(err)
	}
	r.PollInterval = model.Duration(interval) // below the api's minimum, to keep the test short
	if err := s.store.UpdateDockerRegistry(ctx, r); err != nil {
		t.Fatal(err)
	}
	// Started after the change: its first look would otherwise take the registry's old
	// interval and wait for it.
	s.runWorker(s.worker)

	time.Sleep(2 * interval) // polls of a repository without any tag
	push(t, reg.addr, "team/app", "1.0")
	s.waitVersion(projectID, "1.0", "")

	reg.stop()
	waitArchived(t, "low", 1) // at least one poll failed
	time.Sleep(interval)
	reg.start(reg.addr)
	push(t, reg.addr, "team/app", "2.0")
	s.waitVersion(projectID, "2.0", "")
	if _, err := s.store.GetVersionByTag(ctx, projectID, "1.0"); err != nil {
		t.Fatalf("version 1.0 lost: %v", err)
	}
}

// waitArchived waits until queue holds at least n archived (failed) tasks.
func waitArchived(t *testing.T, queue string, n int) {
	t.Helper()
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	defer insp.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		q, err := insp.GetQueueInfo(queue)
		if err == nil && q.Archived >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %d archived tasks in %s after 30s (%+v, %v)", n, queue, q, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPollGivesANewProjectTheImagesTags: a project made for an image another project already
// follows gets the image's tags on the next poll. Before, the registry's changes were computed
// against the versions of all the image's projects together, so the new project saw none of
// the tags the first one knew and stayed empty until a tag was pushed.
func TestPollGivesANewProjectTheImagesTags(t *testing.T) {
	s := newSystem(t)
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	regID, firstID := s.createRegistryAndProject(srv.URL, "auto", "x-secret", "team/app")
	ctx := context.Background()
	push(t, host, "team/app", "1.0")
	push(t, host, "team/app", "1.1")
	reg, err := s.store.GetDockerRegistry(ctx, regID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	st, body := s.admin("POST", "/api/v1/projects", map[string]any{"name": "second", "dockerRegistryId": regID, "imageName": "team/app"})
	if st != 201 {
		t.Fatalf("create the second project: %d %s", st, body)
	}
	var second struct{ ID string }
	_ = json.Unmarshal(body, &second)
	push(t, host, "team/app", "1.2")
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{firstID, second.ID} {
		for _, tag := range []string{"1.0", "1.1", "1.2"} {
			if _, err := s.store.GetVersionByTag(ctx, id, tag); err != nil {
				t.Errorf("project %s: no version %s: %v", id, tag, err)
			}
		}
	}
	// Nothing is created twice by a later poll.
	if err := s.worker.Poll(ctx, reg); err != nil {
		t.Fatal(err)
	}
	vs, err := s.store.VersionsOfProject(ctx, second.ID)
	if err != nil || len(vs) != 3 {
		t.Fatalf("second project: %d versions (%v), want 3", len(vs), err)
	}
}
