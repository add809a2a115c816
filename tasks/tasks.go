// Package tasks is the contract between the api and the worker: task type names, payloads,
// constructors with idempotent task ids, and parsers. It holds nothing else; the api enqueues
// what it builds here and the worker's handlers parse it back.
package tasks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Task type names.
const (
	// TypeDeploy brings a version to its desired state Deployed.
	TypeDeploy = "version:deploy"
	// TypeStop uninstalls every release of a version.
	TypeStop = "version:stop"
	// TypeImagePush handles one image event from a webhook or the poller.
	TypeImagePush = "image:push"
	// TypePollRegistry lists the tags of every project of one docker registry.
	TypePollRegistry = "registry:poll"
	// TypeReconcile queues versions whose releases differ from their desired state.
	TypeReconcile = "cluster:reconcile"
	// TypeExpire stops versions whose lifetime has ended.
	TypeExpire = "version:expire"
	// TypeRefreshStatus reads the state of deployed releases into the store.
	TypeRefreshStatus = "version:refresh-status"
	// TypeActivityRetention deletes old activities.
	TypeActivityRetention = "activity:retention"
)

// Queue names, with their priority weights in the worker.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

// Queues maps each queue to its weight for the worker's configuration.
func Queues() map[string]int {
	return map[string]int{QueueCritical: 6, QueueDefault: 3, QueueLow: 1}
}

// ErrBadPayload is wrapped when a task's payload cannot be read; such a task is never retried.
var ErrBadPayload = errors.New("bad task payload")

// VersionPayload names a version and the generation of its desired state the task was queued for.
// A worker that finds a newer generation in the store does nothing: a later task will.
type VersionPayload struct {
	ProjectID  string `json:"projectId"`
	VersionID  string `json:"versionId"`
	Generation int64  `json:"generation"`
	// Actor is who asked, for the activity log.
	Actor string `json:"actor,omitempty"`
}

// newVersionTask returns the deploy or stop task (by type) of one generation of a version;
// its id makes a duplicate enqueue a no-op.
func newVersionTask(typ string, p VersionPayload) (*asynq.Task, error) {
	verb, err := verbOf(typ)
	if err != nil {
		return nil, err
	}
	if p.VersionID == "" {
		return nil, fmt.Errorf("%s task: %w: no version id", verb, ErrBadPayload)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("%s task: %w", verb, err)
	}
	return asynq.NewTask(typ, b,
		asynq.TaskID(VersionTaskID(verb, p.VersionID, p.Generation)),
		asynq.Queue(QueueCritical),
		asynq.MaxRetry(8),
		asynq.Timeout(15*time.Minute),
		asynq.Retention(time.Hour),
	), nil
}

// VersionTaskID is the id of the deploy or stop task (verb "deploy" or "stop") of one
// generation of a version.
func VersionTaskID(verb, versionID string, generation int64) string {
	return fmt.Sprintf("%s:%s@%d", verb, versionID, generation)
}

// ParseVersion reads the payload of a deploy or stop task.
func ParseVersion(t *asynq.Task) (VersionPayload, error) {
	var p VersionPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.VersionID == "" {
		return p, fmt.Errorf("%s: %w", t.Type(), ErrBadPayload)
	}
	return p, nil
}

// PushPayload is one image event of a docker registry.
type PushPayload struct {
	RegistryID string `json:"registryId"`
	// Action is "push" or "delete".
	Action     string `json:"action"`
	Repository string `json:"repository"`
	Tag        string `json:"tag"`
	Digest     string `json:"digest,omitempty"`
	DeliveryID string `json:"deliveryId,omitempty"`
	// Source says where the event came from ("webhook"); it is logged.
	Source string `json:"source"`
	// ReceivedAt is when the event reached oneko.
	ReceivedAt time.Time `json:"receivedAt"`
	// Seq orders the events of one tag (see EnqueuePush); 0 when unknown.
	Seq int64 `json:"seq,omitempty"`
}

// PushTaskID is the id that makes redeliveries of one event collapse into one task: it is
// built from the sender's delivery id, and "" (a fresh id per task) when the format has none.
// Digests are no part of it: a tag pushed again with the same digest, or moved A→B→A, is a new
// event, not a redelivery.
func PushTaskID(p PushPayload) string {
	if p.DeliveryID == "" {
		return ""
	}
	return fmt.Sprintf("push:%s:%s:%s:%s:%s", p.RegistryID, p.DeliveryID, p.Action, p.Repository, p.Tag)
}

