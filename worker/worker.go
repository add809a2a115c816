// Package worker is oneko's task edge: an asynq ServeMux whose handlers (listed in handlers)
// each parse their task, load what it is about, let package deploy decide, act through
// packages helm and kube, and record — image events (ingest.go, poll.go), deploy and stop
// (deploy.go), and the periodic tasks. Each family of handlers is a small type holding just
// the parts it needs, built once in New. Handlers are idempotent and say whether a failure is
// worth a retry (asynq.SkipRetry when not).
package worker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/render"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// Releases is what the worker does with Helm releases. *helm.Client is the implementation;
// internal/app builds it once per process (with its Confinement) and hands it in.
type Releases interface {
	Status(ctx context.Context, ns, name string) (*helm.Info, error)
	ListByLabel(ctx context.Context, selector map[string]string, namespaces ...string) ([]*helm.Info, error)
	UpgradeInstall(ctx context.Context, r helm.Release, wait bool, timeout time.Duration) (*helm.Info, error)
	Uninstall(ctx context.Context, ns, name string) error
	RecoverPending(ctx context.Context, ns, name string, timeout time.Duration) (helm.Recovery, error)
	PodCounts(ctx context.Context, rel *helm.Info) (ready, desired int, err error)
}

// Deps are the parts a worker is wired from; internal/app builds each once.
type Deps struct {
	Store *store.Store
	// Queue enqueues follow-up tasks (a deploy after a push, a stop after a deleted tag).
	Queue tasks.Enqueuer
	Redis redis.UniversalClient
	// Helm, Cluster and Pods act on and read the cluster releases go to. They come together:
	// a worker without them (nil Helm) handles the tasks that need no cluster only — image
	// events, polls, expiry and retention —, and has no handler for deploy, stop, reconcile
	// and status refresh.
	Helm    Releases
	Cluster *kube.Client
	// Pods reads the pods and events of releases for the status refresh.
	Pods *diagnose.Reader
	// Watch, when set, lets the worker watch the pods of deployed versions (RunPodWatch);
	// nil: the periodic status refresh alone keeps their status.
	Watch *kube.WatchClients
	// InstallationID is the identity of this installation (store.InstallationID, or the
	// ONEKO_INSTALLATION_ID override); required with Helm. Releases and namespaces are
	// labelled with it, and the worker touches no release of another installation.
	InstallationID string
	// Deploy tunes the deploy, stop, reconcile and retention tasks; the zero value means the
	// defaults.
	Deploy DeployOptions
	// Metrics registers the worker's counters; nil: they are counted but not exported.
	Metrics prometheus.Registerer
	// Charts fetches charts (shared cache); required with Helm.
	Charts   *charts.Cache
	Lifetime lifetime.Policy
	// RenderLimits bound the rendering of templates; the zero value means the defaults.
	RenderLimits render.Limits
	// Events publishes live updates for browsers; nil publishes nothing.
	Events *events.Bus
	Log    *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// WebhookOnlyPollInterval is how often registries with pollInterval 0s (webhooks only)
	// are polled anyway, to catch up events lost after the webhook's 202 (a Redis flush).
	// 0 means an hour; negative means never.
	WebhookOnlyPollInterval time.Duration
}

// Worker holds one handler of each family of tasks, each with exactly the parts it needs;
// handlers lists which task type each one runs.
type Worker struct {
	log *slog.Logger

	ingest    *ingester   // image:push and registry:poll (ingest.go, poll.go)
	expire    *expirer    // lifetime:expire (expire.go)
	retention *retention  // activity:retention (retention.go)
	apply     *applier    // version:deploy and version:stop (deploy*.go, stop.go); nil without a cluster
	reconcile *reconciler // reconcile (reconcile.go); nil without a cluster
	refresh   *refresher  // status refresh (status.go); nil without a cluster
	// pullSecrets syncs the pull secrets of a docker registry (pullsecrets.go); nil without a
	// cluster.
	pullSecrets *pullSecrets
	// watch refreshes a version soon after its pods change (podwatch.go); nil without a
	// cluster or without Deps.Watch.
	watch *podWatch
}

