package helm

import (
	"time"

	"helm.sh/helm/v3/pkg/release"
)

// Status is the state of a release's revision as Helm records it.
type Status string

// The statuses of a revision (Helm's own names).
const (
	StatusUnknown         Status = Status(release.StatusUnknown)
	StatusDeployed        Status = Status(release.StatusDeployed)
	StatusUninstalled     Status = Status(release.StatusUninstalled)
	StatusSuperseded      Status = Status(release.StatusSuperseded)
	StatusFailed          Status = Status(release.StatusFailed)
	StatusUninstalling    Status = Status(release.StatusUninstalling)
	StatusPendingInstall  Status = Status(release.StatusPendingInstall)
	StatusPendingUpgrade  Status = Status(release.StatusPendingUpgrade)
	StatusPendingRollback Status = Status(release.StatusPendingRollback)
)

// IsPending reports whether an operation on the revision has not ended (or was interrupted).
func (s Status) IsPending() bool {
	return s == StatusPendingInstall || s == StatusPendingUpgrade || s == StatusPendingRollback
}

// Info is what oneko reads of one revision of a release: a copy, so that no Helm type leaves
// this package.
type Info struct {
	Name      string
	Namespace string
	// Revision is the revision's number (Helm's release version), from 1.
	Revision    int
	Status      Status
	Description string
	// Labels are the release's own labels (stored on its storage Secrets; see VersionLabels).
	Labels map[string]string
	// Manifest is the rendered manifest of the revision (what PodCounts reads).
	Manifest string
	// Values are the values the revision was installed or upgraded with (Helm's config).
	Values map[string]any
	// Chart, ChartVersion and AppVersion describe the revision's chart ("" when it names none).
	Chart, ChartVersion, AppVersion string
	// Deployed is when the revision was deployed, in UTC (zero when Helm recorded no time).
	Deployed time.Time
}

// infoOf copies what oneko reads of a Helm release; nil stays nil.
func infoOf(r *release.Release) *Info {
	if r == nil {
		return nil
	}
	in := &Info{Name: r.Name, Namespace: r.Namespace, Revision: r.Version, Labels: r.Labels, Manifest: r.Manifest, Values: r.Config}
	if r.Info != nil {
		in.Status, in.Description = Status(r.Info.Status), r.Info.Description
		in.Deployed = r.Info.LastDeployed.Time.UTC()
	}
	if r.Chart != nil && r.Chart.Metadata != nil {
		in.Chart, in.ChartVersion, in.AppVersion = r.Chart.Metadata.Name, r.Chart.Metadata.Version, r.Chart.Metadata.AppVersion
	}
	return in
}
