package worker

import (
	"fmt"
	"sync"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/registry"
)

// registryClients keeps one registry client (with its token cache and rate cap) per docker
// registry, replaced when the registry's URL or credentials change.
type registryClients struct {
	mu      sync.Mutex
	clients map[string]cachedClient
}

type cachedClient struct {
	key    string
	client *registry.Client
}

// newRegistryClients returns an empty set.
func newRegistryClients() *registryClients {
	return &registryClients{clients: map[string]cachedClient{}}
}

// For returns the client of a docker registry.
func (rc *registryClients) For(r *model.DockerRegistry) (*registry.Client, error) {
	key := fmt.Sprintf("%s|%s|%s|%v", r.URL, r.Username, r.Password, r.Insecure)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if c, ok := rc.clients[r.ID]; ok && c.key == key {
		return c.client, nil
	}
	c, err := registry.NewClient(registry.ClientConfig{URL: r.URL, Username: r.Username, Password: r.Password, Insecure: r.Insecure})
	if err != nil {
		return nil, fmt.Errorf("registry client for %s: %w", r.Name, err)
	}
	rc.clients[r.ID] = cachedClient{key: key, client: c}
	return c, nil
}
