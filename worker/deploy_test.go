package worker

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hibiken/asynq"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

func TestDeployThenStop(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "1.0.0")

	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatalf("deploy: %v", err)
	}
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusRunning || got.Deployment.Message != "" {
		t.Fatalf("status = %s (%q), want Running", got.Deployment.Status, got.Deployment.Message)
	}
	if len(got.Deployment.Releases) != 1 || got.Deployment.Releases[0].Status != "deployed" || got.Deployment.Releases[0].Namespace != p.Namespace {
		t.Fatalf("releases = %+v, want one deployed release in %s", got.Deployment.Releases, p.Namespace)
	}
	if got.Deployment.ReadyPods != 2 || got.Deployment.DesiredPods != 2 {
		t.Fatalf("pods = %d/%d, want 2/2", got.Deployment.ReadyPods, got.Deployment.DesiredPods)
	}
	if got.Deployment.DeployedAt == nil || got.Outdated {
		t.Fatalf("deployedAt = %v, outdated = %v", got.Deployment.DeployedAt, got.Outdated)
	}
	if len(got.URLs) != 1 || got.URLs[0] != "https://1-0-0.shop.example.test" {
		t.Fatalf("urls = %v", got.URLs)
	}
	name := got.Deployment.Releases[0].Name
	if n := readyPods(t, p.Namespace, name); n != 2 {
		t.Fatalf("%d Ready pods of %s, want 2", n, name)
	}
	if rels := e.releases(t, v.ID); len(rels) != 1 || rels[0].Labels["oneko.io/project"] != p.ID {
		t.Fatalf("labelled releases = %d", len(rels))
	}
	acts, _, err := e.store.ListActivities(context.Background(), v.ID, storePage())
	if err != nil || len(acts) == 0 || acts[0].Priority != model.PriorityInfo {
		t.Fatalf("activities = %+v, %v; want an INFO entry", acts, err)
	}

	// Stop: the version is also removed from the registry and its project is being deleted.
	if err := e.store.MarkRemoved(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	proj, _ := e.store.GetProject(context.Background(), p.ID)
	now := e.clock.Now()
	proj.DeletingSince = &now
	if err := e.store.UpdateProject(context.Background(), proj); err != nil {
		t.Fatal(err)
	}
	v = e.request(t, p, v, model.NotDeployed)
	if err := e.run(t, model.NotDeployed, v, v.Generation); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if rels := e.releases(t, v.ID); len(rels) != 0 {
		t.Fatalf("%d releases left after stop", len(rels))
	}
	if _, err := e.store.GetVersionByID(context.Background(), v.ID); err == nil {
		t.Fatal("the removed version is still stored after its stop")
	}
	if _, err := e.store.GetProject(context.Background(), p.ID); err == nil {
		t.Fatal("the project being deleted is still stored after its last stop")
	}
}

func TestStopRecordsNotDeployed(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "2.0")
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	v = e.request(t, p, v, model.NotDeployed)
	if err := e.run(t, model.NotDeployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusNotDeployed || len(got.Deployment.Releases) != 0 || got.Deployment.ReadyPods != 0 {
		t.Fatalf("after stop: %+v", got.Deployment)
	}
	if len(e.releases(t, v.ID)) != 0 {
		t.Fatal("releases left after stop")
	}
}

