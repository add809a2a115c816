package deploy

import (
	"errors"
	"fmt"
	"time"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/model"
)

// This file holds the decisions of deploying, as functions of data: the worker observes
// (store, cluster), calls one of these, and acts on the answer (package helm). None of them
// does I/O, so each is tested with a table (decide_test.go).

// StatusDeployed is the status Helm records for a revision that deployed.
const StatusDeployed = "deployed"

// Observed is one release as the cluster shows it: its last revision and who owns it.
type Observed struct {
	Namespace string
	Name      string
	Revision  int
	// Status is Helm's status of the last revision: "deployed", "failed", "pending-upgrade"…
	Status string
	// Mine reports that the release belongs to the version the decision is about; Owner
	// names who it belongs to otherwise (see helm.Owner).
	Mine  bool
	Owner string
}

// Key is "namespace/name".
func (o Observed) Key() string { return o.Namespace + "/" + o.Name }

// Pending reports whether the release's last operation never ended (a killed worker).
func (o Observed) Pending() bool {
	switch o.Status {
	case "pending-install", "pending-upgrade", "pending-rollback":
		return true
	}
	return false
}

// StepKind is what one step of a deploy does to one release.
type StepKind string

// The kinds of steps.
const (
	// Recover repairs a release left pending (rolled back, or uninstalled if it never deployed).
	Recover StepKind = "recover"
	// Upgrade installs the release, or upgrades it, with wait.
	Upgrade StepKind = "upgrade"
	// Uninstall removes a release of the version that is no longer in its plan.
	Uninstall StepKind = "uninstall"
)

// Step is one action of a deploy on one release.
type Step struct {
	Kind      StepKind
	Namespace string
	Name      string
	// Planned is the index of the release in the plan (Recover, Upgrade); -1 for Uninstall.
	Planned int
}

// OwnerError says that a release exists under a name the version wants but belongs to
// another version or installation, or was not made by oneko: oneko leaves it alone.
type OwnerError struct {
	Release string
	Owner   string
}

func (e *OwnerError) Error() string {
	return fmt.Sprintf("release %s belongs to %s; oneko does not touch it", e.Release, e.Owner)
}

// DeploySteps decides what a deploy of plan does, in order: for each planned release, Recover
// when its last revision was left pending, then Upgrade; after every planned release, Uninstall
// each release of the version (existing: those of the cluster and of its last deployment
// record that belong to it) that left the plan. current holds the planned releases that exist
// in the cluster, by Key. A planned release that exists and is not the version's stops the
// deploy there: the steps before it are returned with an *OwnerError, and nothing is uninstalled.
func DeploySteps(plan *Plan, current map[string]Observed, existing []model.Release) ([]Step, error) {
	var steps []Step
	planned := map[string]bool{}
	for i, r := range plan.Releases {
		key := r.Namespace + "/" + r.Name
		planned[key] = true
		if o, ok := current[key]; ok {
			if !o.Mine {
				return steps, &OwnerError{Release: key, Owner: o.Owner}
			}
			if o.Pending() {
				steps = append(steps, Step{Kind: Recover, Namespace: r.Namespace, Name: r.Name, Planned: i})
			}
		}
		steps = append(steps, Step{Kind: Upgrade, Namespace: r.Namespace, Name: r.Name, Planned: i})
	}
	for _, r := range existing {
		if planned[r.Namespace+"/"+r.Name] {
			continue
		}
		planned[r.Namespace+"/"+r.Name] = true
		steps = append(steps, Step{Kind: Uninstall, Namespace: r.Namespace, Name: r.Name, Planned: -1})
	}
	return steps, nil
}

// Outcome is what a worker does with a failed operation.
type Outcome string

// The outcomes of a failure.
const (
	// Retry returns the error to the queue, which runs the task again later.
	Retry Outcome = "retry"
	// RecordFailed records the version failed and does not retry: the periodic reconcile and
	// the next request take it from there.
	RecordFailed Outcome = "record failed"
)

// OnFailure decides what a failure leads to. A transient failure (the cluster or a registry
// could not be reached, and the task was not cancelled) is retried while attempts remain; a
// failure of the configuration or of a release itself, and the last attempt, is recorded.
func OnFailure(transient, lastAttempt bool) Outcome {
	if transient && !lastAttempt {
		return Retry
	}
	return RecordFailed
}