// NewImagePush returns the task of one image event. An event with a delivery id keeps its id
// for dedupWindow after it ran, so that redeliveries within it collapse into the first task;
// events without one are never taken for duplicates (EnqueuePush coalesces them instead).
func NewImagePush(p PushPayload, dedupWindow time.Duration) (*asynq.Task, error) {
	if p.RegistryID == "" || p.Repository == "" || p.Tag == "" {
		return nil, fmt.Errorf("image push task: %w: registry, repository and tag are required", ErrBadPayload)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("image push task: %w", err)
	}
	if dedupWindow <= 0 {
		dedupWindow = 10 * time.Minute
	}
	opts := []asynq.Option{
		asynq.Queue(QueueDefault),
		asynq.MaxRetry(10),
		asynq.Timeout(2 * time.Minute),
	}
	if id := PushTaskID(p); id != "" {
		opts = append(opts, asynq.TaskID(id), asynq.Retention(dedupWindow))
	}
	return asynq.NewTask(TypeImagePush, b, opts...), nil
}

// ParsePush reads the payload of an image push task.
func ParsePush(t *asynq.Task) (PushPayload, error) {
	var p PushPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.RegistryID == "" || p.Tag == "" {
		return p, fmt.Errorf("%s: %w", t.Type(), ErrBadPayload)
	}
	return p, nil
}

// RegistryPayload names a docker registry.
type RegistryPayload struct {
	RegistryID string `json:"registryId"`
}

// NewPollRegistry returns the poll task of a registry. It is unique for one interval: a second
// enqueue within it is a duplicate. The task has no fixed id on purpose: a failed poll is
// archived by asynq and an archived task keeps its id for months, so a fixed id would refuse
// every later poll of the registry. A uniqueness lock ends when the task succeeds or when the
// interval has passed, whatever became of the task, so polling goes on at its interval.
func NewPollRegistry(registryID string, interval time.Duration) (*asynq.Task, error) {
	b, err := json.Marshal(RegistryPayload{RegistryID: registryID})
	if err != nil {
		return nil, fmt.Errorf("poll task: %w", err)
	}
	return asynq.NewTask(TypePollRegistry, b,
		asynq.Unique(max(interval, time.Second)),
		asynq.Queue(QueueLow),
		asynq.MaxRetry(0),
		asynq.Timeout(interval+time.Minute),
	), nil
}

// ParseRegistry reads the payload of a poll task.
func ParseRegistry(t *asynq.Task) (RegistryPayload, error) {
	var p RegistryPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.RegistryID == "" {
		return p, fmt.Errorf("%s: %w", t.Type(), ErrBadPayload)
	}
	return p, nil
}

// NewPeriodic returns a payload-less periodic task (reconcile, expire, refresh, retention).
func NewPeriodic(typ string) *asynq.Task {
	return asynq.NewTask(typ, nil, asynq.Queue(QueueLow), asynq.MaxRetry(0))
}

// Enqueuer is what the api needs of asynq's client.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, task *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

var _ Enqueuer = (*asynq.Client)(nil)

// Enqueue queues a task durably. A task whose id is already queued is a duplicate, not an
// error: it reports duplicate=true and the id.
func Enqueue(ctx context.Context, q Enqueuer, t *asynq.Task) (id string, duplicate bool, err error) {
	info, err := q.EnqueueContext(ctx, t)
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return taskID(t), true, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("enqueue %s: %w", t.Type(), err)
	}
	return info.ID, false, nil
}

// Archived reports whether asynq keeps the task with that id in queue's archive: it ran out of
// retries or was skipped. An archived task keeps its id until asynq drops it (months later), so
// enqueueing under the same id is refused as a conflict; a caller that needs the work done
// again queues it under another id. Errors (Redis down, unknown task) report false.
func Archived(insp *asynq.Inspector, queue, id string) bool {
	info, err := insp.GetTaskInfo(queue, id)
	return err == nil && info.State == asynq.TaskStateArchived
}

// taskID is the id a task was built with (asynq keeps options private, so it is derived again).
func taskID(t *asynq.Task) string {
	switch t.Type() {
	case TypeDeploy, TypeStop:
		if p, err := ParseVersion(t); err == nil {
			verb := "deploy"
			if t.Type() == TypeStop {
				verb = "stop"
			}
			return VersionTaskID(verb, p.VersionID, p.Generation)
		}
	case TypeImagePush:
		if p, err := ParsePush(t); err == nil {
			return PushTaskID(p)
		}
	case TypeSyncPullSecrets:
		if p, err := ParsePullSecrets(t); err == nil {
			return PullSecretsTaskID(p)
		}
	}
	return ""
}
