package api

import (
	"context"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/oneko/oneko/internal/model"
)

// registryCacheTTL is how long the webhook route trusts a registry document it read: a changed
// webhook secret or format takes effect within this time.
const registryCacheTTL = 5 * time.Second

// registryCacheSize bounds the registries kept; the least recently used go first.
const registryCacheSize = 1000

// registryCache keeps recently read docker registries for the webhook route, which a busy
// registry calls hundreds of times per second. It is safe for concurrent use.
type registryCache struct {
	entries *lru.Cache[string, registryEntry]
	now     func() time.Time
}

type registryEntry struct {
	reg     *model.DockerRegistry
	fetched time.Time
}

func newRegistryCache(now func() time.Time) *registryCache {
	// The only error lru.New answers is for a size below one.
	entries, _ := lru.New[string, registryEntry](registryCacheSize)
	return &registryCache{entries: entries, now: now}
}

// get returns the registry of id, reading it with load when the cached copy is missing or old.
// Errors (an unknown id included) are not cached.
func (c *registryCache) get(ctx context.Context, id string, load func(context.Context, string) (*model.DockerRegistry, error)) (*model.DockerRegistry, error) {
	if e, ok := c.entries.Get(id); ok && c.now().Sub(e.fetched) < registryCacheTTL {
		return e.reg, nil
	}
	reg, err := load(ctx, id)
	if err != nil {
		return nil, err
	}
	c.entries.Add(id, registryEntry{reg: reg, fetched: c.now()})
	return reg, nil
}
