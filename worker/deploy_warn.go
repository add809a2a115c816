package worker

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// watchWarnings runs while a deploy's Helm operations wait for readiness: every
// warningInterval it reads the events of the version's planned releases and, when the warning
// that explains them (diagnose.Explain: FailedScheduling, ImagePullBackOff, BackOff,
// FailedMount…) changes, writes it into the version's status message and publishes it
// (version.status) — so that a long Pending says why without anyone reading …/events. The
// write is fenced by the deploy's lease and requires the status the deploy started from: it
// never overwrites the deploy's outcome. The returned stop ends the watch and waits for it;
// call it before recording the outcome.
func (a *applier) watchWarnings(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version, plan *deploy.Plan) (stop func()) {
	if a.pods == nil || plan == nil || len(plan.Releases) == 0 {
		return func() {}
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(a.warningInterval)
		defer t.Stop()
		shown := v.Deployment.Message
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			why, err := a.explain(ctx, a.plannedReleases(ctx, v, plan))
			if err != nil {
				log.Debug("cannot read the events of the deploy's releases", "err", err)
				continue
			}
			msg := diagnose.WithWarning(v.Deployment.Message, why)
			if msg == shown {
				continue
			}
			written, err := a.rec.statusMessage(ctx, v, p.Generation, msg)
			if err != nil {
				log.Warn("cannot record the warning of a waiting deploy", "err", err)
				continue
			}
			if !written {
				return // the version moved on; the deploy's own outcome decides
			}
			shown = msg
			log.Info("deploy waits; warning lifted into the status message", "warning", why)
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(quit); <-done }) }
}

// plannedReleases reads the planned releases of v that exist and belong to it (a pending
// revision included: its manifest names the objects being waited for).
func (a *applier) plannedReleases(ctx context.Context, v *model.Version, plan *deploy.Plan) []*helm.Info {
	var out []*helm.Info
	for _, r := range plan.Releases {
		rel, err := a.helm.Status(ctx, r.Namespace, r.Name)
		if err != nil || !observedRelease(a.installation, rel, v).Mine {
			continue
		}
		out = append(out, rel)
	}
	return out
}

// explain returns the warning that explains why the releases' objects are not ready ("" when
// none does).
func (a *applier) explain(ctx context.Context, rels []*helm.Info) (string, error) {
	if a.pods == nil || len(rels) == 0 {
		return "", nil
	}
	evs, err := a.pods.EventsOf(ctx, rels)
	if err != nil {
		return "", err
	}
	return diagnose.Explain(evs), nil
}

// statusMessage writes only the message of v's deployment, fenced by the lease of the
// operation in ctx and only while the deployment keeps the status v has, and tells browsers.
func (r recorder) statusMessage(ctx context.Context, v *model.Version, generation int64, msg string) (bool, error) {
	fence, ok := fenceOf(ctx)
	if !ok {
		return false, errors.New("the version's lease was lost")
	}
	written, err := r.store.RecordStatusMessage(ctx, v.ID, generation, fence, v.Deployment.Status, msg)
	if err == nil && written {
		dep := v.Deployment
		dep.Message = msg
		r.publish(ctx, events.VersionStatus, statusEvent{ID: v.ID, Deployment: dep})
	}
	return written, err
}
