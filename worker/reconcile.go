package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// reconciler runs the periodic reconcile: it queues the deploy or stop tasks of versions whose
// releases drifted from their desired state, and sweeps releases whose version is gone.
type reconciler struct {
	store  *store.Store
	queue  tasks.Enqueuer
	redis  redis.UniversalClient
	helm   Releases
	leases *leaser
	// pullSecrets brings the installation's pull secrets in line with the docker registries.
	pullSecrets *pullSecrets
	// failedRetryAfter and sweepMaxShare are DeployOptions.FailedRetryAfter and
	// DeployOptions.OrphanSweepMaxShare.
	failedRetryAfter time.Duration
	sweepMaxShare    float64
	metrics          reconcileMetrics
	// sweepRefusal remembers the last refused orphan sweep, so that a refusal repeated by
	// every reconcile is reported once as an activity (see uninstallOrphans).
	sweepRefusal sweepRefusal
	installation string
	rec          recorder
	now          func() time.Time
	log          *slog.Logger
}

// handle compares every version's desired state with this installation's releases
// in the cluster and queues what is missing: a deploy for a Deployed version whose task was
// lost (still Pending) or whose releases are gone or broken, a stop for a NotDeployed version
// that still has releases. Releases of this installation whose version no longer exists are
// uninstalled, unless the sweep would remove too much (see uninstallOrphans). Releases of
// other installations are never looked at (see ownReleases). A version recorded Failed is
// queued again only when it has releases that are missing or broken and its last deploy is
// older than DeployOptions.FailedRetryAfter; one that failed before anything was installed
// (a configuration error) waits for the next request or configuration change. Last, the
// installation's pull secrets are brought in line with the docker registries (pullSecrets.sync).
func (r *reconciler) handle(ctx context.Context, t *asynq.Task) error {
	id, _ := asynq.GetTaskID(ctx)
	log := r.log.With("task", id, "type", t.Type())
	// Releases are listed before versions are read: a release's version exists before the
	// release does, so a release listed here whose version is not read below is an orphan.
	// Where the cluster refuses to list every namespace, the namespaces the versions' records
	// name (read before the releases) are listed one by one.
	namespaces, err := usedNamespaces(ctx, r.store)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	all, err := r.helm.ListByLabel(ctx, map[string]string{helm.LabelManagedBy: helm.ManagedBy}, namespaces...)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	deployed, stopped, known, err := r.versionsToReconcile(ctx, all)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	byVersion, own := r.ownReleases(all, known)
	queued := 0
	for i := range deployed {
		v := &deployed[i]
		canonical, drift := deploy.DeployNeeded(v, r.observedAll(byVersion[helm.LabelValue(v.ID)], v), r.now(), r.failedRetryAfter)
		if !canonical && !drift {
			continue
		}
		if err := r.enqueueAgain(ctx, log, tasks.TypeDeploy, v, drift); err != nil {
			return err
		}
		queued++
	}
	for i := range stopped {
		v := &stopped[i]
		needed, drift := deploy.StopNeeded(v, len(byVersion[helm.LabelValue(v.ID)]))
		if !needed {
			continue
		}
		if err := r.enqueueAgain(ctx, log, tasks.TypeStop, v, drift); err != nil {
			return err
		}
		queued++
	}
	removed, err := r.uninstallOrphans(ctx, log, byVersion, known, own)
	if err != nil {
		return err
	}
	if err := r.pullSecrets.sync(ctx, log, namespaces, len(known)); err != nil {
		log.Warn("pull secrets not reconciled", "err", err)
	}
	log.Info("reconciled", "releases", own, "other_installations", len(all)-own, "queued", queued, "orphans_uninstalled", removed)
	return nil
}

