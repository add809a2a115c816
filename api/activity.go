package api

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
)

// record appends an activity on behalf of the caller. A failure to record is logged, not
// answered: the change it describes has been made.
func (s *Server) record(c *gin.Context, prio model.Priority, entityType, entityID, title string, descArgs ...any) {
	actor := model.ActorSystem
	if p := principal(c); p != nil {
		actor = p.Actor()
	}
	desc := ""
	if len(descArgs) > 0 {
		desc = fmt.Sprintf(fmt.Sprint(descArgs[0]), descArgs[1:]...)
	}
	a := &model.Activity{Priority: prio, Title: title, Description: desc, Actor: actor, EntityType: entityType, EntityID: entityID}
	if err := s.Store.AddActivity(c.Request.Context(), a); err != nil {
		s.log.WarnContext(c.Request.Context(), "cannot record activity", "title", title, "err", err)
		return
	}
	if err := s.Events.Publish(c.Request.Context(), events.Activity, a); err != nil {
		s.log.DebugContext(c.Request.Context(), "cannot publish activity", "err", err)
	}
}

func (s *Server) listActivities(c *gin.Context) {
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var hide []string
	if !principal(c).Role.AtLeast(model.RoleAdmin) {
		hide = model.AdminOnlyEntityTypes() // as in the live events (aboutAccounts)
	}
	items, total, err := s.Store.ListActivitiesHiding(c.Request.Context(), c.Query("entityId"), hide, pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(200, newList(items, total))
}

// searchResult is the answer of /search: a page of the matching versions (limit, offset;
// newest image first) with their total, and the first matching projects with theirs.
type searchResult struct {
	Projects      []model.Project `json:"projects"`
	ProjectsTotal int64           `json:"projectsTotal"`
	Versions      []model.Version `json:"versions"`
	Total         int64           `json:"total"`
}

// searchProjects is how many matching projects /search answers.
const searchProjects = 20

func (s *Server) search(c *gin.Context) {
	q := c.Query("q")
	if len(q) < 1 || len(q) > 100 {
		s.fail(c, explain(errInvalidRequest, "q must be 1 to 100 characters"))
		return
	}
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	projects, projectsTotal, err := s.Store.SearchProjects(ctx, q, searchProjects)
	if err != nil {
		s.fail(c, err)
		return
	}
	versions, total, err := s.Store.SearchVersions(ctx, q, pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	if projects == nil {
		projects = []model.Project{}
	}
	if versions == nil {
		versions = []model.Version{}
	}
	c.JSON(200, searchResult{Projects: projects, ProjectsTotal: projectsTotal, Versions: versions, Total: total})
}
