package worker

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
	"github.com/oneko/oneko/tasks"
)

// deployed requests and runs the deploy of a new version of p with tag, and checks it runs.
func (e *env) deployed(t *testing.T, p *model.Project, tag string) *model.Version {
	t.Helper()
	v := e.request(t, p, e.version(t, p, tag), model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatalf("deploy %s: %v", tag, err)
	}
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusRunning {
		t.Fatalf("deploy %s: %s %q", tag, got.Deployment.Status, got.Deployment.Message)
	}
	return got
}

// reconcile runs one reconcile of e's worker.
func (e *env) reconcile(t *testing.T) {
	t.Helper()
	if err := e.periodic(t, tasks.TypeReconcile); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
}

// revisionOf is the last revision of a release; 0 when it does not exist.
func (e *env) revisionOf(t *testing.T, r model.Release) int {
	t.Helper()
	rel, err := e.helm.Status(t.Context(), r.Namespace, r.Name)
	if err != nil {
		return 0
	}
	return rel.Revision
}

// installRaw installs the first planned release of v under another name and labels, as
// another installation, an older oneko or someone else would have.
func (e *env) installRaw(t *testing.T, p *model.Project, v *model.Version, name string, labels map[string]string) *helm.Info {
	t.Helper()
	ctx := t.Context()
	d := e.worker.apply
	plan, err := d.planner.Plan(ctx, p, v)
	if err != nil {
		t.Fatal(err)
	}
	rels, err := d.releases(ctx, v, plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.ensureNamespaces(ctx, p, plan); err != nil {
		t.Fatal(err)
	}
	r := rels[0]
	r.Name, r.Labels = name, labels
	rel, err := e.helm.UpgradeInstall(ctx, r, false, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// TestTwoInstallationsSideBySide: two installations (two databases) deploy into one cluster;
// the reconcile of each leaves the other's releases alone, and so does one on an empty
// database that claims the first installation's id (a wrong or restored database with
// ONEKO_INSTALLATION_ID set): it uninstalls nothing and says so.
func TestTwoInstallationsSideBySide(t *testing.T) {
	a, b := newEnv(t), newEnv(t)
	if a.installation == b.installation {
		t.Fatal("two databases share an installation id")
	}
	va := a.deployed(t, a.project(t, projectSpec{}), "v1")
	vb := b.deployed(t, b.project(t, projectSpec{}), "v1")
	relA, relB := va.Deployment.Releases[0], vb.Deployment.Releases[0]
	if got := a.releases(t, va.ID)[0].Labels[helm.LabelInstallation]; got != a.installation {
		t.Fatalf("release of a labelled with installation %q, want %q", got, a.installation)
	}

	a.reconcile(t)
	b.reconcile(t)
	if a.revisionOf(t, relB) != relB.Revision || a.revisionOf(t, relA) != relA.Revision {
		t.Fatal("a reconcile touched a release")
	}

	// An empty database with a's id: nothing is uninstalled; the refusal is logged, counted and
	// recorded once.
	empty := newEnv(t, func(d *Deps) { d.InstallationID = a.installation })
	empty.reconcile(t)
	empty.reconcile(t)
	if a.revisionOf(t, relA) != relA.Revision || a.revisionOf(t, relB) != relB.Revision {
		t.Fatal("the reconcile of an empty database uninstalled a release")
	}
	if n := counterValue(t, empty.worker.reconcile.metrics.sweepsRefused); n != 2 {
		t.Errorf("refused sweeps counted %v, want 2", n)
	}
	acts, _, err := empty.store.ListActivities(t.Context(), a.installation, storePage())
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 1 || !strings.Contains(acts[0].Description, "no versions") {
		t.Fatalf("activities of the refused sweep: %+v, want one about an empty store", acts)
	}
}

// TestOrphanSweepShare: a sweep that would uninstall more than the allowed share of the
// installation's releases removes nothing; within the share it removes the orphans.
func TestOrphanSweepShare(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	keep := e.deployed(t, p, "keep")
	gone1 := e.deployed(t, p, "gone1")
	gone2 := e.deployed(t, p, "gone2")
	for _, v := range []*model.Version{gone1, gone2} {
		if err := e.store.DeleteVersion(t.Context(), v.ID); err != nil {
			t.Fatal(err)
		}
	}
	e.reconcile(t) // 2 of 3 > 0.5
	if len(e.releases(t, gone1.ID)) != 1 || len(e.releases(t, gone2.ID)) != 1 {
		t.Fatal("a sweep of 2 of 3 releases ran with a share of 0.5")
	}
	if n := counterValue(t, e.worker.reconcile.metrics.sweepsRefused); n != 1 {
		t.Fatalf("refused sweeps counted %v, want 1", n)
	}
	e.rebuild(t, func(d *Deps) { d.Deploy.OrphanSweepMaxShare = 1 })
	e.reconcile(t)
	if len(e.releases(t, gone1.ID)) != 0 || len(e.releases(t, gone2.ID)) != 0 || len(e.releases(t, keep.ID)) != 1 {
		t.Fatal("with a share of 1 the orphans were not uninstalled, or the kept version lost its release")
	}
	if n := counterValue(t, e.worker.reconcile.metrics.orphansUninstalled); n != 2 {
		t.Fatalf("uninstalled orphans counted %v, want 2", n)
	}
}

// TestLegacyReleasesAdoptedOnlyWithTheirVersion: a release from before installation ids (no
// installation label) is adopted by the installation that has its version — its stop
// uninstalls it — and left alone by one that has not, even as an orphan.
func TestLegacyReleasesAdoptedOnlyWithTheirVersion(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "legacy")
	stranger := e.version(t, p, "stranger")
	legacy := func(versionID string) map[string]string {
		l := helm.VersionLabels("x", p.ID, versionID)
		delete(l, helm.LabelInstallation)
		return l
	}
	mine := e.installRaw(t, p, v, "legacy-mine", legacy(v.ID))
	other := e.installRaw(t, p, stranger, "legacy-other", legacy("6b050d23c2b142545727dc0f-unknown"))
	if err := e.store.DeleteVersion(t.Context(), stranger.ID); err != nil {
		t.Fatal(err)
	}
	e.rebuild(t, func(d *Deps) { d.Deploy.OrphanSweepMaxShare = 1 })
	e.reconcile(t) // queues the stop of v (NotDeployed, yet it has a release)
	if err := e.run(t, model.NotDeployed, v, e.get(t, v.ID).Generation); err != nil {
		t.Fatal(err)
	}
	if e.revisionOf(t, model.Release{Namespace: mine.Namespace, Name: mine.Name}) != 0 {
		t.Fatal("the legacy release of a stored version was not adopted and stopped")
	}
	if e.revisionOf(t, model.Release{Namespace: other.Namespace, Name: other.Name}) != 1 {
		t.Fatal("a legacy release of an unknown version was uninstalled")
	}
}

// TestCollidingVersionsDeployAndStopIndependently: tags V1 and v1 of one project had one
// release name; they now deploy side by side and stop independently.
func TestCollidingVersionsDeployAndStopIndependently(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	upper := e.deployed(t, p, "V1")
	lower := e.deployed(t, p, "v1")
	ru, rl := upper.Deployment.Releases[0], lower.Deployment.Releases[0]
	if ru.Name == rl.Name {
		t.Fatalf("both versions use release %s", ru.Name)
	}
	if render.ReleaseName(p.Name, "V1", "web") != render.ReleaseName(p.Name, "v1", "web") {
		t.Fatal("the old names of the test versions do not collide: the test proves nothing")
	}
	upper = e.request(t, p, upper, model.NotDeployed)
	if err := e.run(t, model.NotDeployed, upper, upper.Generation); err != nil {
		t.Fatal(err)
	}
	if e.revisionOf(t, ru) != 0 || e.revisionOf(t, rl) != rl.Revision {
		t.Fatalf("after stopping V1: V1 rev %d, v1 rev %d (want 0, %d)", e.revisionOf(t, ru), e.revisionOf(t, rl), rl.Revision)
	}
	if got := e.get(t, lower.ID); got.Deployment.Status != model.StatusRunning {
		t.Fatalf("v1 after stopping V1: %s", got.Deployment.Status)
	}
	lower = e.request(t, p, lower, model.NotDeployed)
	if err := e.run(t, model.NotDeployed, lower, lower.Generation); err != nil {
		t.Fatal(err)
	}
	if e.revisionOf(t, rl) != 0 {
		t.Fatal("v1 still installed after its stop")
	}
}

// TestReleaseOfAnotherOwnerRefused: a release under the name a version wants that belongs
// to another version is neither upgraded nor uninstalled; the version fails naming the owner.
func TestReleaseOfAnotherOwnerRefused(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "mine")
	name := deploy.ReleaseName(e.installation, p, v, "web")
	foreign := e.installRaw(t, p, v, name, helm.VersionLabels(e.installation, p.ID, "someone-elses-version"))
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err == nil {
		t.Fatal("the deploy succeeded over another version's release")
	}
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusFailed || !strings.Contains(got.Deployment.Message, "someone-elses-version") {
		t.Fatalf("version: %s %q, want Failed naming the owner", got.Deployment.Status, got.Deployment.Message)
	}
	ref := model.Release{Namespace: foreign.Namespace, Name: foreign.Name}
	if e.revisionOf(t, ref) != 1 {
		t.Fatal("the other version's release was upgraded")
	}
	// Its stop does not uninstall it either.
	got.Deployment.Releases = []model.Release{ref}
	if _, err := e.worker.apply.rec.deployment(t.Context(), v.ID, got.Generation, got.Deployment, nil); err != nil {
		t.Fatal(err)
	}
	v = e.request(t, p, v, model.NotDeployed)
	if err := e.run(t, model.NotDeployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	if e.revisionOf(t, ref) != 1 {
		t.Fatal("the stop uninstalled another version's release")
	}
}

// TestOldNamedReleasesMoveOnNextDeploy: a version deployed under the old release name (and
// without an installation label) moves to its new name on its next deploy; the old release
// is uninstalled after the new one is ready.
func TestOldNamedReleasesMoveOnNextDeploy(t *testing.T) {
	e := newEnv(t)
	p := e.project(t, projectSpec{})
	v := e.version(t, p, "old")
	labels := helm.VersionLabels("x", p.ID, v.ID)
	delete(labels, helm.LabelInstallation)
	oldName := render.ReleaseName(p.Name, v.Name, "web")
	old := e.installRaw(t, p, v, oldName, labels)
	v = e.request(t, p, v, model.Deployed)
	dep := model.Deployment{Status: model.StatusRunning, Releases: modelReleases([]*helm.Info{old})}
	if _, err := e.worker.apply.rec.deployment(t.Context(), v.ID, v.Generation, dep, nil); err != nil {
		t.Fatal(err)
	}
	// The reconcile leaves a running version on its old name alone.
	e.reconcile(t)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatal(err)
	}
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusRunning || len(got.Deployment.Releases) != 1 {
		t.Fatalf("after the next deploy: %s %q %v", got.Deployment.Status, got.Deployment.Message, got.Deployment.Releases)
	}
	if n := got.Deployment.Releases[0].Name; n == oldName || n != deploy.ReleaseName(e.installation, p, v, "web") {
		t.Fatalf("release after the move: %s", n)
	}
	if e.revisionOf(t, model.Release{Namespace: old.Namespace, Name: oldName}) != 0 {
		t.Fatal("the old-named release was not uninstalled")
	}
}

// counterValue reads a counter.
func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
