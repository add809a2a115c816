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
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/helm"
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

// problem builds a Problem with a stable type slug. Only toProblem calls it: handlers return
// an error of a kind and problemKinds chooses how it is answered.
func problem(status int, slug, title, detail string) *Problem {
	return &Problem{Type: problemBase + slug, Title: title, Status: status, Detail: detail}
}

// explained is an error with the detail its problem shows a client; the problem's status
// and type still come from the error it wraps (see problemKinds).
type explained struct {
	detail string
	err    error
}

func (e *explained) Error() string { return e.detail + ": " + e.err.Error() }
func (e *explained) Unwrap() error { return e.err }

// explain gives err the detail a client reads, such as which id was not found; nil stays nil.
// It says what went wrong, never how to answer: problemKinds chooses the status.
func explain(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &explained{detail: fmt.Sprintf(format, args...), err: err}
}

// notFoundAs explains err with the detail when it says that something was not found
// (store.ErrNotFound); other errors are returned as they are.
func notFoundAs(err error, format string, args ...any) error {
	if errors.Is(err, store.ErrNotFound) {
		return explain(err, format, args...)
	}
	return err
}

// classified is a cause answered as a kind of error that problemKinds knows; the detail is
// the cause's own text.
type classified struct{ kind, cause error }

func (c *classified) Error() string   { return c.cause.Error() }
func (c *classified) Unwrap() []error { return []error{c.kind, c.cause} }

// as answers cause as the kind (one of the api's own errors, such as errChartUnavailable).
func as(kind, cause error) error { return &classified{kind: kind, cause: cause} }

// problemKind is how one kind of error is answered.
type problemKind struct {
	// is matches the kind (errors.Is or errors.As).
	is          func(error) bool
	status      int
	slug, title string
	// detail, when set, writes the detail from the error; else an explained detail or the
	// error's own text is shown.
	detail func(error) string
	// fields are the fields the problem names.
	fields     []model.FieldError
	retryAfter time.Duration
}

