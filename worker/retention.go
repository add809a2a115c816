package worker

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"
)

// handleActivityRetention deletes activities older than the retention (30 days by default) and
// sessions past their expiry.
func (w *Worker) handleActivityRetention(ctx context.Context, t *asynq.Task) error {
	before := w.Now().Add(-w.deploy.opts.ActivityRetention)
	n, err := w.Store.DeleteActivitiesBefore(ctx, before)
	if err != nil {
		return fmt.Errorf("activity retention: %w", err)
	}
	sessions, err := w.Store.DeleteExpiredSessions(ctx)
	if err != nil {
		return fmt.Errorf("session retention: %w", err)
	}
	id, _ := asynq.GetTaskID(ctx)
	w.log.Info("old activities and expired sessions deleted", "task", id, "type", t.Type(), "activities", n, "sessions", sessions, "before", before)
	return nil
}
