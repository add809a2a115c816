package e2e

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/testenv"
	"github.com/oneko/oneko/tasks"
	"github.com/oneko/oneko/worker"
)

// The chart repository of the benchmarks that deploy, started by the first benchmark that
// needs it (the tests of this package need neither it nor the cluster) and stopped by TestMain.
var chartRepo struct {
	once sync.Once
	url  string
	err  error
}

// needCluster starts the local cluster and serves testdata/charts as a chart repository, once.
func needCluster(tb testing.TB) (*testenv.Kube, string) {
	tb.Helper()
	k := shared.Cluster(tb)
	chartRepo.once.Do(func() {
		url, stop, err := serveCharts("testdata/charts")
		if err != nil {
			chartRepo.err = err
			return
		}
		chartRepo.url = url
		shared.OnStop(stop)
	})
	if chartRepo.err != nil {
		tb.Fatal(chartRepo.err)
	}
	return k, chartRepo.url
}

// serveCharts packages every chart under dir into a classic chart repository served over HTTP.
func serveCharts(dir string) (url string, stop func(), err error) {
	out, err := os.MkdirTemp("", "oneko-e2e-charts-")
	if err != nil {
		return "", nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", nil, err
	}
	for _, e := range entries {
		ch, err := loader.Load(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", nil, fmt.Errorf("load chart %s: %w", e.Name(), err)
		}
		if _, err := chartutil.Save(ch, out); err != nil {
			return "", nil, fmt.Errorf("package chart %s: %w", e.Name(), err)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	idx, err := repo.IndexDirectory(out, srv.URL)
	if err == nil {
		err = idx.WriteFile(filepath.Join(out, "index.yaml"), 0o644)
	}
	if err != nil {
		srv.Close()
		return "", nil, fmt.Errorf("index charts: %w", err)
	}
	return srv.URL, func() { srv.Close(); _ = os.RemoveAll(out) }, nil
}

// BenchmarkWebhookToHelm measures the latency from a webhook's 202 to the start of the Helm
// upgrade it causes, with an idle queue. The whole path is real and in this process: the api
// (POST /api/v1/webhooks/{registryId}, generic format, Bearer secret) enqueues an image:push
// task into redis-server; the worker's image:push handler confirms the tag's digest with the
// docker registry (a stub answering HEAD of the manifest with the pushed digest), records it
// and, the version being deployed and "automatically", queues its deploy; the deploy handler
// takes the version's lease and upgrades the release. The start of the upgrade is the moment
// a watch on the release's namespace sees Helm store the new, pending revision (a Secret
// labelled owner=helm, status=pending-upgrade); its end, that revision recorded deployed. Each
// push changes the digest of the one deployed version; the next push is sent after that
// upgrade finished and the queues are empty, after a random pause of up to 1.5 s so that
// pushes meet the worker's idle polling at any phase.
//
//   - worker.Run serves tasks exactly as the production worker does.
//   - asynq-poll-10ms is the same mux on an asynq server with TaskCheckInterval 10 ms, to show
//     how much of the latency is asynq's idle polling.
//
// Each reports p50-ms, p99-ms and max-ms over 30 pushes per b.N (nearest-rank percentiles: with
// 30 samples p99 is the largest). Run it with
//
//	go test ./internal/e2e -run '^$' -bench BenchmarkWebhookToHelm -benchtime 1x
func BenchmarkWebhookToHelm(b *testing.B) {
	k, charts := needCluster(b)
	for _, variant := range []struct {
		name      string
		checkPoll time.Duration // 0: Worker.Run
	}{{"worker.Run", 0}, {"asynq-poll-10ms", 10 * time.Millisecond}} {
		b.Run(variant.name, func(b *testing.B) {
			const pushes = 30
			s := newSystemB(b)
			w := s.clusterWorker(b, k)
			reg := newStubRegistry(b)
			p, ns := s.benchProject(b, k, reg.srv.URL, charts)
			helmOps := watchUpgrades(b, k, ns)

			if variant.checkPoll == 0 {
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- w.Run(ctx, asynq.RedisClientOpt{Addr: redisSrv.Addr()}, worker.Config{Concurrency: 4}) }()
				defer func() { cancel(); <-done }()
			} else {
				srv := asynq.NewServer(asynq.RedisClientOpt{Addr: redisSrv.Addr()}, asynq.Config{
					Concurrency: 4, Queues: tasks.Queues(), ShutdownTimeout: 30 * time.Second,
					TaskCheckInterval: variant.checkPoll, LogLevel: asynq.ErrorLevel,
				})
				if err := srv.Start(w.Mux()); err != nil {
					b.Fatal(err)
				}
				defer srv.Shutdown()
			}

			image := strings.TrimPrefix(reg.srv.URL, "http://") + "/team/shop"
			push := func(digest string) time.Time {
				reg.digest.Store(digest)
				body := fmt.Sprintf(`{"image":%q,"tag":"latest","digest":%q}`, image, digest)
				code, out := s.call(http.MethodPost, "/api/v1/webhooks/"+p.DockerRegistryID, body, map[string]string{"Authorization": "Bearer bench-secret"})
				at := time.Now()
				if code != http.StatusAccepted {
					b.Fatalf("webhook answered %d %s, want 202", code, out)
				}
				return at
			}
			// The version: created by a first push, then deployed.
			push(digestFor("initial"))
			v := s.waitVersion(p.ID, "latest", "")
			r := deploy.Requester{Store: s.store, Queue: tasks.Queue{Enqueuer: s.queue}, Lifetime: lifetime.DefaultPolicy(), Now: time.Now}
			if _, err := r.RequestState(context.Background(), deploy.Request{Project: p, Version: v, State: model.Deployed, Actor: "user:bench"}); err != nil {
				b.Fatal(err)
			}
			s.waitRunning(b, v.ID)
			waitQueuesIdle(b)
			helmOps.drain()

			var lat []time.Duration
			b.ResetTimer()
			for i := range pushes * b.N {
				b.StopTimer()
				time.Sleep(time.Duration(rand.Int64N(1500)) * time.Millisecond)
				b.StartTimer()
				accepted := push(digestFor(fmt.Sprintf("push-%d", i)))
				select {
				case started := <-helmOps.starts:
					lat = append(lat, started.Sub(accepted))
				case <-time.After(2 * time.Minute):
					b.Fatalf("push %d: no Helm upgrade started within 2 minutes of the 202", i)
				}
				b.StopTimer()
				select {
				case <-helmOps.ends:
				case <-time.After(3 * time.Minute):
					b.Fatalf("push %d: the upgrade did not end within 3 minutes", i)
				}
				waitQueuesIdle(b)
				s.waitRunning(b, v.ID)
			}
			slices.Sort(lat)
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[(len(lat)*99+99)/100-1]), "p99-ms")
			b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
			b.ReportMetric(0, "ns/op") // the clock also ran through the webhook calls; not a figure
		})
	}
}

