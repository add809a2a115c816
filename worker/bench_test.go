package worker

// Benchmarks of the worker issue's figures. They need the same environment as the tests
// (TestMain starts the control plane, FerretDB, redis-server and the chart repository) and
// the helm CLI of "make helm-bin" for the baseline; "go test" without -bench runs none of
// them, and nothing here builds anything. Run them with
//
//	go test ./worker -run '^$' -bench BenchmarkDeploy100 -benchtime 1x -timeout 60m
//
// Timing is reported, never asserted.

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/localkube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// benchVersions is how many versions BenchmarkDeploy100 deploys per run.
const benchVersions = 100

// helmBinEnv names the helm CLI of the baseline when it is not in the kube binaries' cache.
const helmBinEnv = "ONEKO_HELM_BIN"

// BenchmarkDeploy100 measures deploy throughput: 100 versions of the small testdata chart
// (two replicas each, Pods made Ready by kwok) deployed with wait into the local cluster.
//
//   - helm-cli is the baseline, O-Neko's way: "helm upgrade --install <name> <chart.tgz> -n <ns>
//     --create-namespace --wait --kubeconfig <path> -f values.yaml" once per version,
//     sequentially, with the helm program of "make helm-bin" (or ONEKO_HELM_BIN). It reports
//     versions/s and cli-peak-rss-MB, the largest resident set of one helm process.
//   - concurrency-N runs the worker as in production (Worker.Run: a real asynq server on the
//     test redis-server) with N concurrent tasks. The clock runs from the first of the 100
//     deploy requests (store write and enqueue, as the api does) until every version is
//     recorded Running. It reports versions/s, x-vs-cli (its rate over the baseline's, when the
//     baseline ran in the same invocation), and the resident memory of this test process
//     sampled every 50 ms: start-rss-MB before the run and peak-rss-MB during it, and their
//     anonymous part, start-anon-MB and peak-anon-MB (what the process allocated, without the
//     pages of the binary's code it touched, which move by several MB with the binary's layout
//     alone: compare versions by the anonymous figures and by peak minus start). The test
//     binary also holds the embedded FerretDB (SQLite) that serves the store, unless
//     ONEKO_TEST_MONGO_URI names another server, and the test's own polling; the control
//     plane, kwok and redis-server are other processes.
//
// Every run deploys into a fresh namespace, deleted (and waited for) outside the clock.
func BenchmarkDeploy100(b *testing.B) {
	helmBin := helmCLI(b)
	chartPath := packageTestChart(b)
	var cliRate float64

	b.Run("helm-cli", func(b *testing.B) {
		var elapsed time.Duration
		var peakKB int64
		for range b.N {
			b.StopTimer()
			ns := "on-cli-" + randomHex(b)
			dir := b.TempDir()
			values := make([]string, benchVersions)
			for i := range values {
				values[i] = filepath.Join(dir, fmt.Sprintf("values-%d.yaml", i))
				if err := os.WriteFile(values[i], []byte(renderedValues(fmt.Sprintf("cli-%d", i))), 0o600); err != nil {
					b.Fatal(err)
				}
			}
			helmEnv := append(os.Environ(),
				"HELM_CONFIG_HOME="+filepath.Join(dir, "config"),
				"HELM_CACHE_HOME="+filepath.Join(dir, "cache"),
				"HELM_DATA_HOME="+filepath.Join(dir, "data"))
			b.StartTimer()
			start := time.Now()
			for i := range benchVersions {
				cmd := exec.Command(helmBin, "upgrade", "--install", fmt.Sprintf("v%d-web", i), chartPath,
					"-n", ns, "--create-namespace", "--wait", "--kubeconfig", cluster.KubeconfigPath(), "-f", values[i])
				cmd.Env = helmEnv
				out, err := cmd.CombinedOutput()
				if err != nil {
					b.Fatalf("helm upgrade --install of version %d: %v\n%s", i, err, out)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					peakKB = max(peakKB, ru.Maxrss)
				}
			}
			elapsed += time.Since(start)
			b.StopTimer()
			deleteNamespaceAndWait(b, ns)
		}
		cliRate = float64(benchVersions*b.N) / elapsed.Seconds()
		b.ReportMetric(cliRate, "versions/s")
		b.ReportMetric(float64(peakKB)/1024, "cli-peak-rss-MB")
	})

	for _, concurrency := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("concurrency-%d", concurrency), func(b *testing.B) {
			var elapsed time.Duration
			var startRSS, peakRSS, startAnon, peakAnon int64
			for range b.N {
				b.StopTimer()
				e := newEnv(b)
				p := e.benchProject(b)
				versions := make([]*model.Version, benchVersions)
				for i := range versions {
					versions[i] = model.NewVersion(p, fmt.Sprintf("1.0.%d", i), digestFor(fmt.Sprintf("%s-%d", p.ID, i)), e.clock.Now())
					if err := e.store.CreateVersion(context.Background(), versions[i]); err != nil {
						b.Fatal(err)
					}
				}
				stopWorker := e.runWorker(b, concurrency)
				runtime.GC()
				debug.FreeOSMemory()
				rss := startRSSSampler(b)
				startRSS, startAnon = max(startRSS, rss.start), max(startAnon, rss.startAnon)

				b.StartTimer()
				start := time.Now()
				r := deploy.Requester{Store: e.store, Queue: tasks.Queue{Enqueuer: e.queue}, Lifetime: lifetime.DefaultPolicy(), Now: e.clock.Now}
				for _, v := range versions {
					if _, err := r.RequestState(context.Background(), deploy.Request{Project: p, Version: v, State: model.Deployed, Actor: "user:bench"}); err != nil {
						b.Fatal(err)
					}
				}
				e.waitAllRunning(b, versions, 20*time.Minute)
				elapsed += time.Since(start)
				b.StopTimer()

				peak, anon := rss.stop()
				peakRSS, peakAnon = max(peakRSS, peak), max(peakAnon, anon)
				stopWorker()
				deleteNamespaceAndWait(b, p.Namespace)
			}
			rate := float64(benchVersions*b.N) / elapsed.Seconds()
			b.ReportMetric(rate, "versions/s")
			if cliRate > 0 {
				b.ReportMetric(rate/cliRate, "x-vs-cli")
			} else {
				b.Log("the helm-cli baseline did not run in this invocation: no x-vs-cli")
			}
			b.ReportMetric(float64(startRSS)/(1<<20), "start-rss-MB")
			b.ReportMetric(float64(peakRSS)/(1<<20), "peak-rss-MB")
			b.ReportMetric(float64(startAnon)/(1<<20), "start-anon-MB")
			b.ReportMetric(float64(peakAnon)/(1<<20), "peak-anon-MB")
		})
	}
}

