package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// refresher runs the periodic status refresh: it records what the cluster shows of every
// deployed version.
type refresher struct {
	store        *store.Store
	helm         Releases
	pods         *diagnose.Reader
	leases       *leaser
	installation string
	rec          recorder
	log          *slog.Logger
	// watch learns which pods each refresh found (nil: no pod watch).
	watch *podWatch
}

// handle reads the Helm status, ready pods and restarts of every Deployed version
// that has releases, with the warning that explains pods that are not ready, and records and
// publishes (version.status) only what changed. Which versions it looks at and what it records
// is package deploy's decision (deploy.Refreshable, deploy.SeenStatus); versions whose lease is
// held are skipped.
func (r *refresher) handle(ctx context.Context, t *asynq.Task) error {
	id, _ := asynq.GetTaskID(ctx)
	log := r.log.With("task", id, "type", t.Type())
	vs, err := r.store.VersionsByDesiredState(ctx, model.Deployed)
	if err != nil {
		return fmt.Errorf("refresh status: %w", err)
	}
	changed := 0
	for i := range vs {
		v := &vs[i]
		if !deploy.Refreshable(v) {
			continue
		}
		ok, err := r.refreshOne(ctx, log, v)
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			log.Warn("the cluster did not answer the status refresh of a version in time", "version", v.ID, "err", err)
			continue
		}
		if err != nil {
			return err
		}
		if ok {
			changed++
		}
	}
	log.Info("status refreshed", "versions", len(vs), "changed", changed)
	return nil
}

// refreshOne observes one version under its lease and records the status if it changed.
func (r *refresher) refreshOne(ctx context.Context, log *slog.Logger, v *model.Version) (bool, error) {
	le, held, err := r.leases.acquire(ctx, v.ID)
	if err != nil {
		return false, fmt.Errorf("refresh status: %w", err)
	}
	if held {
		return false, nil
	}
	defer le.release(ctx, false)
	// The lease is renewed until the refresh returns: a cluster call that never answers
	// would keep the version's deploys out for good. A refresh gets two lease TTLs, and
	// ends at once when the lease is lost.
	octx, cancel := context.WithTimeout(le.ctx, 2*r.leases.ttl)
	defer cancel()
	obs := r.observe(octx, v)
	if err := octx.Err(); err != nil {
		return false, fmt.Errorf("refresh status of %s: %w", v, err)
	}
	if !deploy.StatusChanged(v.Deployment, obs) {
		return false, nil
	}
	written, err := r.rec.observedStatus(ctx, v.ID, v.Generation, obs)
	if err != nil {
		return false, fmt.Errorf("refresh status of %s: %w", v, err)
	}
	if written {
		log.Info("status changed", "version", v.ID, "from", v.Deployment.Status, "to", obs.Status, "ready_pods", obs.ReadyPods, "desired_pods", obs.DesiredPods)
	}
	return written, nil
}

// observe reads the releases a version's deployment lists from the cluster, their pods and,
// when package deploy needs it, the warning that explains why not all of them are ready, and
// returns the status deploy.SeenStatus decides from it.
func (r *refresher) observe(ctx context.Context, v *model.Version) model.Deployment {
	seen, rels := r.observeReleases(ctx, v)
	obs := deploy.SeenStatus(v.Deployment, seen)
	if seen.Unreachable != "" {
		return obs
	}
	pods, err := r.pods.PodsOf(ctx, rels)
	if err != nil {
		r.log.Debug("cannot read the pods of a version", "version", v.ID, "err", err)
		return obs
	}
	restarts := 0
	keys := make([]string, len(pods))
	for i, p := range pods {
		restarts += int(p.Restarts)
		keys[i] = p.Namespace + "/" + p.Name
	}
	r.watch.seen(v.ID, keys)
	seen.Restarts = &restarts
	if deploy.NeedsWarning(obs) {
		evs, err := r.pods.EventsOf(ctx, rels)
		if err != nil {
			r.log.Debug("cannot read the events of a version", "version", v.ID, "err", err)
		}
		seen.Warning, seen.WarningUnread = diagnose.Explain(evs), err != nil
	}
	return deploy.SeenStatus(v.Deployment, seen)
}

// observeReleases reads the releases a version's deployment lists from the cluster, with
// their owners and pod counts. It returns the releases of the version found.
func (r *refresher) observeReleases(ctx context.Context, v *model.Version) (deploy.StatusSeen, []*helm.Info) {
	var seen deploy.StatusSeen
	var found []*helm.Info
	for _, rec := range v.Deployment.Releases {
		sr := deploy.SeenRelease{Recorded: rec}
		rel, err := r.helm.Status(ctx, rec.Namespace, rec.Name)
		switch {
		case errors.Is(err, helm.ErrNotFound):
			seen.Releases = append(seen.Releases, sr)
			continue
		case err != nil:
			return deploy.StatusSeen{Unreachable: err.Error()}, nil
		}
		sr.Found, sr.Observed = true, observedRelease(r.installation, rel, v)
		if sr.Observed.Mine {
			found = append(found, rel)
			if sr.Ready, sr.Desired, err = r.helm.PodCounts(ctx, rel); err != nil {
				return deploy.StatusSeen{Unreachable: err.Error()}, nil
			}
		}
		seen.Releases = append(seen.Releases, sr)
	}
	return seen, found
}
