package tasks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/testenv"
)

var redisAddr string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	r, err := testenv.StartRedis(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer r.Stop()
	redisAddr = r.Addr()
	return m.Run()
}

func TestEnqueueCollapsesDuplicates(t *testing.T) {
	ctx := context.Background()
	c := asynq.NewClient(asynq.RedisClientOpt{Addr: redisAddr})
	defer c.Close()
	p := PushPayload{RegistryID: "r", Action: "push", Repository: "team/app", Tag: "1.0", Digest: "sha256:aa", Source: "webhook", ReceivedAt: time.Now()}
	dups := 0
	for i := 0; i < 10; i++ {
		p.ReceivedAt = time.Now()
		task, err := NewImagePush(p, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		id, dup, err := Enqueue(ctx, c, task)
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
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 {
		t.Fatalf("pending = %d, want 1", len(pending))
	}
}

func TestVersionTaskRoundTrip(t *testing.T) {
	task, err := NewDeploy(VersionPayload{ProjectID: "p", VersionID: "v", Generation: 3})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseVersion(task)
	if err != nil || p.Generation != 3 || taskID(task) != "deploy:v@3" {
		t.Fatalf("round trip = %+v, %v, %q", p, err, taskID(task))
	}
	if _, err := NewStop(VersionPayload{}); !errors.Is(err, ErrBadPayload) {
		t.Fatalf("empty stop = %v", err)
	}
	if _, err := ParseVersion(asynq.NewTask(TypeDeploy, []byte("{"))); !errors.Is(err, ErrBadPayload) {
		t.Fatalf("bad payload = %v", err)
	}
}
