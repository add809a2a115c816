package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// Defaults of DeployOptions: a zero field takes them. They are internal/config's defaults of
// the settings internal/app passes in (TestDefaultsAreTheConfigDefaults checks it).
const (
	defaultDeployTimeout       = 5 * time.Minute
	defaultLeaseTTL            = 30 * time.Second
	defaultLeaseRetryDelay     = 2 * time.Second
	defaultActivityRetention   = model.DefaultActivityRetention
	defaultFailedRetryAfter    = 10 * time.Minute
	defaultOrphanSweepMaxShare = 0.5
	// defaultWarningInterval is how often a deploy waiting for its releases to be ready reads
	// the events that explain why they are not ready yet.
	defaultWarningInterval = 2 * time.Second
)

// DeployOptions tune the deploy, stop, reconcile and retention handlers (Deps.Deploy). The
// zero value means the defaults.
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
		o.Timeout = defaultDeployTimeout
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = defaultLeaseTTL
	}
	if o.LeaseRetryDelay <= 0 {
		o.LeaseRetryDelay = defaultLeaseRetryDelay
	}
	if o.ActivityRetention <= 0 {
		o.ActivityRetention = defaultActivityRetention
	}
	if o.FailedRetryAfter <= 0 {
		o.FailedRetryAfter = defaultFailedRetryAfter
	}
	if o.WarningInterval <= 0 {
		o.WarningInterval = defaultWarningInterval
	}
	if o.OrphanSweepMaxShare <= 0 || o.OrphanSweepMaxShare > 1 {
		o.OrphanSweepMaxShare = defaultOrphanSweepMaxShare
	}
	return o
}

// applier runs the deploy and stop tasks: it brings a version's releases to its desired
// state (Deployed or NotDeployed) under the version's lease, and records the outcome.
type applier struct {
	store      *store.Store
	queue      tasks.Enqueuer
	requester  *deploy.Requester
	helm       Releases
	cluster    *kube.Client
	charts     *charts.Cache
	registries *registryClients
	planner    *deploy.Planner
	leases     *leaser
	// pods reads the events that explain a deploy waiting for readiness (deploy_warn.go).
	pods *diagnose.Reader
	// watch is told about the releases a deploy recorded (nil: no pod watch).
	watch *podWatch
	// timeout bounds the wait for a release's resources; leaseRetryDelay is how long a task
	// that found its version's lease held waits (DeployOptions).
	timeout         time.Duration
	leaseRetryDelay time.Duration
	// warningInterval is how often a deploy waiting for readiness reads the events that
	// explain it (DeployOptions.WarningInterval).
	warningInterval time.Duration
	installation    string
	rec             recorder
	now             func() time.Time
	log             *slog.Logger
}

// handleDeploy brings a version to its desired state Deployed.
func (a *applier) handleDeploy(ctx context.Context, t *asynq.Task) error {
	return a.handle(ctx, t, model.Deployed)
}

// handleStop uninstalls every release of a version whose desired state is NotDeployed.
func (a *applier) handleStop(ctx context.Context, t *asynq.Task) error {
	return a.handle(ctx, t, model.NotDeployed)
}

// handle runs a deploy or stop task: it skips stale and superseded tasks, takes the
// version's lease (or queues the task again shortly when another task holds it, or an
// operation whose lease was lost may still run), claims the version's fence in the store and
// applies the desired state. When the lease is lost meanwhile, the operation's context is
// cancelled (Helm stops), its outcome is not recorded, and the task fails to be retried.
func (a *applier) handle(ctx context.Context, t *asynq.Task, want model.DesiredState) error {
	p, err := tasks.ParseVersion(t)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	id, _ := asynq.GetTaskID(ctx)
	log := a.log.With("task", id, "type", t.Type(), "version", p.VersionID, "generation", p.Generation)
	if _, ok, err := a.current(ctx, log, p, want); !ok {
		return err
	}
	le, held, err := a.leases.acquire(ctx, p.VersionID)
	if err != nil {
		return err
	}
	if held {
		return a.requeue(ctx, log, t, p)
	}
	opCtx := le.ctx
	v, ok, err := a.current(opCtx, log, p, want)
	if !ok {
		le.release(ctx, false)
		return err
	}
	fence, err := a.store.ClaimFence(opCtx, v.ID)
	if err != nil {
		le.release(ctx, false)
		return fmt.Errorf("%s of version %s: %w", t.Type(), p.VersionID, err)
	}
	opCtx = withFence(opCtx, le, fence)
	if want == model.Deployed {
		err = a.deploy(opCtx, log, p, v)
	} else {
		err = a.stop(opCtx, log, p, v)
	}
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
func (a *applier) current(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, want model.DesiredState) (*model.Version, bool, error) {
	v, err := a.store.GetVersionByID(ctx, p.VersionID)
	if errors.Is(err, store.ErrNotFound) {
		v, err = nil, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read version %s: %w", p.VersionID, err)
	}
	if reason := deploy.TaskObsolete(v, p.Generation, want); reason != "" {
		if v != nil {
			log = log.With("current_generation", v.Generation, "desired", v.DesiredState)
		}
		log.Info(reason)
		return nil, false, nil
	}
	return v, true, nil
}

// requeue queues the task again after a short delay, under the id of its next wait round
// (the running task's id is taken until it ends).
func (a *applier) requeue(ctx context.Context, log *slog.Logger, t *asynq.Task, p tasks.VersionPayload) error {
	cur, _ := asynq.GetTaskID(ctx)
	id, err := tasks.EnqueueAfterLease(ctx, a.queue, t.Type(), p, cur, a.leaseRetryDelay)
	if errors.Is(err, tasks.ErrBadPayload) {
		return fmt.Errorf("requeue %s of version %s: %w: %w", t.Type(), p.VersionID, err, asynq.SkipRetry)
	}
	if err != nil {
		return fmt.Errorf("requeue %s of version %s: %w", t.Type(), p.VersionID, err)
	}
	log.Info("version lease held by another task; queued again", "next_task", id, "delay", a.leaseRetryDelay)
	return nil
}

// finalAttempt reports whether asynq will not retry the running task after a failure (or the
// handler runs outside asynq).
func finalAttempt(ctx context.Context) bool {
	n, ok := asynq.GetRetryCount(ctx)
	maxRetry, ok2 := asynq.GetMaxRetry(ctx)
	return !ok || !ok2 || n >= maxRetry
}
