package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthStatus is the answer of /healthz.
type healthStatus struct {
	Status string `json:"status"`
}

// readiness names each dependency with "ok" or its error.
type readiness map[string]string

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, healthStatus{Status: "ok"})
}

// readyz answers 200 when MongoDB and Redis answer, else 503 naming what is down (not why:
// the log says that).
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := readiness{}
	ok := true
	// Answers say only "unavailable": errors name internal addresses, so they go to the log.
	if err := s.Store.Ping(ctx); err != nil {
		checks["mongodb"], ok = "unavailable", false
		s.log.WarnContext(ctx, "readiness: MongoDB does not answer", "err", err)
	} else {
		checks["mongodb"] = "ok"
	}
	if err := s.Redis.Ping(ctx).Err(); err != nil {
		checks["redis"], ok = "unavailable", false
		s.log.WarnContext(ctx, "readiness: Redis does not answer", "err", err)
	} else {
		checks["redis"] = "ok"
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, checks)
}
