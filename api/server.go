// Package api is oneko's HTTP edge: the REST API under /api/v1, registry webhooks, the
// dashboard, health and metrics. Handlers validate, store and enqueue; they never run Helm.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/policy"
	"github.com/oneko/oneko/tasks"
)

// MaxBodyBytes bounds every request body (1 MiB).
const MaxBodyBytes = 1 << 20

// Cluster is what the api needs of Kubernetes: namespaces with pull secrets.
type Cluster interface {
	EnsureNamespace(ctx context.Context, name string, registries []model.DockerRegistry) error
	DeleteNamespace(ctx context.Context, name string) error
}

// RegistryChecker checks that a docker registry answers and accepts its credentials.
type RegistryChecker interface {
	Check(ctx context.Context, r *model.DockerRegistry) error
}

// ChartLister lists the charts of a Helm registry.
type ChartLister interface {
	ListCharts(ctx context.Context, r *model.HelmRegistry) (map[string][]ChartVersion, error)
}

// ChartVersion is one version of a chart as the charts route lists it.
type ChartVersion struct {
	Version     string `json:"version"`
	AppVersion  string `json:"appVersion"`
	Description string `json:"description"`
}

// Renderer renders a version's configuration for the configuration route.
type Renderer interface {
	// Render returns the URLs and the rendered values of each release.
	Render(ctx context.Context, p *model.Project, v *model.Version) (*Rendered, error)
}

// Rendered is what the configuration route answers.
type Rendered struct {
	URLs     []string          `json:"urls"`
	Releases []RenderedRelease `json:"releases"`
}

// RenderedRelease is the rendered values of one release.
type RenderedRelease struct {
	Name      string `json:"name"`
	Template  string `json:"template"`
	Chart     string `json:"chart"`
	Namespace string `json:"namespace"`
	Values    string `json:"values"`
}

// Deps are the parts the server is wired from.
type Deps struct {
	Store   *store.Store
	Auth    *auth.Authenticator
	Policy  *policy.Authorizer
	Queue   tasks.Enqueuer
	Redis   redis.UniversalClient
	Cluster Cluster
	// ClusterStatus reports whether the cluster is ready yet (local mode starts it after
	// the api); nil: always ready.
	ClusterStatus func() ClusterStatus
	Checker       RegistryChecker
	Charts        ChartLister
	Renderer      Renderer
	// Events carries live updates to /api/v1/events; nil disables the stream.
	Events *events.Bus
	// CheckTemplate checks template syntax when projects and versions are saved.
	CheckTemplate model.TemplateChecker
	Log           *slog.Logger
	Metrics       *prometheus.Registry
	// PublicURL is the base URL callers reach the api at; webhook URLs are built from it.
	PublicURL string
	// SecureCookies marks the session cookie Secure (behind HTTPS).
	SecureCookies bool
	// Lifetime computes when deployments expire.
	Lifetime lifetime.Policy
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Server serves the api.
type Server struct {
	Deps
	log      *slog.Logger
	engine   *gin.Engine
	routes   []route
	webhooks *webhookMetrics
	// registries caches registry documents for the webhook route.
	registries *registryCache
}

// New builds the server and its routes.
func New(d Deps) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
		d.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{Deps: d, log: d.Log}
	wm, err := newWebhookMetrics(d.Metrics)
	if err != nil {
		return nil, err
	}
	s.webhooks = wm
	s.registries = newRegistryCache(d.Now)
	e := gin.New()
	e.ContextWithFallback = true
	e.HandleMethodNotAllowed = false
	e.RedirectTrailingSlash = false
	e.Use(s.recoverProblems, s.limitBody, s.authenticate, s.authorize, s.checkCSRF)
	e.NoRoute(func(c *gin.Context) { s.fail(c, notFound("no route "+c.Request.Method+" "+c.Request.URL.Path)) })
	s.engine = e
	s.routes = s.table()
	for _, r := range s.routes {
		e.Handle(r.method, r.path, r.handler)
	}
	return s, nil
}

// Handler is the http.Handler of the whole api.
func (s *Server) Handler() http.Handler { return s.engine }

// metricsHandler serves the Prometheus registry.
func (s *Server) metricsHandler() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})
	return gin.WrapH(h)
}
