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

// Redis keys of a version's lease and of the marker of its running operation.
const (
	leaseKeyPrefix = "oneko:lease:version:"
	opKeyPrefix    = "oneko:op:version:"
)

// errLeaseLost is the cause of a lease's context when the lease could not be renewed: its key
// is gone or held by someone else, or Redis did not answer for a whole TTL.
var errLeaseLost = errors.New("the version's lease was lost")

// releaseScript deletes a key only if it still holds our token.
var releaseScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// renewScript extends a key that holds our token and reports 0 when it is gone or someone
// else holds it: a lost lease is never taken again behind the back of whoever took it.
var renewScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`)

// acquireScript takes the lease (KEYS[1]) and the operation marker (KEYS[2]) together: only
// when neither exists. A marker without a lease is an operation whose lease was lost and
// that may still be running: nobody may start another one until it ends or its marker expires.
var acquireScript = redis.NewScript(`
if redis.call("EXISTS", KEYS[1]) == 1 or redis.call("EXISTS", KEYS[2]) == 1 then
	return 0
end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
redis.call("SET", KEYS[2], ARGV[1], "PX", ARGV[2])
return 1`)

// leaser hands out per-version leases held in Redis, so that at most one Helm operation per
// version runs at a time across every worker process.
type leaser struct {
	rdb redis.UniversalClient
	ttl time.Duration
	log *slog.Logger
}

// lease is one held lease; it is renewed in the background until released. Its context is
// cancelled (cause errLeaseLost) as soon as the lease is lost, which stops the Helm operation
// running under it. Next to the lease lives the operation marker: it is renewed as long as
// the operation runs, even after the lease was lost, and outlives a cancelled operation by one
// TTL, so that no other worker starts (or recovers a pending release) while Helm may still
// write.
type lease struct {
	l      *leaser
	key    string
	opKey  string
	token  string
	ctx    context.Context
	cancel context.CancelCauseFunc
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// acquire takes the lease of a version. held reports that another task holds it, or that an
// operation whose lease was lost may still run (then the lease is nil and err is nil). The
// lease's context derives from ctx.
func (l *leaser) acquire(ctx context.Context, versionID string) (le *lease, held bool, err error) {
	if l.rdb == nil {
		return nil, false, errors.New("acquire version lease: no Redis client")
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, false, fmt.Errorf("acquire version lease: %w", err)
	}
	key, opKey := leaseKeyPrefix+versionID, opKeyPrefix+versionID
	token := hex.EncodeToString(b)
	n, err := acquireScript.Run(ctx, l.rdb, []string{key, opKey}, token, l.ttl.Milliseconds()).Int()
	if err != nil {
		return nil, false, fmt.Errorf("acquire version lease %s: %w", key, err)
	}
	if n == 0 {
		return nil, true, nil
	}
	opCtx, cancel := context.WithCancelCause(ctx)
	le = &lease{l: l, key: key, opKey: opKey, token: token, ctx: opCtx, cancel: cancel, stop: make(chan struct{}), done: make(chan struct{})}
	go le.renew(context.WithoutCancel(ctx))
	return le, false, nil
}

// lost reports whether the lease was lost.
func (le *lease) lost() bool { return errors.Is(context.Cause(le.ctx), errLeaseLost) }

// renew extends the lease and the marker every third of the TTL until release. When the lease
// is gone or taken, or Redis has not answered for a whole TTL, the lease is lost: its context
// is cancelled; the marker is still renewed while the operation winds down.
func (le *lease) renew(ctx context.Context) {
	defer close(le.done)
	t := time.NewTicker(le.l.ttl / 3)
	defer t.Stop()
	renewed := time.Now()
	for {
		select {
		case <-le.stop:
			return
		case <-t.C:
		}
		ttl := le.l.ttl.Milliseconds()
		if err := renewScript.Run(ctx, le.l.rdb, []string{le.opKey}, le.token, ttl).Err(); err != nil {
			le.l.log.Warn("cannot renew operation marker", "marker", le.opKey, "err", err)
		}
		if le.lost() {
			continue
		}
		n, err := renewScript.Run(ctx, le.l.rdb, []string{le.key}, le.token, ttl).Int()
		switch {
		case err != nil && time.Since(renewed) < le.l.ttl:
			le.l.log.Warn("cannot renew version lease", "lease", le.key, "err", err)
		case err != nil:
			le.l.log.Error("version lease not renewed for a whole TTL; stopping the operation", "lease", le.key, "err", err)
			le.cancel(errLeaseLost)
		case n == 0:
			le.l.log.Error("version lease gone or taken by another worker; stopping the operation", "lease", le.key)
			le.cancel(errLeaseLost)
		default:
			renewed = time.Now()
		}
	}
}

// release stops the renewal and deletes the lease and the marker. When keep is true (the
// operation was cancelled: its SDK goroutine may still be writing to the cluster for a
// while) both are left to expire on their own, one TTL from their last renewal.
func (le *lease) release(ctx context.Context, keep bool) {
	le.once.Do(func() {
		close(le.stop)
		<-le.done
		defer le.cancel(context.Canceled)
		if keep {
			return
		}
		ctx := context.WithoutCancel(ctx)
		for _, key := range []string{le.key, le.opKey} {
			if err := releaseScript.Run(ctx, le.l.rdb, []string{key}, le.token).Err(); err != nil {
				le.l.log.Warn("cannot release version lease; it expires on its own", "key", key, "err", err)
			}
		}
	})
}
