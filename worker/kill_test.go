package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/repo"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/utils/ptr"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
	"github.com/oneko/oneko/tasks"
)

// The environment of a worker process started by startWorkerProcess. TestMain runs
// workerProcess instead of the tests when workerProcessEnv is set.
const (
	workerProcessEnv   = "ONEKO_TEST_WORKER_PROCESS"
	workerMongoEnv     = "ONEKO_TEST_WORKER_MONGO_URI"
	workerDatabaseEnv  = "ONEKO_TEST_WORKER_DATABASE"
	workerRedisEnv     = "ONEKO_TEST_WORKER_REDIS"
	workerKubeEnv      = "ONEKO_TEST_WORKER_KUBECONFIG"
	workerChartsEnv    = "ONEKO_TEST_WORKER_CHART_CACHE"
	workerLeaseTTLEnv  = "ONEKO_TEST_WORKER_LEASE_TTL"
	workerProcessReady = "oneko test worker process serving"
)

// killLeaseTTL is the version lease TTL of the worker processes: short, so that the lease
// of a killed worker expires soon; renewed every third of it while Helm runs.
const killLeaseTTL = 3 * time.Second

// poolLabel is the node label the test chart's nodeSelector uses.
const poolLabel = "oneko.test/pool"

// workerProcess is the body of a worker process: a Worker wired from the environment the
// parent test passes, served by a real asynq server until the process is killed. It returns
// the exit code.
func workerProcess() int {
	ctx := context.Background()
	fail := func(what string, err error) int {
		fmt.Fprintf(os.Stderr, "worker process: %s: %v\n", what, err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	box, err := secret.NewBox(testenv.SecretKey()) // the key of the parent test's store
	if err != nil {
		return fail("secret box", err)
	}
	st, err := store.Open(ctx, os.Getenv(workerMongoEnv), store.Options{Database: os.Getenv(workerDatabaseEnv), Box: box})
	if err != nil {
		return fail("open store", err)
	}
	inst, err := st.InstallationID(ctx)
	if err != nil {
		return fail("installation id", err)
	}
	kube, err := clientcmd.BuildConfigFromFlags("", os.Getenv(workerKubeEnv))
	if err != nil {
		return fail("kubeconfig", err)
	}
	opt := asynq.RedisClientOpt{Addr: os.Getenv(workerRedisEnv)}
	q := asynq.NewClient(opt)
	rdb := redis.NewClient(&redis.Options{Addr: opt.Addr})
	cache, err := charts.NewCache(os.Getenv(workerChartsEnv), charts.Options{})
	if err != nil {
		return fail("chart cache", err)
	}
	ttl, err := time.ParseDuration(os.Getenv(workerLeaseTTLEnv))
	if err != nil {
		return fail("lease TTL", err)
	}
	log = log.With("pid", os.Getpid())
	hc, kc, pods, err := clusterClients(kube, inst, helm.Confinement{}, log)
	if err != nil {
		return fail("cluster clients", err)
	}
	w, err := New(Deps{
		Store: st, Queue: q, Redis: rdb, Helm: hc, Cluster: kc, Pods: pods, Charts: cache, InstallationID: inst,
		Lifetime: lifetime.DefaultPolicy(), Log: log,
		Deploy: DeployOptions{Timeout: 5 * time.Minute, LeaseTTL: ttl, LeaseRetryDelay: 200 * time.Millisecond},
	})
	if err != nil {
		return fail("worker", err)
	}
	srv := asynq.NewServer(opt, asynq.Config{
		Concurrency:              2,
		Queues:                   tasks.Queues(),
		DelayedTaskCheckInterval: 100 * time.Millisecond,
		RetryDelayFunc:           func(int, error, *asynq.Task) time.Duration { return 200 * time.Millisecond },
		Logger:                   asynqLogger{log.With("component", "asynq")},
		LogLevel:                 asynq.InfoLevel,
	})
	if err := srv.Start(w.Mux()); err != nil {
		return fail("start asynq server", err)
	}
	fmt.Fprintln(os.Stderr, workerProcessReady)
	// The tests end it with SIGKILL; SIGTERM or SIGINT (a developer's ^C) stop it cleanly.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	srv.Shutdown()
	return 0
}

// workerProc is a worker process started by a test.
type workerProc struct {
	cmd  *exec.Cmd
	log  string
	done chan struct{} // closed once the process exited and was waited for
}

// startWorkerProcess re-executes the test binary as a worker process serving e's database
// and Redis. It is killed when t ends; its log is printed if t failed (or ONEKO_TEST_LOG is set).
func (e *env) startWorkerProcess(t *testing.T, database string) *workerProc {
	t.Helper()
	dir := t.TempDir()
	logPath := filepath.Join(dir, "worker.log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		workerProcessEnv+"=1",
		workerMongoEnv+"="+shared.Mongo.URI(),
		workerDatabaseEnv+"="+database,
		workerRedisEnv+"="+redisSrv.Addr(),
		workerKubeEnv+"="+cluster.KubeconfigPath(),
		workerChartsEnv+"="+filepath.Join(dir, "charts"),
		workerLeaseTTLEnv+"="+killLeaseTTL.String(),
	)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		_ = f.Close()
		t.Fatalf("start worker process: %v", err)
	}
	_ = f.Close()
	wp := &workerProc{cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(wp.done)
	}()
	t.Cleanup(func() {
		wp.kill()
		if t.Failed() || os.Getenv("ONEKO_TEST_LOG") != "" {
			b, _ := os.ReadFile(logPath)
			if len(b) > 20000 {
				b = b[len(b)-20000:]
			}
			t.Logf("log of worker process %d (%s):\n%s", cmd.Process.Pid, cmd.ProcessState, b)
		}
	})
	return wp
}

// kill sends SIGKILL to the process, if it still runs, and waits for it.
func (wp *workerProc) kill() {
	select {
	case <-wp.done:
		return
	default:
	}
	_ = wp.cmd.Process.Signal(syscall.SIGKILL)
	<-wp.done
}

// exited reports whether the process ended.
func (wp *workerProc) exited() bool {
	select {
	case <-wp.done:
		return true
	default:
		return false
	}
}

// waitFor polls cond until it holds; it fails t after limit (a failure bound, not a
// measurement), on an error of cond, or when one of procs exited on its own.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() (bool, error), procs ...*workerProc) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		for _, p := range procs {
			if p.exited() {
				t.Fatalf("waiting for %s: worker process %d exited: %s", what, p.cmd.Process.Pid, p.cmd.ProcessState)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %s", what, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// pinnedChart is a chart like testdata/charts/app whose pods get a nodeSelector on
// poolLabel when the value pool is set.
var pinnedChart = map[string]string{
	"Chart.yaml":  "apiVersion: v2\nname: pinned\nversion: 0.1.0\n",
	"values.yaml": "replicas: 1\nimage: example.invalid/app:latest\npool: \"\"\n",
	"templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app.kubernetes.io/instance: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      {{- if .Values.pool }}
      nodeSelector:
        ` + poolLabel + `: {{ .Values.pool | quote }}
      {{- end }}
      containers:
        - name: app
          image: {{ .Values.image | quote }}
`,
}

// pinnedValues is the values template of the kill tests' project: the version's POOL
// variable (default empty: no nodeSelector) picks the nodes of its pods.
const pinnedValues = defaultValues + "pool: \"{{POOL}}\"\n"

// pinnedProject stores a project deploying pinnedChart, served by a chart repository of
// its own, with the template variable POOL.
func (e *env) pinnedProject(t *testing.T) *model.Project {
	t.Helper()
	ctx := context.Background()
	src, dir := t.TempDir(), t.TempDir()
	for name, content := range pinnedChart {
		path := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ch, err := loader.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chartutil.Save(ch, dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	idx, err := repo.IndexDirectory(dir, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	hr := &model.HelmRegistry{Name: "pinned-" + randomSuffix(t), URL: srv.URL}
	if err := e.store.CreateHelmRegistry(ctx, hr); err != nil {
		t.Fatal(err)
	}
	p := e.project(t, projectSpec{values: pinnedValues, chartName: "pinned"})
	p.DefaultConfigurationTemplates[0].HelmRegistryID = hr.ID
	p.TemplateVariables = []model.TemplateVariable{{ID: "pool", Name: "POOL", Label: "Node pool"}}
	if err := e.store.UpdateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// setPool sets (or, with "", removes) the version's POOL variable.
func (e *env) setPool(t *testing.T, id, pool string) {
	t.Helper()
	v := e.get(t, id)
	if v.TemplateVariables == nil {
		v.TemplateVariables = map[string]string{}
	}
	if pool == "" {
		delete(v.TemplateVariables, "POOL")
	} else {
		v.TemplateVariables["POOL"] = pool
	}
	if err := e.store.UpdateVersion(context.Background(), v); err != nil {
		t.Fatal(err)
	}
}

// history reads every stored revision of a release straight from Helm's storage.
func history(t *testing.T, ns, name string) []*release.Release {
	t.Helper()
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = ptr.To(cluster.KubeconfigPath())
	flags.Namespace = ptr.To(ns)
	flags.CacheDir = ptr.To(t.TempDir())
	cfg := new(action.Configuration)
	if err := cfg.Init(flags, ns, "secret", func(string, ...any) {}); err != nil {
		t.Fatal(err)
	}
	rels, err := cfg.Releases.History(name)
	if err != nil {
		t.Fatal(err)
	}
	return rels
}

// deployedBeforeKill deploys a version of a pinnedProject in process (revision 1, no
// nodeSelector), sets its POOL to pool and requests the deploy that a worker process will
// run. It returns the project, the version as requested and the release name.
func (e *env) deployedBeforeKill(t *testing.T, pool string) (*model.Project, *model.Version, string) {
	t.Helper()
	p := e.pinnedProject(t)
	v := e.version(t, p, "1.0")
	v = e.request(t, p, v, model.Deployed)
	if err := e.run(t, model.Deployed, v, v.Generation); err != nil {
		t.Fatalf("first deploy: %v", err)
	}
	got := e.get(t, v.ID)
	if got.Deployment.Status != model.StatusRunning || len(got.Deployment.Releases) != 1 || got.Deployment.Releases[0].Revision != 1 {
		t.Fatalf("after the first deploy: %+v, want Running at revision 1", got.Deployment)
	}
	e.setPool(t, v.ID, pool)
	return p, e.request(t, p, v, model.Deployed), got.Deployment.Releases[0].Name
}

// killMidUpgrade starts a worker process, waits until it is inside the Helm upgrade of the
// release — revision 2 stored pending-upgrade and the Deployment already carrying the
// nodeSelector on pool, so Helm waits for pods that cannot be scheduled — and kills it with
// SIGKILL. It checks that the release is left pending-upgrade.
func (e *env) killMidUpgrade(t *testing.T, database string, v *model.Version, ns, name, pool string) {
	t.Helper()
	key := leaseKeyPrefix + v.ID
	wp := e.startWorkerProcess(t, database)
	waitFor(t, "the worker process's upgrade to be waiting for its pods", 3*time.Minute, func() (bool, error) {
		rel, err := e.helm.Status(t.Context(), ns, name)
		if err != nil {
			return false, err
		}
		if rel.Status != helm.StatusPendingUpgrade {
			return false, nil
		}
		dep, err := cluster.Client(t).AppsV1().Deployments(ns).Get(t.Context(), name, metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		if dep.Spec.Template.Spec.NodeSelector[poolLabel] != pool {
			return false, nil
		}
		// The worker process holds the version's lease, which has a TTL (-1: none).
		ttl, err := e.rdb.PTTL(t.Context(), key).Result()
		if err == nil && ttl == -1 {
			err = fmt.Errorf("lease %s has no TTL", key)
		}
		return ttl > 0, err
	}, wp)

	wp.kill()
	if ws, ok := wp.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("worker process ended with %s, want killed by SIGKILL", wp.cmd.ProcessState)
	}
	rel, err := e.helm.Status(t.Context(), ns, name)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Status != helm.StatusPendingUpgrade || rel.Revision != 2 {
		t.Fatalf("after the kill: revision %d %s, want revision 2 left pending-upgrade", rel.Revision, rel.Status)
	}
	// The dead worker's lease is not kept forever: it still expires, or is already gone.
	if ttl, err := e.rdb.PTTL(t.Context(), key).Result(); err != nil || ttl == -1 {
		t.Fatalf("lease %s after the kill: ttl %v, %v; want it to expire", key, ttl, err)
	}
}

// waitRunning waits until the version's recorded deployment is Running or Failed (failing t
// then) at its current generation; a request resets the status to Pending.
func (e *env) waitRunning(t *testing.T, id string, wp *workerProc) *model.Version {
	t.Helper()
	var got *model.Version
	waitFor(t, "the version to be Running", 5*time.Minute, func() (bool, error) {
		var err error
		got, err = e.store.GetVersionByID(t.Context(), id)
		if err != nil {
			return false, err
		}
		if got.Deployment.Status == model.StatusFailed {
			return false, fmt.Errorf("deploy failed: %s", got.Deployment.Message)
		}
		return got.Deployment.Status == model.StatusRunning, nil
	}, wp)
	return got
}

// checkRecovered checks what the requirement asks after the restart: the release is
// deployed, no revision of it or other release of the version is left pending, its
// revisions tell the recovery (2 failed by the recovery, 3 the rollback, 4 the upgrade),
// the Deployment's pods follow pool and are Ready, and the killed worker's lease is gone.
func (e *env) checkRecovered(t *testing.T, v *model.Version, ns, name, pool string) {
	t.Helper()
	if len(v.Deployment.Releases) != 1 || v.Deployment.Releases[0].Status != "deployed" || v.Deployment.Releases[0].Revision != 4 {
		t.Fatalf("recorded releases = %+v, want %s deployed at revision 4", v.Deployment.Releases, name)
	}
	for _, r := range e.releases(t, v.ID) {
		if r.Status != helm.StatusDeployed {
			t.Fatalf("release %s/%s of the version is %s", r.Namespace, r.Name, r.Status)
		}
	}
	hist := history(t, ns, name)
	status := map[int]release.Status{}
	for _, r := range hist {
		status[r.Version] = r.Info.Status
		if r.Info.Status.IsPending() {
			t.Fatalf("revision %d of %s is left %s", r.Version, name, r.Info.Status)
		}
	}
	if status[2] != release.StatusFailed || status[4] != release.StatusDeployed {
		t.Fatalf("revisions of %s = %v, want 2 failed (the interrupted upgrade) and 4 deployed", name, status)
	}
	for _, r := range hist {
		if r.Version == 2 && !strings.Contains(r.Info.Description, "pending-upgrade interrupted") {
			t.Fatalf("revision 2 description = %q, want it marked as an interrupted upgrade", r.Info.Description)
		}
	}
	dep, err := cluster.Client(t).AppsV1().Deployments(ns).Get(t.Context(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := dep.Spec.Template.Spec.NodeSelector[poolLabel]; got != pool {
		t.Fatalf("Deployment nodeSelector = %v, want %s=%q", dep.Spec.Template.Spec.NodeSelector, poolLabel, pool)
	}
	if n := readyPods(t, ns, name); n != 2 || v.Deployment.ReadyPods != 2 {
		t.Fatalf("%d Ready pods (%d recorded), want 2", n, v.Deployment.ReadyPods)
	}
	// The lease is released just after the outcome is recorded.
	waitFor(t, "the version's lease to be released", time.Minute, func() (bool, error) {
		n, err := e.rdb.Exists(t.Context(), leaseKeyPrefix+v.ID).Result()
		return n == 0, err
	})
}

// TestKilledWorkerMidUpgradeRecoversOnNextDeploy: a worker process is killed with SIGKILL
// while Helm waits in an upgrade whose pods cannot be scheduled (a nodeSelector matching no
// node); the release is left pending-upgrade. The configuration is fixed and deployed again,
// by a new worker process: it waits out the dead worker's lease (its TTL), recovers the
// pending release and upgrades; the version ends Running with its release deployed.
func TestKilledWorkerMidUpgradeRecoversOnNextDeploy(t *testing.T) {
	e := newEnv(t)
	database := e.store.DatabaseName()
	nowhere := "nowhere-" + randomSuffix(t)
	p, v, name := e.deployedBeforeKill(t, nowhere)
	killed := v.Generation

	e.killMidUpgrade(t, database, v, p.Namespace, name, nowhere)

	e.setPool(t, v.ID, "")
	v = e.request(t, p, v, model.Deployed)
	if v.Generation <= killed {
		t.Fatalf("generation %d after the new request, want more than %d", v.Generation, killed)
	}
	wp := e.startWorkerProcess(t, database)
	got := e.waitRunning(t, v.ID, wp)
	if got.Generation != v.Generation {
		t.Fatalf("generation = %d, want %d", got.Generation, v.Generation)
	}
	e.checkRecovered(t, got, p.Namespace, name, "")
}

// TestKilledWorkerMidUpgradeResumedByAsynq: the same kill, but nothing is requested again.
// What blocked the upgrade is fixed outside oneko (a node gets the label the nodeSelector
// asks for), and a new worker process starts. asynq gives the killed worker's task back once
// its task lease expired (asynq's 30s lease plus the recoverer's 30s allowance for clock
// skew; the recoverer runs at start and then every minute), the retry waits out nothing (the
// version lease's TTL is long past), recovers the pending release and upgrades: the version
// ends Running at the same generation, its pods on the labelled node.
func TestKilledWorkerMidUpgradeResumedByAsynq(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for asynq to recover the killed worker's task (about one to two minutes)")
	}
	e := newEnv(t)
	database := e.store.DatabaseName()
	pool := "kill-" + randomSuffix(t)
	p, v, name := e.deployedBeforeKill(t, pool)

	e.killMidUpgrade(t, database, v, p.Namespace, name, pool)

	node := labelNode(t, pool)
	wp := e.startWorkerProcess(t, database)
	got := e.waitRunning(t, v.ID, wp)
	if got.Generation != v.Generation {
		t.Fatalf("generation = %d, want %d: nothing was requested after the kill", got.Generation, v.Generation)
	}
	e.checkRecovered(t, got, p.Namespace, name, pool)
	pods, err := cluster.Client(t).CoreV1().Pods(p.Namespace).List(t.Context(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/instance=" + name})
	if err != nil {
		t.Fatal(err)
	}
	for _, pod := range pods.Items {
		if pod.DeletionTimestamp == nil && podReady(&pod) && pod.Spec.NodeName != node {
			t.Fatalf("Ready pod %s on node %q, want %s", pod.Name, pod.Spec.NodeName, node)
		}
	}
	// The task that ran is the killed worker's, given back by asynq.
	in := asynq.NewInspector(e.redis)
	defer in.Close()
	id := fmt.Sprintf("deploy:%s@%d", v.ID, v.Generation)
	var info *asynq.TaskInfo
	waitFor(t, "the task to complete", time.Minute, func() (bool, error) {
		var err error
		info, err = in.GetTaskInfo(tasks.QueueCritical, id)
		return err == nil && info.State == asynq.TaskStateCompleted, err
	}, wp)
	if info.State != asynq.TaskStateCompleted || info.Retried < 1 || !strings.Contains(info.LastErr, asynq.ErrLeaseExpired.Error()) {
		t.Fatalf("task %s: %s, retried %d, last error %q; want completed after a retry for an expired lease", id, info.State, info.Retried, info.LastErr)
	}
}

// podReady reports whether a pod's Ready condition is true.
func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// labelNode puts poolLabel=pool on a schedulable node, removed when t ends, and returns
// the node's name.
func labelNode(t *testing.T, pool string) string {
	t.Helper()
	client := cluster.Client(t)
	nodes, err := client.CoreV1().Nodes().List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var node string
	for _, n := range nodes.Items {
		if !n.Spec.Unschedulable {
			node = n.Name
			break
		}
	}
	if node == "" {
		t.Fatal("no schedulable node")
	}
	patch := func(ctx context.Context, value string) error {
		_, err := client.CoreV1().Nodes().Patch(ctx, node, types.MergePatchType,
			[]byte(fmt.Sprintf(`{"metadata":{"labels":{%q:%s}}}`, poolLabel, value)), metav1.PatchOptions{})
		return err
	}
	if err := patch(t.Context(), fmt.Sprintf("%q", pool)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := patch(ctx, "null"); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("remove label %s from node %s: %v", poolLabel, node, err)
		}
	})
	return node
}
