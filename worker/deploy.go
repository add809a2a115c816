package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"k8s.io/client-go/kubernetes"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// Defaults of DeployOptions.
const (
	DefaultDeployTimeout     = 5 * time.Minute
	DefaultLeaseTTL          = 30 * time.Second
	DefaultLeaseRetryDelay   = 2 * time.Second
	DefaultActivityRetention = model.DefaultActivityRetention
	DefaultFailedRetryAfter  = 10 * time.Minute
	// DefaultOrphanSweepMaxShare is DeployOptions.OrphanSweepMaxShare's default.
	DefaultOrphanSweepMaxShare = 0.5
)

// DeployOptions tune the deploy and stop handlers. The zero value means the defaults.
type DeployOptions struct {
	// Timeout bounds the wait for a release's resources to be ready. Default 5m.
	Timeout time.Duration
	// LeaseTTL is how long a version's lease outlives a worker that died holding it; it is
	// renewed every third of it while a Helm operation runs. Default 30s.
	LeaseTTL time.Duration
	// LeaseRetryDelay is how long a task that found its version's lease held waits before
	// it runs again. Default 2s.
	LeaseRetryDelay time.Duration
	// ActivityRetention is how long activities are kept. Default 30 days.
	ActivityRetention time.Duration
	// FailedRetryAfter is how long after a failed deploy the reconcile tries it again when
	// its releases are missing or broken. Default 10m.
	FailedRetryAfter time.Duration
	// OrphanSweepMaxShare is the largest share of the installation's releases one orphan
	// sweep may uninstall; a larger sweep removes nothing. Default 0.5; 1 allows any sweep
	// (but never one while the store holds no versions).
	OrphanSweepMaxShare float64
	// WarningInterval is how often a deploy waiting for readiness reads the events that
	// explain why its releases are not ready yet (see watchWarnings). Default 2s.
	WarningInterval time.Duration
}

func (o DeployOptions) withDefaults() DeployOptions {
	if o.Timeout <= 0 {
		o.Timeout = DefaultDeployTimeout
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = DefaultLeaseTTL
	}
	if o.LeaseRetryDelay <= 0 {
		o.LeaseRetryDelay = DefaultLeaseRetryDelay
	}
	if o.ActivityRetention <= 0 {
		o.ActivityRetention = DefaultActivityRetention
	}
	if o.FailedRetryAfter <= 0 {
		o.FailedRetryAfter = DefaultFailedRetryAfter
	}
	if o.WarningInterval <= 0 {
		o.WarningInterval = DefaultWarningInterval
	}
	if o.OrphanSweepMaxShare <= 0 || o.OrphanSweepMaxShare > 1 {
		o.OrphanSweepMaxShare = DefaultOrphanSweepMaxShare
	}
	return o
}

// ConfigureDeploy replaces the options of the deploy and stop handlers; call it before the
// worker serves tasks.
func (w *Worker) ConfigureDeploy(o DeployOptions) {
	w.deploy.opts = o.withDefaults()
	w.deploy.leases.ttl = w.deploy.opts.LeaseTTL
}

// deployHooks let tests observe the deployer; nil hooks are skipped.
type deployHooks struct {
	// helmOp is called with +1 before a version's Helm operations start and -1 after they end.
	helmOp func(versionID string, delta int)
}

// deployer runs deploy and stop tasks and the periodic tasks that watch over them.
type deployer struct {
	w       *Worker
	helm    *helm.Client // nil when the worker has no cluster
	kube    *kube.Client
	pods    *diagnose.Reader // the pods and events of releases, for the status refresh
	planner *deploy.Planner
	leases  *leaser
	opts    DeployOptions
	hooks   deployHooks
	metrics deployMetrics
	// sweepRefusal remembers the last refused orphan sweep, so that a refusal repeated by
	// every reconcile is reported once as an activity (see uninstallOrphans).
	sweepRefusal sweepRefusal
}

// errNoCluster is returned by the handlers of a worker built without Deps.Kube.
var errNoCluster = errors.New("this worker has no Kubernetes cluster configured")

func newDeployer(w *Worker) (*deployer, error) {
	d := &deployer{
		w:       w,
		planner: deploy.NewPlanner(w.Store, w.InstallationID, w.RenderLimits),
		metrics: newDeployMetrics(w.Metrics),
		opts:    DeployOptions{}.withDefaults(),
	}
	d.leases = &leaser{rdb: w.Redis, ttl: d.opts.LeaseTTL, log: w.log}
	d.helm, d.kube = w.Helm, w.Cluster
	if w.Kube != nil && d.helm == nil {
		hc, err := helm.New(w.Kube, helm.Options{Logger: w.log.With("component", "helm"), Confinement: w.Confinement})
		if err != nil {
			return nil, fmt.Errorf("deployer: %w", err)
		}
		d.helm = hc
	}
	if w.Kube != nil && d.kube == nil {
		kc, err := kube.New(w.Kube, w.InstallationID)
		if err != nil {
			return nil, fmt.Errorf("deployer: %w", err)
		}
		d.kube = kc
	}
	if (d.helm == nil) != (d.kube == nil) {
		return nil, fmt.Errorf("deployer: a Helm client needs a Kubernetes client and the other way round")
	}
	d.pods = w.Pods
	if w.Kube != nil && d.pods == nil {
		cs, err := kubernetes.NewForConfig(w.Kube)
		if err != nil {
			return nil, fmt.Errorf("deployer: %w", err)
		}
		d.pods = diagnose.New(cs, w.InstallationID)
	}
	return d, nil
}

