package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// deploy renders the version's plan, fetches its charts, ensures the namespace, observes the
// planned releases and those of the version in the cluster, lets package deploy decide the
// steps (recover pending releases, upgrade or install every release with wait, uninstall
// releases that left the plan), takes them, and records the outcome. Configuration errors
// (deploy.ConfigurationFault) fail the version without touching the cluster and are not
// retried; an unreachable cluster or registry is retried (see deploy.OnFailure).
func (a *applier) deploy(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version) error {
	proj, err := a.store.GetProject(ctx, v.ProjectID)
	if errors.Is(err, store.ErrNotFound) {
		log.Warn("project of the version is gone; nothing to deploy")
		return nil
	}
	if err != nil {
		return fmt.Errorf("deploy %s: %w", v, err)
	}
	if proj.DeletingSince != nil {
		return a.stopInstead(ctx, log, p, proj, v)
	}
	a.resolveDigest(ctx, log, proj, v)
	plan, err := a.planner.Plan(ctx, proj, v)
	if err != nil {
		if deploy.ConfigurationFault(err, store.ErrNotFound) {
			return a.failConfig(ctx, log, p, v, "The configuration of the version cannot be rendered", err)
		}
		return fmt.Errorf("deploy %s: plan: %w", v, err)
	}
	releases, err := a.releases(ctx, v, plan)
	if err != nil {
		if deploy.ConfigurationFault(err, store.ErrNotFound) {
			return a.failConfig(ctx, log, p, v, "A chart of the version cannot be fetched", err)
		}
		return a.transient(ctx, log, p, v, nil, plan, fmt.Errorf("deploy %s: %w", v, err))
	}
	if err := a.ensureNamespaces(ctx, proj, plan); err != nil {
		return a.transient(ctx, log, p, v, nil, plan, fmt.Errorf("deploy %s: %w", v, err))
	}

	// Observe, decide, act.
	current, err := a.observePlanned(ctx, v, plan)
	if err != nil {
		return a.failed(ctx, log, p, v, nil, plan, err, helm.Unreachable(err))
	}
	existing, _, err := a.releasesOf(ctx, v, planNamespaces(plan)...)
	if err != nil {
		return a.failed(ctx, log, p, v, nil, plan, err, true)
	}
	steps, refused := deploy.DeploySteps(plan, current, existing)
	stopWatch := a.watchWarnings(ctx, log, p, v, plan)
	done, transient, err := a.takeSteps(ctx, log, plan, releases, steps)
	stopWatch()
	if err != nil {
		return a.failed(ctx, log, p, v, done, plan, err, transient)
	}
	if refused != nil {
		return a.failed(ctx, log, p, v, done, plan, refused, false)
	}
	return a.recordDeploy(ctx, log, p, v, plan, done, nil)
}

// takeSteps takes a deploy's steps in order and returns the releases installed or upgraded
// (a failed revision included), and the first failure with whether it is transient.
func (a *applier) takeSteps(ctx context.Context, log *slog.Logger, plan *deploy.Plan, releases []helm.Release, steps []deploy.Step) (done []*helm.Info, transient bool, failure error) {
	for _, s := range steps {
		rlog := log.With("release", s.Namespace+"/"+s.Name)
		switch s.Kind {
		case deploy.Recover:
			rec, err := a.helm.RecoverPending(ctx, s.Namespace, s.Name, a.timeout)
			if err != nil {
				return done, helm.Unreachable(err), err
			}
			if rec != helm.NothingPending {
				rlog.Warn("release was left pending by an interrupted operation", "recovery", string(rec))
			}
		case deploy.Upgrade:
			rel, err := a.helm.UpgradeInstall(ctx, releases[s.Planned], true, a.timeout)
			if rel != nil {
				done = append(done, rel)
			}
			if err != nil {
				return done, helm.Unreachable(err), err
			}
			rlog.Info("release deployed", "chart", plan.Releases[s.Planned].ChartRef(), "revision", rel.Revision)
		case deploy.Uninstall:
			if err := a.helm.Uninstall(ctx, s.Namespace, s.Name); err != nil {
				return done, true, err
			}
			rlog.Info("release no longer in the plan uninstalled")
		}
	}
	return done, false, nil
}

