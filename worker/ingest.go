package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/registry"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// ingester turns image events — webhook pushes and deletes, and what polls find — into
// versions, and requests the deploys and stops they lead to.
type ingester struct {
	store      *store.Store
	redis      redis.UniversalClient
	queue      tasks.Enqueuer
	registries *registryClients
	requester  *deploy.Requester
	rec        recorder
	now        func() time.Time
	log        *slog.Logger
	// webhookOnlyPoll is Deps.WebhookOnlyPollInterval (see schedulePolls).
	webhookOnlyPoll time.Duration
}

// handlePush applies one image event to every project of that registry and image: a pushed tag
// creates or updates a version, a deleted tag removes it. The payload is a hint: when the
// registry answers, the digest it reports is the truth.
func (in *ingester) handlePush(ctx context.Context, t *asynq.Task) error {
	p, err := tasks.ParsePush(t)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	log := in.log.With("task", t.Type(), "registry", p.RegistryID, "repository", p.Repository, "tag", p.Tag, "source", p.Source)
	if later, err := tasks.Superseded(ctx, in.redis, p); err != nil {
		return fmt.Errorf("push %s:%s: %w", p.Repository, p.Tag, err)
	} else if later {
		log.Debug("a newer event of the tag is queued; it will check the tag")
		return nil
	}
	reg, err := in.store.GetDockerRegistry(ctx, p.RegistryID)
	if errors.Is(err, store.ErrNotFound) {
		log.Info("registry gone; event dropped")
		return nil
	}
	if err != nil {
		return fmt.Errorf("push %s:%s: %w", p.Repository, p.Tag, err)
	}
	projects, err := in.store.ProjectsByImage(ctx, reg.ID, p.Repository)
	if err != nil {
		return fmt.Errorf("push %s:%s: %w", p.Repository, p.Tag, err)
	}
	if len(projects) == 0 {
		log.Debug("no project uses this image")
		return nil
	}
	digest, exists, checkedAt, err := in.confirm(ctx, reg, p)
	if err != nil {
		return err
	}
	actor := model.ActorWebhook + ":" + reg.Name
	for i := range projects {
		var err error
		if exists {
			err = in.ingestTag(ctx, &projects[i], p.Tag, digest, checkedAt, actor)
		} else {
			err = in.removeTag(ctx, &projects[i], p.Tag, actor)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// confirm asks the registry for the tag's digest. It returns whether the tag exists and when
// the registry was asked. The payload is trusted only when the registry cannot be reached at
// all, and then only for a push: a delete is applied once the registry confirms it, and a
// registry that answers otherwise (401, 403, 429, …) gets the event retried.
func (in *ingester) confirm(ctx context.Context, reg *model.DockerRegistry, p tasks.PushPayload) (digest string, exists bool, checkedAt time.Time, err error) {
	isDelete := p.Action == string(registry.ActionDelete)
	client, err := in.registries.For(reg)
	if err != nil {
		if isDelete {
			return "", false, checkedAt, fmt.Errorf("confirm delete of %s:%s: %w: %w", p.Repository, p.Tag, err, asynq.SkipRetry)
		}
		in.log.Warn("registry not usable; trusting the push", "registry", reg.Name, "repository", p.Repository, "tag", p.Tag, "err", err)
		return p.Digest, true, p.ReceivedAt, nil
	}
	checkedAt = in.now().UTC()
	d, err := client.Digest(ctx, p.Repository, p.Tag)
	switch {
	case err == nil:
		return d, true, checkedAt, nil
	case errors.Is(err, registry.ErrNotFound):
		if isDelete {
			return "", false, checkedAt, nil
		}
		// A push the registry does not know yet (replication lag): try again later.
		return "", false, checkedAt, fmt.Errorf("confirm %s:%s: the registry does not know the tag yet: %w", p.Repository, p.Tag, err)
	case registry.Unreachable(err) && !isDelete && ctx.Err() == nil:
		in.log.Warn("registry unreachable; trusting the push", "registry", reg.Name, "repository", p.Repository, "tag", p.Tag, "err", err)
		return p.Digest, true, p.ReceivedAt, nil
	default:
		return "", false, checkedAt, fmt.Errorf("confirm %s %s:%s with the registry: %w", p.Action, p.Repository, p.Tag, err)
	}
}

// ingestTag creates the version of a new tag, or records a changed digest, and queues the
// deploys the project asks for. checkedAt is when the registry said so: an answer older than
// the one recorded never wins (see store.RecordDigest). A version marked removed gets back.
func (in *ingester) ingestTag(ctx context.Context, p *model.Project, tag, digest string, checkedAt time.Time, actor string) error {
	if err := model.ValidateTag(tag); err != nil {
		return fmt.Errorf("ingest %s: %w: %w", tag, err, asynq.SkipRetry)
	}
	now := in.now().UTC()
	v, err := in.store.GetVersionByTag(ctx, p.ID, tag)
	if errors.Is(err, store.ErrNotFound) {
		v = model.NewVersion(p, tag, digest, now)
		if digest != "" && !checkedAt.IsZero() {
			at := checkedAt.UTC()
			v.DigestCheckedAt = &at
		}
		err = in.store.CreateVersion(ctx, v)
		if errors.Is(err, store.ErrDuplicate) {
			return fmt.Errorf("ingest %s: created concurrently, retrying: %w", tag, err)
		}
		if err != nil {
			return fmt.Errorf("ingest %s: %w", tag, err)
		}
		in.rec.activity(ctx, model.PriorityInfo, actor, v.ID, "New version", fmt.Sprintf("tag %s of project %s (%s)", tag, p.Name, short(digest)))
		in.rec.publish(ctx, events.VersionCreated, v)
		if deploy.DeployNewTag(p, tag) {
			return in.request(ctx, p, v, model.Deployed, actor, false)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("ingest %s: %w", tag, err)
	}
	if v.Removed {
		back, err := in.store.ClearRemoved(ctx, v.ID)
		if err != nil {
			return fmt.Errorf("ingest %s: %w", tag, err)
		}
		if back {
			v.Removed = false
			in.rec.activity(ctx, model.PriorityInfo, actor, v.ID, "Version back", fmt.Sprintf("tag %s of project %s was pushed again; the version stays", tag, p.Name))
		}
	}
	if digest == "" {
		return nil
	}
	if checkedAt.IsZero() {
		checkedAt = now
	}
	changed, err := in.store.RecordDigest(ctx, v.ID, digest, checkedAt)
	if err != nil || !changed {
		return err
	}
	in.rec.activity(ctx, model.PriorityInfo, actor, v.ID, "Image updated", fmt.Sprintf("tag %s of project %s now %s", tag, p.Name, short(digest)))
	if deploy.RedeployOnNewDigest(v) {
		v.Digest = digest
		return in.request(ctx, p, v, model.Deployed, actor, true)
	}
	return nil
}

// removeTag removes the version of a deleted tag: at once when nothing is deployed, else after
// its releases are uninstalled (the stop task deletes versions marked removed).
func (in *ingester) removeTag(ctx context.Context, p *model.Project, tag, actor string) error {
	v, err := in.store.GetVersionByTag(ctx, p.ID, tag)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("remove %s: %w", tag, err)
	}
	in.rec.activity(ctx, model.PriorityInfo, actor, v.ID, "Version removed", fmt.Sprintf("tag %s of project %s is gone from the registry", tag, p.Name))
	if deploy.RemoveAtOnce(v) {
		if err := in.store.DeleteVersion(ctx, v.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("remove %s: %w", tag, err)
		}
		in.rec.publish(ctx, events.VersionRemoved, map[string]string{"id": v.ID, "projectId": v.ProjectID})
		return nil
	}
	if err := in.store.MarkRemoved(ctx, v.ID); err != nil {
		return err
	}
	return in.request(ctx, p, v, model.NotDeployed, actor, false)
}

// request changes a version's desired state and queues the task.
func (in *ingester) request(ctx context.Context, p *model.Project, v *model.Version, state model.DesiredState, actor string, keepLifetime bool) error {
	if _, err := in.requester.RequestState(ctx, deploy.Request{Project: p, Version: v, State: state, Actor: actor, KeepLifetime: keepLifetime}); err != nil {
		return fmt.Errorf("request %s of %s: %w", state, v, err)
	}
	return nil
}

func short(digest string) string {
	if len(digest) > 19 {
		return digest[:19]
	}
	if digest == "" {
		return "digest unknown"
	}
	return digest
}
