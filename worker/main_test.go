package worker

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
)

// The real components of this test binary, started once in TestMain.
var (
	cluster  *testenv.Kube
	mongoURI string
	redisSrv *testenv.Redis
	chartURL string
	dbSeq    atomic.Int64
)

func TestMain(m *testing.M) {
	if os.Getenv(workerProcessEnv) != "" {
		// A worker process started by a test of this binary (kill_test.go), not a test run.
		os.Exit(workerProcess())
	}
	os.Exit(run(m))
}

// run starts FerretDB, redis-server, a chart repository and the Kubernetes control plane,
// runs the tests and stops what it started.
func run(m *testing.M) int {
	ctx := context.Background()
	mg, err := testenv.StartMongo(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer mg.Stop()
	rs, err := testenv.StartRedis(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer rs.Stop()
	url, stop, err := serveCharts()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stop()
	mongoURI, redisSrv, chartURL = mg.URI(), rs, url
	return testenv.RunWithKube(m, func(k *testenv.Kube) { cluster = k })
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
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	if err := redisSrv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(bytes.Repeat([]byte{7}, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Now().UTC()}
	st, err := store.Open(ctx, mongoURI, store.Options{Database: fmt.Sprintf("w%d_%d", os.Getpid(), dbSeq.Add(1)), Box: box, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
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
	w, err := New(Deps{
		Store: st, Queue: q, Redis: rdb, Kube: cluster.RESTConfig(), Charts: cache, InstallationID: inst,
		Lifetime: lifetime.DefaultPolicy(), Now: clk.Now,
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
	})
	if err != nil {
		t.Fatal(err)
	}
	w.ConfigureDeploy(DeployOptions{Timeout: 2 * time.Minute, LeaseRetryDelay: 200 * time.Millisecond})
	t.Cleanup(func() {
		_ = q.Close()
		_ = rdb.Close()
		_ = st.DropDatabase(context.Background())
		_ = st.Close(context.Background())
	})
	return &env{t: t, store: st, queue: q, rdb: rdb, worker: w, clock: clk, redis: opt}
}
