package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// dashboard serves the embedded single-page application (package web) at "/" and, through
// noRoute, at every other non-API path, so that its deep links work.
// The securityHeaders middleware sets its Content-Security-Policy.
func (s *Server) dashboard(c *gin.Context) {
	s.Dashboard.ServeHTTP(c.Writer, c.Request)
}

// isAPIPath reports whether a path belongs to the API or the operational endpoints, which
// answer problem+json 404s for unknown paths instead of the dashboard.
func isAPIPath(p string) bool {
	switch {
	case p == "/api" || strings.HasPrefix(p, "/api/"):
		return true
	case p == "/healthz" || p == "/readyz" || p == "/metrics":
		return true
	}
	return false
}

// noRoute answers paths no route matches: the dashboard for GET and HEAD outside the API,
// else a problem+json 404.
func (s *Server) noRoute(c *gin.Context) {
	if (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) && !isAPIPath(c.Request.URL.Path) {
		s.dashboard(c)
		return
	}
	s.fail(c, explain(errNoRoute, "no route %s %s", c.Request.Method, c.Request.URL.Path))
}
