package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// sseHeartbeat keeps idle streams open through proxies.
const sseHeartbeat = 15 * time.Second

// events streams live updates as Server-Sent Events until the client goes away.
func (s *Server) events(c *gin.Context) {
	if s.Events == nil {
		s.fail(c, problem(http.StatusServiceUnavailable, "no-events", "Live events unavailable", "this server has no event bus"))
		return
	}
	ctx := c.Request.Context()
	ch, err := s.Events.Subscribe(ctx)
	if err != nil {
		s.fail(c, fmt.Errorf("%w: %v", errQueueUnavailable, err))
		return
	}
	w := c.Writer
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	w.Flush()
	tick := time.NewTicker(sseHeartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": heartbeat\n\n")
		case e, ok := <-ch:
			if !ok {
				return
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, e.Data)
		}
		w.Flush()
	}
}
