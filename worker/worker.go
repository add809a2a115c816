// Package worker is oneko's task edge: an asynq ServeMux whose handlers each call domain code —
// image events (ingest.go), deploy and stop (deploy.go), and the periodic tasks. Handlers are
// idempotent and say whether a failure is worth a retry (asynq.SkipRetry when not).
package worker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"k8s.io/client-go/rest"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/render"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// Deps are the parts a worker is wired from.
type Deps struct {
	Store *store.Store
	// Queue enqueues follow-up tasks (a deploy after a push, a stop after a deleted tag).
	Queue tasks.Enqueuer
	Redis redis.UniversalClient
	// Helm and Cluster act on the cluster releases go to: built once by the caller and shared
	// (internal/app builds them once per process). Without them and without Kube the worker
	// has no cluster: its deploy, stop, reconcile and status tasks fail without retry.
	Helm    *helm.Client
	Cluster *kube.Client
	// Pods reads the pods and events of releases for the status refresh; built from Kube
	// when nil.
	Pods *diagnose.Reader
	// Kube, when Helm and Cluster are nil, is the cluster they are built for (with Confinement
	// and a logger of their own).
	Kube *rest.Config
	// InstallationID is the identity of this installation (store.InstallationID, or the
	// ONEKO_INSTALLATION_ID override); required with Kube. Releases and namespaces are
	// labelled with it, and the worker touches no release of another installation.
	InstallationID string
	// Confinement says what releases may create outside their namespace (ONEKO_ALLOW_*);
	// the zero value: nothing.
	Confinement helm.Confinement
	// Metrics registers the worker's counters; nil: they are counted but not exported.
	Metrics prometheus.Registerer
	// Charts fetches charts (shared cache).
	Charts *charts.Cache
	// Registries gives one registry client per docker registry.
	Registries *RegistryClients
	Lifetime   lifetime.Policy
	// RenderLimits bound the rendering of templates; the zero value means the defaults.
	RenderLimits render.Limits
	// Events publishes live updates for browsers; nil publishes nothing.
	Events *events.Bus
	Log    *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// WebhookOnlyPollInterval is how often registries with pollInterval 0s (webhooks only)
	// are polled anyway, to catch up events lost after the webhook's 202 (a Redis flush).
	// 0 means DefaultWebhookOnlyPollInterval; negative means never.
	WebhookOnlyPollInterval time.Duration
}

// Worker holds the handlers.
type Worker struct {
	Deps
	log *slog.Logger
	// deploy holds the state of the deploy handlers (deploy.go).
	deploy *deployer
}

// New returns a Worker.
func New(d Deps) (*Worker, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Registries == nil {
		d.Registries = NewRegistryClients()
	}
	if (d.Kube != nil || d.Helm != nil) && d.InstallationID == "" {
		return nil, fmt.Errorf("worker: an installation id is required with a cluster")
	}
	w := &Worker{Deps: d, log: d.Log}
	dep, err := newDeployer(w)
	if err != nil {
		return nil, err
	}
	w.deploy = dep
	return w, nil
}

// Mux returns the ServeMux of every task type the worker handles: the one place where each
// task type (package tasks) meets its handler.
func (w *Worker) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(tasks.TypeImagePush, w.handlePush)                      // ingest.go
	mux.HandleFunc(tasks.TypePollRegistry, w.handlePoll)                   // poll.go
	mux.HandleFunc(tasks.TypeDeploy, w.handleDeploy)                       // deploy.go, deploy_apply.go
	mux.HandleFunc(tasks.TypeStop, w.handleStop)                           // deploy.go, stop.go
	mux.HandleFunc(tasks.TypeReconcile, w.handleReconcile)                 // reconcile.go
	mux.HandleFunc(tasks.TypeExpire, w.handleExpire)                       // expire.go
	mux.HandleFunc(tasks.TypeRefreshStatus, w.handleRefreshStatus)         // status.go
	mux.HandleFunc(tasks.TypeActivityRetention, w.handleActivityRetention) // retention.go
	mux.HandleFunc(tasks.TypeSyncPullSecrets, w.handleSyncPullSecrets)     // pullsecrets.go
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

// Run serves tasks from Redis until ctx ends.
func (w *Worker) Run(ctx context.Context, redisOpt asynq.RedisConnOpt, cfg Config) error {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 30 * time.Second
	}
	if cfg.TaskCheckInterval <= 0 {
		cfg.TaskCheckInterval = 50 * time.Millisecond
	}
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
	if _, err := w.Schedule(sched, cfg.Periodic); err != nil {
		return err
	}
	if err := sched.Start(); err != nil {
		return fmt.Errorf("start scheduler: %w", err)
	}
	defer sched.Shutdown()
	go w.RunPollScheduler(ctx, cfg.PollTick)
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