// New builds every handler of a worker from d.
func New(d Deps) (*Worker, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	registries := newRegistryClients()
	opts := d.Deploy.withDefaults()
	rec := recorder{store: d.Store, events: d.Events, log: d.Log}
	req := &deploy.Requester{Store: d.Store, Queue: tasks.Queue{Enqueuer: d.Queue}, Lifetime: d.Lifetime, Now: d.Now}
	w := &Worker{log: d.Log,
		ingest: &ingester{store: d.Store, redis: d.Redis, queue: d.Queue, registries: registries, requester: req, rec: rec,
			now: d.Now, log: d.Log, webhookOnlyPoll: d.WebhookOnlyPollInterval},
		expire:    &expirer{store: d.Store, requester: req, rec: rec, now: d.Now, log: d.Log},
		retention: &retention{store: d.Store, keep: opts.ActivityRetention, now: d.Now, log: d.Log},
	}
	if d.Helm == nil {
		return w, nil
	}
	if d.Cluster == nil || d.Pods == nil || d.Charts == nil || d.InstallationID == "" {
		return nil, fmt.Errorf("worker: Helm needs Cluster, Pods, Charts and an installation id")
	}
	leases := &leaser{rdb: d.Redis, ttl: opts.LeaseTTL, log: d.Log}
	w.apply = &applier{store: d.Store, queue: d.Queue, requester: req, helm: d.Helm, cluster: d.Cluster, charts: d.Charts,
		registries: registries, planner: deploy.NewPlanner(d.Store, d.InstallationID, d.RenderLimits), leases: leases,
		pods: d.Pods, timeout: opts.Timeout, leaseRetryDelay: opts.LeaseRetryDelay, warningInterval: opts.WarningInterval,
		installation: d.InstallationID, rec: rec, now: d.Now, log: d.Log}
	w.pullSecrets = &pullSecrets{store: d.Store, cluster: d.Cluster, log: d.Log}
	w.reconcile = &reconciler{store: d.Store, queue: d.Queue, redis: d.Redis, helm: d.Helm, leases: leases, pullSecrets: w.pullSecrets,
		failedRetryAfter: opts.FailedRetryAfter, sweepMaxShare: opts.OrphanSweepMaxShare, metrics: newReconcileMetrics(d.Metrics),
		installation: d.InstallationID, rec: rec, now: d.Now, log: d.Log}
	w.refresh = &refresher{store: d.Store, helm: d.Helm, pods: d.Pods, leases: leases, installation: d.InstallationID, rec: rec, log: d.Log}
	if d.Watch != nil {
		w.watch = newPodWatch(d.Store, w.refresh, d.Watch, d.Log)
		w.refresh.watch, w.apply.watch = w.watch, w.watch
		// Status refreshes and waiting deploys read the pods of watched namespaces from the
		// watch's informers, not from the API.
		cached := d.Pods.WithPodCache(w.watch)
		w.refresh.pods, w.apply.pods = cached, cached
	}
	return w, nil
}

// handler is one task type and the function that runs it.
type handler struct {
	typ string
	run asynq.HandlerFunc
}

// handlers lists every task type (package tasks) with its handler: the one place where the
// two meet. A worker without a cluster has no handler for the tasks that need one.
func (w *Worker) handlers() []handler {
	hs := []handler{
		{tasks.TypeImagePush, w.ingest.handlePush},        // ingest.go
		{tasks.TypePollRegistry, w.ingest.handlePoll},     // poll.go
		{tasks.TypeExpire, w.expire.handle},               // expire.go
		{tasks.TypeActivityRetention, w.retention.handle}, // retention.go
	}
	if w.apply == nil {
		return hs
	}
	return append(hs,
		handler{tasks.TypeDeploy, w.apply.handleDeploy},          // deploy.go, deploy_apply.go, deploy_record.go
		handler{tasks.TypeStop, w.apply.handleStop},              // deploy.go, stop.go
		handler{tasks.TypeReconcile, w.reconcile.handle},         // reconcile.go
		handler{tasks.TypeRefreshStatus, w.refresh.handle},       // status.go
		handler{tasks.TypeSyncPullSecrets, w.pullSecrets.handle}, // pullsecrets.go
	)
}

