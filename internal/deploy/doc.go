// Package deploy plans what a version's releases must be: it turns a project and a version
// into rendered Helm values per release (Plan), without touching the cluster. Acting on the
// plan is package helm's job.
package deploy
