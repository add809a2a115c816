package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// problemBase prefixes the stable type URIs of problems.
const problemBase = "https://oneko.dev/problems/"

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string             `json:"type"`
	Title  string             `json:"title"`
	Status int                `json:"status"`
	Detail string             `json:"detail,omitempty"`
	Fields []model.FieldError `json:"fields,omitempty"`
	// retryAfter, when set, becomes a Retry-After header.
	retryAfter time.Duration
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// problem builds a Problem with a stable type slug.
func problem(status int, slug, title, detail string) *Problem {
	return &Problem{Type: problemBase + slug, Title: title, Status: status, Detail: detail}
}

// Common problems.
func badRequest(detail string) *Problem {
	return problem(http.StatusBadRequest, "bad-request", "Bad request", detail)
}

func forbidden(detail string) *Problem {
	return problem(http.StatusForbidden, "forbidden", "Forbidden", detail)
}

func notFound(detail string) *Problem {
	return problem(http.StatusNotFound, "not-found", "Not found", detail)
}

// toProblem chooses the HTTP status of an error. It is the one place where that choice is made.
func toProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		pr := problem(http.StatusUnprocessableEntity, "validation", "Invalid document", ve.Error())
		pr.Fields = ve.Fields
		return pr
	}
	var te *auth.ThrottledError
	if errors.As(err, &te) {
		pr := problem(http.StatusTooManyRequests, "throttled", "Too many failed logins", te.Error())
		pr.retryAfter = te.RetryAfter
		return pr
	}
	var be *auth.BusyError
	if errors.As(err, &be) {
		pr := problem(http.StatusServiceUnavailable, "busy", "Too many sign-ins at once", be.Error())
		pr.retryAfter = be.RetryAfter
		return pr
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return problem(http.StatusRequestEntityTooLarge, "too-large", "Body too large", fmt.Sprintf("the body must be at most %d bytes", mbe.Limit))
	case errors.Is(err, model.ErrInvalid):
		return problem(http.StatusUnprocessableEntity, "validation", "Invalid document", err.Error())
	case errors.Is(err, store.ErrNotFound):
		return notFound(err.Error())
	case errors.Is(err, store.ErrDuplicate):
		return problem(http.StatusConflict, "duplicate", "Already exists", err.Error())
	case errors.Is(err, store.ErrConflict):
		return problem(http.StatusConflict, "conflict", "Changed by someone else", err.Error()+": read it again and retry")
	case errors.Is(err, store.ErrInUse):
		return problem(http.StatusConflict, "in-use", "Still in use", err.Error())
	case errors.Is(err, auth.ErrUnauthenticated):
		return problem(http.StatusUnauthorized, "unauthenticated", "Unauthenticated", "sign in, or send an API token or Basic credentials")
	case errors.Is(err, errQueueUnavailable), errors.Is(err, deploy.ErrQueue):
		return problem(http.StatusServiceUnavailable, "queue-unavailable", "Queue unavailable", err.Error())
	case errors.Is(err, ErrClusterStarting):
		pr := problem(http.StatusServiceUnavailable, "cluster-starting", "Cluster starting", err.Error())
		pr.retryAfter = 10 * time.Second
		return pr
	case errors.Is(err, errClusterUnavailable):
		return problem(http.StatusBadGateway, "cluster-unavailable", "Cluster unavailable", err.Error())
	}
	return problem(http.StatusInternalServerError, "internal", "Internal error", "the server failed; the error is logged")
}

// errQueueUnavailable wraps failures to enqueue, answered with 503 so that callers retry.
var errQueueUnavailable = errors.New("the task queue (Redis) is unavailable")

// errClusterUnavailable wraps failures of the Kubernetes API.
var errClusterUnavailable = errors.New("the Kubernetes cluster did not accept the change")

// fail writes err as problem+json and stops the handler chain.
func (s *Server) fail(c *gin.Context, err error) {
	p := toProblem(err)
	if p.Status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	if p.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(p.retryAfter.Seconds()+0.999)))
	}
	body, err := json.Marshal(p)
	if err != nil {
		body = []byte(`{"type":"` + problemBase + `internal","title":"Internal error","status":500}`)
	}
	c.Data(p.Status, "application/problem+json", body)
	c.Abort()
}
