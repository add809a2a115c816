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
		out = append(out, Revision{Release: rel.Name, Namespace: rel.Namespace, Revision: rel.Revision, Status: string(rel.Status),
			Chart: rel.Chart, ChartVersion: rel.ChartVersion, AppVersion: rel.AppVersion, ImageDigest: digestRe.FindString(rel.Manifest),
			Time: rel.Deployed, Description: rel.Description})
	}
	return out, nil
}
