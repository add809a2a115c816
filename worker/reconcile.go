package worker

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"helm.sh/helm/v3/pkg/release"

	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// handleReconcile compares every version's desired state with this installation's releases
// in the cluster and queues what is missing: a deploy for a Deployed version whose task was
// lost (still Pending) or whose releases are gone or broken, a stop for a NotDeployed version
// that still has releases. Releases of this installation whose version no longer exists are
// uninstalled, unless the sweep would remove too much (see uninstallOrphans). Releases of
// other installations are never looked at (see ownReleases). A version recorded Failed is
// queued again only when it has releases that are missing or broken and its last deploy is
// older than DeployOptions.FailedRetryAfter; one that failed before anything was installed
// (a configuration error) waits for the next request or configuration change.
func (w *Worker) handleReconcile(ctx context.Context, t *asynq.Task) error {
	d := w.deploy
	if d.helm == nil {
		return fmt.Errorf("reconcile: %w", errNoCluster)
	}
	id, _ := asynq.GetTaskID(ctx)
	log := w.log.With("task", id, "type", t.Type())
	// Releases are listed before versions are read: a release's version exists before the
	// release does, so a release listed here whose version is not read below is an orphan.
	all, err := d.helm.ListByLabel(ctx, map[string]string{helm.LabelManagedBy: helm.ManagedBy})
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	deployed, err := w.Store.VersionsByDesiredState(ctx, model.Deployed)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	stopped, err := w.Store.VersionsByDesiredState(ctx, model.NotDeployed)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	known := map[string]bool{}
	for _, vs := range [][]model.Version{deployed, stopped} {
		for i := range vs {
			known[helm.LabelValue(vs[i].ID)] = true
		}
	}
	byVersion, own := d.ownReleases(all, known)
	queued := 0
	for i := range deployed {
		v := &deployed[i]
		canonical, drift := deployNeeded(v, byVersion[helm.LabelValue(v.ID)], w.Now(), d.opts.FailedRetryAfter)
		if !canonical && !drift {
			continue
		}
		if err := d.enqueueAgain(ctx, log, tasks.TypeDeploy, v, drift); err != nil {
			return err
		}
		queued++
	}
	for i := range stopped {
		v := &stopped[i]
		inCluster := len(byVersion[helm.LabelValue(v.ID)]) > 0
		if !inCluster && len(v.Deployment.Releases) == 0 {
			continue
		}
		if err := d.enqueueAgain(ctx, log, tasks.TypeStop, v, inCluster); err != nil {
			return err
		}
		queued++
	}
	removed, err := d.uninstallOrphans(ctx, log, byVersion, known, own)
	if err != nil {
		return err
	}
	log.Info("reconciled", "releases", own, "other_installations", len(all)-own, "queued", queued, "orphans_uninstalled", removed)
	return nil
}

// ownReleases groups the releases of this installation by the label value of their version
// (see helm.LabelValue) and counts them: those labelled with its id, and those with no
// installation label (made before installations had ids) whose version is in its own store
// (known) — such a release is adopted, and gets the label on its next upgrade. Every other
// release belongs to another installation and is left alone.
func (d *deployer) ownReleases(all []*release.Release, known map[string]bool) (map[string][]*release.Release, int) {
	mine := helm.LabelValue(d.w.InstallationID)
	byVersion := map[string][]*release.Release{}
	n := 0
	for _, r := range all {
		o := helm.OwnerOf(r)
		if o.Installation != mine && (o.Installation != "" || !known[o.Version]) {
			continue
		}
		byVersion[o.Version] = append(byVersion[o.Version], r)
		n++
	}
	return byVersion, n
}

// deployNeeded says whether a Deployed version needs its deploy task again: canonical when its
// task may have been lost (status still Pending, or never recorded), drift when the cluster
// no longer has the releases its deployment lists, or has them in another state than
// deployed (for a Failed deployment, once its last deploy is older than failedRetryAfter).
func deployNeeded(v *model.Version, inCluster []*release.Release, now time.Time, failedRetryAfter time.Duration) (canonical, drift bool) {
	switch v.Deployment.Status {
	case model.StatusPending, model.StatusNotDeployed:
		return true, false
	case model.StatusFailed:
		if at := v.Deployment.DeployedAt; at != nil && now.Sub(*at) < failedRetryAfter {
			return false, false
		}
	}
	have := map[string]release.Status{}
	for _, r := range inCluster {
		have[r.Namespace+"/"+r.Name] = r.Info.Status
	}
	for _, r := range v.Deployment.Releases {
		if st, ok := have[r.Namespace+"/"+r.Name]; !ok || st != release.StatusDeployed {
			return false, true
		}
	}
	return false, false
}

