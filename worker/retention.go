package worker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/store"
)

// retention runs the periodic clean-up of activities and sessions.
type retention struct {
	store *store.Store
	// keep is how long activities are kept (DeployOptions.ActivityRetention).
	keep time.Duration
	now  func() time.Time
	log  *slog.Logger
}

// handle deletes activities older than the retention (30 days by default) and sessions past
// their expiry.
func (r *retention) handle(ctx context.Context, t *asynq.Task) error {
	before := r.now().Add(-r.keep)
	n, err := r.store.DeleteActivitiesBefore(ctx, before)
	if err != nil {
		return fmt.Errorf("activity retention: %w", err)
	}
	sessions, err := r.store.DeleteExpiredSessions(ctx)
	if err != nil {
		return fmt.Errorf("session retention: %w", err)
	}
	id, _ := asynq.GetTaskID(ctx)
	r.log.Info("old activities and expired sessions deleted", "task", id, "type", t.Type(), "activities", n, "sessions", sessions, "before", before)
	return nil
}