// ConfigurationFault decides whether err, a failure to plan a version (Planner.Plan) or to fetch
// the charts of its plan, is the configuration's fault: retrying the same configuration cannot
// help, so the version is recorded failed at once, without touching the cluster. It is when the
// templates do not render (model.ErrInvalid), the chart registry does not have the chart or
// version, refuses the credentials, the version constraint is not one, the registry URL is one
// oneko cannot use, the chart archive lies outside the allowed origins, or the configuration
// names a document that no longer exists (a helm or docker registry): notFound is the sentinel
// the store wraps then (passed in, so that deciding needs no store). A digest mismatch or an
// unreachable registry may pass on a retry.
func ConfigurationFault(err, notFound error) bool {
	if notFound != nil && errors.Is(err, notFound) {
		return true
	}
	for _, e := range []error{model.ErrInvalid, charts.ErrChartNotFound, charts.ErrUnauthorized, charts.ErrInvalidConstraint, charts.ErrInvalidRegistry, charts.ErrChartOrigin} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// DeployNeeded says whether a Deployed version needs its deploy task again: canonical when its
// task may have been lost (status still Pending, or never recorded), drift when the cluster
// (inCluster: the version's releases there) no longer has the releases its deployment lists,
// or has them in another state than deployed — for a Failed deployment only once its last
// deploy is older than failedRetryAfter.
func DeployNeeded(v *model.Version, inCluster []Observed, now time.Time, failedRetryAfter time.Duration) (canonical, drift bool) {
	switch v.Deployment.Status {
	case model.StatusPending, model.StatusNotDeployed:
		return true, false
	case model.StatusFailed:
		if at := v.Deployment.DeployedAt; at != nil && now.Sub(*at) < failedRetryAfter {
			return false, false
		}
	}
	have := map[string]string{}
	for _, r := range inCluster {
		have[r.Key()] = r.Status
	}
	for _, r := range v.Deployment.Releases {
		if st, ok := have[r.Namespace+"/"+r.Name]; !ok || st != StatusDeployed {
			return false, true
		}
	}
	return false, false
}

// StopNeeded says whether a NotDeployed version needs its stop task again: it still has
// releases in the cluster (then the cluster drifted), or its record still lists some.
func StopNeeded(v *model.Version, inCluster int) (needed, drift bool) {
	if inCluster > 0 {
		return true, true
	}
	return len(v.Deployment.Releases) > 0, false
}

// SweepRefused decides whether an orphan sweep of orphans releases, out of the own releases
// of an installation whose store holds versions versions, must not run, and says why ("" when
// it may run). A sweep may remove at most maxShare of the releases, and nothing while the
// store holds no versions (an empty, wrong or restored database).
func SweepRefused(orphans, own, versions int, maxShare float64) string {
	if versions == 0 {
		return fmt.Sprintf("the store holds no versions, yet %d releases of this installation are in the cluster: an empty, wrong or restored database? Nothing was uninstalled; uninstall them by hand if they are really orphaned", orphans)
	}
	if float64(orphans) > maxShare*float64(own) {
		return fmt.Sprintf("%d of this installation's %d releases have no version in the store, more than the share of %.2f the sweep may remove (ONEKO_ORPHAN_SWEEP_MAX_SHARE). Nothing was uninstalled; check the database, then uninstall them by hand or raise the share", orphans, own, maxShare)
	}
	return ""
}

// DeletionComplete reports whether a project being deleted may go: none of its versions is
// deployed or still has releases.
func DeletionComplete(versions []model.Version) bool {
	for _, v := range versions {
		if v.DesiredState == model.Deployed || len(v.Deployment.Releases) > 0 {
			return false
		}
	}
	return true
}

// ProjectOutdates reports whether a change of a project from a to b makes its deployed
// versions outdated: what their releases are rendered from changed (model.ProjectChanges
// names what).
func ProjectOutdates(a, b *model.Project) bool {
	return len(model.ProjectChanges(a, b)) > 0
}

// VersionOutdated reports whether a deployed version changed from a to b is outdated: what its
// releases are rendered from changed (model.VersionChanges names what). A version that is not
// deployed is never outdated.
func VersionOutdated(a, b *model.Version) bool {
	return b.DesiredState == model.Deployed && len(model.VersionChanges(a, b)) > 0
}

// TaskObsolete says why a deploy or stop task of generation, which applies the desired state
// want, has no work left on version v — "" when it has: the version is gone (nil), a newer
// request superseded the task, or the desired state is no longer the one it applies.
func TaskObsolete(v *model.Version, generation int64, want model.DesiredState) string {
	switch {
	case v == nil:
		return "version is gone; nothing to do"
	case v.Generation > generation:
		return "stale task: a newer request superseded it"
	case v.DesiredState != want:
		return "desired state changed; nothing to do"
	}
	return ""
}

// DeployNewTag says whether a tag that just became a version of p is deployed at once: the
// project's auto-deploy rule matches it, and the project is not being deleted.
func DeployNewTag(p *model.Project, tag string) bool {
	return p.AutoDeploy != nil && p.AutoDeploy.Matches(tag) && p.DeletingSince == nil
}

// RedeployOnNewDigest says whether a new digest of v's tag redeploys v: it is deployed with
// behaviour automatically. It is also when the digest of v's tag matters to a poll.
func RedeployOnNewDigest(v *model.Version) bool {
	return v.DesiredState == model.Deployed && v.DeploymentBehaviour == model.BehaviourAutomatically
}

// RemoveAtOnce says whether the version of a tag gone from the registry is deleted at once:
// nothing is deployed and its record lists no release. Otherwise it is marked removed and
// stopped, and the stop deletes it.
func RemoveAtOnce(v *model.Version) bool {
	return v.DesiredState == model.NotDeployed && len(v.Deployment.Releases) == 0
}

// RemovalsRefused says whether a poll that found the tags removed gone from the registry must
// not remove them from a project whose versions are the tags of versions, and how many of the
// project's versions they are: more than half of them, and more than one. Such a poll more
// likely saw a broken, emptied or replaced registry than deletions.
func RemovalsRefused(removed []string, versions map[string]bool) (refused bool, inProject int) {
	for _, tag := range removed {
		if versions[tag] {
			inProject++
		}
	}
	return inProject > 1 && 2*inProject > len(versions), inProject
}

// OwnRelease says whether a release whose labels name installation and version (label
// values; installation "" for a release made before installations had ids) is one of the
// installation whose label value is mine: labelled with it, or unlabelled with a version
// that installation's store holds (known, by label value) — such a release is adopted. Every
// other release belongs to another installation and is left alone.
func OwnRelease(installation, version, mine string, known map[string]bool) bool {
	if installation == "" {
		return known[version]
	}
	return installation == mine
}
