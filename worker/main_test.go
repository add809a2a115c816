package worker

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
)

// The real components of this test binary, started once in TestMain: FerretDB, redis-server,
// the Kubernetes control plane and a chart repository.
var (
	shared   *testenv.Shared
	cluster  *testenv.Kube
	redisSrv *testenv.Redis
	chartURL string
)

func TestMain(m *testing.M) {
	if os.Getenv(workerProcessEnv) != "" {
		// A worker process started by a test of this binary (kill_test.go), not a test run.
		os.Exit(workerProcess())
	}
	os.Exit(testenv.Main(m, testenv.Needs{Mongo: true, Redis: true, Kube: true}, func(s *testenv.Shared) error {
		url, stop, err := serveCharts()
		if err != nil {
			return err
		}
		s.OnStop(stop)
		shared, cluster, redisSrv, chartURL = s, s.Kube, s.Redis, url
		return nil
	}))
}

// serveCharts packages testdata/charts/* into a classic chart repository served over HTTP.
func serveCharts() (url string, stop func(), err error) {
	dir, err := os.MkdirTemp("", "oneko-worker-charts-")
	if err != nil {
		return "", nil, err
	}
	fail := func(err error) (string, func(), error) {
		_ = os.RemoveAll(dir)
		return "", nil, err
	}
	entries, err := os.ReadDir("testdata/charts")
	if err != nil {
		return fail(err)
	}
	for _, e := range entries {
		ch, err := loader.Load(filepath.Join("testdata/charts", e.Name()))
		if err != nil {
			return fail(fmt.Errorf("load chart %s: %w", e.Name(), err))
		}
		if _, err := chartutil.Save(ch, dir); err != nil {
			return fail(fmt.Errorf("package chart %s: %w", e.Name(), err))
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	idx, err := repo.IndexDirectory(dir, srv.URL)
	if err != nil {
		srv.Close()
		return fail(fmt.Errorf("index charts: %w", err))
	}
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		srv.Close()
		return fail(err)
	}
	return srv.URL, func() { srv.Close(); _ = os.RemoveAll(dir) }, nil
}

// clock is a settable test clock; wall makes it the wall clock.
type clock struct {
	mu   sync.Mutex
	now  time.Time
	wall bool
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.wall {
		return time.Now().UTC()
	}
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one test's worker with its own database and a flushed Redis.
type env struct {
	t      testing.TB
	store  *store.Store
	queue  *asynq.Client
	rdb    *redis.Client
	worker *Worker
	clock  *clock
	redis  asynq.RedisClientOpt
	// helm and kube are the test's own clients of the cluster, to look at and set up what
	// the worker's handlers act on.
	helm *helm.Client
	kube *kube.Client
	// ops is the worker's Helm client: the test's, counting the operations it runs (see
	// countOps).
	ops *countingReleases
	// installation is the installation id of the worker.
	installation string
	// deps are what the worker was built from (see rebuild).
	deps Deps
}

// newEnv returns a worker on a fresh database and a flushed Redis, with the local cluster;
// each option changes its Deps before it is built.
func newEnv(t testing.TB, options ...func(*Deps)) *env {
	t.Helper()
	ctx := context.Background()
	if err := redisSrv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Now().UTC()}
	st := shared.Mongo.Store(t, store.Options{Now: clk.Now})
	opt := asynq.RedisClientOpt{Addr: redisSrv.Addr()}
	q := asynq.NewClient(opt)
	rdb := redis.NewClient(&redis.Options{Addr: redisSrv.Addr()})
	cache, err := charts.NewCache(t.TempDir(), charts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	level := slog.LevelWarn
	if os.Getenv("ONEKO_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	inst, err := st.InstallationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	hc, kc, pods, err := clusterClients(cluster.RESTConfig(), inst, helm.Confinement{}, log)
	if err != nil {
		t.Fatal(err)
	}
	watch, err := kube.NewWatchClients(cluster.RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	ops := &countingReleases{Releases: hc}
	d := Deps{
		Store: st, Queue: q, Redis: rdb, Helm: ops, Cluster: kc, Pods: pods, Watch: watch, Charts: cache, InstallationID: inst,
		Lifetime: lifetime.DefaultPolicy(), Now: clk.Now, Log: log,
		Deploy: DeployOptions{Timeout: 2 * time.Minute, LeaseRetryDelay: 200 * time.Millisecond},
	}
	e := &env{t: t, store: st, queue: q, rdb: rdb, clock: clk, redis: opt, helm: hc, kube: kc, ops: ops, installation: inst, deps: d}
	e.rebuild(t, options...)
	t.Cleanup(func() {
		_ = q.Close()
		_ = rdb.Close()
	})
	return e
}

// rebuild replaces e's worker by one built from e's Deps changed by options (kept for the
// next rebuild).
func (e *env) rebuild(t testing.TB, options ...func(*Deps)) {
	t.Helper()
	for _, o := range options {
		o(&e.deps)
	}
	w, err := New(e.deps)
	if err != nil {
		t.Fatal(err)
	}
	e.worker, e.installation = w, e.deps.InstallationID
}

// clusterClients builds the clients a worker acts on the cluster at cfg with, as
// internal/app does.
func clusterClients(cfg *rest.Config, installation string, confine helm.Confinement, log *slog.Logger) (*helm.Client, *kube.Client, *diagnose.Reader, error) {
	hc, err := helm.New(cfg, helm.Options{Logger: log.With("component", "helm"), Confinement: confine})
	if err != nil {
		return nil, nil, nil, err
	}
	kc, err := kube.New(cfg, installation)
	if err != nil {
		return nil, nil, nil, err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	return hc, kc, diagnose.New(cs, installation), nil
}
