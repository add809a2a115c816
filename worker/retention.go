package worker

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"
)

// handleActivityRetention deletes activities older than the retention (30 days by default).
func (w *Worker) handleActivityRetention(ctx context.Context, t *asynq.Task) error {
	before := w.Now().Add(-w.deploy.opts.ActivityRetention)
	n, err := w.Store.DeleteActivitiesBefore(ctx, before)
	if err != nil {
		return fmt.Errorf("activity retention: %w", err)
	}
	id, _ := asynq.GetTaskID(ctx)
	w.log.Info("old activities deleted", "task", id, "type", t.Type(), "deleted", n, "before", before)
	return nil
}
