package helm

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chartutil"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/kubectl/pkg/validation"
)

// Defaults of Options.
const (
	DefaultQPS             = 50
	DefaultBurst           = 100
	DefaultMaxHistory      = 5
	DefaultCapabilitiesTTL = time.Minute
)

// Options configure a Client. The zero value is usable.
type Options struct {
	// QPS and Burst bound the client's requests to the API server when the rest.Config sets
	// none. Defaults DefaultQPS and DefaultBurst.
	QPS   float32
	Burst int
	// MaxHistory is how many revisions of a release are kept. Default DefaultMaxHistory.
	MaxHistory int
	// CapabilitiesTTL is how long the cluster's version and API versions are reused before
	// they are discovered again. Default DefaultCapabilitiesTTL.
	CapabilitiesTTL time.Duration
	// Logger receives Helm's log at debug level. Default: discard.
	Logger *slog.Logger
	// Confinement says what releases may create outside their namespace; the zero value:
	// nothing (see Confinement).
	Confinement Confinement
}

// Client runs Helm actions against one cluster. Build it once and share it: it is safe for
// concurrent use, and its discovery cache and REST mapper are reused by every operation.
type Client struct {
	getter     *sharedGetter
	kube       kubernetes.Interface
	dyn        dynamic.Interface // watches of the readiness wait
	log        *slog.Logger
	maxHistory int
	capsTTL    time.Duration
	now        func() time.Time
	// confinement keeps releases inside their namespaces (UpgradeInstall).
	confinement Confinement

	capsMu   sync.Mutex
	caps     *chartutil.Capabilities
	capsRead time.Time
	// validators are the manifest validators every operation shares, by directive (see
	// sharedValidatorFactory); dropped with caps.
	validators map[string]validation.Schema
}

// New returns a Client for the cluster of cfg.
func New(cfg *rest.Config, opts Options) (*Client, error) {
	if cfg == nil {
		return nil, fmt.Errorf("helm client: no cluster configuration")
	}
	cfg = rest.CopyConfig(cfg)
	if cfg.QPS == 0 {
		cfg.QPS = DefaultQPS
		if opts.QPS > 0 {
			cfg.QPS = opts.QPS
		}
	}
	if cfg.Burst == 0 {
		cfg.Burst = DefaultBurst
		if opts.Burst > 0 {
			cfg.Burst = opts.Burst
		}
	}
	if opts.MaxHistory <= 0 {
		opts.MaxHistory = DefaultMaxHistory
	}
	if opts.CapabilitiesTTL <= 0 {
		opts.CapabilitiesTTL = DefaultCapabilitiesTTL
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("helm client: discovery: %w", err)
	}
	cached := memory.NewMemCacheClient(dc)
	mapper := restmapper.NewShortcutExpander(restmapper.NewDeferredDiscoveryRESTMapper(cached), cached, nil)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("helm client: kubernetes client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("helm client: dynamic client: %w", err)
	}
	return &Client{
		getter:      &sharedGetter{config: cfg, discovery: cached, mapper: mapper},
		kube:        cs,
		dyn:         dyn,
		log:         opts.Logger,
		maxHistory:  opts.MaxHistory,
		capsTTL:     opts.CapabilitiesTTL,
		now:         time.Now,
		confinement: opts.Confinement,
	}, nil
}

// config returns the action configuration of one operation in namespace ns ("" = all
// namespaces, for listing), with Helm's log going to the returned opLog.
func (c *Client) config(ns string, attrs ...any) (*action.Configuration, *opLog, error) {
	ol := newOpLog(c.log.With(attrs...))
	cfg := new(action.Configuration)
	if err := cfg.Init(namespaceGetter{sharedGetter: c.getter, namespace: ns}, ns, "secret", ol.printf); err != nil {
		return nil, ol, fmt.Errorf("helm configuration for namespace %q: %w", ns, err)
	}
	caps, err := c.capabilities()
	if err != nil {
		return nil, ol, err
	}
	cfg.Capabilities = caps
	c.shareValidators(cfg)
	return cfg, ol, nil
}

// capabilities returns the cluster's version and API versions, discovered again when older
// than the TTL (Helm would otherwise drop the discovery cache on every operation).
func (c *Client) capabilities() (*chartutil.Capabilities, error) {
	c.capsMu.Lock()
	defer c.capsMu.Unlock()
	if c.caps != nil && c.now().Sub(c.capsRead) < c.capsTTL {
		return c.caps, nil
	}
	dc := c.getter.discovery
	dc.Invalidate()
	c.validators = nil
	v, err := dc.ServerVersion()
	if err != nil {
		return nil, fmt.Errorf("discover the cluster's version: %w", err)
	}
	apis, err := action.GetVersionSet(dc)
	if err != nil && !discovery.IsGroupDiscoveryFailedError(err) {
		return nil, fmt.Errorf("discover the cluster's API versions: %w", err)
	}
	c.caps = &chartutil.Capabilities{
		APIVersions: apis,
		KubeVersion: chartutil.KubeVersion{Version: v.GitVersion, Major: v.Major, Minor: v.Minor},
		HelmVersion: chartutil.DefaultCapabilities.HelmVersion,
	}
	c.capsRead = c.now()
	return c.caps, nil
}
