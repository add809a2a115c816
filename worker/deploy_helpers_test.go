package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// defaultValues is the values template of the test projects: two replicas of the image,
// pinned by digest.
const defaultValues = "replicas: 2\nimage: \"{{IMAGE}}@{{IMAGE_DIGEST}}\"\n"

func randomSuffix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func digestOf(t *testing.T, seed string) string {
	t.Helper()
	b := make([]byte, 32)
	copy(b, seed)
	return "sha256:" + hex.EncodeToString(b)
}

// projectSpec changes the defaults of a test project.
type projectSpec struct {
	values    string
	chartName string
	lifetime  model.Lifetime
}

// project stores a docker registry, a Helm registry serving the test charts and a project
// with one configuration template deploying into a fresh namespace (deleted at the end).
func (e *env) project(t *testing.T, spec projectSpec) *model.Project {
	t.Helper()
	ctx := context.Background()
	suffix := randomSuffix(t)
	dr := &model.DockerRegistry{Name: "registry-" + suffix, URL: "https://registry.example.test", WebhookFormat: model.WebhookAuto}
	if err := e.store.CreateDockerRegistry(ctx, dr); err != nil {
		t.Fatal(err)
	}
	hr := &model.HelmRegistry{Name: "charts-" + suffix, URL: chartURL}
	if err := e.store.CreateHelmRegistry(ctx, hr); err != nil {
		t.Fatal(err)
	}
	if spec.values == "" {
		spec.values = defaultValues
	}
	if spec.chartName == "" {
		spec.chartName = "app"
	}
	if spec.lifetime.Type == "" {
		spec.lifetime = model.Lifetime{Type: lifetime.Infinite}
	}
	ns := "on-w" + suffix
	p := &model.Project{
		Name: "shop-" + suffix, DockerRegistryID: dr.ID, ImageName: "team/shop", Namespace: ns,
		NewVersionsDeploymentBehaviour: model.BehaviourAutomatically,
		URLTemplates:                   []string{"https://{{DNS_VERSION_NAME}}.shop.example.test"},
		DefaultConfigurationTemplates: []model.ConfigurationTemplate{{
			ID: "t1", Name: "web", Content: spec.values, ChartName: spec.chartName, HelmRegistryID: hr.ID,
		}},
		DefaultLifetimeBehaviour: spec.lifetime,
	}
	p.Normalize()
	if err := e.store.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = e.kube.DeleteNamespace(ctx, ns)
	})
	return p
}

