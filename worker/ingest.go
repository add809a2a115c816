package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/registry"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// handlePush applies one image event to every project of that registry and image: a pushed tag
// creates or updates a version, a deleted tag removes it. The payload is a hint: when the
// registry answers, the digest it reports is the truth.
func (w *Worker) handlePush(ctx context.Context, t *asynq.Task) error {
	p, err := tasks.ParsePush(t)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	log := w.log.With("task", t.Type(), "registry", p.RegistryID, "repository", p.Repository, "tag", p.Tag, "source", p.Source)
	if later, err := tasks.Superseded(ctx, w.Redis, p); err != nil {
		return fmt.Errorf("push %s:%s: %w", p.Repository, p.Tag, err)
	} else if later {
		log.Debug("a newer event of the tag is queued; it will check the tag")
		return nil
	}
	reg, err := w.Store.GetDockerRegistry(ctx, p.RegistryID)
	if errors.Is(err, store.ErrNotFound) {
		log.Info("registry gone; event dropped")
		return nil
	}
	if err != nil {
		return fmt.Errorf("push %s:%s: %w", p.Repository, p.Tag, err)
	}
	projects, err := w.Store.ProjectsByImage(ctx, reg.ID, p.Repository)
	if err != nil {
		return fmt.Errorf("push %s:%s: %w", p.Repository, p.Tag, err)
	}
	if len(projects) == 0 {
		log.Debug("no project uses this image")
		return nil
	}
	digest, exists, checkedAt, err := w.confirm(ctx, reg, p)
	if err != nil {
		return err
	}
	actor := model.ActorWebhook + ":" + reg.Name
	if p.Source == "poll" {
		actor = model.ActorScheduler + ":poll"
	}
	for i := range projects {
		var err error
		if exists {
			err = w.ingestTag(ctx, &projects[i], p.Tag, digest, checkedAt, actor)
		} else {
			err = w.removeTag(ctx, &projects[i], p.Tag, actor)
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
func (w *Worker) confirm(ctx context.Context, reg *model.DockerRegistry, p tasks.PushPayload) (digest string, exists bool, checkedAt time.Time, err error) {
	isDelete := p.Action == string(registry.ActionDelete)
	client, err := w.Registries.For(reg)
	if err != nil {
		if isDelete {
			return "", false, checkedAt, fmt.Errorf("confirm delete of %s:%s: %w: %w", p.Repository, p.Tag, err, asynq.SkipRetry)
		}
		w.log.Warn("registry not usable; trusting the push", "registry", reg.Name, "repository", p.Repository, "tag", p.Tag, "err", err)
		return p.Digest, true, p.ReceivedAt, nil
	}
	checkedAt = w.Now().UTC()
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
		w.log.Warn("registry unreachable; trusting the push", "registry", reg.Name, "repository", p.Repository, "tag", p.Tag, "err", err)
		return p.Digest, true, p.ReceivedAt, nil
	default:
		return "", false, checkedAt, fmt.Errorf("confirm %s %s:%s with the registry: %w", p.Action, p.Repository, p.Tag, err)
	}
}

// ingestTag creates the version of a new tag, or records a changed digest, and queues the
// deploys the project asks for. checkedAt is when the registry said so: an answer older than
// the one recorded never wins (see store.RecordDigest). A version marked removed gets back.
func (w *Worker) ingestTag(ctx context.Context, p *model.Project, tag, digest string, checkedAt time.Time, actor string) error {
	if err := model.ValidateTag(tag); err != nil {
		return fmt.Errorf("ingest %s: %w: %w", tag, err, asynq.SkipRetry)
	}
	now := w.Now().UTC()
	v, err := w.Store.GetVersionByTag(ctx, p.ID, tag)
	if errors.Is(err, store.ErrNotFound) {
		v = model.NewVersion(p, tag, digest, now)
		if digest != "" && !checkedAt.IsZero() {
			at := checkedAt.UTC()
			v.DigestCheckedAt = &at
		}
		err = w.Store.CreateVersion(ctx, v)
		if errors.Is(err, store.ErrDuplicate) {
			return fmt.Errorf("ingest %s: created concurrently, retrying: %w", tag, err)
		}
		if err != nil {
			return fmt.Errorf("ingest %s: %w", tag, err)
		}
		w.activity(ctx, model.PriorityInfo, actor, v.ID, "New version", fmt.Sprintf("tag %s of project %s (%s)", tag, p.Name, short(digest)))
		w.publish(ctx, events.VersionCreated, v)
		if p.AutoDeploy != nil && p.AutoDeploy.Matches(tag) && p.DeletingSince == nil {
			return w.request(ctx, p, v, model.Deployed, actor, false)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("ingest %s: %w", tag, err)
	}
	if v.Removed {
		back, err := w.Store.ClearRemoved(ctx, v.ID)
		if err != nil {
			return fmt.Errorf("ingest %s: %w", tag, err)
		}
		if back {
			v.Removed = false
			w.activity(ctx, model.PriorityInfo, actor, v.ID, "Version back", fmt.Sprintf("tag %s of project %s was pushed again; the version stays", tag, p.Name))
		}
	}
	if digest == "" {
		return nil
	}
	if checkedAt.IsZero() {
		checkedAt = now
	}
	changed, err := w.Store.RecordDigest(ctx, v.ID, digest, checkedAt)
	if err != nil || !changed {
		return err
	}
	w.activity(ctx, model.PriorityInfo, actor, v.ID, "Image updated", fmt.Sprintf("tag %s of project %s now %s", tag, p.Name, short(digest)))
	if v.DesiredState == model.Deployed && v.DeploymentBehaviour == model.BehaviourAutomatically {
		v.Digest = digest
		return w.request(ctx, p, v, model.Deployed, actor, true)
	}
	return nil
}

// removeTag removes the version of a deleted tag: at once when nothing is deployed, else after
// its releases are uninstalled (the stop task deletes versions marked removed).
func (w *Worker) removeTag(ctx context.Context, p *model.Project, tag, actor string) error {
	v, err := w.Store.GetVersionByTag(ctx, p.ID, tag)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("remove %s: %w", tag, err)
	}
	w.activity(ctx, model.PriorityInfo, actor, v.ID, "Version removed", fmt.Sprintf("tag %s of project %s is gone from the registry", tag, p.Name))
	if v.DesiredState == model.NotDeployed && len(v.Deployment.Releases) == 0 {
		if err := w.Store.DeleteVersion(ctx, v.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("remove %s: %w", tag, err)
		}
		w.publish(ctx, events.VersionRemoved, map[string]string{"id": v.ID, "projectId": v.ProjectID})
		return nil
	}
	if err := w.Store.MarkRemoved(ctx, v.ID); err != nil {
		return err
	}
	return w.request(ctx, p, v, model.NotDeployed, actor, false)
}

// request changes a version's desired state and queues the task.
func (w *Worker) request(ctx context.Context, p *model.Project, v *model.Version, state model.DesiredState, actor string, keepLifetime bool) error {
	r := deploy.Requester{Store: w.Store, Queue: tasks.Queue{Enqueuer: w.Queue}, Lifetime: w.Lifetime, Now: w.Now}
	if _, err := r.RequestState(ctx, deploy.Request{Project: p, Version: v, State: state, Actor: actor, KeepLifetime: keepLifetime}); err != nil {
		return fmt.Errorf("request %s of %s: %w", state, v, err)
	}
	return nil
}

// activity records an activity; failures are logged, not returned.
func (w *Worker) activity(ctx context.Context, prio model.Priority, actor, versionID, title, desc string) {
	w.addActivity(ctx, &model.Activity{Priority: prio, Title: title, Description: desc, Actor: actor, EntityType: model.EntityVersion, EntityID: versionID})
}

// addActivity records an activity and publishes it.
func (w *Worker) addActivity(ctx context.Context, a *model.Activity) {
	if err := w.Store.AddActivity(ctx, a); err != nil {
		w.log.Warn("cannot record activity", "title", a.Title, "err", err)
		return
	}
	w.publish(ctx, events.Activity, a)
}

// publish sends a live update; a failure only costs browsers a stale view.
func (w *Worker) publish(ctx context.Context, typ string, data any) {
	if err := w.Events.Publish(ctx, typ, data); err != nil {
		w.log.Debug("cannot publish event", "type", typ, "err", err)
	}
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

// resolveDigest fills in the digest of a version discovered without one (polling HEADs only
// where a digest matters), so that a deploy can pin the image. When the registry cannot answer
// the deploy goes on by tag.
func (w *Worker) resolveDigest(ctx context.Context, log *slog.Logger, p *model.Project, v *model.Version) {
	if v.Digest != "" {
		return
	}
	reg, err := w.Store.GetDockerRegistry(ctx, p.DockerRegistryID)
	if err != nil {
		log.Warn("cannot read the docker registry to resolve the digest", "err", err)
		return
	}
	client, err := w.Registries.For(reg)
	if err != nil {
		log.Warn("cannot resolve the digest", "err", err)
		return
	}
	d, err := client.Digest(ctx, p.ImageName, v.Name)
	if err != nil {
		log.Warn("cannot resolve the digest; deploying by tag", "err", err)
		return
	}
	if _, err := w.Store.SetDigest(ctx, v.ID, d, v.ImageUpdatedAt); err != nil {
		log.Warn("cannot record the digest", "err", err)
		return
	}
	v.Digest = d
}
