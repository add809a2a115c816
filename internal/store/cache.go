package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/sync/singleflight"
)

// listCache keeps the lists that ListProjects, ListVersions and ProjectStatus answer from
// memory. Every entry carries the stamp of the counter (counters.go) it was built from; a read
// first reads that counter by _id (one point query) and uses the entry only while the stamps are
// equal and the TTL has not passed, so a write through any replica is seen by every other
// replica on its next read. Concurrent rebuilds of the same list from the same stamp share one
// load.
type listCache struct {
	ttl      time.Duration
	seq      atomic.Uint64
	flight   singleflight.Group
	projects *lru[projectList]
	status   *lru[statusMap]
	versions *lru[versionList]
	counts   *lru[versionCountMap]
	// catalogue is every version's tag and image time, for the search (catalogue.go).
	catalogue *lru[catalogue]
}

func newListCache(ttl time.Duration, versionProjects int) *listCache {
	return &listCache{
		ttl:       ttl,
		projects:  newLRU[projectList](1),
		status:    newLRU[statusMap](1),
		versions:  newLRU[versionList](versionProjects),
		counts:    newLRU[versionCountMap](1),
		catalogue: newLRU[catalogue](1),
	}
}

// entry is one cached list and what it was built from.
type entry[V any] struct {
	stamp   string    // the counter's stamp, read before the load began
	seq     uint64    // orders the counter reads of this Store, so an older load never replaces a newer one
	builtAt time.Time // when the counter was read; the TTL counts from here
	value   V
}

// cached answers the list of counter key from c when it is current, and otherwise loads it
// once, stores it and answers it. load gets a context that is not cancelled with the caller's,
// because other readers may be waiting for the same load; the caller itself stops waiting when
// its ctx ends.
func cached[V any](ctx context.Context, s *Store, c *lru[V], key string, load func(context.Context) (V, error)) (V, error) {
	var zero V
	seq := s.cache.seq.Add(1)
	at := s.now()
	stamp, err := s.stamp(ctx, key)
	if err != nil {
		return zero, err
	}
	if e, ok := c.get(key); ok && e.stamp == stamp && at.Sub(e.builtAt) < s.cache.ttl {
		return e.value, nil
	}
	ch := s.cache.flight.DoChan(key+"@"+stamp, func() (any, error) {
		v, err := load(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		c.put(key, entry[V]{stamp: stamp, seq: seq, builtAt: at, value: v})
		return v, nil
	})
	select {
	case <-ctx.Done():
		return zero, fmt.Errorf("load %s: %w", key, ctx.Err())
	case r := <-ch:
		if r.Err != nil {
			return zero, r.Err
		}
		return r.Val.(V), nil
	}
}

// lru is a map of entries bounded to max keys; the least recently used key goes first
// (hashicorp/golang-lru's simplelru, under a mutex so that put compares and stores in one step).
type lru[V any] struct {
	mu    sync.Mutex
	items *simplelru.LRU[string, entry[V]]
}

// newLRU returns an lru of at most size keys (at least one).
func newLRU[V any](size int) *lru[V] {
	// The only error NewLRU answers is for a size below one, which max rules out.
	items, _ := simplelru.NewLRU[string, entry[V]](max(size, 1), nil)
	return &lru[V]{items: items}
}

// get returns the entry of key and marks it as used.
func (c *lru[V]) get(key string) (entry[V], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items.Get(key)
}

// put stores the entry of key unless the stored one comes from a later counter read, and
// drops the least recently used keys beyond max.
func (c *lru[V]) put(key string, e entry[V]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.items.Get(key); ok && old.seq >= e.seq {
		return // Get marked it as used
	}
	c.items.Add(key, e)
}

// len says how many keys are stored.
func (c *lru[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items.Len()
}