// sentinel matches errors that wrap target.
func sentinel(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// typed matches errors that wrap an error of type *T.
func typed[T error]() func(error) bool {
	return func(err error) bool {
		var t T
		return errors.As(err, &t)
	}
}

// problemKinds maps the errors of the domain (store, model, auth, events, diagnose, helm) and
// of the api to the problems answered: the one place where an error's HTTP status is chosen
// (TestStatusChosenInProblemGo keeps it so). The first kind that matches wins, so the api's
// own kinds (which may wrap a cause) come first.
var problemKinds = []problemKind{
	{is: sentinel(errInvalidRequest), status: http.StatusBadRequest, slug: "bad-request", title: "Bad request"},
	{is: sentinel(errTokenLifetime), status: http.StatusBadRequest, slug: "token-lifetime", title: "Token lifetime too long",
		fields: []model.FieldError{{Field: "expiresAt", Message: "beyond the maximum token lifetime"}}},
	{is: sentinel(errMetricsToken), status: http.StatusUnauthorized, slug: "unauthenticated", title: "Unauthenticated"},
	{is: sentinel(errWebhookSecret), status: http.StatusUnauthorized, slug: "webhook-secret", title: "Webhook secret refused"},
	{is: sentinel(errForbidden), status: http.StatusForbidden, slug: "forbidden", title: "Forbidden"},
	{is: sentinel(errNoRoute), status: http.StatusNotFound, slug: "not-found", title: "Not found"},
	{is: sentinel(errLastAdmin), status: http.StatusConflict, slug: "last-admin", title: "Last admin"},
	{is: sentinel(errSelfDelete), status: http.StatusConflict, slug: "self-delete", title: "Cannot delete yourself"},
	{is: sentinel(errProjectDeleting), status: http.StatusConflict, slug: "project-deleting", title: "Project is being deleted"},
	{is: sentinel(errVersionRemoved), status: http.StatusConflict, slug: "version-removed", title: "Version removed from the registry"},
	{is: sentinel(errRevisionRequired), status: http.StatusPreconditionRequired, slug: "precondition-required", title: "Revision required"},
	{is: sentinel(errTooManyFollows), status: http.StatusTooManyRequests, slug: "too-many-follows", title: "Too many followed logs"},
	{is: sentinel(errNoCluster), status: http.StatusServiceUnavailable, slug: "no-cluster", title: "Diagnostics unavailable"},
	{is: sentinel(errNoPreview), status: http.StatusServiceUnavailable, slug: "no-preview", title: "Diff unavailable"},
	{is: sentinel(errNoEvents), status: http.StatusServiceUnavailable, slug: "no-events", title: "Live events unavailable"},
	{is: sentinel(errNoRenderer), status: http.StatusServiceUnavailable, slug: "no-renderer", title: "Rendering unavailable"},
	{is: sentinel(errPreconditionFailed), status: http.StatusPreconditionFailed, slug: "precondition-failed", title: "Changed by someone else",
		detail: fixed("the document changed since you read it (its revision is not the one you named); read it again")},
	{is: sentinel(errQueueUnavailable), status: http.StatusServiceUnavailable, slug: "queue-unavailable", title: "Queue unavailable"},
	{is: sentinel(deploy.ErrQueue), status: http.StatusServiceUnavailable, slug: "queue-unavailable", title: "Queue unavailable"},
	{is: sentinel(ErrClusterStarting), status: http.StatusServiceUnavailable, slug: "cluster-starting", title: "Cluster starting", retryAfter: 10 * time.Second},
	{is: sentinel(errClusterUnavailable), status: http.StatusBadGateway, slug: "cluster-unavailable", title: "Cluster unavailable"},
	{is: sentinel(errHelmRegistryUnavailable), status: http.StatusBadGateway, slug: "helm-registry-unavailable", title: "Helm registry unavailable"},
	{is: sentinel(errChartUnavailable), status: http.StatusBadGateway, slug: "chart-unavailable", title: "Chart unavailable"},
	{is: typed[*helm.RenderError](), status: http.StatusUnprocessableEntity, slug: "render-failed", title: "Chart does not render"},
	{is: typed[*model.ValidationError](), status: http.StatusUnprocessableEntity, slug: "validation", title: "Invalid document", detail: func(err error) string {
		var ve *model.ValidationError
		errors.As(err, &ve)
		return ve.Error()
	}},
	{is: typed[*auth.ThrottledError](), status: http.StatusTooManyRequests, slug: "throttled", title: "Too many failed logins"},
	{is: typed[*auth.BusyError](), status: http.StatusServiceUnavailable, slug: "busy", title: "Too many sign-ins at once"},
	{is: typed[*http.MaxBytesError](), status: http.StatusRequestEntityTooLarge, slug: "too-large", title: "Body too large", detail: func(err error) string {
		var mbe *http.MaxBytesError
		errors.As(err, &mbe)
		return fmt.Sprintf("the body must be at most %d bytes", mbe.Limit)
	}},
	{is: sentinel(model.ErrInvalid), status: http.StatusUnprocessableEntity, slug: "validation", title: "Invalid document"},
	{is: sentinel(store.ErrEmailTaken), status: http.StatusConflict, slug: "duplicate", title: "E-mail address taken",
		fields: []model.FieldError{{Field: "email", Message: "used by another user"}}},
	{is: sentinel(store.ErrUsernameTaken), status: http.StatusConflict, slug: "duplicate", title: "Username taken",
		fields: []model.FieldError{{Field: "username", Message: "used by another user"}}},
	{is: sentinel(store.ErrNotDeployed), status: http.StatusConflict, slug: "not-deployed", title: "Version not deployed"},
	{is: sentinel(store.ErrNotFound), status: http.StatusNotFound, slug: "not-found", title: "Not found"},
	{is: sentinel(diagnose.ErrNoPod), status: http.StatusNotFound, slug: "not-found", title: "Not found"},
	{is: sentinel(diagnose.ErrNoContainer), status: http.StatusNotFound, slug: "not-found", title: "Not found"},
	{is: sentinel(diagnose.ErrContainerRequired), status: http.StatusBadRequest, slug: "bad-request", title: "Bad request"},
	{is: sentinel(store.ErrDuplicate), status: http.StatusConflict, slug: "duplicate", title: "Already exists"},
	{is: sentinel(store.ErrConflict), status: http.StatusConflict, slug: "conflict", title: "Changed by someone else",
		detail: func(err error) string { return err.Error() + ": read it again and retry" }},
	{is: sentinel(store.ErrInUse), status: http.StatusConflict, slug: "in-use", title: "Still in use"},
	{is: sentinel(auth.ErrUnauthenticated), status: http.StatusUnauthorized, slug: "unauthenticated", title: "Unauthenticated",
		detail: fixed("sign in, or send an API token or Basic credentials")},
	{is: sentinel(events.ErrTooManyStreams), status: http.StatusTooManyRequests, slug: "too-many-streams", title: "Too many live event streams", retryAfter: 30 * time.Second},
	{is: sentinel(events.ErrClosed), status: http.StatusServiceUnavailable, slug: "shutting-down", title: "Shutting down", detail: fixed("the server is shutting down: reconnect")},
}

// fixed is a detail that does not depend on the error.
func fixed(detail string) func(error) string { return func(error) string { return detail } }

// toProblem answers the problem of an error: a *Problem (one toProblem made) as it is, else the first of
// problemKinds that matches, else 500 with a detail that reveals nothing.
func toProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	for _, k := range problemKinds {
		if !k.is(err) {
			continue
		}
		pr := problem(k.status, k.slug, k.title, detailOf(err, k))
		pr.Fields, pr.retryAfter = k.fields, k.retryAfter
		var ve *model.ValidationError
		if errors.As(err, &ve) && pr.Fields == nil {
			pr.Fields = ve.Fields
		}
		var te *auth.ThrottledError
		if errors.As(err, &te) {
			pr.retryAfter = te.RetryAfter
		}
		var be *auth.BusyError
		if errors.As(err, &be) {
			pr.retryAfter = be.RetryAfter
		}
		return pr
	}
	return problem(http.StatusInternalServerError, "internal", "Internal error", "the server failed; the error is logged")
}

