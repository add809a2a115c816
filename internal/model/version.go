package model

import (
	"fmt"
	"time"

	"github.com/oneko/oneko/internal/lifetime"
)

// DesiredState is what the users of a version asked for.
type DesiredState string

// The desired states.
const (
	Deployed    DesiredState = "Deployed"
	NotDeployed DesiredState = "NotDeployed"
)

// DeploymentStatus is what the cluster shows of a version.
type DeploymentStatus string

// The deployment statuses.
const (
	StatusNotDeployed DeploymentStatus = "NotDeployed"
	StatusPending     DeploymentStatus = "Pending"
	StatusRunning     DeploymentStatus = "Running"
	StatusFailed      DeploymentStatus = "Failed"
	StatusUnknown     DeploymentStatus = "Unknown"
)

// Release is one Helm release of a version.
type Release struct {
	Name      string `json:"name" bson:"name"`
	Namespace string `json:"namespace" bson:"namespace"`
	Revision  int    `json:"revision" bson:"revision"`
	Status    string `json:"status" bson:"status"`
}

// Deployment is the last known deployment state of a version.
type Deployment struct {
	Status      DeploymentStatus `json:"status" bson:"status"`
	Message     string           `json:"message,omitempty" bson:"message,omitempty"`
	DeployedAt  *time.Time       `json:"deployedAt,omitempty" bson:"deployedAt,omitempty"`
	ExpiresAt   *time.Time       `json:"expiresAt,omitempty" bson:"expiresAt,omitempty"`
	ReadyPods   int              `json:"readyPods" bson:"readyPods"`
	DesiredPods int              `json:"desiredPods" bson:"desiredPods"`
	// Restarts is the sum of the restarts of the containers of the version's pods (omitted
	// when none).
	Restarts int       `json:"restarts,omitempty" bson:"restarts"`
	Releases []Release `json:"releases" bson:"releases"`
}

// Version is one tag of a project's image.
type Version struct {
	ID             string    `json:"id" bson:"_id"`
	ProjectID      string    `json:"projectId" bson:"projectId"`
	Name           string    `json:"name" bson:"name"`
	Digest         string    `json:"digest" bson:"digest"`
	ImageUpdatedAt time.Time `json:"imageUpdatedAt" bson:"imageUpdatedAt"`
	// DigestCheckedAt is when the registry was asked for the digest last recorded; an answer
	// obtained earlier never overwrites it (see store.RecordDigest).
	DigestCheckedAt        *time.Time              `json:"-" bson:"digestCheckedAt,omitempty"`
	DeploymentBehaviour    DeploymentBehaviour     `json:"deploymentBehaviour" bson:"deploymentBehaviour"`
	TemplateVariables      map[string]string       `json:"templateVariables" bson:"templateVariables"`
	URLTemplates           []string                `json:"urlTemplates" bson:"urlTemplates"`
	ConfigurationTemplates []ConfigurationTemplate `json:"configurationTemplates" bson:"configurationTemplates"`
	LifetimeBehaviour      *Lifetime               `json:"lifetimeBehaviour,omitempty" bson:"lifetimeBehaviour,omitempty"`
	Namespace              string                  `json:"namespace" bson:"namespace"`
	DesiredState           DesiredState            `json:"desiredState" bson:"desiredState"`
	Outdated               bool                    `json:"outdated" bson:"outdated"`
	// OutdatedReasons say what changed since the last deploy (empty when not outdated).
	OutdatedReasons []OutdatedReason `json:"outdatedReasons,omitempty" bson:"outdatedReasons,omitempty"`
	URLs            []string         `json:"urls" bson:"urls"`
	Deployment      Deployment       `json:"deployment" bson:"deployment"`
	// Generation increases with every change of the desired state or of the configuration
	// that has to reach the cluster; tasks carry the generation they were queued for.
	Generation int64 `json:"generation" bson:"generation"`
	// Removed is set when the tag is gone from the registry; the version is deleted once its
	// releases are uninstalled.
	Removed bool `json:"removed,omitempty" bson:"removed,omitempty"`
	// LeaseFence is the fencing token of the last deploy, stop or status refresh that took the
	// version's lease (see store.ClaimFence); only its holder may record a result.
	LeaseFence int64 `json:"-" bson:"leaseFence,omitempty"`
	// Revision increases with every write (optimistic concurrency).
	Revision  int64     `json:"-" bson:"revision"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
}

// NewVersion returns a version of a project's tag with the project's defaults.
func NewVersion(p *Project, tag, digest string, now time.Time) *Version {
	v := &Version{
		ProjectID:           p.ID,
		Name:                tag,
		Digest:              digest,
		ImageUpdatedAt:      now,
		DeploymentBehaviour: p.NewVersionsDeploymentBehaviour,
		LifetimeBehaviour:   &Lifetime{Type: lifetime.Inherit},
		DesiredState:        NotDeployed,
		Deployment:          Deployment{Status: StatusNotDeployed},
		CreatedAt:           now,
	}
	v.Normalize()
	return v
}

// Normalize fills defaults and empty collections.
func (v *Version) Normalize() {
	if v.TemplateVariables == nil {
		v.TemplateVariables = map[string]string{}
	}
	if v.URLTemplates == nil {
		v.URLTemplates = []string{}
	}
	if v.ConfigurationTemplates == nil {
		v.ConfigurationTemplates = []ConfigurationTemplate{}
	}
	if v.URLs == nil {
		v.URLs = []string{}
	}
	if v.Deployment.Releases == nil {
		v.Deployment.Releases = []Release{}
	}
	if v.Deployment.Status == "" {
		v.Deployment.Status = StatusNotDeployed
	}
	if v.DesiredState == "" {
		v.DesiredState = NotDeployed
	}
}

// Validate checks the fields a DOER may change (the overrides).
func (v *Version) Validate(p *Project, check TemplateChecker) error {
	var pr problems
	if !v.DeploymentBehaviour.Valid() {
		pr.add("deploymentBehaviour", "must be automatically or manually, not %q", v.DeploymentBehaviour)
	}
	for name, value := range v.TemplateVariables {
		if err := ValidateVariableName(name); err != nil {
			pr.add("templateVariables."+name, "%v", err)
			continue
		}
		if containsLineBreak(value) {
			pr.add("templateVariables."+name, "value must not contain line breaks")
		}
		if pv, ok := p.Variable(name); ok && pv.UseValues && !pv.Allows(value) {
			pr.add("templateVariables."+name, "%q is not one of the listed values %v", value, pv.Values)
		}
	}
	if v.LifetimeBehaviour != nil {
		pr.addErr("lifetimeBehaviour", validateLifetime(*v.LifetimeBehaviour, true))
	}
	validateURLTemplates(&pr, "urlTemplates", v.URLTemplates, check)
	validateTemplates(&pr, "configurationTemplates", v.ConfigurationTemplates, check)
	return pr.err()
}

// EffectiveNamespace is the namespace name a version deploys into: its own override, else the project's.
func (v *Version) EffectiveNamespace(p *Project) string {
	if v.Namespace != "" {
		return v.Namespace
	}
	return p.Namespace
}

// String names the version for logs.
func (v *Version) String() string { return fmt.Sprintf("%s@%s", v.Name, v.ID) }
