package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limits bound failed sign-ins within a window.
type Limits struct {
	// PerUser is how many failed attempts one user (by any login name) may have; default 5.
	PerUser int64
	// PerAddress is how many failed attempts one client address may have, for any users; default 10×PerUser.
	PerAddress int64
	// Window is how long failures are remembered, counted from the first; default 15 minutes.
	Window time.Duration
}

// Throttle slows down guessing. Every attempt is counted in Redis before the password is
// verified (INCR first, so parallel guesses cannot all pass a check made before any is
// counted), once for the user — whatever name or e-mail address it was given by — and once
// for the client address. A successful attempt takes its counts back. Counts live in Redis so
// that every api replica sees them.
type Throttle struct {
	rdb    redis.UniversalClient
	limits Limits
}

// NewThrottle returns a Throttle with maxFailures per user (≤ 0: 5), ten times as many per
// client address, within window (≤ 0: 15 minutes).
func NewThrottle(rdb redis.UniversalClient, maxFailures int64, window time.Duration) *Throttle {
	return NewThrottleLimits(rdb, Limits{PerUser: maxFailures, Window: window})
}

// NewThrottleLimits returns a Throttle with the given limits (zero fields take their defaults).
func NewThrottleLimits(rdb redis.UniversalClient, l Limits) *Throttle {
	if l.PerUser <= 0 {
		l.PerUser = 5
	}
	if l.PerAddress <= 0 {
		l.PerAddress = 10 * l.PerUser
	}
	if l.Window <= 0 {
		l.Window = 15 * time.Minute
	}
	return &Throttle{rdb: rdb, limits: l}
}

// attempt is one counted sign-in attempt.
type attempt struct {
	userKey, addrKey string
}

// UserKey names the failure counter of a user id; unknownKey that of a login name that names no user.
func userKey(id string) string       { return "oneko:login-failures:user:" + id }
func unknownKey(login string) string { return "oneko:login-failures:unknown:" + strings.ToLower(login) }
func addressKey(addr string) string  { return "oneko:login-failures:addr:" + addr }

// begin counts an attempt for the counter key of a user and for a client address ("" counts
// none) and refuses it with a ThrottledError when either is over its limit. When Redis cannot
// be reached the attempt goes on uncounted: availability beats throttling (hashing stays
// bounded by the Authenticator's semaphore).
func (t *Throttle) begin(ctx context.Context, key, addr string) (*attempt, error) {
	a := &attempt{userKey: key}
	if addr != "" {
		a.addrKey = addressKey(addr)
	}
	pipe := t.rdb.TxPipeline()
	user := pipe.Incr(ctx, a.userKey)
	pipe.ExpireNX(ctx, a.userKey, t.limits.Window)
	var perAddr *redis.IntCmd
	if a.addrKey != "" {
		perAddr = pipe.Incr(ctx, a.addrKey)
		pipe.ExpireNX(ctx, a.addrKey, t.limits.Window)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("count login attempt: %w", err)
	}
	over := ""
	if user.Val() > t.limits.PerUser {
		over = a.userKey
	} else if perAddr != nil && perAddr.Val() > t.limits.PerAddress {
		over = a.addrKey
	}
	if over == "" {
		return a, nil
	}
	ttl, err := t.rdb.TTL(ctx, over).Result()
	if err != nil || ttl <= 0 {
		ttl = t.limits.Window
	}
	return nil, &ThrottledError{RetryAfter: ttl}
}

// succeeded forgets the user's failures and takes the attempt back from the address count.
func (t *Throttle) succeeded(ctx context.Context, a *attempt) {
	if a == nil {
		return
	}
	pipe := t.rdb.TxPipeline()
	pipe.Del(ctx, a.userKey)
	if a.addrKey != "" {
		pipe.Decr(ctx, a.addrKey)
	}
	_, _ = pipe.Exec(ctx)
}

// abandoned takes back an attempt whose password was never verified (the server was busy).
func (t *Throttle) abandoned(ctx context.Context, a *attempt) {
	if a == nil {
		return
	}
	pipe := t.rdb.TxPipeline()
	pipe.Decr(ctx, a.userKey)
	if a.addrKey != "" {
		pipe.Decr(ctx, a.addrKey)
	}
	_, _ = pipe.Exec(ctx)
}
