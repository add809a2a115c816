package e2e

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

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
