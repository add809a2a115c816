package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
)

// ErrQueue wraps failures to enqueue: the desired state is saved, the task is not queued
// (the periodic reconcile queues it once the queue is back).
var ErrQueue = errors.New("the task queue (Redis) is unavailable")

// DesiredStore is what RequestState needs from the store.
type DesiredStore interface {
	SetDesiredStateIf(ctx context.Context, projectID, id string, state model.DesiredState, expiresAt *time.Time, generation int64) (*model.Version, error)
}

// Queue is what RequestState needs of the task queue: to queue the deploy or stop task of one
// generation of a version, answering the task's id (a task queued already is no error).
// tasks.Queue implements it.
type Queue interface {
	QueueDeploy(ctx context.Context, projectID, versionID string, generation int64, actor string) (string, error)
	QueueStop(ctx context.Context, projectID, versionID string, generation int64, actor string) (string, error)
}

// Request is a request to change a version's desired state.
type Request struct {
	Project *model.Project
	Version *model.Version
	State   model.DesiredState
	// Actor is who asked, for the activity log.
	Actor string
	// KeepLifetime keeps the current expiry (a redeploy after an image change does not
	// restart the lifetime clock); otherwise a deploy starts it.
	KeepLifetime bool
	// IfGeneration, when above 0, applies the request only while the version is still at
	// that generation (the store answers ErrConflict otherwise): for requests decided on a
	// snapshot, such as an expiry, that a newer user request must win over.
	IfGeneration int64
}

// Requester records desired states and queues the tasks that apply them.
type Requester struct {
	Store    DesiredStore
	Queue    Queue
	Lifetime lifetime.Policy
	Now      func() time.Time
}

// RequestState saves the desired state (advancing the version's generation, so the last
// request wins) and queues the deploy or stop task of that generation. It returns the task id.
func (r *Requester) RequestState(ctx context.Context, req Request) (string, error) {
	var expires *time.Time
	switch {
	case req.State == model.Deployed && req.KeepLifetime:
		expires = req.Version.Deployment.ExpiresAt
	case req.State == model.Deployed:
		var own model.Lifetime
		if req.Version.LifetimeBehaviour != nil {
			own = *req.Version.LifetimeBehaviour
		}
		b := lifetime.Resolve(own, req.Project.DefaultLifetimeBehaviour)
		if t, ok := r.Lifetime.ExpiresAt(r.Now(), b); ok {
			t = t.UTC()
			expires = &t
		}
	}
	v, err := r.Store.SetDesiredStateIf(ctx, req.Project.ID, req.Version.ID, req.State, expires, req.IfGeneration)
	if err != nil {
		return "", err
	}
	queue := r.Queue.QueueDeploy
	if req.State == model.NotDeployed {
		queue = r.Queue.QueueStop
	}
	id, err := queue(ctx, req.Project.ID, v.ID, v.Generation, req.Actor)
	if err != nil {
		return "", fmt.Errorf("%w: %w (the desired state is saved and will be applied when the queue is back)", ErrQueue, err)
	}
	return id, nil
}
