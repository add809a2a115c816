// Package onekoformat reads the documents O-Neko (1.x) writes — project exports and the
// answers of its REST API, as described in O-Neko's formats — and converts them into
// oneko's model. The import route and `oneko migrate` share it, so an O-Neko project
// becomes the same oneko project either way.
package onekoformat

import (
	"fmt"
	"strings"

	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
)

// ExportVersion is the only export version O-Neko writes and accepts.
const ExportVersion = 0

// Template is a configuration template as O-Neko writes it: id null in exports,
// chartName "<helm-registry-name>/<chart>", chartVersion null for the latest, and
// helmRegistryId an O-Neko id.
type Template = model.ConfigurationTemplate

// Variable is a template variable as O-Neko writes it (id null in exports, defaultValue
// may be null).
type Variable = model.TemplateVariable

// Lifetime is O-Neko's lifetime behaviour: type and value (days for DAYS).
type Lifetime struct {
	Type  string `json:"type"`
	Value int    `json:"value"`
}

// ExportMetadata is the exportMetadata of an export.
type ExportMetadata struct {
	Version    *int   `json:"version"`
	ExportedAt string `json:"exportedAt"`
}

// ProjectFields are the fields an export and a ProjectDTO share.
type ProjectFields struct {
	Name                           string     `json:"name"`
	ImageName                      string     `json:"imageName"`
	NewVersionsDeploymentBehaviour string     `json:"newVersionsDeploymentBehaviour"`
	URLTemplates                   []string   `json:"urlTemplates"`
	DefaultConfigurationTemplates  []Template `json:"defaultConfigurationTemplates"`
	TemplateVariables              []Variable `json:"templateVariables"`
	DockerRegistryUUID             *string    `json:"dockerRegistryUUID"`
	Status                         string     `json:"status"`
	// DefaultLifetimeBehaviour is nil when the project's deployments never expire.
	DefaultLifetimeBehaviour *Lifetime `json:"defaultLifetimeBehaviour"`
}

// Export is O-Neko's project export (GET /api/project/{id}/export).
type Export struct {
	ProjectFields
	ExportMetadata *ExportMetadata `json:"exportMetadata"`
}

// CheckVersion refuses an export whose version oneko does not know.
func (e *Export) CheckVersion() error {
	if e.ExportMetadata == nil || e.ExportMetadata.Version == nil || *e.ExportMetadata.Version == ExportVersion {
		return nil
	}
	return fmt.Errorf("O-Neko export version %d is not supported: oneko imports version %d, which O-Neko 1.x writes",
		*e.ExportMetadata.Version, ExportVersion)
}

// Project is O-Neko's ProjectDTO (GET /api/project).
type Project struct {
	ProjectFields
	UUID      string    `json:"uuid"`
	Versions  []Version `json:"versions"`
	Namespace *string   `json:"namespace"`
}

// Version is O-Neko's ProjectVersionDTO.
type Version struct {
	UUID                   string            `json:"uuid"`
	Name                   string            `json:"name"`
	DeploymentBehaviour    string            `json:"deploymentBehaviour"`
	TemplateVariables      map[string]string `json:"templateVariables"`
	Deployment             *Deployment       `json:"deployment"`
	URLs                   []string          `json:"urls"`
	URLTemplates           []string          `json:"urlTemplates"`
	ConfigurationTemplates []Template        `json:"configurationTemplates"`
	Outdated               bool              `json:"outdated"`
	LifetimeBehaviour      *Lifetime         `json:"lifetimeBehaviour"`
	Namespace              *string           `json:"namespace"`
	DesiredState           string            `json:"desiredState"`
	ImageUpdatedDate       *string           `json:"imageUpdatedDate"`
}

// Deployment is a version's deployment state in O-Neko.
type Deployment struct {
	Status    string  `json:"status"`
	Timestamp *string `json:"timestamp"`
}

// DockerRegistry is O-Neko's DockerRegistryDTO (no password: O-Neko never returns one).
type DockerRegistry struct {
	UUID                     string `json:"uuid"`
	Name                     string `json:"name"`
	RegistryURL              string `json:"registryUrl"`
	UserName                 string `json:"userName"`
	TrustInsecureCertificate bool   `json:"trustInsecureCertificate"`
}

// HelmRegistry is O-Neko's HelmRegistryDTO (no password).
type HelmRegistry struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	URL      string `json:"url"`
	Username string `json:"username"`
}