// clusterWorker replaces the system's worker by one that deploys into k.
func (s *system) clusterWorker(tb testing.TB, k *testenv.Kube) *worker.Worker {
	tb.Helper()
	ctx := context.Background()
	cache, err := charts.NewCache(tb.TempDir(), charts.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	inst, err := s.store.InstallationID(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	hc, err := helm.New(k.RESTConfig(), helm.Options{Logger: log})
	if err != nil {
		tb.Fatal(err)
	}
	kc, err := kube.New(k.RESTConfig(), inst)
	if err != nil {
		tb.Fatal(err)
	}
	w, err := worker.New(worker.Deps{
		Store: s.store, Queue: s.queue, Redis: s.rdb, Helm: hc, Cluster: kc, Pods: diagnose.New(k.Client(tb), inst), Charts: cache,
		InstallationID: inst, Lifetime: lifetime.DefaultPolicy(), Log: log,
		Deploy: worker.DeployOptions{Timeout: 2 * time.Minute, LeaseRetryDelay: 200 * time.Millisecond},
	})
	if err != nil {
		tb.Fatal(err)
	}
	s.worker = w
	return w
}

// benchProject stores a generic-format docker registry at registryURL (webhook secret
// "bench-secret"), a Helm registry serving the test charts and an "automatically" project
// with one template (chart app, two replicas) deploying into a fresh namespace, deleted when
// tb ends.
func (s *system) benchProject(tb testing.TB, k *testenv.Kube, registryURL, chartURL string) (*model.Project, string) {
	tb.Helper()
	ctx := context.Background()
	suffix := fmt.Sprintf("%x", rand.Uint32())
	dr := &model.DockerRegistry{Name: "registry-" + suffix, URL: registryURL, WebhookFormat: model.WebhookGeneric, WebhookSecret: "bench-secret"}
	if err := s.store.CreateDockerRegistry(ctx, dr); err != nil {
		tb.Fatal(err)
	}
	hr := &model.HelmRegistry{Name: "charts-" + suffix, URL: chartURL}
	if err := s.store.CreateHelmRegistry(ctx, hr); err != nil {
		tb.Fatal(err)
	}
	ns := "on-b" + suffix
	p := &model.Project{
		Name: "shop-" + suffix, DockerRegistryID: dr.ID, ImageName: "team/shop", Namespace: ns,
		NewVersionsDeploymentBehaviour: model.BehaviourAutomatically,
		DefaultConfigurationTemplates: []model.ConfigurationTemplate{{
			ID: "t1", Name: "web", Content: "replicas: 2\nimage: \"{{IMAGE}}@{{IMAGE_DIGEST}}\"\n", ChartName: "app", HelmRegistryID: hr.ID,
		}},
		DefaultLifetimeBehaviour: model.Lifetime{Type: lifetime.Infinite},
	}
	p.Normalize()
	if err := s.store.CreateProject(ctx, p); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = k.Client(tb).CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
	})
	return p, ns
}

