package helm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
)

// Recovery says what RecoverPending did.
type Recovery string

// The outcomes of RecoverPending.
const (
	// NothingPending: the release does not exist or its last revision is not pending.
	NothingPending Recovery = ""
	// RolledBack: the pending revision was marked failed and the release rolled back to its
	// last deployed revision.
	RolledBack Recovery = "rolled back"
	// Uninstalled: the release never deployed, so the pending release was uninstalled.
	Uninstalled Recovery = "uninstalled"
)

// RecoverPending repairs a release whose last revision is pending-install, pending-upgrade or
// pending-rollback — left so by a process killed mid-operation, it blocks every later
// upgrade. The pending revision is marked failed, then the release is rolled back to its last
// deployed revision (waiting up to timeout), or uninstalled if it never deployed. Call it
// only while no other operation on the release can be running. The SDK's rollback takes no
// context: ctx is checked before it starts, and bounds its wait for readiness.
func (c *Client) RecoverPending(ctx context.Context, ns, name string, timeout time.Duration) (Recovery, error) {
	if err := ctx.Err(); err != nil {
		return NothingPending, fmt.Errorf("recover release %s/%s: %w", ns, name, err)
	}
	cfg, ol, err := c.config(ns, "namespace", ns, "release", name)
	if err != nil {
		return NothingPending, fmt.Errorf("recover release %s/%s: %w", ns, name, err)
	}
	c.waitReady(ctx, cfg, ol)
	last, err := cfg.Releases.Last(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return NothingPending, nil
	}
	if err != nil {
		return NothingPending, ol.fail("recover", ns, name, err)
	}
	if !last.Info.Status.IsPending() {
		return NothingPending, nil
	}
	was := last.Info.Status
	last.SetStatus(release.StatusFailed, fmt.Sprintf("%s interrupted; recovered by oneko", was))
	if err := cfg.Releases.Update(last); err != nil {
		return NothingPending, ol.fail("recover", ns, name, fmt.Errorf("mark revision %d failed: %w", last.Version, err))
	}
	deployed, err := cfg.Releases.Deployed(name)
	switch {
	case errors.Is(err, driver.ErrNoDeployedReleases) || errors.Is(err, driver.ErrReleaseNotFound):
		un := action.NewUninstall(cfg)
		if _, err := un.Run(name); err != nil && !errors.Is(err, driver.ErrReleaseNotFound) {
			return NothingPending, ol.fail("uninstall", ns, name, err)
		}
		return Uninstalled, nil
	case err != nil:
		return NothingPending, ol.fail("recover", ns, name, err)
	}
	rb := action.NewRollback(cfg)
	rb.Version = deployed.Version
	rb.Wait, rb.Timeout = true, timeout
	rb.MaxHistory = c.maxHistory
	if err := rb.Run(name); err != nil {
		return NothingPending, ol.fail("rollback", ns, name, err)
	}
	return RolledBack, nil
}
