package worker

import (
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/release"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/utils/ptr"

	"github.com/oneko/oneko/internal/model"
)

// TestPendingReleaseRecoveredOnNextDeploy leaves a release pending-upgrade, as a worker
// killed mid-upgrade does, and checks that the next deploy recovers it and upgrades.
func TestPendingReleaseRecoveredOnNextDeploy(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "1.0")
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	rel := e.get(t, v.ID).Deployment.Releases[0]

	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = ptr.To(cluster.KubeconfigPath())
	flags.Namespace = ptr.To(rel.Namespace)
	flags.CacheDir = ptr.To(t.TempDir())
	cfg := new(action.Configuration)
	if err := cfg.Init(flags, rel.Namespace, "secret", func(string, ...any) {}); err != nil {
		t.Fatal(err)
	}
	last, err := cfg.Releases.Last(rel.Name)
	if err != nil {
		t.Fatal(err)
	}
	pending := *last
	pending.Version = last.Version + 1
	pending.Info = &release.Info{FirstDeployed: last.Info.FirstDeployed, LastDeployed: last.Info.LastDeployed, Status: release.StatusPendingUpgrade, Description: "worker killed"}
	if err := cfg.Releases.Create(&pending); err != nil {
		t.Fatal(err)
	}

	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatalf("deploy over a pending release: %v", err)
	}
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusRunning || got.Deployment.Releases[0].Status != "deployed" {
		t.Fatalf("after recovery: %+v", got.Deployment)
	}
	// revision 2 was the pending one, 3 the rollback, 4 the upgrade.
	if got.Deployment.Releases[0].Revision != pending.Version+2 {
		t.Fatalf("revision = %d, want %d (rollback, then upgrade)", got.Deployment.Releases[0].Revision, pending.Version+2)
	}
}