// Mux returns the ServeMux of every task type the worker handles (see handlers).
func (w *Worker) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	for _, h := range w.handlers() {
		mux.Handle(h.typ, h.run)
	}
	return mux
}

// Config configures the asynq server of a worker process.
type Config struct {
	// Concurrency is how many tasks run at once (ONEKO_WORKER_CONCURRENCY, default 4).
	Concurrency int
	// ShutdownTimeout is how long running tasks may finish on shutdown.
	ShutdownTimeout time.Duration
	// TaskCheckInterval is how often an idle worker asks Redis for new tasks (default 50ms).
	// asynq's default of 1s would add up to a second per hop to a push → deploy chain.
	TaskCheckInterval time.Duration
	// Periodic says when the periodic tasks run; the zero value means DefaultPeriodic().
	// Every worker runs the scheduler; asynq.Unique keeps one queued task per period.
	Periodic Periodic
	// PollTick is how often the worker looks for registries whose poll is due (default 10s).
	PollTick time.Duration
}

// Defaults of Config: a zero field takes them. They are internal/config's defaults of the
// settings internal/app passes in (TestDefaultsAreTheConfigDefaults checks it).
const (
	defaultConcurrency       = 4
	defaultShutdownTimeout   = 30 * time.Second
	defaultTaskCheckInterval = 50 * time.Millisecond
	defaultPollTick          = 10 * time.Second
)

func (c Config) withDefaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = defaultConcurrency
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = defaultShutdownTimeout
	}
	if c.TaskCheckInterval <= 0 {
		c.TaskCheckInterval = defaultTaskCheckInterval
	}
	if c.PollTick <= 0 {
		c.PollTick = defaultPollTick
	}
	return c
}

// Run serves tasks from Redis until ctx ends.
func (w *Worker) Run(ctx context.Context, redisOpt asynq.RedisConnOpt, cfg Config) error {
	cfg = cfg.withDefaults()
	srv := asynq.NewServer(redisOpt, asynq.Config{
		Concurrency:       cfg.Concurrency,
		Queues:            tasks.Queues(),
		ShutdownTimeout:   cfg.ShutdownTimeout,
		TaskCheckInterval: cfg.TaskCheckInterval,
		Logger:            asynqLogger{w.log.With("component", "asynq")},
		BaseContext:       func() context.Context { return context.WithoutCancel(ctx) },
	})
	if err := srv.Start(w.Mux()); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer srv.Shutdown()
	if cfg.Periodic == (Periodic{}) {
		cfg.Periodic = DefaultPeriodic()
	}
	sched := asynq.NewScheduler(redisOpt, &asynq.SchedulerOpts{Logger: asynqLogger{w.log.With("component", "scheduler")}, LogLevel: asynq.WarnLevel})
	if _, err := w.schedule(sched, cfg.Periodic); err != nil {
		return err
	}
	if err := sched.Start(); err != nil {
		return fmt.Errorf("start scheduler: %w", err)
	}
	defer sched.Shutdown()
	go w.runPollScheduler(ctx, cfg.PollTick)
	go func() {
		if err := w.RunPodWatch(ctx); err != nil {
			w.log.Warn("pod watch ended", "err", err)
		}
	}()
	<-ctx.Done()
	return nil
}

// sprint joins the arguments of asynq's log calls.
func sprint(args []any) string { return fmt.Sprint(args...) }

// asynqLogger adapts slog to asynq's logger.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(sprint(args)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(sprint(args)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(sprint(args)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(sprint(args)) }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(sprint(args)) }
