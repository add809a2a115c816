package tasks

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// TypeSyncPullSecrets brings the pull secrets of one docker registry in the cluster in line
// with the registry as stored: new credentials after a change, none after a deletion.
const TypeSyncPullSecrets = "registry:pull-secrets"

// PullSecretsPayload names a docker registry whose credentials or host changed (at Revision)
// or that was deleted (Deleted). The worker reads the registry as stored now, so an older task
// does no harm.
type PullSecretsPayload struct {
	RegistryID string `json:"registryId"`
	Revision   int64  `json:"revision"`
	Deleted    bool   `json:"deleted,omitempty"`
}

// PullSecretsTaskID is the id of the pull secrets task of one write of a registry:
// "pull-secrets:<registry>@<revision>", with ":deleted" for its deletion. Each write has an
// id of its own, so a task that failed for good (asynq keeps it archived under its id) never
// turns away the task of a later write.
func PullSecretsTaskID(p PullSecretsPayload) string {
	id := fmt.Sprintf("pull-secrets:%s@%d", p.RegistryID, p.Revision)
	if p.Deleted {
		id += ":deleted"
	}
	return id
}

// NewSyncPullSecrets returns the pull secrets task of one write of a docker registry.
func NewSyncPullSecrets(p PullSecretsPayload) (*asynq.Task, error) {
	if p.RegistryID == "" {
		return nil, fmt.Errorf("pull secrets task: %w: no registry id", ErrBadPayload)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("pull secrets task: %w", err)
	}
	return asynq.NewTask(TypeSyncPullSecrets, b,
		asynq.TaskID(PullSecretsTaskID(p)),
		asynq.Queue(QueueDefault),
		asynq.MaxRetry(10),
		asynq.Timeout(5*time.Minute),
		asynq.Retention(time.Hour),
	), nil
}

// ParsePullSecrets reads the payload of a pull secrets task.
func ParsePullSecrets(t *asynq.Task) (PullSecretsPayload, error) {
	var p PullSecretsPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.RegistryID == "" {
		return p, fmt.Errorf("%s: %w", t.Type(), ErrBadPayload)
	}
	return p, nil
}
