package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// leaseKeyPrefix starts the Redis key of a version's lease.
const leaseKeyPrefix = "oneko:lease:version:"

// releaseScript deletes the lease only if it still holds our token.
var releaseScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// renewScript extends the lease if it holds our token, takes it again if it is gone (Redis
// was flushed or restarted), and reports 0 when someone else holds it.
var renewScript = redis.NewScript(`
local v = redis.call("GET", KEYS[1])
if v == ARGV[1] then
	return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
if not v then
	redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
	return 1
end
return 0`)

// leaser hands out per-version leases held in Redis, so that at most one Helm operation per
// version runs at a time across every worker process.
type leaser struct {
	rdb redis.UniversalClient
	ttl time.Duration
	log *slog.Logger
}

// lease is one held lease; it is renewed in the background until released.
type lease struct {
	l     *leaser
	key   string
	token string
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

// acquire takes the lease of a version. held reports that another task holds it (then the
// lease is nil and err is nil).
func (l *leaser) acquire(ctx context.Context, versionID string) (le *lease, held bool, err error) {
	if l.rdb == nil {
		return nil, false, errors.New("acquire version lease: no Redis client")
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, false, fmt.Errorf("acquire version lease: %w", err)
	}
	key := leaseKeyPrefix + versionID
	token := hex.EncodeToString(b)
	ok, err := l.rdb.SetNX(ctx, key, token, l.ttl).Result()
	if err != nil {
		return nil, false, fmt.Errorf("acquire version lease %s: %w", key, err)
	}
	if !ok {
		return nil, true, nil
	}
	le = &lease{l: l, key: key, token: token, stop: make(chan struct{}), done: make(chan struct{})}
	go le.renew(context.WithoutCancel(ctx))
	return le, false, nil
}

// renew extends the lease every third of its TTL until release.
func (le *lease) renew(ctx context.Context) {
	defer close(le.done)
	t := time.NewTicker(le.l.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-le.stop:
			return
		case <-t.C:
			n, err := renewScript.Run(ctx, le.l.rdb, []string{le.key}, le.token, le.l.ttl.Milliseconds()).Int()
			switch {
			case err != nil:
				le.l.log.Warn("cannot renew version lease", "lease", le.key, "err", err)
			case n == 0:
				le.l.log.Error("version lease taken by another worker while a Helm operation runs", "lease", le.key)
			}
		}
	}
}

// release stops the renewal and deletes the lease. When keep is true the key is left to
// expire on its own: used after a cancelled Helm operation, whose SDK goroutine may still be
// writing to the cluster for a while.
func (le *lease) release(ctx context.Context, keep bool) {
	le.once.Do(func() {
		close(le.stop)
		<-le.done
		if keep {
			return
		}
		if err := releaseScript.Run(context.WithoutCancel(ctx), le.l.rdb, []string{le.key}, le.token).Err(); err != nil {
			le.l.log.Warn("cannot release version lease; it expires on its own", "lease", le.key, "err", err)
		}
	})
}
