package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
)

// exportFormat names this API's export format.
const exportFormat = "oneko/v1"

// exportMetadata describes an export.
type exportMetadata struct {
	Format     string    `json:"format"`
	ExportedAt time.Time `json:"exportedAt"`
}

// projectExport is a project without ids, status or times: what another oneko needs to import it.
type projectExport struct {
	ExportMetadata                 exportMetadata                `json:"exportMetadata"`
	Name                           string                        `json:"name"`
	DockerRegistryID               string                        `json:"dockerRegistryId"`
	ImageName                      string                        `json:"imageName"`
	Namespace                      string                        `json:"namespace"`
	NewVersionsDeploymentBehaviour model.DeploymentBehaviour     `json:"newVersionsDeploymentBehaviour"`
	AutoDeploy                     *model.AutoDeploy             `json:"autoDeploy,omitempty"`
	URLTemplates                   []string                      `json:"urlTemplates"`
	DefaultConfigurationTemplates  []model.ConfigurationTemplate `json:"defaultConfigurationTemplates"`
	TemplateVariables              []model.TemplateVariable      `json:"templateVariables"`
	DefaultLifetimeBehaviour       model.Lifetime                `json:"defaultLifetimeBehaviour"`
}

func (s *Server) exportProject(c *gin.Context) {
	p, err := s.loadProject(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+p.Name+`.oneko.json"`)
	c.JSON(http.StatusOK, projectExport{
		ExportMetadata: exportMetadata{Format: exportFormat, ExportedAt: s.Now().UTC()},
		Name:           p.Name, DockerRegistryID: p.DockerRegistryID, ImageName: p.ImageName, Namespace: p.Namespace,
		NewVersionsDeploymentBehaviour: p.NewVersionsDeploymentBehaviour, AutoDeploy: p.AutoDeploy,
		URLTemplates: p.URLTemplates, DefaultConfigurationTemplates: p.DefaultConfigurationTemplates,
		TemplateVariables: p.TemplateVariables, DefaultLifetimeBehaviour: p.DefaultLifetimeBehaviour,
	})
}

// importDoc accepts both this API's export and O-Neko's: O-Neko names the registry
// dockerRegistryUUID and may write its lifetime as {"daysToLive": n}.
type importDoc struct {
	Name                           string                        `json:"name"`
	DockerRegistryID               string                        `json:"dockerRegistryId"`
	DockerRegistryUUID             string                        `json:"dockerRegistryUUID"`
	ImageName                      string                        `json:"imageName"`
	Namespace                      string                        `json:"namespace"`
	NewVersionsDeploymentBehaviour model.DeploymentBehaviour     `json:"newVersionsDeploymentBehaviour"`
	AutoDeploy                     *model.AutoDeploy             `json:"autoDeploy"`
	URLTemplates                   []string                      `json:"urlTemplates"`
	DefaultConfigurationTemplates  []model.ConfigurationTemplate `json:"defaultConfigurationTemplates"`
	TemplateVariables              []model.TemplateVariable      `json:"templateVariables"`
	DefaultLifetimeBehaviour       json.RawMessage               `json:"defaultLifetimeBehaviour"`
	ExportMetadata                 json.RawMessage               `json:"exportMetadata"`
}

// importProject creates a project from an export. ?dockerRegistryId= and ?helmRegistryId=
// map the registries of another installation to this one's.
func (s *Server) importProject(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in importDoc
	// Exports carry fields this server does not use (O-Neko's versions, uuids): they are ignored.
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&in); err != nil {
		s.fail(c, badRequest(describeJSONError(err)))
		return
	}
	p := model.Project{
		Name: in.Name, DockerRegistryID: in.DockerRegistryID, ImageName: in.ImageName, Namespace: in.Namespace,
		NewVersionsDeploymentBehaviour: in.NewVersionsDeploymentBehaviour, AutoDeploy: in.AutoDeploy,
		URLTemplates: in.URLTemplates, DefaultConfigurationTemplates: in.DefaultConfigurationTemplates,
		TemplateVariables: in.TemplateVariables,
	}
	if p.DockerRegistryID == "" {
		p.DockerRegistryID = in.DockerRegistryUUID
	}
	if id := c.Query("dockerRegistryId"); id != "" {
		p.DockerRegistryID = id
	}
	if id := c.Query("helmRegistryId"); id != "" {
		for i := range p.DefaultConfigurationTemplates {
			p.DefaultConfigurationTemplates[i].HelmRegistryID = id
		}
	}
	lt, err := parseImportedLifetime(in.DefaultLifetimeBehaviour)
	if err != nil {
		s.fail(c, err)
		return
	}
	p.DefaultLifetimeBehaviour = lt
	// Ids of templates and variables come from another installation: give them new ones.
	for i := range p.DefaultConfigurationTemplates {
		p.DefaultConfigurationTemplates[i].ID = ""
	}
	for i := range p.TemplateVariables {
		p.TemplateVariables[i].ID = ""
	}
	s.insertProject(c, &p, "Project imported")
}

// parseImportedLifetime reads {"type","value"} or O-Neko's {"daysToLive": n} (0 or absent: infinite).
func parseImportedLifetime(raw json.RawMessage) (model.Lifetime, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return model.Lifetime{Type: lifetime.UntilTonight}, nil
	}
	var v struct {
		Type       string `json:"type"`
		Value      int    `json:"value"`
		DaysToLive *int   `json:"daysToLive"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return model.Lifetime{}, badRequest("defaultLifetimeBehaviour: " + describeJSONError(err))
	}
	switch {
	case v.Type != "":
		return model.Lifetime{Type: v.Type, Value: v.Value}, nil
	case v.DaysToLive != nil && *v.DaysToLive > 0:
		return model.Lifetime{Type: lifetime.Days, Value: *v.DaysToLive}, nil
	}
	return model.Lifetime{Type: lifetime.Infinite}, nil
}