// failed handles a failure of the deploy's steps as deploy.OnFailure decides: a transient one
// (the cluster could not be reached, and the task was not cancelled) is returned for asynq to
// retry while attempts remain; otherwise the version is recorded failed.
func (a *applier) failed(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version, done []*helm.Info, plan *deploy.Plan, failure error, transient bool) error {
	transient = transient && ctx.Err() == nil
	if deploy.OnFailure(transient, finalAttempt(ctx)) == deploy.Retry {
		log.Warn("deploy failed; will retry", "err", failure)
		return failure
	}
	return a.recordDeploy(ctx, log, p, v, plan, done, failure)
}

// stopInstead handles a deploy of a version whose project is being deleted — requested in a
// race with the deletion, which had not seen it deployed: it installs nothing and requests the
// version's stop (at this generation, so a newer request is not overridden), after which the
// stop finishes the project's deletion. Without it the project would wait for that version for
// ever.
func (a *applier) stopInstead(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, proj *model.Project, v *model.Version) error {
	_, err := a.requester.RequestState(ctx, deploy.Request{Project: proj, Version: v, State: model.NotDeployed, Actor: actorOf(p), IfGeneration: v.Generation})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deploy %s: stop instead (project being deleted): %w", v, err)
	}
	log.Warn("project is being deleted; stop requested instead of the deploy")
	a.rec.activity(ctx, model.PriorityWarning, actorOf(p), v.ID, "Deploy of "+v.Name+" not run",
		"project "+proj.Name+" is being deleted; the version is stopped instead")
	return nil
}

// releases fetches the chart of every planned release through the shared cache and returns
// what UpgradeInstall takes, in the plan's order.
func (a *applier) releases(ctx context.Context, v *model.Version, plan *deploy.Plan) ([]helm.Release, error) {
	labels := helm.VersionLabels(a.installation, v.ProjectID, v.ID)
	out := make([]helm.Release, len(plan.Releases))
	for i, r := range plan.Releases {
		hr, err := a.store.GetHelmRegistry(ctx, r.Template.HelmRegistryID)
		if err != nil {
			return nil, fmt.Errorf("template %q: helm registry %s: %w", r.Template.Name, r.Template.HelmRegistryID, err)
		}
		reg := charts.Registry{ID: hr.ID, URL: hr.URL, Username: hr.Username, Password: hr.Password, Revision: hr.Revision}
		ch, err := a.charts.Chart(ctx, reg, r.Template.ChartName, r.Template.ChartVersion)
		if err != nil {
			return nil, fmt.Errorf("template %q: chart %s from %s: %w", r.Template.Name, r.ChartRef(), hr.Name, err)
		}
		out[i] = helm.Release{Name: r.Name, Namespace: r.Namespace, Chart: ch, Values: r.ValuesMap, Labels: labels}
	}
	return out, nil
}

// ensureNamespaces creates the plan's namespaces with the pull secret of the project's docker
// registry only (written again on every deploy, so a changed password reaches the namespace);
// other registries' credentials stay out of the namespace.
func (a *applier) ensureNamespaces(ctx context.Context, proj *model.Project, plan *deploy.Plan) error {
	reg, err := a.store.GetDockerRegistry(ctx, proj.DockerRegistryID)
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
		if err := a.cluster.EnsureNamespace(ctx, r.Namespace, regs); err != nil {
			return err
		}
	}
	return nil
}

