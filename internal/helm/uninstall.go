package helm

import (
	"context"
	"errors"
	"fmt"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/storage/driver"
)

// Uninstall removes a release and its history without waiting for its resources to be gone.
// A release that does not exist is not an error. The SDK's uninstall takes no context: ctx
// is checked before it starts.
func (c *Client) Uninstall(ctx context.Context, ns, name string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("uninstall release %s/%s: %w", ns, name, err)
	}
	cfg, ol, err := c.config(ns, "namespace", ns, "release", name)
	if err != nil {
		return fmt.Errorf("uninstall release %s/%s: %w", ns, name, err)
	}
	un := action.NewUninstall(cfg)
	if _, err := un.Run(name); err != nil && !errors.Is(err, driver.ErrReleaseNotFound) {
		return ol.fail("uninstall", ns, name, err)
	}
	return nil
}
