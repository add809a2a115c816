package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/release"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// deploy renders the version's plan, fetches its charts, ensures the namespace, recovers
// pending releases, upgrades or installs every release with wait, uninstalls releases that
// left the plan and records the outcome. Configuration errors fail the version without
// touching the cluster and are not retried; an unreachable cluster or registry is retried.
func (d *deployer) deploy(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version) error {
	proj, err := d.w.Store.GetProject(ctx, v.ProjectID)
	if errors.Is(err, store.ErrNotFound) {
		log.Warn("project of the version is gone; nothing to deploy")
		return nil
	}
	if err != nil {
		return fmt.Errorf("deploy %s: %w", v, err)
	}
	if proj.DeletingSince != nil {
		return d.stopInstead(ctx, log, p, proj, v)
	}
	d.w.resolveDigest(ctx, log, proj, v)
	plan, err := d.planner.Plan(ctx, proj, v)
	if err != nil {
		if errors.Is(err, model.ErrInvalid) || errors.Is(err, store.ErrNotFound) {
			return d.failConfig(ctx, log, p, v, "The configuration of the version cannot be rendered", err)
		}
		return fmt.Errorf("deploy %s: plan: %w", v, err)
	}
	chs, err := d.charts(ctx, plan)
	if err != nil {
		if configError(err) {
			return d.failConfig(ctx, log, p, v, "A chart of the version cannot be fetched", err)
		}
		return d.transient(ctx, log, p, v, nil, plan, fmt.Errorf("deploy %s: %w", v, err))
	}
	if err := d.ensureNamespaces(ctx, proj, plan); err != nil {
		return d.transient(ctx, log, p, v, nil, plan, fmt.Errorf("deploy %s: %w", v, err))
	}

	var done []*release.Release
	var failure error
	labels := helm.VersionLabels(d.w.InstallationID, v.ProjectID, v.ID)
	for i, r := range plan.Releases {
		rlog := log.With("release", r.Namespace+"/"+r.Name, "chart", r.ChartRef())
		if err := d.checkOwner(ctx, v, r.Namespace, r.Name); err != nil {
			failure = err
			break
		}
		if rec, err := d.helm.RecoverPending(ctx, r.Namespace, r.Name, d.opts.Timeout); err != nil {
			failure = err
			break
		} else if rec != helm.NothingPending {
			rlog.Warn("release was left pending by an interrupted operation", "recovery", string(rec))
		}
		rel, err := d.helm.UpgradeInstall(ctx, helm.Release{Name: r.Name, Namespace: r.Namespace, Chart: chs[i], Values: r.ValuesMap, Labels: labels}, true, d.opts.Timeout)
		if rel != nil {
			done = append(done, rel)
		}
		if err != nil {
			failure = err
			break
		}
		rlog.Info("release deployed", "revision", rel.Version)
	}
	if failure != nil && helm.Unreachable(failure) && ctx.Err() == nil {
		return d.transient(ctx, log, p, v, done, plan, failure)
	}
	if failure == nil {
		if err := d.uninstallLeftovers(ctx, log, v, plan); err != nil {
			return d.transient(ctx, log, p, v, done, plan, err)
		}
	}
	return d.recordDeploy(ctx, log, p, v, plan, done, failure)
}

// stopInstead handles a deploy of a version whose project is being deleted — requested in a
// race with the deletion, which had not seen it deployed: it installs nothing and requests the
// version's stop (at this generation, so a newer request is not overridden), after which the
// stop finishes the project's deletion. Without it the project would wait for that version for
// ever.
func (d *deployer) stopInstead(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, proj *model.Project, v *model.Version) error {
	req := deploy.Requester{Store: d.w.Store, Queue: tasks.Queue{Enqueuer: d.w.Queue}, Lifetime: d.w.Lifetime, Now: d.w.Now}
	_, err := req.RequestState(ctx, deploy.Request{Project: proj, Version: v, State: model.NotDeployed, Actor: actorOf(p), IfGeneration: v.Generation})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deploy %s: stop instead (project being deleted): %w", v, err)
	}
	log.Warn("project is being deleted; stop requested instead of the deploy")
	d.w.activity(ctx, model.PriorityWarning, actorOf(p), v.ID, "Deploy of "+v.Name+" not run",
		"project "+proj.Name+" is being deleted; the version is stopped instead")
	return nil
}

// charts fetches the chart of every planned release through the shared cache.
func (d *deployer) charts(ctx context.Context, plan *deploy.Plan) ([]*chart.Chart, error) {
	out := make([]*chart.Chart, len(plan.Releases))
	for i, r := range plan.Releases {
		hr, err := d.w.Store.GetHelmRegistry(ctx, r.Template.HelmRegistryID)
		if err != nil {
			return nil, fmt.Errorf("template %q: helm registry %s: %w", r.Template.Name, r.Template.HelmRegistryID, err)
		}
		reg := charts.Registry{ID: hr.ID, URL: hr.URL, Username: hr.Username, Password: hr.Password}
		ch, err := d.w.Charts.Chart(ctx, reg, r.Template.ChartName, r.Template.ChartVersion)
		if err != nil {
			return nil, fmt.Errorf("template %q: chart %s from %s: %w", r.Template.Name, r.ChartRef(), hr.Name, err)
		}
		out[i] = ch
	}
	return out, nil
}

