package deploy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/model"
)

// This file holds the decisions of the status refresh: which versions it looks at, whether it
// needs the events that explain a version, and what status it records from what it saw. The
// worker observes (cluster, store) and acts (records, publishes).

// ReleaseMissing is the status recorded for a release the cluster no longer has (or that
// belongs to someone else now).
const ReleaseMissing = "missing"

// Refreshable reports whether the status refresh looks at a version: it has releases and no
// deploy of it is in flight (Pending). A version whose lease is held is skipped as well; that
// the worker sees when it tries to take the lease.
func Refreshable(v *model.Version) bool {
	return v.Deployment.Status != model.StatusPending && len(v.Deployment.Releases) > 0
}

// SeenRelease is what the refresh saw of one release a version's deployment records.
type SeenRelease struct {
	// Recorded is the release as the deployment records it.
	Recorded model.Release
	// Found reports that the cluster has the release; the fields below are set only then.
	Found bool
	// Observed is the release's last revision and owner.
	Observed Observed
	// Ready and Desired are the ready and desired pods of the release's workloads.
	Ready, Desired int
}

// StatusSeen is what a refresh saw of one version.
type StatusSeen struct {
	// Unreachable is the error that kept the cluster from answering ("" when it answered).
	Unreachable string
	// Releases are the version's recorded releases as seen, in the record's order.
	Releases []SeenRelease
	// Restarts is the sum of the restarts of the releases' pods; nil when the pods could not
	// be read (the recorded count is kept).
	Restarts *int
	// Warning explains pods that are not ready or a failure (see diagnose.Explain); "" when
	// there is none or none was needed (see NeedsWarning).
	Warning string
	// WarningUnread reports that the events could not be read: the message is left as
	// decided, without a warning.
	WarningUnread bool
}

// SeenStatus decides the status a refresh records for a version whose deployment was
// recorded as recorded: Unknown with the error when the cluster could not be read; Failed
// when a recorded release is missing, belongs to someone else or is not deployed; Failed
// with the deploy's message while the last deploy failed (it stays failed until the next
// one, even if its releases look fine); Running otherwise. The pods' restarts and the
// warning that explains the state complete the message.
func SeenStatus(recorded model.Deployment, seen StatusSeen) model.Deployment {
	if seen.Unreachable != "" {
		return model.Deployment{Status: model.StatusUnknown, Message: seen.Unreachable, Releases: recorded.Releases, Restarts: recorded.Restarts}
	}
	obs := model.Deployment{Status: model.StatusRunning, Restarts: recorded.Restarts}
	var problems []string
	for _, r := range seen.Releases {
		key := r.Recorded.Namespace + "/" + r.Recorded.Name
		switch {
		case !r.Found:
			problems = append(problems, fmt.Sprintf("release %s is missing", key))
		case !r.Observed.Mine:
			problems = append(problems, (&OwnerError{Release: key, Owner: r.Observed.Owner}).Error())
		}
		if !r.Found || !r.Observed.Mine {
			missing := r.Recorded
			missing.Status = ReleaseMissing
			obs.Releases = append(obs.Releases, missing)
			continue
		}
		o := r.Observed
		obs.Releases = append(obs.Releases, model.Release{Name: o.Name, Namespace: o.Namespace, Revision: o.Revision, Status: o.Status})
		if o.Status != StatusDeployed {
			problems = append(problems, fmt.Sprintf("release %s is %s", key, o.Status))
		}
		obs.ReadyPods += r.Ready
		obs.DesiredPods += r.Desired
	}
	if len(problems) > 0 {
		obs.Status, obs.Message = model.StatusFailed, strings.Join(problems, "; ")
	} else if recorded.Status == model.StatusFailed {
		obs.Status, obs.Message = model.StatusFailed, recorded.Message
	}
	if seen.Restarts != nil {
		obs.Restarts = *seen.Restarts
		if !seen.WarningUnread {
			obs.Message = diagnose.WithWarning(obs.Message, seen.Warning)
		}
	}
	return obs
}

// NeedsWarning reports whether a refresh reads the events that explain a status it decided
// (see SeenStatus): when it failed or not every desired pod is ready.
func NeedsWarning(d model.Deployment) bool {
	return d.Status == model.StatusFailed || d.ReadyPods < d.DesiredPods
}

// StatusChanged reports whether a refresh has something new to record (and publish).
func StatusChanged(before, after model.Deployment) bool {
	return before.Status != after.Status || before.Message != after.Message || before.ReadyPods != after.ReadyPods ||
		before.DesiredPods != after.DesiredPods || before.Restarts != after.Restarts || !slices.Equal(before.Releases, after.Releases)
}
