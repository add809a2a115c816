package worker

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/registry"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// handlePoll lists the tags of every image of one docker registry that a project uses and
// applies what changed: new tags become versions, changed digests update them (and redeploy
// automatically), vanished tags remove them. Manifests are HEADed only where a digest matters:
// deployed versions with behaviour automatically, and new tags an auto-deploy rule matches.
func (in *ingester) handlePoll(ctx context.Context, t *asynq.Task) error {
	p, err := tasks.ParseRegistry(t)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	reg, err := in.store.GetDockerRegistry(ctx, p.RegistryID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("poll: %w", err)
	}
	return in.poll(ctx, reg)
}

// Poll runs one poll cycle of a registry (the first poll of the demo registry, tests).
func (w *Worker) Poll(ctx context.Context, reg *model.DockerRegistry) error {
	return w.ingest.poll(ctx, reg)
}

// poll runs one poll cycle of a registry.
func (in *ingester) poll(ctx context.Context, reg *model.DockerRegistry) error {
	client, err := in.registries.For(reg)
	if err != nil {
		return fmt.Errorf("poll %s: %w: %w", reg.Name, err, asynq.SkipRetry)
	}
	projects, err := in.store.ProjectsOfRegistry(ctx, reg.ID)
	if err != nil {
		return fmt.Errorf("poll %s: %w", reg.Name, err)
	}
	byImage := map[string][]*model.Project{}
	for i := range projects {
		byImage[projects[i].ImageName] = append(byImage[projects[i].ImageName], &projects[i])
	}
	var errs []error
	for image, ps := range byImage {
		if err := in.pollImage(ctx, client, image, ps); err != nil {
			errs = append(errs, fmt.Errorf("poll %s/%s: %w", reg.Name, image, err))
		}
	}
	return errors.Join(errs...)
}

func (in *ingester) pollImage(ctx context.Context, client *registry.Client, image string, projects []*model.Project) error {
	// The versions of every project of the image; a digest matters when any project would act on a change.
	known := map[string]registry.Known{}
	versionsOf := map[string]map[string]bool{}
	for _, p := range projects {
		vs, err := in.store.VersionsOfProject(ctx, p.ID)
		if err != nil {
			return err
		}
		versionsOf[p.ID] = map[string]bool{}
		for _, v := range vs {
			versionsOf[p.ID][v.Name] = true
			k := known[v.Name]
			k.Tag = v.Name
			if k.Digest == "" {
				k.Digest = v.Digest
			}
			k.DigestMatters = k.DigestMatters || deploy.RedeployOnNewDigest(&v)
			known[v.Name] = k
		}
	}
	list := make([]registry.Known, 0, len(known))
	for _, k := range known {
		list = append(list, k)
	}
	digestNeeded := func(tag string) bool {
		for _, p := range projects {
			if p.AutoDeploy != nil && p.AutoDeploy.Matches(tag) {
				return true
			}
		}
		return false
	}
	checkedAt := in.now().UTC()
	changes, err := registry.Poll(ctx, client, image, list, digestNeeded)
	if errors.Is(err, registry.ErrNotFound) {
		in.log.Warn("polled image not in the registry", "image", image)
		return nil
	}
	if err != nil {
		return err
	}
	actor := model.ActorScheduler + ":poll"
	var errs []error
	for _, p := range projects {
		for _, n := range changes.New {
			errs = append(errs, in.ingestTag(ctx, p, n.Tag, n.Digest, checkedAt, actor))
		}
		for _, c := range changes.Changed {
			errs = append(errs, in.ingestTag(ctx, p, c.Tag, c.Digest, checkedAt, actor))
		}
		for _, k := range missingTags(known, versionsOf[p.ID], changes) {
			// Known from another project of the image, and still there: its digest was
			// checked then, not now (a zero time records no check).
			errs = append(errs, in.ingestTag(ctx, p, k.Tag, k.Digest, time.Time{}, actor))
		}
		if len(changes.Removed) == 0 {
			continue
		}
		if refuse, n := deploy.RemovalsRefused(changes.Removed, versionsOf[p.ID]); refuse {
			in.refuseRemovals(ctx, p, image, n)
			continue
		}
		for _, tag := range changes.Removed {
			errs = append(errs, in.removeTag(ctx, p, tag, actor))
		}
	}
	return errors.Join(errs...)
}

