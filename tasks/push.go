package tasks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Image events of one tag are coalesced, never dropped: every event gets the next number of
// its tag (Seq) and its own task, and the number of the newest event queued is remembered. A
// task that finds a newer event queued after it does nothing (Superseded): that event's task
// runs later and asks the registry what the tag is then. So a burst of pushes of one tag costs
// one registry check, and the last push is always checked after it happened — also when
// payloads carry no digest (Docker Hub, Quay, generic) or a tag moves A→B→A.

// pushKeysTTL bounds how long the counters of an idle tag are kept.
const pushKeysTTL = 24 * time.Hour

func pushSeqKey(p PushPayload) string {
	return fmt.Sprintf("oneko:push:seq:%s:%s:%s", p.RegistryID, p.Repository, p.Tag)
}

func pushLatestKey(p PushPayload) string {
	return fmt.Sprintf("oneko:push:latest:%s:%s:%s", p.RegistryID, p.Repository, p.Tag)
}

// raiseLatest sets KEYS[1] to ARGV[1] unless it holds a larger number already.
var raiseLatest = redis.NewScript(`
local cur = tonumber(redis.call("GET", KEYS[1]) or "0")
if tonumber(ARGV[1]) > cur then
  redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
end
return 0
`)

// EnqueuePush numbers the event of p among the events of its tag, queues its task (built by
// NewImagePush with dedupWindow) and, unless it was a redelivery, records it as the tag's
// newest event. It returns the task id and whether the task was a duplicate (a redelivery).
func EnqueuePush(ctx context.Context, q Enqueuer, rdb redis.UniversalClient, p PushPayload, dedupWindow time.Duration) (id string, duplicate bool, err error) {
	var incr *redis.IntCmd
	if _, err := rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error { // one round trip
		incr = pipe.Incr(ctx, pushSeqKey(p))
		pipe.PExpire(ctx, pushSeqKey(p), pushKeysTTL)
		return nil
	}); err != nil {
		return "", false, fmt.Errorf("enqueue image push: %w", err)
	}
	seq := incr.Val()
	p.Seq = seq
	t, err := NewImagePush(p, dedupWindow)
	if err != nil {
		return "", false, err
	}
	id, duplicate, err = Enqueue(ctx, q, t)
	if err != nil || duplicate {
		return id, duplicate, err
	}
	// Recorded after the enqueue: a duplicate must not supersede the task it duplicates. A
	// task that runs before this line is not superseded yet and simply runs too.
	if err := raiseLatest.Run(ctx, rdb, []string{pushLatestKey(p)}, seq, pushKeysTTL.Milliseconds()).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return id, false, fmt.Errorf("enqueue image push: %w", err)
	}
	return id, false, nil
}

// Superseded reports whether an event of the same tag was queued after p's, whose task will
// check the tag later. Events without a number, and every event when Redis lost the counters,
// are not superseded.
func Superseded(ctx context.Context, rdb redis.UniversalClient, p PushPayload) (bool, error) {
	if p.Seq <= 0 {
		return false, nil
	}
	latest, err := rdb.Get(ctx, pushLatestKey(p)).Int64()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read newest event of %s:%s: %w", p.Repository, p.Tag, err)
	}
	return latest > p.Seq, nil
}
