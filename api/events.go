package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
)

// sseHeartbeat keeps idle streams open through proxies; each heartbeat also checks that the
// stream's credentials are still valid (a lost revocation message ends the stream by then).
const sseHeartbeat = 15 * time.Second

// events streams live updates as Server-Sent Events from the process's shared subscription
// (events.Hub) until the client goes away, its credentials end (sign-out, password change,
// deleted user, revoked or expired token) or the server shuts down. Open streams are capped
// per user and per process (429).
func (s *Server) events(c *gin.Context) {
	if s.hub == nil {
		s.fail(c, errNoEvents)
		return
	}
	ctx := c.Request.Context()
	p := principal(c)
	stream, err := s.hub.Join(ctx, events.Owner{UserID: p.User.ID, SessionID: p.SessionID, TokenID: p.TokenID})
	switch {
	case errors.Is(err, events.ErrTooManyStreams):
		caps := s.hub.Caps()
		err = explain(err, "at most %d streams per user and %d per server are open at once: close another tab or stream first", caps.PerUser, caps.Total)
	case err != nil && !errors.Is(err, events.ErrClosed):
		err = fmt.Errorf("%w: %w", errQueueUnavailable, err)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	defer stream.Leave()
	w := c.Writer
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	w.Flush()
	admin := p.Role.AtLeast(model.RoleAdmin)
	tick := time.NewTicker(sseHeartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stream.Ended():
			endStream(w, stream.Reason())
			return
		case <-tick.C:
			if err := s.Auth.StillValid(ctx, p); errors.Is(err, auth.ErrUnauthenticated) {
				endStream(w, "your sign-in or token ended")
				return
			}
			fmt.Fprint(w, ": heartbeat\n\n")
		case e := <-stream.Events():
			if !admin && adminOnly(e) {
				continue
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, e.Data)
		}
		w.Flush()
	}
}

// endStream tells the client why its stream ends.
func endStream(w gin.ResponseWriter, reason string) {
	fmt.Fprintf(w, "event: end\ndata: {\"reason\":%q}\n\n", reason)
	w.Flush()
}

// adminOnly reports whether an event is for ADMINs only: webhook deliveries (their list is an
// ADMIN's screen) and activities about accounts.
func adminOnly(e events.Event) bool {
	return e.Type == events.WebhookDelivery || (e.Type == events.Activity && aboutAccounts(e))
}

// aboutAccounts reports whether an activity event concerns a user or an API token: those are
// shown to ADMINs only (model.AdminOnlyEntity, as in GET /activities).
func aboutAccounts(e events.Event) bool {
	var a struct {
		EntityType string `json:"entityType"`
	}
	if json.Unmarshal(e.Data, &a) != nil {
		return true // unreadable: not shown to everyone
	}
	return model.AdminOnlyEntity(a.EntityType)
}