// configError reports whether a chart error is the configuration's fault: retrying the
// same configuration cannot help.
func configError(err error) bool {
	for _, e := range []error{store.ErrNotFound, charts.ErrChartNotFound, charts.ErrUnauthorized, charts.ErrInvalidConstraint, charts.ErrInvalidRegistry, charts.ErrChartOrigin} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// ensureNamespaces creates the plan's namespaces with the pull secret of the project's docker
// registry only (written again on every deploy, so a changed password reaches the namespace);
// other registries' credentials stay out of the namespace.
func (d *deployer) ensureNamespaces(ctx context.Context, proj *model.Project, plan *deploy.Plan) error {
	reg, err := d.w.Store.GetDockerRegistry(ctx, proj.DockerRegistryID)
	if err != nil {
		return fmt.Errorf("docker registry of project %s: %w", proj.Name, err)
	}
	regs := []model.DockerRegistry{*reg}
	seen := map[string]bool{}
	for _, r := range plan.Releases {
		if seen[r.Namespace] {
			continue
		}
		seen[r.Namespace] = true
		if err := d.kube.EnsureNamespace(ctx, r.Namespace, regs); err != nil {
			return err
		}
	}
	return nil
}

// uninstallLeftovers removes the releases of the version that are no longer in its plan (a
// template was removed or renamed).
func (d *deployer) uninstallLeftovers(ctx context.Context, log *slog.Logger, v *model.Version, plan *deploy.Plan) error {
	planned := map[string]bool{}
	for _, r := range plan.Releases {
		planned[r.Namespace+"/"+r.Name] = true
	}
	existing, _, err := d.releasesOf(ctx, v)
	if err != nil {
		return err
	}
	for _, r := range existing {
		if planned[r.Namespace+"/"+r.Name] {
			continue
		}
		if err := d.helm.Uninstall(ctx, r.Namespace, r.Name); err != nil {
			return err
		}
		log.Info("release no longer in the plan uninstalled", "release", r.Namespace+"/"+r.Name)
	}
	return nil
}

// releasesOf returns the releases of a version that belong to it (see helm.Owner.Belongs):
// those labelled with it in the cluster and those its last deployment lists, each once. A
// release its deployment lists that now belongs to someone else is left out and reported in
// foreign (the version's record is stale: another version or installation owns that name).
func (d *deployer) releasesOf(ctx context.Context, v *model.Version) (out []model.Release, foreign []string, err error) {
	rels, err := d.helm.ListByLabel(ctx, map[string]string{helm.LabelVersion: helm.LabelValue(v.ID)})
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, r := range rels {
		if !helm.OwnerOf(r).Belongs(d.w.InstallationID, v.ID) {
			continue
		}
		seen[r.Namespace+"/"+r.Name] = true
		out = append(out, model.Release{Name: r.Name, Namespace: r.Namespace, Revision: r.Version, Status: r.Info.Status.String()})
	}
	for _, r := range v.Deployment.Releases {
		if seen[r.Namespace+"/"+r.Name] {
			continue
		}
		seen[r.Namespace+"/"+r.Name] = true
		if err := d.checkOwner(ctx, v, r.Namespace, r.Name); err != nil {
			var oe *ownerError
			if errors.As(err, &oe) {
				foreign = append(foreign, oe.Error())
				continue
			}
			return nil, nil, err
		}
		out = append(out, r)
	}
	return out, foreign, nil
}

// ownerError says that a release exists under a name the version wants but belongs to
// another version or installation, or was not made by oneko.
type ownerError struct {
	release string
	owner   helm.Owner
}

func (e *ownerError) Error() string {
	return fmt.Sprintf("release %s belongs to %s; oneko does not touch it", e.release, e.owner)
}

// checkOwner returns an *ownerError when the release ns/name exists and does not belong to the
// version (see helm.Owner.Belongs); a release that does not exist is fine.
func (d *deployer) checkOwner(ctx context.Context, v *model.Version, ns, name string) error {
	rel, err := d.helm.Status(ctx, ns, name)
	if errors.Is(err, helm.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if o := helm.OwnerOf(rel); !o.Belongs(d.w.InstallationID, v.ID) {
		return &ownerError{release: ns + "/" + name, owner: o}
	}
	return nil
}

// transient returns err for asynq to retry; on the last attempt it records the version as
// failed first, so that the failure does not go unseen.
func (d *deployer) transient(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version, done []*release.Release, plan *deploy.Plan, err error) error {
	if !finalAttempt(ctx) {
		log.Warn("deploy failed; will retry", "err", err)
		return err
	}
	return d.recordDeploy(ctx, log, p, v, plan, done, err)
}

// failConfig records a configuration error: nothing was installed, and it is not retried.
func (d *deployer) failConfig(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version, title string, err error) error {
	log.Warn(title, "err", err)
	dep := v.Deployment
	dep.Status, dep.Message = model.StatusFailed, err.Error()
	if _, werr := d.w.recordDeployment(ctx, v.ID, p.Generation, dep, v.URLs); werr != nil {
		return fmt.Errorf("deploy %s: record failure: %w", v, werr)
	}
	d.w.activity(ctx, model.PriorityError, actorOf(p), v.ID, title, err.Error())
	return fmt.Errorf("deploy %s: %w: %w", v, err, asynq.SkipRetry)
}

func actorOf(p tasks.VersionPayload) string {
	if p.Actor == "" {
		return model.ActorSystem
	}
	return p.Actor
}
