package worker

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// handleExpire stops every Deployed version whose lifetime ended: its desired state becomes
// NotDeployed (a new generation) and the stop task is queued, as if a user had asked.
func (w *Worker) handleExpire(ctx context.Context, t *asynq.Task) error {
	id, _ := asynq.GetTaskID(ctx)
	log := w.log.With("task", id, "type", t.Type())
	now := w.Now()
	vs, err := w.Store.ExpiredVersions(ctx, now)
	if err != nil {
		return fmt.Errorf("expire: %w", err)
	}
	req := deploy.Requester{Store: w.Store, Queue: w.Queue, Lifetime: w.Lifetime, Now: w.Now}
	actor := model.ActorScheduler + ":expire"
	var errs []error
	for i := range vs {
		v := &vs[i]
		p, err := w.Store.GetProject(ctx, v.ProjectID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("expire %s: %w", v, err))
			continue
		}
		if _, err := req.RequestState(ctx, deploy.Request{Project: p, Version: v, State: model.NotDeployed, Actor: actor}); err != nil {
			errs = append(errs, fmt.Errorf("expire %s: %w", v, err))
			continue
		}
		log.Info("lifetime ended; stop requested", "version", v.ID, "expired_at", v.Deployment.ExpiresAt)
		w.activity(ctx, model.PriorityInfo, actor, v.ID, "Lifetime of "+v.Name+" ended",
			fmt.Sprintf("the deployment expired at %s and is being stopped", v.Deployment.ExpiresAt.UTC().Format("2006-01-02 15:04 MST")))
	}
	return errors.Join(errs...)
}
