package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// clusterGate is the Kubernetes cluster as the api sees it while local mode starts one. The
// api serves at once; until the cluster is ready, namespace changes answer 503 (a namespace
// the demo needs is remembered and created once the cluster is up), and the worker, which
// waits on Ready, leaves queued deploys in Redis, so they run as soon as it starts.
type clusterGate struct {
	mu      sync.Mutex
	status  api.ClusterStatus
	kc      *kube.Client
	diag    *diagnose.Reader
	rest    *rest.Config
	pending []string
	ready   chan struct{}
	// notify is told of every change of status (the live event stream); may be nil.
	notify func(api.ClusterStatus)
	log    *slog.Logger
	// namespacesOf names the namespaces of a version's releases for the diagnostics reader
	// (used where the cluster refuses to list every namespace); may be nil.
	namespacesOf diagnose.NamespacesFunc
}

var _ api.Cluster = (*clusterGate)(nil)

func newClusterGate(log *slog.Logger, notify func(api.ClusterStatus)) *clusterGate {
	return &clusterGate{status: api.ClusterStatus{State: api.ClusterStarting, Message: "the Kubernetes cluster is starting"},
		ready: make(chan struct{}), notify: notify, log: log}
}

// Status reports the cluster's state for GET /api/v1/system.
func (g *clusterGate) Status() api.ClusterStatus {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.status
}

// Ready is closed once the cluster answers.
func (g *clusterGate) Ready() <-chan struct{} { return g.ready }

// RESTConfig is the cluster's client configuration; nil until Ready is closed.
func (g *clusterGate) RESTConfig() *rest.Config {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rest
}

// set records a new state and tells the listener.
func (g *clusterGate) set(state, message string) {
	g.mu.Lock()
	changed := g.status.State != state || g.status.Message != message
	g.status = api.ClusterStatus{State: state, Message: message}
	st := g.status
	g.mu.Unlock()
	if changed && g.notify != nil {
		g.notify(st)
	}
}

// open makes the cluster usable: it creates the namespaces asked for meanwhile, then lets
// the worker and the api through.
func (g *clusterGate) open(ctx context.Context, rc *rest.Config, kc *kube.Client, diag *diagnose.Reader) {
	if g.namespacesOf != nil {
		diag = diag.WithNamespaces(g.namespacesOf)
	}
	g.mu.Lock()
	g.rest, g.kc, g.diag = rc, kc, diag
	pending := g.pending
	g.pending = nil
	g.mu.Unlock()
	for _, ns := range pending {
		if err := kc.EnsureNamespace(ctx, ns, nil); err != nil {
			g.log.Warn("create a namespace asked for while the cluster started", "namespace", ns, "err", err)
		}
	}
	g.set(api.ClusterReady, "")
	close(g.ready)
}

// client returns the cluster's client, or an error saying the cluster is not ready yet.
func (g *clusterGate) client() (*kube.Client, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.kc == nil {
		return nil, fmt.Errorf("%w: %s", api.ErrClusterStarting, g.status.Message)
	}
	return g.kc, nil
}

// EnsureNamespace creates a namespace in the cluster once it is ready.
func (g *clusterGate) EnsureNamespace(ctx context.Context, name string, registries []model.DockerRegistry) error {
	kc, err := g.client()
	if err != nil {
		return err
	}
	return kc.EnsureNamespace(ctx, name, registries)
}

// DeleteNamespace deletes a namespace from the cluster once it is ready.
func (g *clusterGate) DeleteNamespace(ctx context.Context, name string) error {
	kc, err := g.client()
	if err != nil {
		return err
	}
	return kc.DeleteNamespace(ctx, name)
}

// reader returns the diagnostics reader, or an error saying the cluster is not ready yet.
func (g *clusterGate) reader() (*diagnose.Reader, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.diag == nil {
		return nil, fmt.Errorf("%w: %s", api.ErrClusterStarting, g.status.Message)
	}
	return g.diag, nil
}

