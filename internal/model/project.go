package model

import (
	"fmt"
	"path"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/render"
)

// DeploymentBehaviour says what happens to a version when its image changes.
type DeploymentBehaviour string

// The deployment behaviours.
const (
	// BehaviourAutomatically redeploys a deployed version when its tag's digest changes.
	BehaviourAutomatically DeploymentBehaviour = "automatically"
	// BehaviourManually leaves a deployed version alone until someone deploys it again.
	BehaviourManually DeploymentBehaviour = "manually"
)

// Valid reports whether b is one of the known behaviours.
func (b DeploymentBehaviour) Valid() bool {
	return b == BehaviourAutomatically || b == BehaviourManually
}

// ProjectStatus aggregates the deployment status of a project's versions.
type ProjectStatus string

// The project statuses, in the order Error > Pending > Ok > NotDeployed.
const (
	ProjectOk          ProjectStatus = "Ok"
	ProjectPending     ProjectStatus = "Pending"
	ProjectError       ProjectStatus = "Error"
	ProjectNotDeployed ProjectStatus = "NotDeployed"
)

// AutoDeploy is the rule that deploys matching new tags as soon as they appear:
// either a glob over the tag or a semver constraint.
type AutoDeploy struct {
	TagPattern string `json:"tagPattern,omitempty" bson:"tagPattern,omitempty"`
	Semver     string `json:"semver,omitempty" bson:"semver,omitempty"`
}

// Validate checks that exactly one rule is given and that it parses.
func (a AutoDeploy) Validate() error {
	switch {
	case a.TagPattern != "" && a.Semver != "":
		return fmt.Errorf("give either tagPattern or semver, not both")
	case a.TagPattern != "":
		if _, err := path.Match(a.TagPattern, ""); err != nil {
			return fmt.Errorf("tagPattern %q: %w", a.TagPattern, err)
		}
	case a.Semver != "":
		if _, err := semver.NewConstraint(a.Semver); err != nil {
			return fmt.Errorf("semver %q: %w", a.Semver, err)
		}
	default:
		return fmt.Errorf("give tagPattern or semver")
	}
	return nil
}

// Matches reports whether a new tag falls under the rule.
func (a AutoDeploy) Matches(tag string) bool {
	if a.TagPattern != "" {
		ok, err := path.Match(a.TagPattern, tag)
		return err == nil && ok
	}
	if a.Semver != "" {
		c, err := semver.NewConstraint(a.Semver)
		if err != nil {
			return false
		}
		v, err := semver.NewVersion(tag)
		return err == nil && c.Check(v)
	}
	return false
}

// ConfigurationTemplate is a Helm values file with {{…}} placeholders and the chart it configures.
// Each effective template of a version becomes one Helm release.
type ConfigurationTemplate struct {
	ID             string `json:"id" bson:"id"`
	Name           string `json:"name" bson:"name"`
	Description    string `json:"description" bson:"description"`
	Content        string `json:"content" bson:"content"`
	ChartName      string `json:"chartName" bson:"chartName"`
	ChartVersion   string `json:"chartVersion" bson:"chartVersion"`
	HelmRegistryID string `json:"helmRegistryId" bson:"helmRegistryId"`
}

// TemplateVariable is a project-level variable that templates refer to by name.
type TemplateVariable struct {
	ID              string   `json:"id" bson:"id"`
	Name            string   `json:"name" bson:"name"`
	Label           string   `json:"label" bson:"label"`
	Values          []string `json:"values" bson:"values"`
	UseValues       bool     `json:"useValues" bson:"useValues"`
	DefaultValue    string   `json:"defaultValue" bson:"defaultValue"`
	ShowOnDashboard bool     `json:"showOnDashboard" bson:"showOnDashboard"`
}

// Allows reports whether value is one of the variable's listed values.
func (v TemplateVariable) Allows(value string) bool {
	for _, x := range v.Values {
		if x == value {
			return true
		}
	}
	return false
}

// Project is one image of one docker registry, with the templates that deploy its tags.
type Project struct {
	ID                             string                  `json:"id" bson:"_id"`
	Name                           string                  `json:"name" bson:"name"`
	DockerRegistryID               string                  `json:"dockerRegistryId" bson:"dockerRegistryId"`
	ImageName                      string                  `json:"imageName" bson:"imageName"`
	Namespace                      string                  `json:"namespace" bson:"namespace"`
	NewVersionsDeploymentBehaviour DeploymentBehaviour     `json:"newVersionsDeploymentBehaviour" bson:"newVersionsDeploymentBehaviour"`
	AutoDeploy                     *AutoDeploy             `json:"autoDeploy,omitempty" bson:"autoDeploy,omitempty"`
	URLTemplates                   []string                `json:"urlTemplates" bson:"urlTemplates"`
	DefaultConfigurationTemplates  []ConfigurationTemplate `json:"defaultConfigurationTemplates" bson:"defaultConfigurationTemplates"`
	TemplateVariables              []TemplateVariable      `json:"templateVariables" bson:"templateVariables"`
	DefaultLifetimeBehaviour       Lifetime                `json:"defaultLifetimeBehaviour" bson:"defaultLifetimeBehaviour"`
	Status                         ProjectStatus           `json:"status" bson:"-"`
	// VersionCount is how many versions the project has; answered by the project list and
	// GET of one project, not stored with the project.
	VersionCount *int64    `json:"versionCount,omitempty" bson:"-"`
	CreatedAt    time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt" bson:"updatedAt"`
	// DeletingSince is set while the project's deployments are stopped before it is deleted.
	DeletingSince *time.Time `json:"deletingSince,omitempty" bson:"deletingSince,omitempty"`
	// Revision increases with every write; a write that read an older revision is refused,
	// and a PUT names the revision it was made from.
	Revision int64 `json:"revision" bson:"revision"`
}

