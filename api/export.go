package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/onekoformat"
	"github.com/oneko/oneko/internal/store"
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
	c.Header("Content-Disposition", attachment(p.Name+".oneko.json"))
	c.JSON(http.StatusOK, projectExport{
		ExportMetadata: exportMetadata{Format: exportFormat, ExportedAt: s.Now().UTC()},
		Name:           p.Name, DockerRegistryID: p.DockerRegistryID, ImageName: p.ImageName, Namespace: p.Namespace,
		NewVersionsDeploymentBehaviour: p.NewVersionsDeploymentBehaviour, AutoDeploy: p.AutoDeploy,
		URLTemplates: p.URLTemplates, DefaultConfigurationTemplates: p.DefaultConfigurationTemplates,
		TemplateVariables: p.TemplateVariables, DefaultLifetimeBehaviour: p.DefaultLifetimeBehaviour,
	})
}

// importDoc is this API's export (exportMetadata.format "oneko/v1"). The import route
// also takes O-Neko's exports (see package onekoformat).
type importDoc struct {
	ExportMetadata                 *exportMetadata               `json:"exportMetadata"`
	Name                           string                        `json:"name"`
	DockerRegistryID               string                        `json:"dockerRegistryId"`
	ImageName                      string                        `json:"imageName"`
	Namespace                      string                        `json:"namespace"`
	NewVersionsDeploymentBehaviour model.DeploymentBehaviour     `json:"newVersionsDeploymentBehaviour"`
	AutoDeploy                     *model.AutoDeploy             `json:"autoDeploy"`
	URLTemplates                   []string                      `json:"urlTemplates"`
	DefaultConfigurationTemplates  []model.ConfigurationTemplate `json:"defaultConfigurationTemplates"`
	TemplateVariables              []model.TemplateVariable      `json:"templateVariables"`
	DefaultLifetimeBehaviour       model.Lifetime                `json:"defaultLifetimeBehaviour"`
}

// importProject creates a project from an export: this API's own (exportMetadata.format)
// or O-Neko's, as O-Neko writes it (see package onekoformat). ?dockerRegistryId= and
// ?helmRegistryId= choose the registries here; without ?helmRegistryId=, each template
// of an O-Neko export goes to the Helm registry named in its chartName.
func (s *Server) importProject(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Exports carry fields this server does not use (O-Neko's uuids, status): they are ignored.
	var head struct {
		ExportMetadata *struct {
			Format string `json:"format"`
		} `json:"exportMetadata"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		s.fail(c, malformedJSON(err))
		return
	}
	var p model.Project
	if head.ExportMetadata != nil && head.ExportMetadata.Format != "" {
		p, err = importOwn(body, head.ExportMetadata.Format)
	} else {
		p, err = s.importONeko(c, body)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if id := c.Query("dockerRegistryId"); id != "" {
		p.DockerRegistryID = id
	}
	if id := c.Query("helmRegistryId"); id != "" {
		for i := range p.DefaultConfigurationTemplates {
			p.DefaultConfigurationTemplates[i].HelmRegistryID = id
		}
	}
	// Ids of templates and variables come from another installation: give them new ones.
	for i := range p.DefaultConfigurationTemplates {
		p.DefaultConfigurationTemplates[i].ID = ""
	}
	for i := range p.TemplateVariables {
		p.TemplateVariables[i].ID = ""
	}
	s.insertProject(c, &p, "Project imported")
}

// importOwn reads this API's export.
func importOwn(body []byte, format string) (model.Project, error) {
	if format != exportFormat {
		return model.Project{}, unprocessable("exportMetadata.format", fmt.Sprintf("export format %q is not known; this server reads %q and O-Neko's exports", format, exportFormat))
	}
	var in importDoc
	if err := json.Unmarshal(body, &in); err != nil {
		return model.Project{}, malformedJSON(err)
	}
	return model.Project{
		Name: in.Name, DockerRegistryID: in.DockerRegistryID, ImageName: in.ImageName, Namespace: in.Namespace,
		NewVersionsDeploymentBehaviour: in.NewVersionsDeploymentBehaviour, AutoDeploy: in.AutoDeploy,
		URLTemplates: in.URLTemplates, DefaultConfigurationTemplates: in.DefaultConfigurationTemplates,
		TemplateVariables: in.TemplateVariables, DefaultLifetimeBehaviour: in.DefaultLifetimeBehaviour,
	}, nil
}

// importONeko reads an O-Neko export and maps its Helm registries by name. Templates
// that cannot be mapped are refused, each named in the answer.
func (s *Server) importONeko(c *gin.Context, body []byte) (model.Project, error) {
	var ex onekoformat.Export
	if err := json.Unmarshal(body, &ex); err != nil {
		return model.Project{}, malformedJSON(err)
	}
	if err := ex.CheckVersion(); err != nil {
		return model.Project{}, unprocessable("exportMetadata.version", err.Error())
	}
	m := onekoformat.Mapping{HelmRegistryID: c.Query("helmRegistryId"), DockerRegistryID: c.Query("dockerRegistryId")}
	if m.HelmRegistryID == "" {
		helms, _, err := s.Store.ListHelmRegistries(c.Request.Context(), store.Page{Limit: 500})
		if err != nil {
			return model.Project{}, err
		}
		m.HelmRegistries = make(map[string]string, len(helms))
		for _, h := range helms {
			m.HelmRegistries[h.Name] = h.ID
		}
	}
	if m.DockerRegistryID == "" {
		uuid := ""
		if ex.DockerRegistryUUID != nil {
			uuid = *ex.DockerRegistryUUID
		}
		return model.Project{}, unprocessable("dockerRegistryId", fmt.Sprintf(
			"the export names O-Neko's docker registry %q, which means nothing here: pass ?dockerRegistryId= with the id of a docker registry of this server", uuid))
	}
	p, unmapped := onekoformat.Convert(ex.ProjectFields, m)
	if len(unmapped) > 0 {
		ve := &model.ValidationError{}
		for _, u := range unmapped {
			ve.Fields = append(ve.Fields, model.FieldError{
				Field: fmt.Sprintf("defaultConfigurationTemplates[%d].chartName", u.Index), Message: u.Explain() + "; create it or pass ?helmRegistryId="})
		}
		return model.Project{}, ve
	}
	return p, nil
}

// attachment is a Content-Disposition naming a download (RFC 6266): an ASCII fallback with
// everything but letters, digits, '.', '-' and '_' replaced, and the exact name UTF-8 encoded
// in filename*. A name cannot break out of the header or add parameters.
func attachment(name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_') {
			return r
		}
		return '_'
	}, name)
	var enc strings.Builder
	for _, b := range []byte(name) {
		if b < 128 && (unicode.IsLetter(rune(b)) || unicode.IsDigit(rune(b)) || strings.IndexByte("-._~", b) >= 0) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + enc.String()
}
