package helm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
)

// Release is what UpgradeInstall installs: a named release of a chart with its values.
type Release struct {
	Name      string
	Namespace string
	Chart     *chart.Chart
	Values    map[string]any
	// Labels are stored on the release (its storage Secrets), not on the chart's resources.
	Labels map[string]string
}

// UpgradeInstall installs the release when it has no history, else upgrades it (helm
// upgrade --install, without --atomic). With wait it waits up to timeout for the release's
// resources to be ready, watching them rather than polling as Helm does (see
// readyWaitClient), while the new revision stays pending; resources not ready in time fail
// the revision, recorded as failed with the error naming the resource that was not ready.
// timeout also bounds the hooks. A failed install or upgrade is returned as an *OpError
// holding the tail of Helm's log; the release Helm recorded (status failed) is returned with
// it when there is one and ctx did not end (see detached).
func (c *Client) UpgradeInstall(ctx context.Context, r Release, wait bool, timeout time.Duration) (*Info, error) {
	if r.Chart == nil {
		return nil, fmt.Errorf("upgrade release %s/%s: no chart", r.Namespace, r.Name)
	}
	cfg, ol, err := c.config(r.Namespace, "namespace", r.Namespace, "release", r.Name)
	if err != nil {
		return nil, fmt.Errorf("upgrade release %s/%s: %w", r.Namespace, r.Name, err)
	}
	c.waitReady(ctx, cfg, ol)
	cf := &confiner{Confinement: c.confinement, ns: r.Namespace, mapper: c.getter.mapper}
	if rw, ok := cfg.KubeClient.(*readyWaitClient); ok {
		rw.confine = cf
	}
	_, err = cfg.Releases.Last(r.Name)
	switch {
	case errors.Is(err, driver.ErrReleaseNotFound):
		in := action.NewInstall(cfg)
		in.ReleaseName, in.Namespace = r.Name, r.Namespace
		in.Wait, in.Timeout = wait, timeout
		in.Labels = r.Labels
		in.PostRenderer = cf
		rel, err := in.RunWithContext(ctx, r.Chart, r.Values)
		return detached(ctx, rel), ol.fail("install", r.Namespace, r.Name, err)
	case err != nil:
		return nil, ol.fail("upgrade", r.Namespace, r.Name, fmt.Errorf("read release history: %w", err))
	}
	up := action.NewUpgrade(cfg)
	up.Namespace = r.Namespace
	up.Wait, up.Timeout = wait, timeout
	up.Labels = r.Labels
	up.PostRenderer = cf
	up.MaxHistory = c.maxHistory
	rel, err := up.RunWithContext(ctx, r.Name, r.Chart, r.Values)
	return detached(ctx, rel), ol.fail("upgrade", r.Namespace, r.Name, err)
}

// detached drops the release an action returned when ctx ended: the SDK then returns while
// its own goroutine still runs and writes to that release (marking it failed), so reading it
// would race. The release's stored state is what a later Status reads.
func detached(ctx context.Context, rel *release.Release) *Info {
	if ctx.Err() != nil {
		return nil
	}
	return infoOf(rel)
}