// version stores a version of p.
func (e *env) version(t *testing.T, p *model.Project, tag string) *model.Version {
	t.Helper()
	v := model.NewVersion(p, tag, digestOf(t, tag), e.clock.Now())
	if err := e.store.CreateVersion(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	return v
}

// request asks for a desired state the way the api does, queueing the task in Redis, and
// returns the version as written.
func (e *env) request(t *testing.T, p *model.Project, v *model.Version, state model.DesiredState) *model.Version {
	t.Helper()
	ctx := context.Background()
	cur, err := e.store.GetVersionByID(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := deploy.Requester{Store: e.store, Queue: tasks.Queue{Enqueuer: e.queue}, Lifetime: lifetime.DefaultPolicy(), Now: e.clock.Now}
	if _, err := r.RequestState(ctx, deploy.Request{Project: p, Version: cur, State: state, Actor: "user:test"}); err != nil {
		t.Fatal(err)
	}
	got, err := e.store.GetVersionByID(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// run runs a deploy or stop task with the worker's handler of its type, outside asynq.
func (e *env) run(t *testing.T, state model.DesiredState, v *model.Version, generation int64) error {
	t.Helper()
	typ := tasks.TypeDeploy
	if state == model.NotDeployed {
		typ = tasks.TypeStop
	}
	payload, err := json.Marshal(tasks.VersionPayload{ProjectID: v.ProjectID, VersionID: v.ID, Generation: generation, Actor: "user:test"})
	if err != nil {
		t.Fatal(err)
	}
	return e.handle(t.Context(), asynq.NewTask(typ, payload))
}

// handle runs a task with the worker's handler of its type (see Worker.handlers), outside
// asynq.
func (e *env) handle(ctx context.Context, task *asynq.Task) error {
	return e.worker.Mux().ProcessTask(ctx, task)
}

// periodic runs the periodic task of type typ once with the worker's handler.
func (e *env) periodic(t *testing.T, typ string) error {
	t.Helper()
	return e.handle(t.Context(), tasks.NewPeriodic(typ))
}

// get reads a version.
func (e *env) get(t *testing.T, id string) *model.Version {
	t.Helper()
	v, err := e.store.GetVersionByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// releases lists the releases labelled with a version in the cluster.
func (e *env) releases(t *testing.T, versionID string) []*helm.Info {
	t.Helper()
	rels, err := e.helm.ListByLabel(context.Background(), map[string]string{helm.LabelVersion: helm.LabelValue(versionID)})
	if err != nil {
		t.Fatal(err)
	}
	return rels
}

// readyPods counts the Ready pods of a release.
func readyPods(t *testing.T, ns, releaseName string) int {
	t.Helper()
	pods, err := cluster.Client(t).CoreV1().Pods(ns).List(t.Context(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/instance=" + releaseName})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range pods.Items {
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue && p.DeletionTimestamp == nil {
				n++
			}
		}
	}
	return n
}

// drain runs a real asynq server with the worker's mux until no task is pending, active,
// scheduled or waiting for a retry, then stops it.
func (e *env) drain(t *testing.T, concurrency int) {
	t.Helper()
	srv := asynq.NewServer(e.redis, asynq.Config{
		Concurrency:              concurrency,
		Queues:                   tasks.Queues(),
		DelayedTaskCheckInterval: 100 * time.Millisecond,
		LogLevel:                 asynq.ErrorLevel,
		RetryDelayFunc:           func(int, error, *asynq.Task) time.Duration { return 200 * time.Millisecond },
	})
	if err := srv.Start(e.worker.Mux()); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	e.waitIdle(t)
}

// waitIdle waits until the queues hold nothing left to run.
func (e *env) waitIdle(t *testing.T) {
	t.Helper()
	in := asynq.NewInspector(e.redis)
	defer in.Close()
	deadline := time.Now().Add(5 * time.Minute)
	idle := 0
	for idle < 3 {
		if time.Now().After(deadline) {
			t.Fatal("the queues did not drain in 5 minutes")
		}
		time.Sleep(100 * time.Millisecond)
		busy := 0
		queues, err := in.Queues()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range queues {
			info, err := in.GetQueueInfo(q)
			if err != nil {
				t.Fatal(err)
			}
			busy += info.Pending + info.Active + info.Scheduled + info.Retry
		}
		if busy == 0 {
			idle++
		} else {
			idle = 0
		}
	}
}

// leaser returns a leaser of the test's own on the worker's Redis: its leases are the
// worker's.
func (e *env) leaser() *leaser {
	return &leaser{rdb: e.rdb, ttl: defaultLeaseTTL, log: e.deps.Log}
}

// countingReleases is the worker's Helm client in tests: the real one, telling the hook onOp
// installed (countOps: a counter) per version about the Helm calls that act on the version's releases —
// install or upgrade, uninstall, recovery of a pending release — and the listings of its
// releases, which every deploy and stop starts with, while each runs.
type countingReleases struct {
	Releases
	hook atomic.Pointer[func(version string, delta int)]
}

// countOps starts counting the worker's Helm calls into a new counter.
func (e *env) countOps() *opCounter {
	c := newOpCounter()
	e.onOp(c.hook)
	return c
}

// onOp calls f with +1 before each of the worker's counted Helm calls and -1 after it, with
// the label value of the version the call is about.
func (e *env) onOp(f func(version string, delta int)) {
	e.ops.hook.Store(&f)
}

// op counts a call about the version whose label value is version while it runs; "" reads
// it from the labels of the release ns/name in the cluster.
func (c *countingReleases) op(ctx context.Context, version, ns, name string) func() {
	hook := c.hook.Load()
	if hook == nil {
		return func() {}
	}
	if version == "" {
		if rel, err := c.Releases.Status(ctx, ns, name); err == nil {
			version = helm.OwnerOf(rel).Version
		}
	}
	(*hook)(version, 1)
	return func() { (*hook)(version, -1) }
}

func (c *countingReleases) ListByLabel(ctx context.Context, selector map[string]string, namespaces ...string) ([]*helm.Info, error) {
	if v, ok := selector[helm.LabelVersion]; ok {
		defer c.op(ctx, v, "", "")()
	}
	return c.Releases.ListByLabel(ctx, selector, namespaces...)
}

func (c *countingReleases) UpgradeInstall(ctx context.Context, r helm.Release, wait bool, timeout time.Duration) (*helm.Info, error) {
	defer c.op(ctx, r.Labels[helm.LabelVersion], r.Namespace, r.Name)()
	return c.Releases.UpgradeInstall(ctx, r, wait, timeout)
}

func (c *countingReleases) Uninstall(ctx context.Context, ns, name string) error {
	defer c.op(ctx, "", ns, name)()
	return c.Releases.Uninstall(ctx, ns, name)
}

func (c *countingReleases) RecoverPending(ctx context.Context, ns, name string, timeout time.Duration) (helm.Recovery, error) {
	defer c.op(ctx, "", ns, name)()
	return c.Releases.RecoverPending(ctx, ns, name, timeout)
}

// opCounter records, per version, how many Helm operations run at once.
type opCounter struct {
	mu      sync.Mutex
	running map[string]int
	max     map[string]int
	ops     map[string]int
	total   int
}

func newOpCounter() *opCounter {
	return &opCounter{running: map[string]int{}, max: map[string]int{}, ops: map[string]int{}}
}

func (c *opCounter) hook(versionID string, delta int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running[versionID] += delta
	if delta > 0 {
		c.total++
		c.ops[versionID]++
	}
	if c.running[versionID] > c.max[versionID] {
		c.max[versionID] = c.running[versionID]
	}
}

func (c *opCounter) maxFor(versionID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max[versionID]
}

func (c *opCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

func storePage() store.Page { return store.Page{Limit: 50} }

// countFor is how many Helm operations ran for one version (other tests' releases in the
// shared cluster are orphans to this test's reconcile, and count for their own versions).
func (c *opCounter) countFor(versionIDs ...string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, id := range versionIDs {
		n += c.ops[id]
	}
	return n
}
