package tasks

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/internal/testenv"
)

// redisAddr is the address of this test binary's redis-server.
var redisAddr string

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Redis: true}, func(s *testenv.Shared) error { redisAddr = s.Redis.Addr(); return nil }))
}

// TestEnqueuePushDedupAndCoalesce: ten deliveries of one event with a delivery id queue one
// task; ten pushes of one tag without delivery id queue ten tasks, of which all but the newest
// are superseded.
func TestEnqueuePushDedupAndCoalesce(t *testing.T) {
	ctx := context.Background()
	c := asynq.NewClient(asynq.RedisClientOpt{Addr: redisAddr})
	defer c.Close()
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	defer rdb.Close()
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	p := PushPayload{RegistryID: "r", Action: "push", Repository: "team/app", Tag: "1.0", Digest: "sha256:aa", DeliveryID: "d-1", Source: "webhook", ReceivedAt: time.Now()}
	dups := 0
	for i := 0; i < 10; i++ {
		id, dup, err := EnqueuePush(ctx, c, rdb, p, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if id != PushTaskID(p) {
			t.Fatalf("id = %q", id)
		}
		if dup {
			dups++
		}
	}
	if dups != 9 {
		t.Fatalf("duplicates = %d, want 9", dups)
	}
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisAddr})
	defer insp.Close()
	pending, err := insp.ListPendingTasks(QueueDefault)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending = %d, %v; want 1", len(pending), err)
	}
	if p, _ := ParsePush(asynq.NewTask(TypeImagePush, pending[0].Payload)); p.Seq != 1 {
		t.Fatalf("seq of the first delivery = %d", p.Seq)
	}
	// A redelivery does not supersede the task it duplicates.
	first, _ := ParsePush(asynq.NewTask(TypeImagePush, pending[0].Payload))
	if later, err := Superseded(ctx, rdb, first); err != nil || later {
		t.Fatalf("superseded by its own redeliveries: %v, %v", later, err)
	}

	p.DeliveryID, p.Tag, p.Digest = "", "latest", ""
	for i := 0; i < 10; i++ {
		if _, dup, err := EnqueuePush(ctx, c, rdb, p, time.Minute); err != nil || dup {
			t.Fatalf("push %d without delivery id: duplicate %v, %v", i, dup, err)
		}
	}
	pending, _ = insp.ListPendingTasks(QueueDefault, asynq.PageSize(100))
	live := 0
	for _, ti := range pending {
		q, _ := ParsePush(asynq.NewTask(TypeImagePush, ti.Payload))
		if q.Tag != "latest" {
			continue
		}
		later, err := Superseded(ctx, rdb, q)
		if err != nil {
			t.Fatal(err)
		}
		if !later {
			live++
		}
	}
	if len(pending) != 11 || live != 1 {
		t.Fatalf("pending = %d (want 11), not superseded = %d (want 1)", len(pending), live)
	}
}

func TestVersionTaskRoundTrip(t *testing.T) {
	task, err := newVersionTask(TypeDeploy, VersionPayload{ProjectID: "p", VersionID: "v", Generation: 3})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseVersion(task)
	if err != nil || p.Generation != 3 || taskID(task) != "deploy:v@3" {
		t.Fatalf("round trip = %+v, %v, %q", p, err, taskID(task))
	}
	if _, err := newVersionTask(TypeStop, VersionPayload{}); !errors.Is(err, ErrBadPayload) {
		t.Fatalf("empty stop = %v", err)
	}
	if _, err := ParseVersion(asynq.NewTask(TypeDeploy, []byte("{"))); !errors.Is(err, ErrBadPayload) {
		t.Fatalf("bad payload = %v", err)
	}
}