// benchProject stores a docker registry, a Helm registry serving the test charts and an
// "automatically" project with one template (defaultValues, chart app) deploying into a fresh
// namespace, deleted when tb ends.
func (e *env) benchProject(tb testing.TB) *model.Project {
	tb.Helper()
	ctx := context.Background()
	suffix := randomHex(tb)
	dr := &model.DockerRegistry{Name: "registry-" + suffix, URL: "https://registry.example.test", WebhookFormat: model.WebhookGeneric}
	if err := e.store.CreateDockerRegistry(ctx, dr); err != nil {
		tb.Fatal(err)
	}
	hr := &model.HelmRegistry{Name: "charts-" + suffix, URL: chartURL}
	if err := e.store.CreateHelmRegistry(ctx, hr); err != nil {
		tb.Fatal(err)
	}
	ns := "on-b" + suffix
	p := &model.Project{
		Name: "shop-" + suffix, DockerRegistryID: dr.ID, ImageName: "team/shop", Namespace: ns,
		NewVersionsDeploymentBehaviour: model.BehaviourAutomatically,
		DefaultConfigurationTemplates: []model.ConfigurationTemplate{{
			ID: "t1", Name: "web", Content: defaultValues, ChartName: "app", HelmRegistryID: hr.ID,
		}},
		DefaultLifetimeBehaviour: model.Lifetime{Type: lifetime.Infinite},
	}
	p.Normalize()
	if err := e.store.CreateProject(ctx, p); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = e.kube.DeleteNamespace(ctx, ns)
	})
	return p
}

// runWorker serves tasks with Worker.Run, the production entry point, until the returned
// function is called (it waits for Run to return).
func (e *env) runWorker(tb testing.TB, concurrency int) (stop func()) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.worker.Run(ctx, e.redis, Config{Concurrency: concurrency}) }()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				tb.Errorf("worker: %v", err)
			}
		})
	}
}

