package api

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

//go:embed dashboard.html
var dashboardHTML []byte

// dashboard serves the single-page dashboard; it talks to the REST API with the session cookie.
func (s *Server) dashboard(c *gin.Context) {
	c.Header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'")
	c.Data(http.StatusOK, "text/html; charset=utf-8", dashboardHTML)
}
