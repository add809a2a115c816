// Package api is oneko's HTTP edge: the REST API under /api/v1, registry webhooks, the
// dashboard, health and metrics. Handlers validate, store and enqueue; they never run Helm.
package api

import (
	"cmp"
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
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
	"github.com/oneko/oneko/web"
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

// ChartCache lists the charts of a Helm registry, and forgets what it keeps of one (listings
// and chart archives) when the registry changes or is deleted, so that the next fetch asks
// the registry at its new address with its new credentials.
type ChartCache interface {
	ListCharts(ctx context.Context, r *model.HelmRegistry) (map[string][]ChartVersion, error)
	Forget(registryID string) error
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
	// Trial renders p, or v of p when v is not nil, when it is saved, and refuses what
	// exceeds the rendering limits with an error wrapping model.ErrInvalid.
	Trial(ctx context.Context, p *model.Project, v *model.Version) error
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
	Charts        ChartCache
	Renderer      Renderer
	// Events carries live updates to /api/v1/events; nil disables the stream.
	Events *events.Bus
	// StreamCaps bound the open event streams per user and per process (zero: defaults).
	StreamCaps events.Caps
	// CheckTemplate checks template syntax when projects and versions are saved.
	CheckTemplate model.TemplateChecker
	Log           *slog.Logger
	Metrics       *prometheus.Registry
	// PublicURL is the base URL callers reach the api at; webhook URLs are built from it.
	PublicURL string
	// MetricsToken, when set, is the Bearer token /metrics requires (it is not a user's token).
	MetricsToken string
	// TrustedProxies are the addresses (CIDRs or IPs) of proxies whose X-Forwarded-For names the
	// client; empty: the connection's address is the client's (per-address login limits use it).
	TrustedProxies []string
	// SecureCookies marks the session cookie Secure (behind HTTPS).
	SecureCookies bool
	// Lifetime computes when deployments expire.
	Lifetime lifetime.Policy
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Dashboard serves the web app at "/" and every non-API path; default the app embedded
	// by package web.
	Dashboard http.Handler
	// Diagnostics reads pods, logs, events and history of versions; nil answers 503.
	Diagnostics Diagnostics
	// Preview renders what a deploy would apply, for the diff route; nil answers 503.
	Preview Previewer
	// ExternalLogURL is the link template to external logs ({namespace}, {pod}, {container}).
	ExternalLogURL string
	// LogFollowsPerUser and LogFollowsTotal cap followed log streams (defaults 4 and 100).
	LogFollowsPerUser, LogFollowsTotal int
}

// Server serves the api.
type Server struct {
	Deps
	log      *slog.Logger
	engine   *gin.Engine
	routes   []route
	webhooks *webhookMetrics
	// hub fans the one Redis subscription of this process out to the event streams.
	hub *events.Hub
	// registries caches registry documents for the webhook route.
	registries *registryCache
	// openAPIDoc is the OpenAPI document generated from the route table.
	openAPIDoc []byte
	// follows caps the followed log streams.
	follows *followLimits
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
	if d.Dashboard == nil {
		app, err := web.New()
		if err != nil {
			return nil, fmt.Errorf("load the embedded dashboard: %w", err)
		}
		d.Dashboard = app
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{Deps: d, log: d.Log}
	wm, err := newWebhookMetrics(d.Metrics)
	if err != nil {
		return nil, err
	}
	s.webhooks = wm
	s.registries = newRegistryCache(d.Now)
	if d.Events != nil && d.Redis != nil {
		s.hub = events.NewHub(d.Redis, d.StreamCaps)
	}
	s.follows = &followLimits{perUser: map[string]int{}, maxUser: cmp.Or(d.LogFollowsPerUser, 4), maxAll: cmp.Or(d.LogFollowsTotal, 100)}
	e := gin.New()
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	if err := d.Metrics.Register(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "oneko_login_password_checks_total", Help: "Passwords verified (sign-ins, Basic credentials, password changes).",
	}, func() float64 { return float64(d.Auth.PasswordChecks()) })); err != nil {
		return nil, fmt.Errorf("register login metric: %w", err)
	}
	e.HandleMethodNotAllowed = false
	e.RedirectTrailingSlash = false
	e.Use(s.securityHeaders, s.recoverProblems, s.limitBody, s.authenticate, s.authorize, s.checkCSRF)
	e.NoRoute(s.noRoute)
	s.engine = e
	s.routes = s.table()
	doc, err := buildOpenAPI(s.routes)
	if err == nil {
		s.openAPIDoc, err = marshalOpenAPI(doc)
	}
	if err != nil {
		return nil, err
	}
	for _, r := range s.routes {
		e.Handle(r.method, r.path, r.handler)
	}
	return s, nil
}

// Close ends every open event stream at once and the shared subscription; call it when
// shutdown begins (open streams would otherwise hold the HTTP server's Shutdown).
func (s *Server) Close() {
	if s.hub != nil {
		s.hub.Close()
	}
}

// Handler is the http.Handler of the whole api.
func (s *Server) Handler() http.Handler { return s.engine }

// metricsHandler serves the Prometheus registry; with a MetricsToken only to callers that send
// it as a Bearer token.
func (s *Server) metricsHandler() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})
	return func(c *gin.Context) {
		if s.MetricsToken != "" {
			got, _ := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(s.MetricsToken)) != 1 {
				c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
				s.fail(c, errMetricsToken)
				return
			}
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}