// enqueueAgain queues the deploy or stop task (typ) of the version's current generation
// (see tasks.EnqueueReconciled): under the task's own id, or under an id of its own when the
// cluster drifted.
func (d *deployer) enqueueAgain(ctx context.Context, log *slog.Logger, typ string, v *model.Version, drift bool) error {
	p := tasks.VersionPayload{ProjectID: v.ProjectID, VersionID: v.ID, Generation: v.Generation, Actor: model.ActorScheduler + ":reconcile"}
	queued, err := tasks.EnqueueReconciled(ctx, d.w.Queue, asynq.NewInspectorFromRedisClient(d.w.Redis), typ, p, drift, d.w.Now())
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
func (d *deployer) uninstallOrphans(ctx context.Context, log *slog.Logger, byVersion map[string][]*release.Release, known map[string]bool, own int) (int, error) {
	var labels []string
	count := 0
	for label, rels := range byVersion {
		if !known[label] {
			labels = append(labels, label)
			count += len(rels)
		}
	}
	if count == 0 {
		d.sweepRefusal.set("")
		return 0, nil
	}
	if reason := sweepRefused(count, own, len(known), d.opts.OrphanSweepMaxShare); reason != "" {
		d.refuseSweep(ctx, log, reason)
		return 0, nil
	}
	d.sweepRefusal.set("")
	sort.Strings(labels)
	n := 0
	for _, label := range labels {
		le, held, err := d.leases.acquire(ctx, "orphan:"+label)
		if err != nil {
			return n, fmt.Errorf("reconcile: %w", err)
		}
		if held {
			continue
		}
		d.begin(label)
		for _, r := range byVersion[label] {
			if err = d.helm.Uninstall(ctx, r.Namespace, r.Name); err != nil {
				break
			}
			n++
			d.metrics.orphansUninstalled.Inc()
			log.Info("orphaned release uninstalled", "version_label", label, "release", r.Namespace+"/"+r.Name)
		}
		d.end(label)
		le.release(ctx, ctx.Err() != nil)
		if err != nil {
			return n, fmt.Errorf("reconcile: %w", err)
		}
	}
	return n, nil
}

// sweepRefused decides whether an orphan sweep of orphans releases, out of the own releases
// of an installation whose store holds versions versions, must not run, and says why.
func sweepRefused(orphans, own, versions int, maxShare float64) string {
	if versions == 0 {
		return fmt.Sprintf("the store holds no versions, yet %d releases of this installation are in the cluster: an empty, wrong or restored database? Nothing was uninstalled; uninstall them by hand if they are really orphaned", orphans)
	}
	if float64(orphans) > maxShare*float64(own) {
		return fmt.Sprintf("%d of this installation's %d releases have no version in the store, more than the share of %.2f the sweep may remove (ONEKO_ORPHAN_SWEEP_MAX_SHARE). Nothing was uninstalled; check the database, then uninstall them by hand or raise the share", orphans, own, maxShare)
	}
	return ""
}

// refuseSweep reports a refused orphan sweep: a warning in the log and a count every time,
// an activity when the refusal differs from the last one.
func (d *deployer) refuseSweep(ctx context.Context, log *slog.Logger, reason string) {
	log.Warn("orphan sweep refused", "reason", reason)
	d.metrics.sweepsRefused.Inc()
	if !d.sweepRefusal.set(reason) {
		return
	}
	a := &model.Activity{Priority: model.PriorityWarning, Title: "Orphaned releases left in place", Description: reason,
		Actor: model.ActorScheduler + ":reconcile", EntityType: model.EntityInstallation, EntityID: d.w.InstallationID}
	if err := d.w.Store.AddActivity(ctx, a); err != nil {
		log.Warn("cannot record activity", "title", a.Title, "err", err)
		return
	}
	d.w.publish(ctx, events.Activity, a)
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