// upgrades reports the Helm upgrades in one namespace as its storage Secrets show them.
type upgrades struct {
	starts chan time.Time
	ends   chan struct{}
}

// drain forgets what was reported so far.
func (u *upgrades) drain() {
	for {
		select {
		case <-u.starts:
		case <-u.ends:
		default:
			return
		}
	}
}

// watchUpgrades watches Helm's release Secrets in ns until tb ends: a revision stored
// pending-upgrade is the start of an upgrade, a revision recorded deployed or failed its end.
func watchUpgrades(tb testing.TB, k *testenv.Kube, ns string) *upgrades {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	wi, err := k.Client(tb).CoreV1().Secrets(ns).Watch(ctx, metav1.ListOptions{LabelSelector: "owner=helm"})
	if err != nil {
		tb.Fatal(err)
	}
	u := &upgrades{starts: make(chan time.Time, 64), ends: make(chan struct{}, 64)}
	go func() {
		defer wi.Stop()
		seen := map[string]string{} // secret name → last status
		for ev := range wi.ResultChan() {
			sec, ok := ev.Object.(*corev1.Secret)
			if !ok || (ev.Type != watch.Added && ev.Type != watch.Modified) {
				continue
			}
			at := time.Now()
			st := sec.Labels["status"]
			if seen[sec.Name] == st {
				continue
			}
			seen[sec.Name] = st
			switch st {
			case "pending-upgrade":
				u.starts <- at
			case "deployed", "failed":
				if sec.Labels["version"] != "1" {
					u.ends <- struct{}{}
				}
			}
		}
	}()
	return u
}

// waitRunning waits until the version is recorded Running; Failed ends the benchmark.
func (s *system) waitRunning(tb testing.TB, versionID string) {
	tb.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		v, err := s.store.GetVersionByID(context.Background(), versionID)
		if err != nil {
			tb.Fatal(err)
		}
		switch v.Deployment.Status {
		case model.StatusRunning:
			return
		case model.StatusFailed:
			tb.Fatalf("version %s failed: %s", v.Name, v.Deployment.Message)
		}
		if time.Now().After(deadline) {
			tb.Fatalf("version %s is %s after 3 minutes", v.Name, v.Deployment.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitQueuesIdle waits until no task is pending, active, scheduled or waiting for a retry.
func waitQueuesIdle(tb testing.TB) {
	tb.Helper()
	in := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	defer in.Close()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		busy := 0
		queues, err := in.Queues()
		if err != nil {
			tb.Fatal(err)
		}
		for _, q := range queues {
			info, err := in.GetQueueInfo(q)
			if err != nil {
				tb.Fatal(err)
			}
			busy += info.Pending + info.Active + info.Scheduled + info.Retry
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatal("the queues did not drain in 3 minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stubRegistry answers the manifest HEAD of any tag with one digest, as a registry that
// just received the push would.
type stubRegistry struct {
	srv    *httptest.Server
	digest atomic.Value // string
}

func newStubRegistry(tb testing.TB) *stubRegistry {
	tb.Helper()
	r := &stubRegistry{}
	r.digest.Store(digestFor("none"))
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch {
		case req.URL.Path == "/v2/" || req.URL.Path == "/v2":
			w.WriteHeader(http.StatusOK)
		case strings.Contains(req.URL.Path, "/manifests/") && req.Method == http.MethodHead:
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			w.Header().Set("Content-Length", "512")
			w.Header().Set("Docker-Content-Digest", r.digest.Load().(string))
			w.WriteHeader(http.StatusOK)
		default:
			http.NotFound(w, req)
		}
	}))
	tb.Cleanup(r.srv.Close)
	return r
}

// digestFor is a made-up sha256 digest derived from seed.
func digestFor(seed string) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(seed)))
}