// waitAllRunning waits until every one of the versions is recorded Running; a Failed one
// fails the benchmark. It reads one version by _id at a time, in order, and moves to the next
// only once that one is Running, so that the waiting itself costs the store about one point
// read per version plus one per 100 ms (listing the project's versions on every tick would
// load the store the benchmark measures).
func (e *env) waitAllRunning(tb testing.TB, versions []*model.Version, timeout time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for i := 0; i < len(versions); {
		v, err := e.store.GetVersionByID(context.Background(), versions[i].ID)
		if err != nil {
			tb.Fatal(err)
		}
		switch v.Deployment.Status {
		case model.StatusRunning:
			i++
			continue
		case model.StatusFailed:
			tb.Fatalf("version %s failed: %s", v.Name, v.Deployment.Message)
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d of %d versions Running after %s", i, len(versions), timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// helmCLI finds the helm program of the baseline: ONEKO_HELM_BIN, else helm in the kube
// binaries' cache dir (where "make helm-bin" puts it).
func helmCLI(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv(helmBinEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			tb.Fatalf("%s=%s: %v", helmBinEnv, p, err)
		}
		return p
	}
	dir := os.Getenv(localkube.BinDirEnv)
	if dir == "" {
		var err error
		if dir, err = localkube.DefaultBinDir(); err != nil {
			tb.Fatal(err)
		}
	}
	p := filepath.Join(dir, "helm")
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("the helm CLI of the baseline is missing (%v): run \"make helm-bin\" (it builds %s), or set %s", err, p, helmBinEnv)
	}
	return p
}

// packageTestChart packages testdata/charts/app into a .tgz for the helm CLI.
func packageTestChart(tb testing.TB) string {
	tb.Helper()
	ch, err := loader.Load("testdata/charts/app")
	if err != nil {
		tb.Fatal(err)
	}
	path, err := chartutil.Save(ch, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return path
}

// renderedValues is what O-Neko renders from defaultValues for a version of the test
// project whose digest is digestFor(seed).
func renderedValues(seed string) string {
	return fmt.Sprintf("replicas: 2\nimage: \"registry.example.test/team/shop@%s\"\n", digestFor(seed))
}

// digestFor is a sha256 digest made from seed.
func digestFor(seed string) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(seed)))
}

// deleteNamespaceAndWait deletes a namespace and waits until it is gone, so that its
// teardown does not load the cluster during the next measurement.
func deleteNamespaceAndWait(tb testing.TB, ns string) {
	tb.Helper()
	client := cluster.Client(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		tb.Fatalf("delete namespace %s: %v", ns, err)
	}
	for {
		_, err := client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		if ctx.Err() != nil {
			tb.Logf("namespace %s still terminating after 5 minutes; going on", ns)
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// rssSampler records the peak resident set of this process, in all (VmRSS) and its anonymous
// part (RssAnon: the heap, stacks and other memory the process allocated, without the pages
// of the test binary's code and read-only data it has touched, which move with the binary's
// layout: the same code linked in another order touches several MB more or less).
type rssSampler struct {
	start, startAnon int64
	peak, peakAnon   atomic.Int64
	quit             chan struct{}
	done             chan struct{}
}

// startRSSSampler reads the resident set now and then every 50 ms until stop.
func startRSSSampler(tb testing.TB) *rssSampler {
	tb.Helper()
	first, err := readRSS()
	if err != nil {
		tb.Fatal(err)
	}
	s := &rssSampler{start: first.all, startAnon: first.anon, quit: make(chan struct{}), done: make(chan struct{})}
	s.record(first)
	go func() {
		defer close(s.done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.quit:
				return
			case <-tick.C:
				if n, err := readRSS(); err == nil {
					s.record(n)
				}
			}
		}
	}()
	return s
}

// record keeps the larger of the peaks and n.
func (s *rssSampler) record(n rssReading) {
	if n.all > s.peak.Load() {
		s.peak.Store(n.all)
	}
	if n.anon > s.peakAnon.Load() {
		s.peakAnon.Store(n.anon)
	}
}

// stop ends the sampling and returns the peaks: in all and anonymous.
func (s *rssSampler) stop() (peak, peakAnon int64) {
	close(s.quit)
	<-s.done
	if n, err := readRSS(); err == nil {
		s.record(n)
	}
	return s.peak.Load(), s.peakAnon.Load()
}

// rssReading is a reading of the resident set, in bytes.
type rssReading struct{ all, anon int64 }

// readRSS reads this process's resident set (VmRSS) and its anonymous part (RssAnon) from
// /proc/self/status.
func readRSS() (rssReading, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return rssReading{}, err
	}
	defer f.Close()
	var out rssReading
	found := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		for _, field := range []struct {
			name string
			into *int64
		}{{"VmRSS:", &out.all}, {"RssAnon:", &out.anon}} {
			rest, ok := strings.CutPrefix(sc.Text(), field.name)
			if !ok {
				continue
			}
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return rssReading{}, fmt.Errorf("%s %q: %w", field.name, rest, err)
			}
			*field.into = kb << 10
			found++
		}
	}
	if found != 2 {
		return rssReading{}, errors.New("no VmRSS or RssAnon in /proc/self/status")
	}
	return out, nil
}

func randomHex(tb testing.TB) string {
	tb.Helper()
	return fmt.Sprintf("%08x", rand.Uint32())
}