// versionsToReconcile reads what the reconcile compares with the releases: the versions
// desired Deployed, the versions desired NotDeployed that may still have releases — by their
// record (store.RecordedVersions) or by a release of all labelled with them — and the label
// values of every version (known). It reads no version that has neither, so that it stays
// cheap with many versions.
func (r *reconciler) versionsToReconcile(ctx context.Context, all []*helm.Info) (deployed, stopped []model.Version, known map[string]bool, err error) {
	recorded, err := r.store.RecordedVersions(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	ids, err := r.store.VersionIDs(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	idOf := make(map[string]string, len(ids))
	for _, id := range ids {
		idOf[helm.LabelValue(id)] = id
	}
	read := map[string]bool{}
	for i := range recorded {
		idOf[helm.LabelValue(recorded[i].ID)] = recorded[i].ID
		read[recorded[i].ID] = true
	}
	for _, rel := range all {
		id, ok := idOf[helm.OwnerOf(rel).Version]
		if !ok || read[id] {
			continue
		}
		read[id] = true
		v, err := r.store.GetVersionByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted since: its releases are orphans
		}
		if err != nil {
			return nil, nil, nil, err
		}
		recorded = append(recorded, *v)
	}
	known = make(map[string]bool, len(idOf))
	for label := range idOf {
		known[label] = true
	}
	for i := range recorded {
		if recorded[i].DesiredState == model.Deployed {
			deployed = append(deployed, recorded[i])
		} else {
			stopped = append(stopped, recorded[i])
		}
	}
	return deployed, stopped, known, nil
}

// ownReleases groups the releases of this installation by the label value of their version
// (see helm.LabelValue) and counts them: those labelled with its id, and those with no
// installation label (made before installations had ids) whose version is in its own store
// (known) — such a release is adopted, and gets the label on its next upgrade. Every other
// release belongs to another installation and is left alone.
func (r *reconciler) ownReleases(all []*helm.Info, known map[string]bool) (map[string][]*helm.Info, int) {
	mine := helm.LabelValue(r.installation)
	byVersion := map[string][]*helm.Info{}
	n := 0
	for _, rel := range all {
		o := helm.OwnerOf(rel)
		if !deploy.OwnRelease(o.Installation, o.Version, mine, known) {
			continue
		}
		byVersion[o.Version] = append(byVersion[o.Version], rel)
		n++
	}
	return byVersion, n
}

// observedAll describes releases for package deploy's decisions about version v.
func (r *reconciler) observedAll(rels []*helm.Info, v *model.Version) []deploy.Observed {
	out := make([]deploy.Observed, len(rels))
	for i, rel := range rels {
		out[i] = observedRelease(r.installation, rel, v)
	}
	return out
}

// usedNamespaces lists the namespaces that the deployment records of every version name (only
// versions with a record can name one: store.RecordedVersions).
func usedNamespaces(ctx context.Context, st *store.Store) ([]string, error) {
	vs, err := st.RecordedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for i := range vs {
		out = append(out, recordedNamespaces(&vs[i])...)
	}
	return out, nil
}

// enqueueAgain queues the deploy or stop task (typ) of the version's current generation
// (see tasks.EnqueueReconciled): under the task's own id, or under an id of its own when the
// cluster drifted.
func (r *reconciler) enqueueAgain(ctx context.Context, log *slog.Logger, typ string, v *model.Version, drift bool) error {
	p := tasks.VersionPayload{ProjectID: v.ProjectID, VersionID: v.ID, Generation: v.Generation, Actor: model.ActorScheduler + ":reconcile"}
	queued, err := tasks.EnqueueReconciled(ctx, r.queue, asynq.NewInspectorFromRedisClient(r.redis), typ, p, drift, r.now())
	if err != nil {
		return fmt.Errorf("reconcile %s: %w", v, err)
	}
	if queued {
		log.Info("queued again", "version", v.ID, "generation", v.Generation, "action", typ, "drift", drift)
	}
	return nil
}

// uninstallOrphans removes this installation's releases whose version label names no stored
// version (known holds the label values of every version; own is how many releases the
// installation has), each version's under a lease keyed by that label value. A sweep that
// would remove more than DeployOptions.OrphanSweepMaxShare of the releases, or any release
// while the store holds no versions (an empty, wrong or restored database), removes nothing:
// it is logged, counted and recorded as an activity (once per distinct refusal).
func (r *reconciler) uninstallOrphans(ctx context.Context, log *slog.Logger, byVersion map[string][]*helm.Info, known map[string]bool, own int) (int, error) {
	var labels []string
	count := 0
	for label, rels := range byVersion {
		if !known[label] {
			labels = append(labels, label)
			count += len(rels)
		}
	}
	if count == 0 {
		r.sweepRefusal.set("")
		return 0, nil
	}
	if reason := deploy.SweepRefused(count, own, len(known), r.sweepMaxShare); reason != "" {
		r.refuseSweep(ctx, log, reason)
		return 0, nil
	}
	r.sweepRefusal.set("")
	sort.Strings(labels)
	n := 0
	for _, label := range labels {
		le, held, err := r.leases.acquire(ctx, "orphan:"+label)
		if err != nil {
			return n, fmt.Errorf("reconcile: %w", err)
		}
		if held {
			continue
		}
		for _, rel := range byVersion[label] {
			if err = r.helm.Uninstall(ctx, rel.Namespace, rel.Name); err != nil {
				break
			}
			n++
			r.metrics.orphansUninstalled.Inc()
			log.Info("orphaned release uninstalled", "version_label", label, "release", rel.Namespace+"/"+rel.Name)
		}
		le.release(ctx, ctx.Err() != nil)
		if err != nil {
			return n, fmt.Errorf("reconcile: %w", err)
		}
	}
	return n, nil
}

// refuseSweep reports a refused orphan sweep: a warning in the log and a count every time,
// an activity when the refusal differs from the last one.
func (r *reconciler) refuseSweep(ctx context.Context, log *slog.Logger, reason string) {
	log.Warn("orphan sweep refused", "reason", reason)
	r.metrics.sweepsRefused.Inc()
	if !r.sweepRefusal.set(reason) {
		return
	}
	a := &model.Activity{Priority: model.PriorityWarning, Title: "Orphaned releases left in place", Description: reason,
		Actor: model.ActorScheduler + ":reconcile", EntityType: model.EntityInstallation, EntityID: r.installation}
	r.rec.add(ctx, a)
}

// sweepRefusal remembers the reason of the last refused orphan sweep ("" after a sweep ran).
type sweepRefusal struct {
	mu   sync.Mutex
	last string
}

// set records reason and reports whether it differs from the last one.
func (s *sweepRefusal) set(reason string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := s.last != reason
	s.last = reason
	return changed
}
