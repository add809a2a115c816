package helm

import (
	"context"
	"errors"
	"fmt"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/storage/driver"
)

// ErrNotFound is wrapped when a release has no history.
var ErrNotFound = errors.New("release not found")

// Status returns the last revision of a release; ErrNotFound when there is none. The SDK's
// status takes no context: ctx is checked before it starts.
func (c *Client) Status(ctx context.Context, ns, name string) (*Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("status of release %s/%s: %w", ns, name, err)
	}
	cfg, ol, err := c.config(ns, "namespace", ns, "release", name)
	if err != nil {
		return nil, fmt.Errorf("status of release %s/%s: %w", ns, name, err)
	}
	st := action.NewStatus(cfg)
	rel, err := st.Run(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return nil, fmt.Errorf("status of release %s/%s: %w", ns, name, ErrNotFound)
	}
	if err != nil {
		return nil, ol.fail("status", ns, name, err)
	}
	return infoOf(rel), nil
}
