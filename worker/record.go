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

// recordDeployment records a deployment outcome (if the generation is still current and, under
// a lease, the lease is neither lost nor superseded: see fenced) and tells browsers.
func (w *Worker) recordDeployment(ctx context.Context, versionID string, generation int64, d model.Deployment, urls []string) (bool, error) {
	fence, ok := fenceOf(ctx)
	if !ok {
		return false, nil
	}
	written, err := w.Store.RecordDeployment(ctx, versionID, generation, fence, d, urls)
	if err == nil && written {
		w.publish(ctx, events.VersionStatus, statusEvent{ID: versionID, Deployment: d, URLs: urls})
	}
	return written, err
}

// recordObservedStatus records what the status refresh saw and tells browsers.
func (w *Worker) recordObservedStatus(ctx context.Context, versionID string, generation int64, d model.Deployment) (bool, error) {
	fence, ok := fenceOf(ctx)
	if !ok {
		return false, nil
	}
	written, err := w.Store.RecordObservedStatus(ctx, versionID, generation, fence, d)
	if err == nil && written {
		w.publish(ctx, events.VersionStatus, statusEvent{ID: versionID, Deployment: d})
	}
	return written, err
}

// fencedKey is the context key of the fence of the operation that runs under a lease.
type fencedKey struct{}

// fenced is what an operation under a lease records with: the lease (lost or not) and the
// fencing token its holder claimed in the store (see store.ClaimFence).
type fenced struct {
	lease *lease
	fence int64
}

// withFence returns ctx carrying the lease and fence of the operation; the value survives
// context.WithoutCancel, which the recording of an outcome uses.
func withFence(ctx context.Context, le *lease, fence int64) context.Context {
	return context.WithValue(ctx, fencedKey{}, fenced{lease: le, fence: fence})
}

// fenceOf returns the fence to record with (0 outside a lease) and false when the operation's
// lease was lost: its outcome must not be recorded.
func fenceOf(ctx context.Context) (int64, bool) {
	f, ok := ctx.Value(fencedKey{}).(fenced)
	if !ok {
		return 0, true
	}
	return f.fence, !f.lease.lost()
}
