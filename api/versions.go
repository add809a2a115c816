package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

func (s *Server) listVersions(c *gin.Context) {
	p, err := s.loadProject(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.Store.ListVersions(c.Request.Context(), p.ID, c.Query("q"), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, total))
}

// loadVersion reads the project and version of the :id and :vid parameters.
func (s *Server) loadVersion(c *gin.Context) (*model.Project, *model.Version, error) {
	p, err := s.loadProject(c)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.Store.GetVersion(c.Request.Context(), p.ID, c.Param("vid"))
	return p, v, notFoundAs(err, "project %q has no version with id %q", p.ID, c.Param("vid"))
}

func (s *Server) getVersion(c *gin.Context) {
	_, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	setETag(c, v.Revision)
	c.JSON(http.StatusOK, v)
}

// versionPatch is the body of PATCH: every field optional; a present field replaces the override.
type versionPatch struct {
	DeploymentBehaviour    *model.DeploymentBehaviour     `json:"deploymentBehaviour"`
	TemplateVariables      *map[string]string             `json:"templateVariables"`
	URLTemplates           *[]string                      `json:"urlTemplates"`
	ConfigurationTemplates *[]model.ConfigurationTemplate `json:"configurationTemplates"`
	LifetimeBehaviour      *model.Lifetime                `json:"lifetimeBehaviour"`
	Namespace              *string                        `json:"namespace"`
}

func (s *Server) patchVersion(c *gin.Context) {
	p, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := checkIfMatch(c, v.Revision); err != nil {
		s.fail(c, err)
		return
	}
	var patch versionPatch
	if err := decode(c, &patch); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	before := *v
	if patch.DeploymentBehaviour != nil {
		v.DeploymentBehaviour = *patch.DeploymentBehaviour
	}
	if patch.TemplateVariables != nil {
		v.TemplateVariables = *patch.TemplateVariables
	}
	if patch.URLTemplates != nil {
		v.URLTemplates = *patch.URLTemplates
	}
	if patch.ConfigurationTemplates != nil {
		v.ConfigurationTemplates = *patch.ConfigurationTemplates
		for i := range v.ConfigurationTemplates {
			if v.ConfigurationTemplates[i].ID == "" {
				v.ConfigurationTemplates[i].ID = newID()
			}
		}
	}
	if patch.LifetimeBehaviour != nil {
		l := *patch.LifetimeBehaviour
		v.LifetimeBehaviour = &l
	}
	if patch.Namespace != nil {
		v.Namespace = ""
		if *patch.Namespace != "" {
			ns, err := s.resolveNamespace(ctx, "namespace", *patch.Namespace)
			if err != nil {
				s.fail(c, err)
				return
			}
			v.Namespace = ns
		}
	}
	v.Normalize()
	if err := v.Validate(p, s.CheckTemplate); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.checkTemplateRefs(ctx, "configurationTemplates", v.ConfigurationTemplates); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.trialRender(ctx, p, v); err != nil {
		s.fail(c, err)
		return
	}
	if deploy.VersionOutdated(&before, v) {
		v.AddOutdated(model.VersionChanges(&before, v)...)
	}
	if err := s.Store.UpdateVersion(ctx, v); err != nil {
		s.fail(c, err)
		return
	}
	s.record(c, model.PriorityInfo, model.EntityVersion, v.ID, "Version changed", "version %s of project %s", v.Name, p.Name)
	setETag(c, v.Revision)
	c.JSON(http.StatusOK, v)
}

