package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// pullSecrets keeps the pull secrets of docker registries in the cluster in line with the
// registries as stored: the pull secrets task, and the reconcile's part.
type pullSecrets struct {
	store   *store.Store
	cluster *kube.Client
	log     *slog.Logger
}

// handle brings the pull secrets of one docker registry (this installation's,
// in every namespace that holds one) in line with the registry as stored: its current
// credentials and host after a change, no secret after its deletion or when it has no
// credentials anymore. The api queues it after it wrote the registry; the periodic reconcile
// (pullSecrets.sync) repairs what a lost task left, and the next deploy rewrites the secret of
// its namespace anyway.
func (ps *pullSecrets) handle(ctx context.Context, t *asynq.Task) error {
	p, err := tasks.ParsePullSecrets(t)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	id, _ := asynq.GetTaskID(ctx)
	log := ps.log.With("task", id, "type", t.Type(), "registry", p.RegistryID)
	// Secrets are listed before the registry is read: a secret exists only after its
	// registry did, so a registry missing below was deleted. Where the cluster refuses to
	// list every namespace, the namespaces the versions' records name are listed one by one.
	found, err := ps.cluster.PullSecrets(ctx, p.RegistryID)
	if apierrors.IsForbidden(err) {
		var namespaces []string
		if namespaces, err = usedNamespaces(ctx, ps.store); err == nil {
			found, err = ps.cluster.PullSecrets(ctx, p.RegistryID, namespaces...)
		}
	}
	if err != nil {
		return fmt.Errorf("pull secrets of %s: %w", p.RegistryID, err)
	}
	registries := map[string]*model.DockerRegistry{}
	reg, err := ps.store.GetDockerRegistry(ctx, p.RegistryID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return fmt.Errorf("pull secrets of %s: %w", p.RegistryID, err)
	default:
		registries[reg.ID] = reg
	}
	changes, err := kube.PlanPullSecrets(found, registries, true)
	if err != nil {
		return fmt.Errorf("pull secrets of %s: %w: %w", p.RegistryID, err, asynq.SkipRetry)
	}
	return ps.apply(ctx, log, changes, len(found))
}

// sync is the reconcile's part for pull secrets: every pull secret of this
// installation is brought in line with the docker registries as stored (see
// kube.PlanPullSecrets). Secrets of registries missing from the store are deleted only while
// the store holds docker registries and versions: an empty, wrong or restored database
// (the same signal as the orphan sweep's safety valve) deletes nothing. namespaces are those
// listed one by one where the cluster refuses to list every namespace.
func (ps *pullSecrets) sync(ctx context.Context, log *slog.Logger, namespaces []string, versions int) error {
	found, err := ps.cluster.PullSecrets(ctx, "", namespaces...)
	if err != nil {
		return fmt.Errorf("reconcile pull secrets: %w", err)
	}
	if len(found) == 0 {
		return nil
	}
	all, err := ps.store.AllDockerRegistries(ctx)
	if err != nil {
		return fmt.Errorf("reconcile pull secrets: %w", err)
	}
	registries := make(map[string]*model.DockerRegistry, len(all))
	for i := range all {
		registries[all[i].ID] = &all[i]
	}
	changes, err := kube.PlanPullSecrets(found, registries, len(all) > 0 && versions > 0)
	if err != nil {
		return fmt.Errorf("reconcile pull secrets: %w", err)
	}
	return ps.apply(ctx, log, changes, len(found))
}

// applyPullSecretChanges carries out changes and logs each one.
func (ps *pullSecrets) apply(ctx context.Context, log *slog.Logger, changes []kube.PullSecretChange, found int) error {
	done, err := ps.cluster.ApplyPullSecretChanges(ctx, changes)
	for _, ch := range done {
		log.Info("pull secret synced", "secret", ch.Secret.Namespace+"/"+ch.Secret.Name, "registry", ch.Secret.RegistryID,
			"deleted", ch.Delete, "why", ch.Why)
	}
	if err != nil {
		return fmt.Errorf("pull secrets: %w", err)
	}
	log.Debug("pull secrets checked", "found", found, "changed", len(done))
	return nil
}
