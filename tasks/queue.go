package tasks

import (
	"context"
)

// Queue queues the tasks that the domain asks for, with the ids and options this package
// gives them. It implements the queue interfaces that domain packages declare for what they
// need (deploy.Queue), so that they need not import this package.
type Queue struct {
	Enqueuer Enqueuer
}

// QueueDeploy queues the deploy task of one generation of a version and returns its id; a
// task of that generation queued already is not an error.
func (q Queue) QueueDeploy(ctx context.Context, projectID, versionID string, generation int64, actor string) (string, error) {
	return q.queueVersion(ctx, TypeDeploy, projectID, versionID, generation, actor)
}

// QueueStop queues the stop task of one generation of a version and returns its id.
func (q Queue) QueueStop(ctx context.Context, projectID, versionID string, generation int64, actor string) (string, error) {
	return q.queueVersion(ctx, TypeStop, projectID, versionID, generation, actor)
}

func (q Queue) queueVersion(ctx context.Context, typ, projectID, versionID string, generation int64, actor string) (string, error) {
	t, err := newVersionTask(typ, VersionPayload{ProjectID: projectID, VersionID: versionID, Generation: generation, Actor: actor})
	if err != nil {
		return "", err
	}
	id, _, err := Enqueue(ctx, q.Enqueuer, t)
	return id, err
}
