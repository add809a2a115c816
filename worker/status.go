package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
)

// releaseMissing is the status recorded for a release the cluster no longer has.
const releaseMissing = "missing"

// handleRefreshStatus reads the Helm status, ready pods and restarts of every Deployed version
// that has releases, with the warning that explains pods that are not ready, and records and
// publishes (version.status) only what changed. Versions with a deploy in flight (Pending, or their
// lease held) are skipped; a cluster that cannot be reached makes the status Unknown.
func (w *Worker) handleRefreshStatus(ctx context.Context, t *asynq.Task) error {
	d := w.deploy
	if d.helm == nil {
		return fmt.Errorf("refresh status: %w", errNoCluster)
	}
	id, _ := asynq.GetTaskID(ctx)
	log := w.log.With("task", id, "type", t.Type())
	vs, err := w.Store.VersionsByDesiredState(ctx, model.Deployed)
	if err != nil {
		return fmt.Errorf("refresh status: %w", err)
	}
	changed := 0
	for i := range vs {
		v := &vs[i]
		if v.Deployment.Status == model.StatusPending || len(v.Deployment.Releases) == 0 {
			continue
		}
		ok, err := d.refreshOne(ctx, log, v)
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
func (d *deployer) refreshOne(ctx context.Context, log *slog.Logger, v *model.Version) (bool, error) {
	le, held, err := d.leases.acquire(ctx, v.ID)
	if err != nil {
		return false, fmt.Errorf("refresh status: %w", err)
	}
	if held {
		return false, nil
	}
	defer le.release(ctx, false)
	obs := d.observe(ctx, v)
	if sameObservation(v.Deployment, obs) {
		return false, nil
	}
	written, err := d.w.recordObservedStatus(ctx, v.ID, v.Generation, obs)
	if err != nil {
		return false, fmt.Errorf("refresh status of %s: %w", v, err)
	}
	if written {
		log.Info("status changed", "version", v.ID, "from", v.Deployment.Status, "to", obs.Status, "ready_pods", obs.ReadyPods, "desired_pods", obs.DesiredPods)
	}
	return written, nil
}

// observe reads the releases a version's deployment lists from the cluster, their pods and,
// while not all of them are ready or the version failed, the warning that explains why.
func (d *deployer) observe(ctx context.Context, v *model.Version) model.Deployment {
	obs, rels := d.observeReleases(ctx, v)
	if obs.Status == model.StatusUnknown {
		return obs
	}
	obs.Restarts = v.Deployment.Restarts
	pods, err := d.pods.PodsOf(ctx, rels)
	if err != nil {
		d.w.log.Debug("cannot read the pods of a version", "version", v.ID, "err", err)
		return obs
	}
	obs.Restarts = 0
	for _, p := range pods {
		obs.Restarts += int(p.Restarts)
	}
	var evs []diagnose.Event
	if obs.Status == model.StatusFailed || obs.ReadyPods < obs.DesiredPods {
		if evs, err = d.pods.EventsOf(ctx, rels); err != nil {
			d.w.log.Debug("cannot read the events of a version", "version", v.ID, "err", err)
			return obs
		}
	}
	obs.Message = diagnose.WithWarning(obs.Message, diagnose.Explain(evs))
	return obs
}

// observeReleases reads the releases a version's deployment lists from the cluster, with
// their pod counts. It returns the releases found.
func (d *deployer) observeReleases(ctx context.Context, v *model.Version) (model.Deployment, []*helm.Info) {
	obs := model.Deployment{Status: model.StatusRunning}
	var found []*helm.Info
	var problems []string
	for _, r := range v.Deployment.Releases {
		rel, err := d.helm.Status(ctx, r.Namespace, r.Name)
		switch {
		case errors.Is(err, helm.ErrNotFound):
			problems = append(problems, fmt.Sprintf("release %s/%s is missing", r.Namespace, r.Name))
			missing := r
			missing.Status = releaseMissing
			obs.Releases = append(obs.Releases, missing)
			continue
		case err != nil:
			obs.Status = model.StatusUnknown
			obs.Message = err.Error()
			obs.Releases = v.Deployment.Releases
			return obs, nil
		}
		if o := helm.OwnerOf(rel); !o.Belongs(d.w.InstallationID, v.ID) {
			problems = append(problems, (&deploy.OwnerError{Release: r.Namespace + "/" + r.Name, Owner: o.String()}).Error())
			missing := r
			missing.Status = releaseMissing
			obs.Releases = append(obs.Releases, missing)
			continue
		}
		obs.Releases = append(obs.Releases, modelReleases([]*helm.Info{rel})...)
		found = append(found, rel)
		if rel.Status != helm.StatusDeployed {
			problems = append(problems, fmt.Sprintf("release %s/%s is %s", r.Namespace, r.Name, rel.Status))
		}
		ready, desired, err := d.helm.PodCounts(ctx, rel)
		if err != nil {
			obs.Status, obs.Message, obs.Releases = model.StatusUnknown, err.Error(), v.Deployment.Releases
			return obs, nil
		}
		obs.ReadyPods += ready
		obs.DesiredPods += desired
	}
	if len(problems) > 0 {
		obs.Status, obs.Message = model.StatusFailed, strings.Join(problems, "; ")
	} else if v.Deployment.Status == model.StatusFailed {
		// A failed deploy stays failed until the next one, even if its releases look fine.
		obs.Status, obs.Message = model.StatusFailed, v.Deployment.Message
	}
	return obs, found
}

func sameObservation(a, b model.Deployment) bool {
	return a.Status == b.Status && a.Message == b.Message && a.ReadyPods == b.ReadyPods &&
		a.DesiredPods == b.DesiredPods && a.Restarts == b.Restarts && slices.Equal(a.Releases, b.Releases)
}
