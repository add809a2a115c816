package tasks

import (
	"testing"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// TestPullSecretTaskIDsNeverTrapped: each write of a docker registry queues its pull secrets
// task under an id of its own, so a task that failed for good (asynq keeps it archived under
// its id for months) does not turn away the task of the registry's next write or deletion;
// the same write queued twice is one task.
func TestPullSecretTaskIDsNeverTrapped(t *testing.T) {
	ctx := t.Context()
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, DB: 4})
	defer rdb.Close()
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	c := asynq.NewClientFromRedisClient(rdb)
	insp := asynq.NewInspectorFromRedisClient(rdb)
	enqueue := func(p PullSecretsPayload) (string, bool) {
		t.Helper()
		task, err := NewSyncPullSecrets(p)
		if err != nil {
			t.Fatal(err)
		}
		id, dup, err := Enqueue(ctx, c, task)
		if err != nil {
			t.Fatalf("enqueue %+v: %v", p, err)
		}
		return id, dup
	}
	first, _ := enqueue(PullSecretsPayload{RegistryID: "r1", Revision: 2})
	if first != "pull-secrets:r1@2" {
		t.Fatalf("id = %q", first)
	}
	if id, dup := enqueue(PullSecretsPayload{RegistryID: "r1", Revision: 2}); !dup || id != first {
		t.Fatalf("the same write again = %q duplicate %v, want the first task", id, dup)
	}
	if err := insp.ArchiveTask(QueueDefault, first); err != nil {
		t.Fatal(err)
	}
	for _, p := range []PullSecretsPayload{{RegistryID: "r1", Revision: 3}, {RegistryID: "r1", Revision: 3, Deleted: true}} {
		if id, dup := enqueue(p); dup {
			t.Fatalf("%s taken for a duplicate after an archived task", id)
		}
	}
	if _, err := NewSyncPullSecrets(PullSecretsPayload{}); err == nil {
		t.Fatal("a task without a registry id was built")
	}
}
