package helm

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
)

// ListByLabel returns the last revision of every release, in every namespace, whose labels
// include all of selector (matched by the API server on the storage Secrets). Releases are
// sorted by namespace and name.
func (c *Client) ListByLabel(ctx context.Context, selector map[string]string) ([]*release.Release, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list releases: %w", err)
	}
	cfg, ol, err := c.config("", "selector", selector)
	if err != nil {
		return nil, fmt.Errorf("list releases: %w", err)
	}
	q := map[string]string{"owner": "helm"}
	for k, v := range selector {
		q[k] = v
	}
	all, err := cfg.Releases.Driver.Query(q)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, ol.fail("list", "", "", err)
	}
	last := map[string]*release.Release{}
	for _, r := range all {
		key := r.Namespace + "/" + r.Name
		if cur, ok := last[key]; !ok || r.Version > cur.Version {
			last[key] = r
		}
	}
	out := make([]*release.Release, 0, len(last))
	for _, r := range last {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}