func TestNewDigestUpgradesAutomaticVersion(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "latest")
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	first := e.get(t, v.ID).Deployment.Releases[0]

	newDigest := digestOf(t, "pushed again")
	if _, err := e.store.SetDigest(context.Background(), v.ID, newDigest, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	v = e.request(t, p, v, model.Deployed) // what the worker's ingest does for an automatic version
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	got := e.get(t, v.ID)
	if got.Deployment.Releases[0].Revision != first.Revision+1 || got.Deployment.Status != model.StatusRunning {
		t.Fatalf("after the new digest: %+v, want revision %d Running", got.Deployment, first.Revision+1)
	}
	dep, err := cluster.Client(t).AppsV1().Deployments(p.Namespace).Get(t.Context(), first.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if img := dep.Spec.Template.Spec.Containers[0].Image; img != "registry.example.test/team/shop@"+newDigest {
		t.Fatalf("pod template image = %q, want it pinned to the new digest", img)
	}
}

func TestConfigurationErrorsFailWithoutInstalling(t *testing.T) {
	for _, tc := range []struct {
		name    string
		spec    projectSpec
		message string
	}{
		{"undefined variable", projectSpec{values: "replicas: 1\nimage: \"{{NO_SUCH_VARIABLE}}\"\n"}, "NO_SUCH_VARIABLE"},
		{"missing chart", projectSpec{chartName: "no-such-chart"}, "chart not found"},
		// Nested fn.replace would need 10 GB; the render stops at the cap, the worker lives on.
		{"render bomb", projectSpec{values: "x: \"{{" + strings.Repeat("fn.replace(", 9) + `"aaaaaaaaaa"` +
			strings.Repeat(`, "a", "aaaaaaaaaa")`, 9) + "}}\"\n"}, "output too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			counter := e.countOps()
			p := e.project(t, tc.spec)
			v := e.version(t, p, "1.0")
			v = e.request(t, p, v, model.Deployed)
			err := e.run(t, model.Deployed, v, v.Generation)
			if err == nil || !errors.Is(err, asynq.SkipRetry) {
				t.Fatalf("deploy = %v, want an error that is not retried", err)
			}
			got := e.get(t, v.ID)
			if got.Deployment.Status != model.StatusFailed || !strings.Contains(got.Deployment.Message, tc.message) {
				t.Fatalf("deployment = %s %q, want Failed mentioning %q", got.Deployment.Status, got.Deployment.Message, tc.message)
			}
			if rels := e.releases(t, v.ID); len(rels) != 0 {
				t.Fatalf("%d releases installed despite the error", len(rels))
			}
			if n := counter.count(); n != 0 {
				t.Fatalf("%d Helm operations ran despite the error", n)
			}
			acts, _, _ := e.store.ListActivities(context.Background(), v.ID, storePage())
			if len(acts) == 0 || acts[0].Priority != model.PriorityError || !strings.Contains(acts[0].Description, tc.message) {
				t.Fatalf("activities = %+v, want an ERROR naming the problem", acts)
			}
		})
	}
}

func TestStaleGenerationIsANoop(t *testing.T) {
	e := newEnv(t)
	counter := e.countOps()
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "1.0")
	old := e.request(t, p, v, model.Deployed)
	e.request(t, p, v, model.NotDeployed)
	e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, old, old.Generation); err != nil {
		t.Fatalf("stale deploy = %v, want nil", err)
	}
	if counter.count() != 0 {
		t.Fatalf("%d Helm operations for a stale task", counter.count())
	}
	if len(e.releases(t, v.ID)) != 0 {
		t.Fatal("a stale task installed releases")
	}
	if st := e.get(t, v.ID).Deployment.Status; st != model.StatusPending {
		t.Fatalf("status = %s after a stale task, want it untouched (Pending)", st)
	}
	// A task whose desired state no longer matches is a no-op too.
	cur := e.get(t, v.ID)
	if err := e.run(t, model.NotDeployed, cur, cur.Generation); err != nil || counter.count() != 0 {
		t.Fatalf("stop while Deployed is desired = %v with %d operations, want a no-op", err, counter.count())
	}
}

func TestBadPayloadIsNotRetried(t *testing.T) {
	e := newEnv(t)
	err := e.handle(t.Context(), asynq.NewTask("version:deploy", []byte("{")))
	if !errors.Is(err, asynq.SkipRetry) {
		t.Fatalf("bad payload = %v, want SkipRetry", err)
	}
}

