package worker

import (
	"context"

	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
)

// statusEvent is the data of a version.status event.
type statusEvent struct {
	ID         string           `json:"id"`
	Deployment model.Deployment `json:"deployment"`
	URLs       []string         `json:"urls,omitempty"`
}

// recordDeployment records a deployment outcome (if the generation is still current) and
// tells browsers.
func (w *Worker) recordDeployment(ctx context.Context, versionID string, generation int64, d model.Deployment, urls []string) (bool, error) {
	written, err := w.Store.RecordDeployment(ctx, versionID, generation, d, urls)
	if err == nil && written {
		w.publish(ctx, events.VersionStatus, statusEvent{ID: versionID, Deployment: d, URLs: urls})
	}
	return written, err
}

// recordObservedStatus records what the status refresh saw and tells browsers.
func (w *Worker) recordObservedStatus(ctx context.Context, versionID string, generation int64, d model.Deployment) (bool, error) {
	written, err := w.Store.RecordObservedStatus(ctx, versionID, generation, d)
	if err == nil && written {
		w.publish(ctx, events.VersionStatus, statusEvent{ID: versionID, Deployment: d})
	}
	return written, err
}
