package helm

import (
	"sort"

	"helm.sh/helm/v3/pkg/releaseutil"
)

// SplitManifest splits a rendered multi-document manifest into its documents, in their
// order, leaving out empty ones (as Helm splits a release's manifest).
func SplitManifest(manifest string) []string {
	docs := releaseutil.SplitManifests(manifest)
	keys := make([]string, 0, len(docs))
	for k := range docs {
		keys = append(keys, k)
	}
	sort.Sort(releaseutil.BySplitManifestsOrder(keys))
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = docs[k]
	}
	return out
}
