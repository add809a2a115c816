package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// noUsers is a Store that knows no users.
type noUsers struct{ Store }

func (noUsers) UserByLogin(context.Context, string) (*model.User, error) {
	return nil, store.ErrNotFound
}

// TestHashingIsBounded: when every hashing slot is taken, an attempt fails with BusyError after
// the wait, without hashing and without counting as a failure (real redis-server).
func TestHashingIsBounded(t *testing.T) {
	ctx := context.Background()
	if err := redisSrv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: redisSrv.Addr()})
	defer rdb.Close()
	a := NewAuthenticator(noUsers{}, NewThrottle(rdb, 5, time.Minute), time.Hour, nil, WithHashConcurrency(1, 10*time.Millisecond))
	a.hashSlots <- struct{}{} // another sign-in is hashing
	_, err := a.CheckPassword(ctx, "mallory", "guess-number-one", "192.0.2.1")
	var be *BusyError
	if !errors.As(err, &be) || be.RetryAfter <= 0 {
		t.Fatalf("err = %v, want BusyError with RetryAfter", err)
	}
	if a.PasswordChecks() != 0 {
		t.Fatal("a password was hashed while every slot was taken")
	}
	for _, k := range []string{unknownKey("mallory"), addressKey("192.0.2.1")} {
		if n, _ := rdb.Get(ctx, k).Int(); n != 0 {
			t.Fatalf("%s = %d: an unverified attempt was counted", k, n)
		}
	}
	<-a.hashSlots
	if _, err := a.CheckPassword(ctx, "mallory", "guess-number-two", "192.0.2.1"); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("with a free slot: err = %v", err)
	}
	if a.PasswordChecks() != 1 {
		t.Fatalf("checks = %d, want 1", a.PasswordChecks())
	}
}
