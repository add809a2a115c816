package tasks

import (
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// TestVersionTaskIDs: the ids of queued, requeued and reconciled version tasks, all chosen here.
func TestVersionTaskIDs(t *testing.T) {
	ctx := t.Context()
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, DB: 3})
	defer rdb.Close()
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	c := asynq.NewClientFromRedisClient(rdb)
	q := Queue{Enqueuer: c}
	insp := asynq.NewInspectorFromRedisClient(rdb)

	id, err := q.QueueDeploy(ctx, "p", "v", 3, "user:a")
	if err != nil || id != "deploy:v@3" {
		t.Fatalf("QueueDeploy = %q, %v", id, err)
	}
	if id, err := q.QueueDeploy(ctx, "p", "v", 3, "user:a"); err != nil || id != "deploy:v@3" {
		t.Fatalf("QueueDeploy again = %q, %v; want the same id, no error", id, err)
	}
	if id, err := q.QueueStop(ctx, "p", "v", 4, ""); err != nil || id != "stop:v@4" {
		t.Fatalf("QueueStop = %q, %v", id, err)
	}

	p := VersionPayload{ProjectID: "p", VersionID: "v", Generation: 3}
	for _, c := range []struct{ current, want string }{
		{"deploy:v@3", "deploy:v@3~w1"},
		{"deploy:v@3~w1", "deploy:v@3~w2"},
		{"deploy:v@3~w1", "deploy:v@3~w2"}, // queued already: no error
	} {
		if id, err := EnqueueAfterLease(ctx, q.Enqueuer, TypeDeploy, p, c.current, time.Second); err != nil || id != c.want {
			t.Fatalf("EnqueueAfterLease after %q = %q, %v; want %q", c.current, id, err, c.want)
		}
	}
	if _, err := EnqueueAfterLease(ctx, q.Enqueuer, TypeImagePush, p, "", time.Second); !errors.Is(err, ErrBadPayload) {
		t.Fatalf("EnqueueAfterLease of a push task = %v, want ErrBadPayload", err)
	}

	now := time.Unix(6000, 0)
	if queued, err := EnqueueReconciled(ctx, q.Enqueuer, insp, TypeDeploy, p, false, now); err != nil || queued {
		t.Fatalf("reconciled deploy under its own, queued id = %v, %v; want a no-op", queued, err)
	}
	if queued, err := EnqueueReconciled(ctx, q.Enqueuer, insp, TypeDeploy, p, true, now); err != nil || !queued {
		t.Fatalf("reconciled deploy after drift = %v, %v; want queued", queued, err)
	}
	if _, err := insp.GetTaskInfo(QueueCritical, "deploy:v@3:reconcile-100"); err != nil {
		t.Fatalf("the drift task's id: %v", err)
	}
	if queued, err := EnqueueReconciled(ctx, q.Enqueuer, insp, TypeDeploy, p, true, now.Add(30*time.Second)); err != nil || queued {
		t.Fatalf("a second drift within the minute = %v, %v; want a no-op", queued, err)
	}
}
