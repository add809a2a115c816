package tasks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"
)

// verbOf is the verb of a deploy or stop task type, as its ids use it.
func verbOf(typ string) (string, error) {
	switch typ {
	case TypeDeploy:
		return "deploy", nil
	case TypeStop:
		return "stop", nil
	}
	return "", fmt.Errorf("%s is not a version task: %w", typ, ErrBadPayload)
}

// EnqueueAfterLease queues the deploy or stop task (typ) of p again after delay, for a task
// (whose id is current) that found its version's lease held. The new task's id is that of the
// next wait round, "<verb>:<version>@<generation>~w<n>": the running task's own id is taken
// until it ends. A task of that round queued already is not an error.
func EnqueueAfterLease(ctx context.Context, q Enqueuer, typ string, p VersionPayload, current string, delay time.Duration) (string, error) {
	t, err := newVersionTask(typ, p)
	if err != nil {
		return "", err
	}
	verb, _ := verbOf(typ)
	id := fmt.Sprintf("%s~w%d", VersionTaskID(verb, p.VersionID, p.Generation), WaitRound(current)+1)
	_, err = q.EnqueueContext(ctx, t, asynq.TaskID(id), asynq.ProcessIn(delay))
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) && !errors.Is(err, asynq.ErrDuplicateTask) {
		return "", fmt.Errorf("enqueue %s again: %w", id, err)
	}
	return id, nil
}

// WaitRound is n of a task id ending in "~w<n>" (see EnqueueAfterLease), else 0.
func WaitRound(id string) int {
	i := strings.LastIndex(id, "~w")
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(id[i+2:])
	if err != nil {
		return 0
	}
	return n
}

// EnqueueReconciled queues the deploy or stop task (typ) of p for the periodic reconcile.
// When fresh is false it uses the task's own id, so that a task asynq still knows is not
// queued twice — unless asynq keeps that task only in its archive (it failed for good: see
// Archived), which insp tells. When fresh is true (the cluster drifted: the original task may
// have completed and kept its id), and for an archived task, it uses an id of its own per
// minute of now. It reports whether a task was queued; a duplicate is no error.
func EnqueueReconciled(ctx context.Context, q Enqueuer, insp *asynq.Inspector, typ string, p VersionPayload, fresh bool, now time.Time) (bool, error) {
	t, err := newVersionTask(typ, p)
	if err != nil {
		return false, err
	}
	verb, _ := verbOf(typ)
	ownID := fmt.Sprintf("%s:reconcile-%d", VersionTaskID(verb, p.VersionID, p.Generation), now.Unix()/60)
	var opts []asynq.Option
	if fresh {
		opts = append(opts, asynq.TaskID(ownID))
	}
	_, err = q.EnqueueContext(ctx, t, opts...)
	if !fresh && errors.Is(err, asynq.ErrTaskIDConflict) && insp != nil &&
		Archived(insp, QueueCritical, VersionTaskID(verb, p.VersionID, p.Generation)) {
		_, err = q.EnqueueContext(ctx, t, asynq.TaskID(ownID))
	}
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", verb, err)
	}
	return true, nil
}

// PeriodicOptions are the options the scheduler registers a periodic task with: unique for
// uniqueFor (so that a second scheduler, another worker replica, does not queue it again within
// that window) and bounded to 10 minutes.
func PeriodicOptions(uniqueFor time.Duration) []asynq.Option {
	return []asynq.Option{asynq.Unique(uniqueFor), asynq.Timeout(10 * time.Minute)}
}