func TestLeaseHeldRequeues(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "1.0")
	v = e.request(t, p, v, model.Deployed)
	le, held, err := e.leaser().acquire(t.Context(), v.ID)
	if err != nil || held {
		t.Fatalf("acquire = %v, %v", held, err)
	}
	if _, held, _ := e.leaser().acquire(t.Context(), v.ID); !held {
		t.Fatal("a second acquire got the lease")
	}
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatalf("deploy while the lease is held = %v, want nil (queued again)", err)
	}
	if len(e.releases(t, v.ID)) != 0 {
		t.Fatal("a task ran Helm without the lease")
	}
	le.release(context.Background(), false)
	e.drain(t, 2)
	if got := e.get(t, v.ID); got.Deployment.Status != model.StatusRunning {
		t.Fatalf("after the requeued task ran: %s %q", got.Deployment.Status, got.Deployment.Message)
	}
	if tasks.WaitRound("deploy:x@3~w7") != 7 || tasks.WaitRound("deploy:x@3") != 0 {
		t.Fatal("waitRound")
	}
}

// TestDeployRacingProjectDeletion: a deploy requested while the project's deletion started
// (the deletion did not see the version deployed) installs nothing; the version is stopped
// instead and the project's deletion completes.
func TestDeployRacingProjectDeletion(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "racing")
	v = e.request(t, p, v, model.Deployed) // the racing request, checked before the mark
	now := e.clock.Now()
	p.DeletingSince = &now // the deletion, which found nothing deployed to stop
	if err := e.store.UpdateProject(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	if n := len(e.releases(t, v.ID)); n != 0 {
		t.Fatalf("%d releases installed for a project being deleted", n)
	}
	e.drain(t, 2)
	if _, err := e.store.GetProject(context.Background(), p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("project after the stop: %v, want deleted", err)
	}
}

// TestPullSecretOfTheProjectsRegistryOnly: a namespace gets the pull secret of its project's
// docker registry, not those of the other registries, and a changed password reaches it on
// the next deploy.
func TestPullSecretOfTheProjectsRegistryOnly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := e.project(t, projectSpec{})
	mine := &model.DockerRegistry{Name: "mine-" + randomSuffix(t), URL: "https://mine.example.test", Username: "robot", Password: "first", WebhookFormat: model.WebhookAuto}
	other := &model.DockerRegistry{Name: "other-" + randomSuffix(t), URL: "https://other.example.test", Username: "robot", Password: "other-secret", WebhookFormat: model.WebhookAuto}
	for _, r := range []*model.DockerRegistry{mine, other} {
		if err := e.store.CreateDockerRegistry(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	p.DockerRegistryID = mine.ID
	if err := e.store.UpdateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	secrets := func() map[string]string {
		list, err := cluster.Client(t).CoreV1().Secrets(p.Namespace).List(ctx, metav1.ListOptions{LabelSelector: kube.ManagedByLabel + "=" + kube.ManagedBy})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, s := range list.Items {
			if s.Type == corev1.SecretTypeDockerConfigJson {
				out[s.Name] = string(s.Data[corev1.DockerConfigJsonKey])
			}
		}
		return out
	}
	v := e.deployed(t, p, "1.0")
	got := secrets()
	if len(got) != 1 || !strings.Contains(got[kube.PullSecretName(mine)], "first") {
		t.Fatalf("pull secrets %v, want only %s", got, kube.PullSecretName(mine))
	}
	reg, err := e.store.GetDockerRegistry(ctx, mine.ID)
	if err != nil {
		t.Fatal(err)
	}
	reg.Password = "rotated"
	if err := e.store.UpdateDockerRegistry(ctx, reg); err != nil {
		t.Fatal(err)
	}
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	if got := secrets()[kube.PullSecretName(mine)]; !strings.Contains(got, "rotated") {
		t.Fatalf("pull secret after the password change: %s", got)
	}
}
