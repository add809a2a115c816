package api

import (
	"context"
	"sync"
	"time"

	"github.com/oneko/oneko/internal/model"
)

// registryCacheTTL is how long the webhook route trusts a registry document it read: a changed
// webhook secret or format takes effect within this time.
const registryCacheTTL = 5 * time.Second

// registryCache keeps recently read docker registries for the webhook route, which a busy
// registry calls hundreds of times per second.
type registryCache struct {
	mu      sync.Mutex
	entries map[string]registryEntry
	now     func() time.Time
}

type registryEntry struct {
	reg     *model.DockerRegistry
	fetched time.Time
}

func newRegistryCache(now func() time.Time) *registryCache {
	return &registryCache{entries: map[string]registryEntry{}, now: now}
}

// get returns the registry of id, reading it with load when the cached copy is missing or old.
// Errors (an unknown id included) are not cached.
func (c *registryCache) get(ctx context.Context, id string, load func(context.Context, string) (*model.DockerRegistry, error)) (*model.DockerRegistry, error) {
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if ok && c.now().Sub(e.fetched) < registryCacheTTL {
		return e.reg, nil
	}
	reg, err := load(ctx, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.entries) > 1000 {
		c.entries = map[string]registryEntry{}
	}
	c.entries[id] = registryEntry{reg: reg, fetched: c.now()}
	c.mu.Unlock()
	return reg, nil
}
