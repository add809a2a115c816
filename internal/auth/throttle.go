package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Throttle slows down guessing: after MaxFailures failed logins for one login name within
// Window, further attempts are refused until the window has passed. Counts live in Redis so
// that every api replica sees them.
type Throttle struct {
	rdb         redis.UniversalClient
	maxFailures int64
	window      time.Duration
}

// NewThrottle returns a Throttle; maxFailures ≤ 0 means 5, window ≤ 0 means 15 minutes.
func NewThrottle(rdb redis.UniversalClient, maxFailures int64, window time.Duration) *Throttle {
	if maxFailures <= 0 {
		maxFailures = 5
	}
	if window <= 0 {
		window = 15 * time.Minute
	}
	return &Throttle{rdb: rdb, maxFailures: maxFailures, window: window}
}

func throttleKey(login string) string { return "oneko:login-failures:" + login }

// Blocked returns how long the login must wait, or 0 when it may try now.
// When Redis cannot be reached the login is not blocked: availability beats throttling.
func (t *Throttle) Blocked(ctx context.Context, login string) time.Duration {
	n, err := t.rdb.Get(ctx, throttleKey(login)).Int64()
	if err != nil || n < t.maxFailures {
		return 0
	}
	ttl, err := t.rdb.TTL(ctx, throttleKey(login)).Result()
	if err != nil || ttl <= 0 {
		return 0
	}
	return ttl
}

// Fail counts a failed login.
func (t *Throttle) Fail(ctx context.Context, login string) error {
	pipe := t.rdb.TxPipeline()
	pipe.Incr(ctx, throttleKey(login))
	pipe.ExpireNX(ctx, throttleKey(login), t.window)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("count failed login: %w", err)
	}
	return nil
}

// Reset forgets the failures of a login after it succeeded.
func (t *Throttle) Reset(ctx context.Context, login string) {
	t.rdb.Del(ctx, throttleKey(login))
}
