package helm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Labels that tie a release (its storage Secrets) to oneko.
const (
	// LabelProject holds LabelValue of the id of the project a release belongs to.
	LabelProject = "oneko.io/project"
	// LabelVersion holds LabelValue of the id of the version a release belongs to.
	LabelVersion = "oneko.io/version"
	// LabelInstallation holds LabelValue of the id of the oneko installation (one database)
	// that made a release or namespace. Releases made before it existed lack it.
	LabelInstallation = "oneko.io/installation"
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

// VersionLabels returns the labels of the releases of one version of one installation.
func VersionLabels(installationID, projectID, versionID string) map[string]string {
	return map[string]string{
		LabelInstallation: LabelValue(installationID), LabelProject: LabelValue(projectID),
		LabelVersion: LabelValue(versionID), LabelManagedBy: ManagedBy,
	}
}

// Owner is who a release belongs to, as its labels say (label values, see LabelValue).
type Owner struct {
	// Installation is empty for a release made before installations had ids.
	Installation string
	Project      string
	Version      string
	// Managed reports the managed-by=oneko label.
	Managed bool
}

// OwnerOf reads the owner labels of a release.
func OwnerOf(r *Info) Owner {
	return Owner{Installation: r.Labels[LabelInstallation], Project: r.Labels[LabelProject],
		Version: r.Labels[LabelVersion], Managed: r.Labels[LabelManagedBy] == ManagedBy}
}

// String names the owner for messages.
func (o Owner) String() string {
	switch {
	case !o.Managed:
		return "not managed by oneko"
	case o.Installation == "":
		return fmt.Sprintf("version %s of project %s (made before installation ids)", o.Version, o.Project)
	}
	return fmt.Sprintf("version %s of project %s of installation %s", o.Version, o.Project, o.Installation)
}

// Belongs reports whether the owner is the given version of the given installation. A
// release without an installation label (made before installation ids) belongs to the
// version its version label names: the caller has that version in its own store.
func (o Owner) Belongs(installationID, versionID string) bool {
	if !o.Managed || o.Version != LabelValue(versionID) {
		return false
	}
	return o.Installation == "" || o.Installation == LabelValue(installationID)
}
