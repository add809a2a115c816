package helm

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// ListByLabel returns the last revision of every release whose labels include all of selector
// (matched by the API server on the storage Secrets), sorted by namespace and name. It lists
// every namespace at once; when the cluster refuses that (oneko's ServiceAccount has rights
// in some namespaces only: the chart's namespaced RBAC scope), it lists each of namespaces
// instead — the namespaces the caller knows the installation uses.
func (c *Client) ListByLabel(ctx context.Context, selector map[string]string, namespaces ...string) ([]*Info, error) {
	rels, err := c.query(ctx, "", selector)
	if apierrors.IsForbidden(err) && len(namespaces) > 0 {
		rels = nil
		seen := map[string]bool{}
		for _, ns := range namespaces {
			if seen[ns] || ns == "" {
				continue
			}
			seen[ns] = true
			in, err := c.query(ctx, ns, selector)
			if err != nil {
				return nil, err
			}
			rels = append(rels, in...)
		}
	} else if err != nil {
		return nil, err
	}
	last := map[string]*release.Release{}
	for _, r := range rels {
		key := r.Namespace + "/" + r.Name
		if cur, ok := last[key]; !ok || r.Version > cur.Version {
			last[key] = r
		}
	}
	out := make([]*Info, 0, len(last))
	for _, r := range last {
		out = append(out, infoOf(r))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// query returns every stored revision in namespace ns ("" = all) whose labels include selector.
func (c *Client) query(ctx context.Context, ns string, selector map[string]string) ([]*release.Release, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list releases: %w", err)
	}
	cfg, ol, err := c.config(ns, "namespace", ns, "selector", selector)
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
		return nil, ol.fail("list", ns, "", err)
	}
	return all, nil
}
