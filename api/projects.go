package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

func (s *Server) listProjects(c *gin.Context) {
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.Store.ListProjects(c.Request.Context(), c.Query("q"), pg)
	if err == nil {
		err = s.withVersionCounts(c.Request.Context(), items)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, total))
}

// withVersionCounts fills in the projects' version counts (stored per project, no scan).
func (s *Server) withVersionCounts(ctx context.Context, ps []model.Project) error {
	ids := make([]string, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
	}
	counts, err := s.Store.VersionCounts(ctx, ids)
	if err != nil {
		return err
	}
	for i := range ps {
		n := counts[ps[i].ID]
		ps[i].VersionCount = &n
	}
	return nil
}

// loadProject reads the project of the :id parameter.
func (s *Server) loadProject(c *gin.Context) (*model.Project, error) {
	p, err := s.Store.GetProject(c.Request.Context(), c.Param("id"))
	return p, notFoundAs(err, "no project with id %q", c.Param("id"))
}

func (s *Server) getProject(c *gin.Context) {
	p, err := s.loadProject(c)
	if err == nil {
		err = s.Store.ProjectStatus(c.Request.Context(), p)
	}
	if err == nil {
		one := []model.Project{*p}
		err = s.withVersionCounts(c.Request.Context(), one)
		p.VersionCount = one[0].VersionCount
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	setETag(c, p.Revision)
	c.JSON(http.StatusOK, p)
}

// checkProjectRefs validates a project and checks that what it refers to exists.
func (s *Server) checkProjectRefs(ctx context.Context, p *model.Project) error {
	p.Normalize()
	if err := p.Validate(s.CheckTemplate); err != nil {
		return err
	}
	if _, err := s.Store.GetDockerRegistry(ctx, p.DockerRegistryID); errors.Is(err, store.ErrNotFound) {
		return unprocessable("dockerRegistryId", fmt.Sprintf("no docker registry with id %q", p.DockerRegistryID))
	} else if err != nil {
		return err
	}
	if err := s.checkTemplateRefs(ctx, "defaultConfigurationTemplates", p.DefaultConfigurationTemplates); err != nil {
		return err
	}
	if p.Namespace != "" {
		ns, err := s.resolveNamespace(ctx, "namespace", p.Namespace)
		if err != nil {
			return err
		}
		p.Namespace = ns
	}
	return s.trialRender(ctx, p, nil)
}

// trialRender refuses a project (v nil) or a version whose templates exceed the rendering
// limits with the project's defaults, so that it never reaches a worker.
func (s *Server) trialRender(ctx context.Context, p *model.Project, v *model.Version) error {
	if s.Renderer == nil {
		return nil
	}
	return s.Renderer.Trial(ctx, p, v)
}

// resolveNamespace turns a given namespace name into the name of a defined namespace.
func (s *Server) resolveNamespace(ctx context.Context, field, name string) (string, error) {
	kube, err := model.SanitizeNamespace(name)
	if err != nil {
		return "", unprocessable(field, err.Error())
	}
	if _, err := s.Store.NamespaceByKubeName(ctx, kube); errors.Is(err, store.ErrNotFound) {
		return "", unprocessable(field, fmt.Sprintf("namespace %q is not defined (an ADMIN defines namespaces)", kube))
	} else if err != nil {
		return "", err
	}
	return kube, nil
}

func (s *Server) checkTemplateRefs(ctx context.Context, field string, ts []model.ConfigurationTemplate) error {
	for i, t := range ts {
		if _, err := s.Store.GetHelmRegistry(ctx, t.HelmRegistryID); errors.Is(err, store.ErrNotFound) {
			return unprocessable(fmt.Sprintf("%s[%d].helmRegistryId", field, i), fmt.Sprintf("no Helm registry with id %q", t.HelmRegistryID))
		} else if err != nil {
			return err
		}
	}
	return nil
}

// unprocessable is a validation problem about one field.
func unprocessable(field, msg string) error {
	return &model.ValidationError{Fields: []model.FieldError{{Field: field, Message: msg}}}
}

// assignTemplateIDs gives templates and variables without an id a fresh one.
func assignTemplateIDs(p *model.Project) {
	for i := range p.DefaultConfigurationTemplates {
		if p.DefaultConfigurationTemplates[i].ID == "" {
			p.DefaultConfigurationTemplates[i].ID = newID()
		}
	}
	for i := range p.TemplateVariables {
		if p.TemplateVariables[i].ID == "" {
			p.TemplateVariables[i].ID = newID()
		}
	}
}

func (s *Server) createProject(c *gin.Context) {
	var p model.Project
	if err := decode(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	p.ID, p.Status, p.Revision, p.DeletingSince = "", "", 0, nil
	s.insertProject(c, &p, "Project created")
}

// insertProject validates a new project and what it refers to, stores it, records the
// activity and answers 201. Create and import both end here.
func (s *Server) insertProject(c *gin.Context, p *model.Project, title string) {
	ctx := c.Request.Context()
	if err := s.checkProjectRefs(ctx, p); err != nil {
		s.fail(c, err)
		return
	}
	assignTemplateIDs(p)
	if err := s.Store.CreateProject(ctx, p); err != nil {
		s.fail(c, err)
		return
	}
	p.Status = model.ProjectNotDeployed
	s.record(c, model.PriorityInfo, model.EntityProject, p.ID, title, "project %s for image %s", p.Name, p.ImageName)
	setETag(c, p.Revision)
	c.JSON(http.StatusCreated, p)
}

func (s *Server) putProject(c *gin.Context) {
	old, err := s.loadProject(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var p model.Project
	if err := decode(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	if err := requireRevision(c, old.Revision, p.Revision); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	p.ID, p.CreatedAt, p.Revision, p.DeletingSince = old.ID, old.CreatedAt, old.Revision, old.DeletingSince
	if err := s.checkProjectRefs(ctx, &p); err != nil {
		s.fail(c, err)
		return
	}
	assignTemplateIDs(&p)
	if err := s.Store.UpdateProject(ctx, &p); err != nil {
		s.fail(c, revisionConflict(err))
		return
	}
	if deploy.ProjectOutdates(old, &p) {
		n, err := s.Store.MarkOutdated(ctx, p.ID, model.ProjectChanges(old, &p))
		if err != nil {
			s.fail(c, err)
			return
		}
		s.record(c, model.PriorityInfo, model.EntityProject, p.ID, "Project changed", "project %s changed; %d deployed version(s) are now outdated", p.Name, n)
	} else {
		s.record(c, model.PriorityInfo, model.EntityProject, p.ID, "Project changed", "project %s changed", p.Name)
	}
	if err := s.Store.ProjectStatus(ctx, &p); err != nil {
		s.fail(c, err)
		return
	}
	setETag(c, p.Revision)
	c.JSON(http.StatusOK, &p)
}

// deleteProject deletes a project at once when nothing of it is deployed. Otherwise it marks
// the project as being deleted, queues a stop of every deployed version and answers 202; the
// worker deletes the project once the last release is gone.
func (s *Server) deleteProject(c *gin.Context) {
	p, err := s.loadProject(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	deployed, err := s.Store.DeployedVersions(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(deployed) == 0 {
		if err := s.Store.DeleteProject(ctx, p.ID); err != nil {
			s.fail(c, err)
			return
		}
		s.record(c, model.PriorityInfo, model.EntityProject, p.ID, "Project deleted", "project %s", p.Name)
		c.Status(http.StatusNoContent)
		return
	}
	now := s.Now().UTC()
	p.DeletingSince = &now
	if err := s.Store.UpdateProject(ctx, p); err != nil {
		s.fail(c, err)
		return
	}
	ids := make([]string, 0, len(deployed))
	for _, v := range deployed {
		id, err := s.setDesired(c, p, v.ID, model.NotDeployed)
		if err != nil {
			s.fail(c, err)
			return
		}
		ids = append(ids, id)
	}
	s.record(c, model.PriorityInfo, model.EntityProject, p.ID, "Project deletion started", "project %s: stopping %d deployed version(s) first", p.Name, len(deployed))
	c.JSON(http.StatusAccepted, tasksAccepted{TaskIDs: ids})
}
