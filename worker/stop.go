package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// stop uninstalls every release of the version — those labelled with it and those its last
// deployment lists — and records it NotDeployed. Releases that belong to another version or
// installation (its record lists a name someone else owns now) are left alone and named in
// the activity. A removed version is then deleted, and a project being deleted goes once none
// of its versions has releases left.
func (a *applier) stop(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version) error {
	rels, foreign, err := a.releasesOf(ctx, v, a.versionNamespace(ctx, v)...)
	for _, f := range foreign {
		log.Warn("release left alone", "reason", f)
	}
	if err == nil {
		for _, r := range rels {
			if err = a.helm.Uninstall(ctx, r.Namespace, r.Name); err != nil {
				break
			}
			log.Info("release uninstalled", "release", r.Namespace+"/"+r.Name)
		}
	}
	if err != nil {
		if deploy.OnFailure(true, finalAttempt(ctx)) == deploy.Retry {
			log.Warn("stop failed; will retry", "err", err)
			return fmt.Errorf("stop %s: %w", v, err)
		}
		dep := v.Deployment
		dep.Status, dep.Message = model.StatusFailed, "stop failed: "+err.Error()
		if _, werr := a.rec.deployment(context.WithoutCancel(ctx), v.ID, p.Generation, dep, v.URLs); werr != nil {
			log.Error("cannot record the failed stop", "err", werr)
		}
		a.rec.activity(context.WithoutCancel(ctx), model.PriorityError, actorOf(p), v.ID, "Stop of "+v.Name+" failed", err.Error())
		return fmt.Errorf("stop %s: %w: %w", v, err, asynq.SkipRetry)
	}
	dep := model.Deployment{Status: model.StatusNotDeployed, DeployedAt: v.Deployment.DeployedAt}
	written, err := a.rec.deployment(ctx, v.ID, p.Generation, dep, v.URLs)
	if err != nil {
		return fmt.Errorf("stop %s: record: %w", v, err)
	}
	if !written {
		log.Info("a newer request superseded this stop while it ran; its outcome is not recorded")
		return nil
	}
	log.Info("stopped", "releases", len(rels))
	desc := fmt.Sprintf("%d releases uninstalled", len(rels))
	if len(foreign) > 0 {
		desc += "; left alone: " + strings.Join(foreign, "; ")
	}
	a.rec.activity(ctx, model.PriorityInfo, actorOf(p), v.ID, "Stopped "+v.Name, desc)
	if v.Removed {
		// Only while still marked: a tag pushed again meanwhile keeps its version.
		deleted, err := a.store.DeleteRemovedVersion(ctx, v.ID)
		if err != nil {
			return fmt.Errorf("stop %s: delete the removed version: %w", v, err)
		}
		if deleted {
			log.Info("removed version deleted")
		}
	}
	return a.finishProjectDelete(ctx, log, v.ProjectID)
}

// versionNamespace is the namespace the version's releases go to now, where a release
// installed but never recorded (the worker died) is; none when its project is gone.
func (a *applier) versionNamespace(ctx context.Context, v *model.Version) []string {
	proj, err := a.store.GetProject(ctx, v.ProjectID)
	if err != nil {
		return nil
	}
	return []string{deploy.Namespace(a.installation, proj, v)}
}

// finishProjectDelete deletes a project marked for deletion once none of its versions is
// deployed or has releases.
func (a *applier) finishProjectDelete(ctx context.Context, log *slog.Logger, projectID string) error {
	proj, err := a.store.GetProject(ctx, projectID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read project %s: %w", projectID, err)
	}
	if proj.DeletingSince == nil {
		return nil
	}
	vs, err := a.store.VersionsOfProject(ctx, projectID)
	if err != nil {
		return fmt.Errorf("versions of project %s: %w", projectID, err)
	}
	if !deploy.DeletionComplete(vs) {
		return nil
	}
	if err := a.store.DeleteProject(ctx, projectID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete project %s: %w", projectID, err)
	}
	log.Info("project deleted after its deployments stopped", "project", projectID)
	return nil
}
