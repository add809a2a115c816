package api_test

import (
	"os"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/tasks"
)

// TestHarborUntaggedPushIsNoFailedDelivery: Harbor's documented push of an untagged artifact
// (the digest where the tag belongs) is answered 200 with nothing queued, not 400 — Harbor would
// record a failed delivery — and an untagged resource beside a tagged one does not cost the
// tagged one (202, one event queued).
func TestHarborUntaggedPushIsNoFailedDelivery(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	hook := "/api/v1/webhooks/" + f.registryID
	secret := bearer("hook-s3cret-value")
	sample := func(name string) string {
		b, err := os.ReadFile("../internal/registry/testdata/harbor/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	defer insp.Close()
	pending := func() int {
		t.Helper()
		info, err := insp.GetQueueInfo(tasks.QueueDefault)
		if err != nil {
			return 0 // the queue does not exist yet: nothing was ever queued
		}
		return info.Pending
	}
	var answer struct {
		Events   int    `json:"events"`
		Enqueued int    `json:"enqueued"`
		Ignored  string `json:"ignored"`
	}
	e.do("POST", hook, sample("push-untagged-digest-as-tag.json"), secret).must(t, 200).json(t, &answer)
	if answer.Ignored == "" || answer.Events != 0 || pending() != 0 {
		t.Fatalf("untagged push: %+v, %d queued; want ignored, nothing queued", answer, pending())
	}
	e.do("POST", hook, sample("push-tagged-and-untagged.json"), secret).must(t, 202).json(t, &answer)
	if answer.Events != 1 || answer.Enqueued != 1 || pending() != 1 {
		t.Fatalf("tagged and untagged push: %+v, %d queued; want the tagged one queued", answer, pending())
	}
}
