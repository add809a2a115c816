package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// expirer runs the periodic expiry: it stops the versions whose lifetime ended.
type expirer struct {
	store     *store.Store
	requester *deploy.Requester
	rec       recorder
	now       func() time.Time
	log       *slog.Logger
}

// handle stops every Deployed version whose lifetime ended: its desired state becomes
// NotDeployed (a new generation) and the stop task is queued, as if a user had asked.
func (x *expirer) handle(ctx context.Context, t *asynq.Task) error {
	id, _ := asynq.GetTaskID(ctx)
	log := x.log.With("task", id, "type", t.Type())
	now := x.now()
	vs, err := x.store.ExpiredVersions(ctx, now)
	if err != nil {
		return fmt.Errorf("expire: %w", err)
	}
	var errs []error
	for i := range vs {
		if err := x.expireOne(ctx, log, &vs[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// expireOne stops a version found expired, only while it is still at the generation it was
// found at: a redeploy meanwhile (a new generation, a new lifetime) wins, and the version is
// left alone.
func (x *expirer) expireOne(ctx context.Context, log *slog.Logger, v *model.Version) error {
	p, err := x.store.GetProject(ctx, v.ProjectID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("expire %s: %w", v, err)
	}
	actor := model.ActorScheduler + ":expire"
	_, err = x.requester.RequestState(ctx, deploy.Request{Project: p, Version: v, State: model.NotDeployed, Actor: actor, IfGeneration: v.Generation})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		log.Info("expired version changed meanwhile; not stopped", "version", v.ID, "generation", v.Generation)
		return nil
	}
	if err != nil {
		return fmt.Errorf("expire %s: %w", v, err)
	}
	log.Info("lifetime ended; stop requested", "version", v.ID, "expired_at", v.Deployment.ExpiresAt)
	x.rec.activity(ctx, model.PriorityInfo, actor, v.ID, "Lifetime of "+v.Name+" ended",
		fmt.Sprintf("the deployment expired at %s and is being stopped", v.Deployment.ExpiresAt.UTC().Format("2006-01-02 15:04 MST")))
	return nil
}