// putVariables sets the given template variables of a version; the others stay as they are.
// A VIEWER may only set dashboard select variables to one of their listed values.
func (s *Server) putVariables(c *gin.Context) {
	p, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var vars map[string]string
	if err := decode(c, &vars); err != nil {
		s.fail(c, err)
		return
	}
	caller := principal(c)
	if !caller.Role.AtLeast(model.RoleDoer) {
		for name, value := range vars {
			pv, ok := p.Variable(name)
			switch {
			case !ok:
				s.fail(c, explain(errForbidden, "%q is not a variable of project %s", name, p.Name))
				return
			case !pv.UseValues || !pv.ShowOnDashboard:
				s.fail(c, explain(errForbidden, "a VIEWER may only set dashboard select variables; %q is not one", name))
				return
			case !pv.Allows(value):
				s.fail(c, explain(errForbidden, "%q is not one of the listed values of %q: %v", value, name, pv.Values))
				return
			}
		}
	}
	before := *v
	merged := make(map[string]string, len(v.TemplateVariables)+len(vars))
	for k, x := range v.TemplateVariables {
		merged[k] = x
	}
	for k, x := range vars {
		merged[k] = x
	}
	v.TemplateVariables = merged
	if err := v.Validate(p, s.CheckTemplate); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.trialRender(c.Request.Context(), p, v); err != nil {
		s.fail(c, err)
		return
	}
	if deploy.VersionOutdated(&before, v) {
		v.AddOutdated(model.VersionChanges(&before, v)...)
	}
	if err := s.Store.UpdateVersion(c.Request.Context(), v); err != nil {
		s.fail(c, err)
		return
	}
	s.record(c, model.PriorityInfo, model.EntityVersion, v.ID, "Variables changed", "version %s of project %s: %d variable(s) set", v.Name, p.Name, len(vars))
	c.JSON(http.StatusOK, v)
}

func (s *Server) deployVersion(c *gin.Context) { s.changeDesired(c, model.Deployed) }

func (s *Server) stopVersion(c *gin.Context) { s.changeDesired(c, model.NotDeployed) }

// taskAccepted is the answer of deploy and stop: the id of the queued task.
type taskAccepted struct {
	TaskID string `json:"taskId"`
}

// tasksAccepted is the answer of a project deletion that first stops its versions.
type tasksAccepted struct {
	TaskIDs []string `json:"taskIds"`
}

func (s *Server) changeDesired(c *gin.Context, state model.DesiredState) {
	p, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if p.DeletingSince != nil && state == model.Deployed {
		s.fail(c, explain(errProjectDeleting, "project %s is being deleted; its versions cannot be deployed", p.Name))
		return
	}
	if v.Removed && state == model.Deployed {
		s.fail(c, explain(errVersionRemoved, "tag %s is gone from the registry; push it again to deploy it", v.Name))
		return
	}
	id, err := s.setDesired(c, p, v.ID, state)
	if err != nil {
		s.fail(c, err)
		return
	}
	title := "Deploy requested"
	if state == model.NotDeployed {
		title = "Stop requested"
	}
	s.record(c, model.PriorityInfo, model.EntityVersion, v.ID, title, "version %s of project %s", v.Name, p.Name)
	c.JSON(http.StatusAccepted, taskAccepted{TaskID: id})
}

// setDesired records the desired state (the last request wins) and queues the task that
// applies it. The desired state is durable in MongoDB before anything is queued: if the queue is
// down, the answer is 503 and the periodic reconcile applies the state once it is back.
func (s *Server) setDesired(c *gin.Context, p *model.Project, versionID string, state model.DesiredState) (string, error) {
	ctx := c.Request.Context()
	v, err := s.Store.GetVersion(ctx, p.ID, versionID)
	if err != nil {
		return "", err
	}
	req := deploy.Request{Project: p, Version: v, State: state}
	if pr := principal(c); pr != nil {
		req.Actor = pr.Actor()
	}
	r := deploy.Requester{Store: s.Store, Queue: tasks.Queue{Enqueuer: s.Queue}, Lifetime: s.Lifetime, Now: s.Now}
	return r.RequestState(ctx, req)
}

// versionConfiguration answers the rendered values of each release of a version.
func (s *Server) versionConfiguration(c *gin.Context) {
	p, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.Renderer == nil {
		s.fail(c, errNoRenderer)
		return
	}
	out, err := s.Renderer.Render(c.Request.Context(), p, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}