// missingTags returns the tags other projects of the image know that a project lacks and
// the poll neither removed nor reported (those are ingested already), in tag order. A project
// made for an image another project already follows gets the image's tags this way; the
// registry reports only what changed since the union of all projects' versions.
func missingTags(known map[string]registry.Known, has map[string]bool, changes registry.Changes) []registry.Known {
	skip := make(map[string]bool, len(changes.Removed)+len(changes.Changed))
	for _, tag := range changes.Removed {
		skip[tag] = true
	}
	for _, c := range changes.Changed {
		skip[c.Tag] = true
	}
	var out []registry.Known
	for tag, k := range known {
		if !has[tag] && !skip[tag] {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Tag < out[j].Tag })
	return out
}

// refuseRemovals records (once an hour per project) that a poll would have removed too many
// versions and removed none.
func (in *ingester) refuseRemovals(ctx context.Context, p *model.Project, image string, inProject int) {
	in.log.Warn("poll would remove more than half of a project's versions; nothing removed", "project", p.Name, "image", image, "removed", inProject)
	first, err := in.redis.SetNX(ctx, "oneko:poll:refused:"+p.ID, 1, time.Hour).Result()
	if err != nil || !first {
		return
	}
	a := &model.Activity{Priority: model.PriorityWarning, Actor: model.ActorScheduler + ":poll", EntityType: model.EntityProject, EntityID: p.ID,
		Title: "Removals refused",
		Description: fmt.Sprintf("a poll of %s found %d of the project's tags gone from the registry — more than half of its versions — and removed none; "+
			"check the registry, or delete the tags with webhook delete events", image, inProject)}
	in.rec.add(ctx, a)
}

// defaultWebhookOnlyPollInterval is how often a registry with pollInterval 0s (webhooks only)
// is polled to catch up events that were lost after their webhook was answered.
const defaultWebhookOnlyPollInterval = time.Hour

// schedulePolls queues a poll task for every registry whose interval is due. A Redis key per
// registry, set with NX and expiring after the interval (with up to 10% jitter), makes the
// decision once across all workers; the poll task is unique for one interval, so at most one
// is queued per interval, and a failed poll never holds back the next one.
func (in *ingester) schedulePolls(ctx context.Context) error {
	regs, err := in.store.AllDockerRegistries(ctx)
	if err != nil {
		return fmt.Errorf("schedule polls: %w", err)
	}
	for _, r := range regs {
		interval := time.Duration(r.PollInterval)
		if interval <= 0 {
			// Webhooks only: a slow catch-up poll finds what a lost event would have told.
			interval = in.webhookOnlyPoll
			if interval == 0 {
				interval = defaultWebhookOnlyPollInterval
			}
		}
		if interval <= 0 {
			continue
		}
		jitter := time.Duration(rand.Int64N(int64(interval)/10 + 1))
		ok, err := in.redis.SetNX(ctx, "oneko:poll:due:"+r.ID, 1, interval+jitter).Result()
		if err != nil {
			return fmt.Errorf("schedule polls: %w", err)
		}
		if !ok {
			continue
		}
		t, err := tasks.NewPollRegistry(r.ID, interval)
		if err != nil {
			return err
		}
		if _, _, err := tasks.Enqueue(ctx, in.queue, t); err != nil {
			// Not queued: let the next tick try again rather than wait a whole interval.
			in.redis.Del(context.WithoutCancel(ctx), "oneko:poll:due:"+r.ID)
			return fmt.Errorf("schedule poll of %s: %w", r.Name, err)
		}
	}
	return nil
}

// runPollScheduler calls schedulePolls every tick until ctx ends.
func (w *Worker) runPollScheduler(ctx context.Context, tick time.Duration) {
	if tick <= 0 {
		tick = defaultPollTick
	}
	timer := time.NewTicker(tick)
	defer timer.Stop()
	for {
		if err := w.ingest.schedulePolls(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("poll scheduling failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
	}
}