// clients builds the clients the api needs of a cluster.
func clients(rc *rest.Config, installation string) (*kube.Client, *diagnose.Reader, error) {
	kc, err := kube.New(rc, installation)
	if err != nil {
		return nil, nil, err
	}
	kcs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, nil, fmt.Errorf("kubernetes client: %w", err)
	}
	return kc, diagnose.New(kcs, installation), nil
}

// ensureLater creates the namespace now when the cluster is ready, else once it is.
func (g *clusterGate) ensureLater(ctx context.Context, name string) error {
	g.mu.Lock()
	if g.kc == nil {
		g.pending = append(g.pending, name)
		g.mu.Unlock()
		return nil
	}
	kc := g.kc
	g.mu.Unlock()
	return kc.EnsureNamespace(ctx, name, nil)
}

// startWhenPresent calls start until it stops failing with errMissing (the programs of the
// local control plane are still being built), waiting poll between tries, and opens the
// gate with what start returns. It reports the states on the way and gives up on any other
// error (the gate then says why, and the api goes on serving).
func (g *clusterGate) startWhenPresent(ctx context.Context, poll time.Duration, errMissing error, installation string, start func(context.Context) (*rest.Config, error)) error {
	for {
		rc, err := start(ctx)
		switch {
		case err == nil:
			kc, diag, err := clients(rc, installation)
			if err != nil {
				g.set(api.ClusterFailed, err.Error())
				return err
			}
			g.open(ctx, rc, kc, diag)
			return nil
		case errors.Is(err, errMissing):
			g.set(api.ClusterWaiting, "the local cluster's programs are being built (make kube-bins, about 10-20 minutes the first time); deploys wait and then run")
		default:
			g.set(api.ClusterFailed, err.Error())
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

// gatedDiagnostics answers the api's diagnostics routes once the cluster is ready, and
// ErrClusterStarting (503) before. When api.Diagnostics gains a method, add it here.
type gatedDiagnostics struct{ g *clusterGate }

var (
	_ api.Diagnostics = gatedDiagnostics{}
	_ api.Differ      = gatedDiagnostics{} // else the diff route answers 503
)

func (d gatedDiagnostics) Pods(ctx context.Context, versionID string) ([]diagnose.Pod, error) {
	r, err := d.g.reader()
	if err != nil {
		return nil, err
	}
	return r.Pods(ctx, versionID)
}

func (d gatedDiagnostics) Pod(ctx context.Context, versionID, name string) (*diagnose.Pod, error) {
	r, err := d.g.reader()
	if err != nil {
		return nil, err
	}
	return r.Pod(ctx, versionID, name)
}

func (d gatedDiagnostics) Logs(ctx context.Context, versionID, pod string, o diagnose.LogOptions) (io.ReadCloser, error) {
	r, err := d.g.reader()
	if err != nil {
		return nil, err
	}
	return r.Logs(ctx, versionID, pod, o)
}

func (d gatedDiagnostics) Events(ctx context.Context, versionID string) ([]diagnose.Event, error) {
	r, err := d.g.reader()
	if err != nil {
		return nil, err
	}
	return r.Events(ctx, versionID)
}

func (d gatedDiagnostics) History(ctx context.Context, versionID string) ([]diagnose.Revision, error) {
	r, err := d.g.reader()
	if err != nil {
		return nil, err
	}
	return r.History(ctx, versionID)
}

func (d gatedDiagnostics) Diff(ctx context.Context, versionID string, planned []diagnose.Planned) ([]diagnose.ReleaseDiff, error) {
	r, err := d.g.reader()
	if err != nil {
		return nil, err
	}
	return r.Diff(ctx, versionID, planned)
}

// releaseNamespaces names the namespaces a version's last deployment recorded its releases in.
func releaseNamespaces(st *store.Store) diagnose.NamespacesFunc {
	return func(ctx context.Context, versionID string) ([]string, error) {
		v, err := st.GetVersionByID(ctx, versionID)
		if err != nil {
			return nil, err
		}
		out := make([]string, 0, len(v.Deployment.Releases))
		for _, r := range v.Deployment.Releases {
			out = append(out, r.Namespace)
		}
		return out, nil
	}
}
