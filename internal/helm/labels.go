package helm

// Labels that tie a release (its storage Secrets) to oneko.
const (
	// LabelProject holds the id of the project a release belongs to.
	LabelProject = "oneko.io/project"
	// LabelVersion holds the id of the version a release belongs to.
	LabelVersion = "oneko.io/version"
	// LabelManagedBy marks what oneko created; its value is ManagedBy.
	LabelManagedBy = "app.kubernetes.io/managed-by"
	// ManagedBy is the value of LabelManagedBy.
	ManagedBy = "oneko"
)

// VersionLabels returns the labels of the releases of one version.
func VersionLabels(projectID, versionID string) map[string]string {
	return map[string]string{LabelProject: projectID, LabelVersion: versionID, LabelManagedBy: ManagedBy}
}
