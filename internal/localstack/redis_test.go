package localstack

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestRedisKeysExpire: a key set with a TTL is gone once the TTL has passed in real time.
// Before, miniredis kept every key until a test moved its clock, so in local mode the poll
// schedule's key never expired and a registry was polled once after the start, never again.
func TestRedisKeysExpire(t *testing.T) {
	r, err := StartRedis()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	opt, err := redis.ParseURL(r.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 200*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := c.Exists(ctx, "k").Result()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("a key with a TTL of 200ms still exists after 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