// handleDeploy brings a version to its desired state Deployed.
func (w *Worker) handleDeploy(ctx context.Context, t *asynq.Task) error {
	return w.deploy.handle(ctx, t, model.Deployed)
}

// handleStop uninstalls every release of a version whose desired state is NotDeployed.
func (w *Worker) handleStop(ctx context.Context, t *asynq.Task) error {
	return w.deploy.handle(ctx, t, model.NotDeployed)
}

// handle runs a deploy or stop task: it skips stale and superseded tasks, takes the
// version's lease (or queues the task again shortly when another task holds it, or an
// operation whose lease was lost may still run), claims the version's fence in the store and
// applies the desired state. When the lease is lost meanwhile, the operation's context is
// cancelled (Helm stops), its outcome is not recorded, and the task fails to be retried.
func (d *deployer) handle(ctx context.Context, t *asynq.Task, want model.DesiredState) error {
	p, err := tasks.ParseVersion(t)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	id, _ := asynq.GetTaskID(ctx)
	log := d.w.log.With("task", id, "type", t.Type(), "version", p.VersionID, "generation", p.Generation)
	if d.helm == nil {
		return fmt.Errorf("%s of version %s: %w: %w", t.Type(), p.VersionID, errNoCluster, asynq.SkipRetry)
	}
	if _, ok, err := d.current(ctx, log, p, want); !ok {
		return err
	}
	le, held, err := d.leases.acquire(ctx, p.VersionID)
	if err != nil {
		return err
	}
	if held {
		return d.requeue(ctx, log, t, p)
	}
	opCtx := le.ctx
	v, ok, err := d.current(opCtx, log, p, want)
	if !ok {
		le.release(ctx, false)
		return err
	}
	fence, err := d.w.Store.ClaimFence(opCtx, v.ID)
	if err != nil {
		le.release(ctx, false)
		return fmt.Errorf("%s of version %s: %w", t.Type(), p.VersionID, err)
	}
	opCtx = withFence(opCtx, le, fence)
	d.begin(p.VersionID)
	if want == model.Deployed {
		err = d.deploy(opCtx, log, p, v)
	} else {
		err = d.stop(opCtx, log, p, v)
	}
	d.end(p.VersionID)
	lost := le.lost()
	le.release(ctx, opCtx.Err() != nil)
	if lost {
		log.Warn("version lease lost during the operation: it was stopped and its outcome not recorded; the task will be retried", "err", err)
		return fmt.Errorf("%s of version %s: %w", t.Type(), p.VersionID, errLeaseLost)
	}
	return err
}

// current reads the version of a task and reports whether the task still has work: false
// (with a nil error) when the version is gone, a newer request superseded the task, or the
// desired state is not the one the task applies.
func (d *deployer) current(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, want model.DesiredState) (*model.Version, bool, error) {
	v, err := d.w.Store.GetVersionByID(ctx, p.VersionID)
	if errors.Is(err, store.ErrNotFound) {
		log.Info("version is gone; nothing to do")
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read version %s: %w", p.VersionID, err)
	}
	if v.Generation > p.Generation {
		log.Info("stale task: a newer request superseded it", "current_generation", v.Generation)
		return nil, false, nil
	}
	if v.DesiredState != want {
		log.Info("desired state changed; nothing to do", "desired", v.DesiredState)
		return nil, false, nil
	}
	return v, true, nil
}

// requeue queues the task again after a short delay, under the id of its next wait round
// (the running task's id is taken until it ends).
func (d *deployer) requeue(ctx context.Context, log *slog.Logger, t *asynq.Task, p tasks.VersionPayload) error {
	cur, _ := asynq.GetTaskID(ctx)
	id, err := tasks.EnqueueAfterLease(ctx, d.w.Queue, t.Type(), p, cur, d.opts.LeaseRetryDelay)
	if errors.Is(err, tasks.ErrBadPayload) {
		return fmt.Errorf("requeue %s of version %s: %w: %w", t.Type(), p.VersionID, err, asynq.SkipRetry)
	}
	if err != nil {
		return fmt.Errorf("requeue %s of version %s: %w", t.Type(), p.VersionID, err)
	}
	log.Info("version lease held by another task; queued again", "next_task", id, "delay", d.opts.LeaseRetryDelay)
	return nil
}

func (d *deployer) begin(versionID string) {
	if d.hooks.helmOp != nil {
		d.hooks.helmOp(versionID, 1)
	}
}

func (d *deployer) end(versionID string) {
	if d.hooks.helmOp != nil {
		d.hooks.helmOp(versionID, -1)
	}
}

// finalAttempt reports whether asynq will not retry the running task after a failure (or the
// handler runs outside asynq).
func finalAttempt(ctx context.Context) bool {
	n, ok := asynq.GetRetryCount(ctx)
	maxRetry, ok2 := asynq.GetMaxRetry(ctx)
	return !ok || !ok2 || n >= maxRetry
}
