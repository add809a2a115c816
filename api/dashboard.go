package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// dashboardCSP is the Content-Security-Policy of the dashboard's pages: scripts only from this
// origin (the app has no inline script), inline styles allowed (the UI kit sets style
// attributes), API calls and the event stream only to this origin, never framed.
const dashboardCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; " +
	"base-uri 'self'; form-action 'self'; object-src 'none'"

// dashboard serves the embedded single-page application (package web) at "/" and, through
// noRoute, at every other non-API path, so that its deep links work.
func (s *Server) dashboard(c *gin.Context) {
	c.Header("Content-Security-Policy", dashboardCSP)
	c.Header("X-Content-Type-Options", "nosniff")
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
	s.fail(c, notFound("no route "+c.Request.Method+" "+c.Request.URL.Path))
}
