package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// TestToProblem is the table of how errors are answered (problemKinds): status, type, title,
// detail and Retry-After, for the domain's errors as handlers return them (wrapped,
// explained, classified) and for the api's own classifications, which win over the cause
// they wrap.
func TestToProblem(t *testing.T) {
	redisDown := errors.New("dial tcp 127.0.0.1:6379: connection refused")
	for _, tc := range []struct {
		name   string
		err    error
		status int
		slug   string
		title  string
		detail string
		retry  time.Duration
		field  string
	}{
		{"a problem as it is", problem(http.StatusBadRequest, "bad-request", "Bad request", "give a name"), 400, "bad-request", "Bad request", "give a name", 0, ""},
		{"not found, explained", notFoundAs(fmt.Errorf("get project: %w", store.ErrNotFound), "no project with id %q", "p1"), 404, "not-found", "Not found", `no project with id "p1"`, 0, ""},
		{"not found, as it is", fmt.Errorf("get version: %w", store.ErrNotFound), 404, "not-found", "Not found", "get version: not found", 0, ""},
		{"validation", &model.ValidationError{Fields: []model.FieldError{{Field: "name", Message: "required"}}}, 422, "validation", "Invalid document", (&model.ValidationError{Fields: []model.FieldError{{Field: "name", Message: "required"}}}).Error(), 0, "name"},
		{"invalid", fmt.Errorf("template: %w", model.ErrInvalid), 422, "validation", "Invalid document", "template: " + model.ErrInvalid.Error(), 0, ""},
		{"duplicate", store.ErrDuplicate, 409, "duplicate", "Already exists", store.ErrDuplicate.Error(), 0, ""},
		{"e-mail taken", explain(store.ErrEmailTaken, "another user has it"), 409, "duplicate", "E-mail address taken", "another user has it", 0, "email"},
		{"username taken", explain(store.ErrUsernameTaken, "another user is called bob"), 409, "duplicate", "Username taken", "another user is called bob", 0, "username"},
		{"conflict", store.ErrConflict, 409, "conflict", "Changed by someone else", store.ErrConflict.Error() + ": read it again and retry", 0, ""},
		{"precondition", fmt.Errorf("%w: %w", errPreconditionFailed, store.ErrConflict), 412, "precondition-failed", "Changed by someone else",
			"the document changed since you read it (its revision is not the one you named); read it again", 0, ""},
		{"in use", store.ErrInUse, 409, "in-use", "Still in use", store.ErrInUse.Error(), 0, ""},
		{"not deployed", notDeployed(&model.Version{Name: "1.0"}), 409, "not-deployed", "Version not deployed",
			"version 1.0 is not deployed: deploy it first; only a deployment's lifetime can be extended", 0, ""},
		{"unauthenticated", auth.ErrUnauthenticated, 401, "unauthenticated", "Unauthenticated", "sign in, or send an API token or Basic credentials", 0, ""},
		{"throttled", &auth.ThrottledError{RetryAfter: 7 * time.Second}, 429, "throttled", "Too many failed logins", (&auth.ThrottledError{RetryAfter: 7 * time.Second}).Error(), 7 * time.Second, ""},
		{"too large", fmt.Errorf("read body: %w", &http.MaxBytesError{Limit: 1024}), 413, "too-large", "Body too large", "the body must be at most 1024 bytes", 0, ""},
		{"queue down", fmt.Errorf("%w: %w", errQueueUnavailable, redisDown), 503, "queue-unavailable", "Queue unavailable", errQueueUnavailable.Error() + ": " + redisDown.Error(), 0, ""},
		{"queue down, whatever the cause", fmt.Errorf("%w: %w", errQueueUnavailable, store.ErrNotFound), 503, "queue-unavailable", "Queue unavailable", errQueueUnavailable.Error() + ": " + store.ErrNotFound.Error(), 0, ""},
		{"deploy queue", fmt.Errorf("request: %w", deploy.ErrQueue), 503, "queue-unavailable", "Queue unavailable", "request: " + deploy.ErrQueue.Error(), 0, ""},
		{"cluster starting", ErrClusterStarting, 503, "cluster-starting", "Cluster starting", ErrClusterStarting.Error(), 10 * time.Second, ""},
		{"cluster down", diagnoseErr(redisDown), 502, "cluster-unavailable", "Cluster unavailable", errClusterUnavailable.Error() + ": " + redisDown.Error(), 0, ""},
		{"no pod", diagnoseErr(fmt.Errorf("pod x: %w", diagnose.ErrNoPod)), 404, "not-found", "Not found", "pod x: no such pod", 0, ""},
		{"no container", diagnoseErr(diagnose.ErrNoContainer), 404, "not-found", "Not found", "no such container", 0, ""},
		{"container required", diagnoseErr(diagnose.ErrContainerRequired), 400, "bad-request", "Bad request", diagnose.ErrContainerRequired.Error(), 0, ""},
		{"helm registry down", as(errHelmRegistryUnavailable, redisDown), 502, "helm-registry-unavailable", "Helm registry unavailable", redisDown.Error(), 0, ""},
		{"chart unavailable", as(errChartUnavailable, fmt.Errorf("template %q: %w", "web", redisDown)), 502, "chart-unavailable", "Chart unavailable", `template "web": ` + redisDown.Error(), 0, ""},
		{"chart does not render", &helm.RenderError{Chart: "web", Release: "r", Err: errors.New("missing value")}, 422, "render-failed", "Chart does not render", "render chart web for release r: missing value", 0, ""},
		{"too many streams", explain(events.ErrTooManyStreams, "at most 5"), 429, "too-many-streams", "Too many live event streams", "at most 5", 30 * time.Second, ""},
		{"shutting down", events.ErrClosed, 503, "shutting-down", "Shutting down", "the server is shutting down: reconnect", 0, ""},
		{"anything else", errors.New("disk full"), 500, "internal", "Internal error", "the server failed; the error is logged", 0, ""},
		{"explained, yet unknown", explain(context.DeadlineExceeded, "no project with id %q", "p1"), 500, "internal", "Internal error", "the server failed; the error is logged", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := toProblem(tc.err)
			if p.Status != tc.status || p.Type != problemBase+tc.slug || p.Title != tc.title || p.Detail != tc.detail || p.retryAfter != tc.retry {
				t.Fatalf("toProblem(%v) = %d %s %q %q retry %v; want %d %s %q %q retry %v",
					tc.err, p.Status, p.Type, p.Title, p.Detail, p.retryAfter, tc.status, problemBase+tc.slug, tc.title, tc.detail, tc.retry)
			}
			if tc.field != "" && (len(p.Fields) != 1 || p.Fields[0].Field != tc.field) {
				t.Fatalf("fields = %+v, want one naming %s", p.Fields, tc.field)
			}
		})
	}
	// The causes stay reachable behind the api's classifications (wrapped with %w).
	if err := fmt.Errorf("%w: %w", errQueueUnavailable, redisDown); !errors.Is(err, redisDown) {
		t.Error("the queue's error is lost behind errQueueUnavailable")
	}
	if err := diagnoseErr(context.DeadlineExceeded); !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, errClusterUnavailable) {
		t.Error("the cluster's error is lost behind errClusterUnavailable")
	}
}
