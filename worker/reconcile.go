package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"helm.sh/helm/v3/pkg/release"

	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// handleReconcile compares every version's desired state with the releases oneko has in the
// cluster and queues what is missing: a deploy for a Deployed version whose task was lost
// (still Pending) or whose releases are gone or broken, a stop for a NotDeployed version
// that still has releases. Releases labelled managed-by=oneko whose version no longer exists
// are uninstalled. A version recorded Failed is queued again only when it has releases that
// are missing or broken and its last deploy is older than DeployOptions.FailedRetryAfter;
// one that failed before anything was installed (a configuration error) waits for the next
// request or configuration change.
func (w *Worker) handleReconcile(ctx context.Context, t *asynq.Task) error {
	d := w.deploy
	if d.helm == nil {
		return fmt.Errorf("reconcile: %w", errNoCluster)
	}
	id, _ := asynq.GetTaskID(ctx)
	log := w.log.With("task", id, "type", t.Type())
	all, err := d.helm.ListByLabel(ctx, map[string]string{helm.LabelManagedBy: helm.ManagedBy})
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	// byVersion groups the releases by the label value of their version (see helm.LabelValue).
	byVersion := map[string][]*release.Release{}
	for _, r := range all {
		byVersion[r.Labels[helm.LabelVersion]] = append(byVersion[r.Labels[helm.LabelVersion]], r)
	}
	queued := 0
	deployed, err := w.Store.VersionsByDesiredState(ctx, model.Deployed)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	for i := range deployed {
		v := &deployed[i]
		canonical, drift := deployNeeded(v, byVersion[helm.LabelValue(v.ID)], w.Now(), d.opts.FailedRetryAfter)
		if !canonical && !drift {
			continue
		}
		if err := d.enqueueAgain(ctx, log, tasks.NewDeploy, "deploy", v, drift); err != nil {
			return err
		}
		queued++
	}
	stopped, err := w.Store.VersionsByDesiredState(ctx, model.NotDeployed)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	for i := range stopped {
		v := &stopped[i]
		inCluster := len(byVersion[helm.LabelValue(v.ID)]) > 0
		if !inCluster && len(v.Deployment.Releases) == 0 {
			continue
		}
		if err := d.enqueueAgain(ctx, log, tasks.NewStop, "stop", v, inCluster); err != nil {
			return err
		}
		queued++
	}
	known := map[string]bool{}
	for _, vs := range [][]model.Version{deployed, stopped} {
		for i := range vs {
			known[helm.LabelValue(vs[i].ID)] = true
		}
	}
	removed, err := d.uninstallOrphans(ctx, log, byVersion, known)
	if err != nil {
		return err
	}
	log.Info("reconciled", "releases", len(all), "queued", queued, "orphans_uninstalled", removed)
	return nil
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

// enqueueAgain queues the task of the version's current generation. Without drift it uses the
// task's own id, so a task that asynq still knows is not queued twice — unless asynq only
// keeps it in its archive (it failed for good): then, as with drift, it uses an id of its own
// per minute, since the original task may have completed or died and kept its id.
func (d *deployer) enqueueAgain(ctx context.Context, log *slog.Logger, newTask func(tasks.VersionPayload) (*asynq.Task, error), verb string, v *model.Version, drift bool) error {
	t, err := newTask(tasks.VersionPayload{ProjectID: v.ProjectID, VersionID: v.ID, Generation: v.Generation, Actor: model.ActorScheduler + ":reconcile"})
	if err != nil {
		return fmt.Errorf("reconcile %s: %w", v, err)
	}
	ownID := fmt.Sprintf("%s:%s@%d:reconcile-%d", verb, v.ID, v.Generation, d.w.Now().Unix()/60)
	var opts []asynq.Option
	if drift {
		opts = append(opts, asynq.TaskID(ownID))
	}
	_, err = d.w.Queue.EnqueueContext(ctx, t, opts...)
	if !drift && errors.Is(err, asynq.ErrTaskIDConflict) &&
		tasks.Archived(asynq.NewInspectorFromRedisClient(d.w.Redis), tasks.QueueCritical, tasks.VersionTaskID(verb, v.ID, v.Generation)) {
		_, err = d.w.Queue.EnqueueContext(ctx, t, asynq.TaskID(ownID))
	}
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reconcile %s: enqueue %s: %w", v, verb, err)
	}
	log.Info("queued again", "version", v.ID, "generation", v.Generation, "action", verb, "drift", drift)
	return nil
}

// uninstallOrphans removes releases whose version label names no stored version (known
// holds the label values of every version), under a lease keyed by that label value.
func (d *deployer) uninstallOrphans(ctx context.Context, log *slog.Logger, byVersion map[string][]*release.Release, known map[string]bool) (int, error) {
	n := 0
	for label, rels := range byVersion {
		if known[label] {
			continue
		}
		le, held, err := d.leases.acquire(ctx, "orphan:"+label)
		if err != nil {
			return n, fmt.Errorf("reconcile: %w", err)
		}
		if held {
			continue
		}
		d.begin(label)
		for _, r := range rels {
			if err = d.helm.Uninstall(ctx, r.Namespace, r.Name); err != nil {
				break
			}
			n++
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
