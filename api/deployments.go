package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/model"
)

// deploymentsAnswer is what GET /deployments answers: the active versions and the projects
// they belong to (for their names and dashboard variables), in one call.
type deploymentsAnswer struct {
	Items    []model.Version `json:"items"`
	Total    int             `json:"total"`
	Projects []model.Project `json:"projects"`
}

// maxProjectFilter bounds the ?project= list.
const maxProjectFilter = 100

// listDeployments answers the versions the dashboard's home page shows: desired Deployed, or
// still Pending, Running or Failed, across projects (?project=id,id… restricts them), with
// their projects.
func (s *Server) listDeployments(c *gin.Context) {
	var ids []string
	if raw := c.Query("project"); raw != "" {
		for _, id := range strings.Split(raw, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) > maxProjectFilter {
			s.fail(c, explain(errInvalidRequest, "project: at most 100 project ids, separated by commas"))
			return
		}
	}
	ctx := c.Request.Context()
	items, err := s.Store.ActiveVersions(ctx, ids)
	if err != nil {
		s.fail(c, err)
		return
	}
	if items == nil {
		items = []model.Version{}
	}
	of := make([]string, 0, len(items))
	seen := map[string]bool{}
	for _, v := range items {
		if !seen[v.ProjectID] {
			seen[v.ProjectID] = true
			of = append(of, v.ProjectID)
		}
	}
	projects, err := s.Store.ProjectsByID(ctx, of)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, deploymentsAnswer{Items: items, Total: len(items), Projects: projects})
}
