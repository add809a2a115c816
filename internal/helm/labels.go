package helm

import (
	"crypto/sha256"
	"encoding/hex"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Labels that tie a release (its storage Secrets) to oneko.
const (
	// LabelProject holds LabelValue of the id of the project a release belongs to.
	LabelProject = "oneko.io/project"
	// LabelVersion holds LabelValue of the id of the version a release belongs to.
	LabelVersion = "oneko.io/version"
	// LabelManagedBy marks what oneko created; its value is ManagedBy.
	LabelManagedBy = "app.kubernetes.io/managed-by"
	// ManagedBy is the value of LabelManagedBy.
	ManagedBy = "oneko"
)

// LabelValue turns a document id into a label value: the id itself when it is a valid label
// value (at most 63 characters of [A-Za-z0-9-_.]), else "x" and 40 hex digits of its
// SHA-256 (version ids hold the tag, which may be longer or contain ':'). Compare labels
// with LabelValue(id), never with the id.
func LabelValue(id string) string {
	if len(validation.IsValidLabelValue(id)) == 0 {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return "x" + hex.EncodeToString(sum[:])[:40]
}

// VersionLabels returns the labels of the releases of one version.
func VersionLabels(projectID, versionID string) map[string]string {
	return map[string]string{LabelProject: LabelValue(projectID), LabelVersion: LabelValue(versionID), LabelManagedBy: ManagedBy}
}