// TemplateChecker checks the syntax of a configuration or URL template.
type TemplateChecker func(content string) error

// Normalize fills defaults and empty collections so that documents read and written look alike.
func (p *Project) Normalize() {
	if p.NewVersionsDeploymentBehaviour == "" {
		p.NewVersionsDeploymentBehaviour = BehaviourManually
	}
	if p.DefaultLifetimeBehaviour.Type == "" {
		p.DefaultLifetimeBehaviour = Lifetime{Type: lifetime.UntilTonight}
	}
	if p.URLTemplates == nil {
		p.URLTemplates = []string{}
	}
	if p.DefaultConfigurationTemplates == nil {
		p.DefaultConfigurationTemplates = []ConfigurationTemplate{}
	}
	if p.TemplateVariables == nil {
		p.TemplateVariables = []TemplateVariable{}
	}
	for i := range p.TemplateVariables {
		if p.TemplateVariables[i].Values == nil {
			p.TemplateVariables[i].Values = []string{} // answered as [], never null
		}
	}
}

// Validate checks every field of the project; check validates template syntax.
func (p *Project) Validate(check TemplateChecker) error {
	var pr problems
	pr.addErr("name", ValidateDisplayName(p.Name))
	if p.DockerRegistryID == "" {
		pr.add("dockerRegistryId", "must name a docker registry")
	}
	pr.addErr("imageName", ValidateImageName(p.ImageName))
	if !p.NewVersionsDeploymentBehaviour.Valid() {
		pr.add("newVersionsDeploymentBehaviour", "must be automatically or manually, not %q", p.NewVersionsDeploymentBehaviour)
	}
	if p.AutoDeploy != nil {
		pr.addErr("autoDeploy", p.AutoDeploy.Validate())
	}
	pr.addErr("defaultLifetimeBehaviour", validateLifetime(p.DefaultLifetimeBehaviour, false))
	validateURLTemplates(&pr, "urlTemplates", p.URLTemplates, check)
	validateTemplates(&pr, "defaultConfigurationTemplates", p.DefaultConfigurationTemplates, check)
	seen := map[string]bool{}
	for i, v := range p.TemplateVariables {
		field := fmt.Sprintf("templateVariables[%d]", i)
		pr.addErr(field+".name", ValidateVariableName(v.Name))
		if seen[v.Name] {
			pr.add(field+".name", "variable %q is defined twice", v.Name)
		}
		seen[v.Name] = true
		if v.UseValues && len(v.Values) == 0 {
			pr.add(field+".values", "a select variable needs at least one value")
		}
		if v.UseValues && v.DefaultValue != "" && !v.Allows(v.DefaultValue) {
			pr.add(field+".defaultValue", "%q is not one of the listed values", v.DefaultValue)
		}
		for _, s := range append([]string{v.DefaultValue}, v.Values...) {
			if containsLineBreak(s) {
				pr.add(field, "values must not contain line breaks")
				break
			}
		}
	}
	return pr.err()
}

// Variable returns the project's variable of that name.
func (p *Project) Variable(name string) (TemplateVariable, bool) {
	for _, v := range p.TemplateVariables {
		if v.Name == name {
			return v, true
		}
	}
	return TemplateVariable{}, false
}

func validateURLTemplates(pr *problems, field string, urls []string, check TemplateChecker) {
	for i, u := range urls {
		f := fmt.Sprintf("%s[%d]", field, i)
		if u == "" {
			pr.add(f, "must not be empty")
			continue
		}
		if !checkURLTemplateScheme(u) {
			pr.add(f, "must be an http:// or https:// URL")
			continue
		}
		if check != nil {
			pr.addErr(f, check(u))
		}
	}
}

func validateTemplates(pr *problems, field string, ts []ConfigurationTemplate, check TemplateChecker) {
	names := map[string]bool{}
	for i, t := range ts {
		f := fmt.Sprintf("%s[%d]", field, i)
		pr.addErr(f+".name", ValidateDisplayName(t.Name))
		if names[t.Name] {
			pr.add(f+".name", "template %q is defined twice", t.Name)
		}
		names[t.Name] = true
		if t.ChartName == "" {
			pr.add(f+".chartName", "must name a chart")
		}
		if t.HelmRegistryID == "" {
			pr.add(f+".helmRegistryId", "must name a Helm registry")
		}
		if t.ChartVersion != "" {
			if _, err := semver.NewConstraint(t.ChartVersion); err != nil {
				pr.add(f+".chartVersion", "%q is not a chart version: %v", t.ChartVersion, err)
			}
		}
		if check != nil {
			if err := check(t.Content); err != nil {
				pr.add(f+".content", "template %q: %v", t.Name, err)
			}
		}
	}
}

// containsLineBreak applies the renderer's line-break rule (see render.HasLineBreak), so
// that a value saved is a value that renders.
func containsLineBreak(s string) bool { return render.HasLineBreak(s) }