// detailOf is the detail of err's problem of kind k: the kind's own, else the outermost
// explanation, else the error's text.
func detailOf(err error, k problemKind) string {
	if k.detail != nil {
		return k.detail(err)
	}
	var ex *explained
	if errors.As(err, &ex) {
		return ex.detail
	}
	return err.Error()
}

// The api's own kinds of error. A handler returns one, explained with the detail a client
// reads (explain) or wrapping its cause (as); problemKinds answers it. Kinds whose text is
// the whole detail are returned as they are.
var (
	// errInvalidRequest: the request is malformed (a query parameter, header or body that
	// cannot be read); 400.
	errInvalidRequest = errors.New("invalid request")
	// errForbidden: the caller may not do this; 403.
	errForbidden = errors.New("forbidden")
	// errNoRoute: no route matches the method and path; 404.
	errNoRoute = errors.New("no such route")
	// errTokenLifetime: an API token would outlive the maximum token lifetime; 400.
	errTokenLifetime = errors.New("token lifetime too long")
	// errMetricsToken: /metrics was called without its Bearer token; 401.
	errMetricsToken = errors.New("send the metrics token (ONEKO_METRICS_TOKEN) as a Bearer token")
	// errWebhookSecret: a webhook came without the registry's secret; 401.
	errWebhookSecret = errors.New("webhook secret refused")
	// errLastAdmin: the change would leave no ADMIN; 409.
	errLastAdmin = errors.New("last admin")
	// errSelfDelete: a user tried to delete their own account; 409.
	errSelfDelete = errors.New("ask another ADMIN to delete your account")
	// errProjectDeleting: a version of a project being deleted cannot be deployed; 409.
	errProjectDeleting = errors.New("project is being deleted")
	// errVersionRemoved: a version whose tag left the registry cannot be deployed; 409.
	errVersionRemoved = errors.New("version removed from the registry")
	// errRevisionRequired: a guarded write named no revision; 428.
	errRevisionRequired = errors.New("say which revision you changed: send the document's ETag as If-Match, or its revision in the body's revision field (GET it first)")
	// errTooManyFollows: the caller or the server follows as many logs as allowed; 429.
	errTooManyFollows = errors.New("too many followed logs")
	// errNoCluster: the server has no cluster to read diagnostics from; 503.
	errNoCluster = errors.New("this server has no cluster to read diagnostics from")
	// errNoPreview: the server cannot render deploys to compare; 503.
	errNoPreview = errors.New("this server cannot render deploys to compare")
	// errNoEvents: the server has no event bus; 503.
	errNoEvents = errors.New("this server has no event bus")
	// errNoRenderer: the server has no renderer; 503.
	errNoRenderer = errors.New("this server has no renderer configured")
)

// errQueueUnavailable wraps failures to enqueue, answered with 503 so that callers retry.
var errQueueUnavailable = errors.New("the task queue (Redis) is unavailable")

// errClusterUnavailable wraps failures of the Kubernetes API.
var errClusterUnavailable = errors.New("the Kubernetes cluster did not accept the change")

// errHelmRegistryUnavailable wraps failures to list a Helm registry's charts (502).
var errHelmRegistryUnavailable = errors.New("the Helm registry did not answer its charts")

// errChartUnavailable wraps failures to fetch a chart (502).
var errChartUnavailable = errors.New("the chart could not be fetched")

// errPreconditionFailed reports a guarded write whose document changed since the revision it
// named (412).
var errPreconditionFailed = errors.New("precondition failed")

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
