package worker

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// recordDeploy writes the outcome of a deploy — Running, or Failed with Helm's error, the
// warning that explains it and the tail of Helm's log — with pod counts and URLs, if the
// task's generation is still current, and adds the activity, which names the Helm revisions
// the deploy made (so that …/history names who asked for each). A failure is returned with
// asynq.SkipRetry: the periodic reconcile
// and the next request take it from there.
func (a *applier) recordDeploy(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version, plan *deploy.Plan, done []*helm.Info, failure error) error {
	now := a.now().UTC()
	dep := model.Deployment{Status: model.StatusRunning, DeployedAt: &now, Releases: modelReleases(done)}
	if failure != nil {
		dep.Status = model.StatusFailed
		// The warning that explains the failure (a pod that cannot be scheduled, an image
		// that cannot be pulled…) goes with Helm's error, as the status refresh keeps it.
		why, err := a.explain(context.WithoutCancel(ctx), done)
		if err != nil {
			log.Debug("cannot read the events of the failed releases", "err", err)
		}
		dep.Message = diagnose.WithWarning(failure.Error(), why)
	}
	ready, desired, err := a.podCounts(ctx, done)
	if err != nil {
		log.Warn("cannot count pods", "err", err)
	}
	dep.ReadyPods, dep.DesiredPods = ready, desired
	var urls []string
	if plan != nil {
		urls = plan.URLs
	}
	written, err := a.rec.deployment(context.WithoutCancel(ctx), v.ID, p.Generation, dep, urls)
	if err != nil {
		return fmt.Errorf("deploy %s: record: %w", v, err)
	}
	if !written {
		log.Info("a newer request superseded this deploy while it ran; its outcome is not recorded")
	} else {
		a.watch.track(v.ID, dep)
	}
	names := make([]string, len(done))
	for i, r := range done {
		names[i] = fmt.Sprintf("%s/%s rev %d", r.Namespace, r.Name, r.Revision)
	}
	if failure != nil {
		desc := dep.Message
		if tail := helm.LogTail(failure); tail != "" {
			desc += "\n\nHelm log:\n" + tail
		}
		log.Error("deploy failed", "err", failure)
		a.rec.add(context.WithoutCancel(ctx), &model.Activity{Priority: model.PriorityError, Actor: actorOf(p), EntityType: model.EntityVersion,
			EntityID: v.ID, Title: "Deploy of " + v.Name + " failed", Description: desc, Revisions: dep.Releases})
		return fmt.Errorf("deploy %s: %w: %w", v, failure, asynq.SkipRetry)
	}
	log.Info("deployed", "releases", len(done), "ready_pods", ready, "desired_pods", desired)
	a.rec.add(ctx, &model.Activity{Priority: model.PriorityInfo, Actor: actorOf(p), EntityType: model.EntityVersion, EntityID: v.ID,
		Title: "Deployed " + v.Name, Description: fmt.Sprintf("releases: %s; %d/%d pods ready", strings.Join(names, ", "), ready, desired),
		Revisions: dep.Releases})
	return nil
}

// podCounts sums ready and desired pods over the releases' workloads.
func (a *applier) podCounts(ctx context.Context, rels []*helm.Info) (ready, desired int, err error) {
	for _, r := range rels {
		rd, ds, err := a.helm.PodCounts(ctx, r)
		if err != nil {
			return ready, desired, err
		}
		ready += rd
		desired += ds
	}
	return ready, desired, nil
}

// modelReleases describes Helm releases as the store keeps them.
func modelReleases(rels []*helm.Info) []model.Release {
	out := make([]model.Release, 0, len(rels))
	for _, r := range rels {
		out = append(out, model.Release{Name: r.Name, Namespace: r.Namespace, Revision: r.Revision, Status: string(r.Status)})
	}
	return out
}
