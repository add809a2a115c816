package localstack

import (
	"fmt"

	"github.com/alicebob/miniredis/v2"
)

// Redis is an in-process Redis server for local mode. Its data lives in memory only, which is
// fine: nothing of value lives only in Redis (the reconcile re-queues what is lost).
type Redis struct {
	srv *miniredis.Miniredis
}

// StartRedis starts miniredis on a free loopback port. Its keys expire as real time passes,
// as in Redis (miniredis's own default is to let TTLs run only when a test moves its clock):
// the poll schedule, task uniqueness locks and leases all end by expiry.
func StartRedis() (*Redis, error) {
	srv := miniredis.NewMiniRedis()
	srv.ClockTTL(true)
	if err := srv.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start in-process Redis: %w", err)
	}
	return &Redis{srv: srv}, nil
}

// URL is the redis:// address of the server.
func (r *Redis) URL() string { return "redis://" + r.srv.Addr() }

// Stop ends the server.
func (r *Redis) Stop() { r.srv.Close() }
