package api

import (
	"context"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/registry"
)

// ClientChecker checks docker registries with a fresh registry.Client (Basic or Bearer auth).
type ClientChecker struct{}

var _ RegistryChecker = ClientChecker{}

// Check asks the registry's /v2/ endpoint with the registry's credentials.
func (ClientChecker) Check(ctx context.Context, r *model.DockerRegistry) error {
	c, err := registry.NewClient(registry.ClientConfig{URL: r.URL, Username: r.Username, Password: r.Password, Insecure: r.Insecure, MaxRetries: -1})
	if err != nil {
		return err
	}
	return c.Check(ctx)
}
