package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// extendInput is the optional body of extend: another lifetime for the version, kept as its
// own lifetime behaviour (INHERIT returns to the project's).
type extendInput struct {
	LifetimeBehaviour *model.Lifetime `json:"lifetimeBehaviour"`
}

// extendAnswer says when the extended deployment now expires.
type extendAnswer struct {
	// ExpiresAt is absent when the deployment never expires.
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
	// LifetimeBehaviour is the behaviour in effect (the version's, or the project's it inherits).
	LifetimeBehaviour model.Lifetime `json:"lifetimeBehaviour"`
	Version           *model.Version `json:"version"`
}

// versionStatusEvent is the data of a version.status event (the worker publishes the same).
type versionStatusEvent struct {
	ID         string           `json:"id"`
	Deployment model.Deployment `json:"deployment"`
}

// extendVersion restarts the lifetime clock of a deployed version, optionally with another
// lifetime, records the activity and tells browsers.
func (s *Server) extendVersion(c *gin.Context) {
	p, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in extendInput
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(bytes.TrimSpace(body)) > 0 {
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		if err := decode(c, &in); err != nil {
			s.fail(c, err)
			return
		}
	}
	own := model.Lifetime{}
	if v.LifetimeBehaviour != nil {
		own = *v.LifetimeBehaviour
	}
	if in.LifetimeBehaviour != nil {
		if err := in.LifetimeBehaviour.Validate(); err != nil {
			s.fail(c, unprocessable("lifetimeBehaviour", err.Error()))
			return
		}
		own = *in.LifetimeBehaviour
	}
	if v.DesiredState != model.Deployed {
		s.fail(c, notDeployed(v))
		return
	}
	effective := lifetime.Resolve(own, p.DefaultLifetimeBehaviour)
	var expires *time.Time
	if t, ok := s.Lifetime.ExpiresAt(s.Now(), effective); ok {
		t = t.UTC()
		expires = &t
	}
	ctx := c.Request.Context()
	v, err = s.Store.ExtendLifetime(ctx, p.ID, v.ID, in.LifetimeBehaviour, expires)
	if errors.Is(err, store.ErrNotDeployed) {
		err = notDeployed(v)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	until := "never expires"
	if expires != nil {
		until = "expires at " + expires.Format(time.RFC3339)
	}
	s.record(c, model.PriorityInfo, model.EntityVersion, v.ID, "Lifetime extended", "version %s of project %s now %s (%s)", v.Name, p.Name, until, effective.Type)
	if err := s.Events.Publish(ctx, events.VersionStatus, versionStatusEvent{ID: v.ID, Deployment: v.Deployment}); err != nil {
		s.log.DebugContext(ctx, "cannot publish version status", "err", err)
	}
	c.JSON(http.StatusOK, extendAnswer{ExpiresAt: expires, LifetimeBehaviour: effective, Version: v})
}

func notDeployed(v *model.Version) error {
	name := "the version"
	if v != nil {
		name = "version " + v.Name
	}
	return explain(store.ErrNotDeployed, "%s is not deployed: deploy it first; only a deployment's lifetime can be extended", name)
}