// observePlanned reads the planned releases that exist in the cluster, with their owner.
func (a *applier) observePlanned(ctx context.Context, v *model.Version, plan *deploy.Plan) (map[string]deploy.Observed, error) {
	out := map[string]deploy.Observed{}
	for _, r := range plan.Releases {
		rel, err := a.helm.Status(ctx, r.Namespace, r.Name)
		if errors.Is(err, helm.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		o := observedRelease(a.installation, rel, v)
		out[o.Key()] = o
	}
	return out, nil
}

// observedRelease describes a release for package deploy's decisions about version v of
// the installation whose id is installation.
func observedRelease(installation string, rel *helm.Info, v *model.Version) deploy.Observed {
	owner := helm.OwnerOf(rel)
	return deploy.Observed{Namespace: rel.Namespace, Name: rel.Name, Revision: rel.Revision, Status: string(rel.Status),
		Mine: owner.Belongs(installation, v.ID), Owner: owner.String()}
}

// planNamespaces lists the namespaces of a plan's releases.
func planNamespaces(plan *deploy.Plan) []string {
	var out []string
	for _, r := range plan.Releases {
		out = append(out, r.Namespace)
	}
	return out
}

// recordedNamespaces lists the namespaces of the releases a version's deployment records.
func recordedNamespaces(v *model.Version) []string {
	var out []string
	for _, r := range v.Deployment.Releases {
		out = append(out, r.Namespace)
	}
	return out
}

// releasesOf returns the releases of a version that belong to it (see helm.Owner.Belongs):
// those labelled with it in the cluster and those its last deployment lists, each once. A
// release its deployment lists that now belongs to someone else is left out and reported in
// foreign (the version's record is stale: another version or installation owns that name).
// Where the cluster refuses to list every namespace, the namespaces of its record and
// namespaces are listed (see helm.Client.ListByLabel).
func (a *applier) releasesOf(ctx context.Context, v *model.Version, namespaces ...string) (out []model.Release, foreign []string, err error) {
	rels, err := a.helm.ListByLabel(ctx, map[string]string{helm.LabelVersion: helm.LabelValue(v.ID)}, append(recordedNamespaces(v), namespaces...)...)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, r := range rels {
		if !helm.OwnerOf(r).Belongs(a.installation, v.ID) {
			continue
		}
		seen[r.Namespace+"/"+r.Name] = true
		out = append(out, model.Release{Name: r.Name, Namespace: r.Namespace, Revision: r.Revision, Status: string(r.Status)})
	}
	for _, r := range v.Deployment.Releases {
		if seen[r.Namespace+"/"+r.Name] {
			continue
		}
		seen[r.Namespace+"/"+r.Name] = true
		if err := a.checkOwner(ctx, v, r.Namespace, r.Name); err != nil {
			var oe *deploy.OwnerError
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

// checkOwner returns a *deploy.OwnerError when the release ns/name exists and does not belong
// to the version (see helm.Owner.Belongs); a release that does not exist is fine.
func (a *applier) checkOwner(ctx context.Context, v *model.Version, ns, name string) error {
	rel, err := a.helm.Status(ctx, ns, name)
	if errors.Is(err, helm.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if o := observedRelease(a.installation, rel, v); !o.Mine {
		return &deploy.OwnerError{Release: o.Key(), Owner: o.Owner}
	}
	return nil
}

// transient returns err for asynq to retry; on the last attempt it records the version as
// failed first, so that the failure does not go unseen.
func (a *applier) transient(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version, done []*helm.Info, plan *deploy.Plan, err error) error {
	return a.failed(ctx, log, p, v, done, plan, err, true)
}

// failConfig records a configuration error: nothing was installed, and it is not retried.
func (a *applier) failConfig(ctx context.Context, log *slog.Logger, p tasks.VersionPayload, v *model.Version, title string, err error) error {
	log.Warn(title, "err", err)
	dep := v.Deployment
	dep.Status, dep.Message = model.StatusFailed, err.Error()
	if _, werr := a.rec.deployment(ctx, v.ID, p.Generation, dep, v.URLs); werr != nil {
		return fmt.Errorf("deploy %s: record failure: %w", v, werr)
	}
	a.rec.activity(ctx, model.PriorityError, actorOf(p), v.ID, title, err.Error())
	return fmt.Errorf("deploy %s: %w: %w", v, err, asynq.SkipRetry)
}

func actorOf(p tasks.VersionPayload) string {
	if p.Actor == "" {
		return model.ActorSystem
	}
	return p.Actor
}

// resolveDigest fills in the digest of a version discovered without one (polling HEADs only
// where a digest matters), so that a deploy can pin the image. When the registry cannot answer
// the deploy goes on by tag.
func (a *applier) resolveDigest(ctx context.Context, log *slog.Logger, p *model.Project, v *model.Version) {
	if v.Digest != "" {
		return
	}
	reg, err := a.store.GetDockerRegistry(ctx, p.DockerRegistryID)
	if err != nil {
		log.Warn("cannot read the docker registry to resolve the digest", "err", err)
		return
	}
	client, err := a.registries.For(reg)
	if err != nil {
		log.Warn("cannot resolve the digest", "err", err)
		return
	}
	d, err := client.Digest(ctx, p.ImageName, v.Name)
	if err != nil {
		log.Warn("cannot resolve the digest; deploying by tag", "err", err)
		return
	}
	if _, err := a.store.SetDigest(ctx, v.ID, d, v.ImageUpdatedAt); err != nil {
		log.Warn("cannot record the digest", "err", err)
		return
	}
	v.Digest = d
}