// Namespace is O-Neko's DefinedNamespaceDTO; Name has the "on-" prefix.
type Namespace struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// User is O-Neko's UserDTO (no password).
type User struct {
	UUID      string `json:"uuid"`
	Username  string `json:"username"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
	Role      string `json:"role"`
}

// Mapping says which oneko documents O-Neko's references become.
type Mapping struct {
	// DockerRegistryID is the oneko docker registry of the project.
	DockerRegistryID string
	// HelmRegistryID, when set, is the Helm registry of every template.
	HelmRegistryID string
	// HelmRegistries maps Helm registry names to oneko ids; a template's chartName
	// "<name>/<chart>" picks its registry from it unless HelmRegistryID is set.
	HelmRegistries map[string]string
}

// Unmapped names a template whose Helm registry could not be found.
type Unmapped struct {
	Index    int    // the template's index in its list
	Template string // its name
	Registry string // the Helm registry name its chartName gives, or empty
	Chart    string // its chartName as O-Neko wrote it
}

// Explain says what is missing; the caller adds how to fix it.
func (u Unmapped) Explain() string {
	if u.Registry == "" {
		return fmt.Sprintf("template %q: chart %q names no Helm registry (O-Neko writes <helm-registry-name>/<chart>)", u.Template, u.Chart)
	}
	return fmt.Sprintf("template %q: chart %q is in O-Neko's Helm registry %q, and oneko has no Helm registry of that name", u.Template, u.Chart, u.Registry)
}

// Convert turns O-Neko's project fields into a oneko project (without id and
// namespace): schemeless URL templates get https://, each template's chart is split
// into its Helm registry (mapped to a oneko id) and the chart alone, ids from O-Neko are
// dropped, a null lifetime becomes INFINITE. Templates whose registry is not found are
// returned in unmapped, with an empty HelmRegistryID.
func Convert(f ProjectFields, m Mapping) (p model.Project, unmapped []Unmapped) {
	p = model.Project{
		Name: f.Name, ImageName: f.ImageName, DockerRegistryID: m.DockerRegistryID,
		NewVersionsDeploymentBehaviour: model.DeploymentBehaviour(f.NewVersionsDeploymentBehaviour),
		URLTemplates:                   URLTemplates(f.URLTemplates),
		DefaultLifetimeBehaviour:       ConvertLifetime(f.DefaultLifetimeBehaviour, lifetime.Infinite),
	}
	p.DefaultConfigurationTemplates, unmapped = ConvertTemplates(f.DefaultConfigurationTemplates, m)
	for _, v := range f.TemplateVariables {
		v.ID = ""
		p.TemplateVariables = append(p.TemplateVariables, v)
	}
	p.Normalize()
	return p, unmapped
}

// ConvertTemplates maps templates as Convert does.
func ConvertTemplates(ts []Template, m Mapping) (out []model.ConfigurationTemplate, unmapped []Unmapped) {
	for k, t := range ts {
		registry, chart := SplitChartName(t.ChartName)
		t.ID = ""
		t.ChartName = chart
		switch id, ok := m.HelmRegistries[registry]; {
		case m.HelmRegistryID != "":
			t.HelmRegistryID = m.HelmRegistryID
		case registry != "" && ok:
			t.HelmRegistryID = id
		default:
			t.HelmRegistryID = ""
			unmapped = append(unmapped, Unmapped{Index: k, Template: t.Name, Registry: registry, Chart: ts[k].ChartName})
		}
		out = append(out, t)
	}
	return out, unmapped
}

// SplitChartName splits O-Neko's "<helm-registry-name>/<chart>" at the first slash;
// a name without one is a chart alone.
func SplitChartName(s string) (registry, chart string) {
	if r, c, ok := strings.Cut(s, "/"); ok {
		return r, c
	}
	return "", s
}

// URLTemplates puts https:// in front of URL templates without a scheme, as O-Neko's
// dashboard does when it shows them.
func URLTemplates(us []string) []string {
	out := make([]string, len(us))
	for k, u := range us {
		if !strings.Contains(u, "://") {
			u = "https://" + u
		}
		out[k] = u
	}
	return out
}

// ConvertLifetime turns O-Neko's lifetime into oneko's; nil becomes ifNil.
func ConvertLifetime(l *Lifetime, ifNil string) model.Lifetime {
	if l == nil {
		return model.Lifetime{Type: ifNil}
	}
	out := model.Lifetime{Type: l.Type}
	if l.Type == lifetime.Days {
		out.Value = l.Value
	}
	return out
}
