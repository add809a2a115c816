package diagnose

import (
	"context"
	"regexp"
	"time"
)

// Revision is one Helm revision of one of a version's releases.
type Revision struct {
	Release      string    `json:"release"`
	Namespace    string    `json:"namespace"`
	Revision     int       `json:"revision"`
	Status       string    `json:"status"`
	Chart        string    `json:"chart"`
	ChartVersion string    `json:"chartVersion"`
	AppVersion   string    `json:"appVersion,omitempty"`
	ImageDigest  string    `json:"imageDigest,omitempty"`
	Time         time.Time `json:"time"`
	Description  string    `json:"description"`
	// Actor is who asked for it, from the activity log (filled in by the api).
	Actor string `json:"actor,omitempty"`
}

var digestRe = regexp.MustCompile(`sha256:[0-9a-f]{64}`)

// History returns every stored revision of each of a version's releases, oldest first per
// release.
func (r *Reader) History(ctx context.Context, versionID string) ([]Revision, error) {
	all, err := r.revisions(ctx, versionID)
	if err != nil {
		return nil, err
	}
	out := make([]Revision, 0, len(all))
	for _, rel := range all {
		rev := Revision{Release: rel.Name, Namespace: rel.Namespace, Revision: rel.Version, ImageDigest: digestRe.FindString(rel.Manifest)}
		if rel.Info != nil {
			rev.Status, rev.Description = rel.Info.Status.String(), rel.Info.Description
			rev.Time = rel.Info.LastDeployed.Time.UTC()
		}
		if rel.Chart != nil && rel.Chart.Metadata != nil {
			rev.Chart, rev.ChartVersion, rev.AppVersion = rel.Chart.Metadata.Name, rel.Chart.Metadata.Version, rel.Chart.Metadata.AppVersion
		}
		out = append(out, rev)
	}
	return out, nil
}
