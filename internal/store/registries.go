package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/secret"
)

// seal encrypts the plain secrets of a docker registry into its sealed fields.
// Each sealed value is bound to its registry and field (secret.Binding), so a sealed password
// copied into another document does not open there.
func (s *Store) sealDocker(r *model.DockerRegistry) error {
	var err error
	if r.PasswordSealed, err = s.box.Seal(r.Password, secret.Binding(colDockerRegistries, r.ID, "password")); err != nil {
		return fmt.Errorf("seal registry password: %w", err)
	}
	if r.WebhookSecretSealed, err = s.box.Seal(r.WebhookSecret, secret.Binding(colDockerRegistries, r.ID, "webhookSecret")); err != nil {
		return fmt.Errorf("seal webhook secret: %w", err)
	}
	return nil
}

// openDocker decrypts the sealed fields of a docker registry.
func (s *Store) openDocker(r *model.DockerRegistry) error {
	var err error
	if r.Password, err = s.box.Open(r.PasswordSealed, secret.Binding(colDockerRegistries, r.ID, "password")); err != nil {
		return fmt.Errorf("open password of registry %s: %w", r.ID, err)
	}
	if r.WebhookSecret, err = s.box.Open(r.WebhookSecretSealed, secret.Binding(colDockerRegistries, r.ID, "webhookSecret")); err != nil {
		return fmt.Errorf("open webhook secret of registry %s: %w", r.ID, err)
	}
	r.HasPassword, r.HasWebhookSecret = r.Password != "", r.WebhookSecret != ""
	return nil
}

// CreateDockerRegistry stores a new docker registry with its secrets encrypted.
func (s *Store) CreateDockerRegistry(ctx context.Context, r *model.DockerRegistry) error {
	now := s.now().UTC()
	r.ID, r.CreatedAt, r.UpdatedAt, r.Revision = newID(), now, now, 1
	if err := s.sealDocker(r); err != nil {
		return err
	}
	r.HasPassword, r.HasWebhookSecret = r.Password != "", r.WebhookSecret != ""
	_, err := s.c(colDockerRegistries).InsertOne(ctx, r)
	return mapWriteErr("create docker registry", err)
}

// GetDockerRegistry reads a docker registry with its secrets decrypted.
func (s *Store) GetDockerRegistry(ctx context.Context, id string) (*model.DockerRegistry, error) {
	r, err := findOne[model.DockerRegistry](ctx, s.c(colDockerRegistries), bson.D{{Key: "_id", Value: id}}, "docker registry")
	if err != nil {
		return nil, err
	}
	return r, s.openDocker(r)
}

// ListDockerRegistries returns a page of docker registries sorted by name.
func (s *Store) ListDockerRegistries(ctx context.Context, page Page) ([]model.DockerRegistry, int64, error) {
	items, total, err := findPage[model.DockerRegistry](ctx, s.c(colDockerRegistries), bson.D{}, bson.D{{Key: "name", Value: 1}}, page)
	if err != nil {
		return nil, 0, err
	}
	for i := range items {
		if err := s.openDocker(&items[i]); err != nil {
			return nil, 0, err
		}
	}
	return items, total, nil
}

// AllDockerRegistries returns every docker registry (the poller and pull secrets need them all).
func (s *Store) AllDockerRegistries(ctx context.Context) ([]model.DockerRegistry, error) {
	items, err := findAll[model.DockerRegistry](ctx, s.c(colDockerRegistries), bson.D{}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
	if err != nil {
		return nil, err
	}
	for i := range items {
		if err := s.openDocker(&items[i]); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// UpdateDockerRegistry replaces a docker registry if unchanged since it was read.
func (s *Store) UpdateDockerRegistry(ctx context.Context, r *model.DockerRegistry) error {
	if err := s.sealDocker(r); err != nil {
		return err
	}
	defer s.locks.lock(r.ID)()
	rev := r.Revision
	r.UpdatedAt, r.Revision = s.now().UTC(), rev+1
	r.HasPassword, r.HasWebhookSecret = r.Password != "", r.WebhookSecret != ""
	if err := replaceRevision(ctx, s.c(colDockerRegistries), r.ID, rev, r, "docker registry"); err != nil {
		r.Revision = rev
		return err
	}
	return nil
}

// DeleteDockerRegistry removes a docker registry unless a project still uses it (ErrInUse).
func (s *Store) DeleteDockerRegistry(ctx context.Context, id string) error {
	n, err := s.CountProjectsUsingRegistry(ctx, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("delete docker registry: %d project(s) use it: %w", n, ErrInUse)
	}
	return deleteByID(ctx, s.c(colDockerRegistries), id, "docker registry")
}

// CreateHelmRegistry stores a new Helm registry with its password encrypted.
func (s *Store) CreateHelmRegistry(ctx context.Context, r *model.HelmRegistry) error {
	now := s.now().UTC()
	r.ID, r.CreatedAt, r.UpdatedAt, r.Revision = newID(), now, now, 1
	sealed, err := s.box.Seal(r.Password, secret.Binding(colHelmRegistries, r.ID, "password"))
	if err != nil {
		return fmt.Errorf("seal Helm registry password: %w", err)
	}
	r.PasswordSealed, r.HasPassword = sealed, r.Password != ""
	_, err = s.c(colHelmRegistries).InsertOne(ctx, r)
	return mapWriteErr("create Helm registry", err)
}

func (s *Store) openHelm(r *model.HelmRegistry) error {
	pw, err := s.box.Open(r.PasswordSealed, secret.Binding(colHelmRegistries, r.ID, "password"))
	if err != nil {
		return fmt.Errorf("open password of Helm registry %s: %w", r.ID, err)
	}
	r.Password, r.HasPassword = pw, pw != ""
	return nil
}

// GetHelmRegistry reads a Helm registry with its password decrypted.
func (s *Store) GetHelmRegistry(ctx context.Context, id string) (*model.HelmRegistry, error) {
	r, err := findOne[model.HelmRegistry](ctx, s.c(colHelmRegistries), bson.D{{Key: "_id", Value: id}}, "Helm registry")
	if err != nil {
		return nil, err
	}
	return r, s.openHelm(r)
}

// ListHelmRegistries returns a page of Helm registries sorted by name.
func (s *Store) ListHelmRegistries(ctx context.Context, page Page) ([]model.HelmRegistry, int64, error) {
	items, total, err := findPage[model.HelmRegistry](ctx, s.c(colHelmRegistries), bson.D{}, bson.D{{Key: "name", Value: 1}}, page)
	if err != nil {
		return nil, 0, err
	}
	for i := range items {
		if err := s.openHelm(&items[i]); err != nil {
			return nil, 0, err
		}
	}
	return items, total, nil
}

// UpdateHelmRegistry replaces a Helm registry if unchanged since it was read.
func (s *Store) UpdateHelmRegistry(ctx context.Context, r *model.HelmRegistry) error {
	sealed, err := s.box.Seal(r.Password, secret.Binding(colHelmRegistries, r.ID, "password"))
	if err != nil {
		return fmt.Errorf("seal Helm registry password: %w", err)
	}
	defer s.locks.lock(r.ID)()
	rev := r.Revision
	r.PasswordSealed, r.HasPassword = sealed, r.Password != ""
	r.UpdatedAt, r.Revision = s.now().UTC(), rev+1
	if err := replaceRevision(ctx, s.c(colHelmRegistries), r.ID, rev, r, "Helm registry"); err != nil {
		r.Revision = rev
		return err
	}
	return nil
}

// DeleteHelmRegistry removes a Helm registry unless a template still uses it (ErrInUse).
func (s *Store) DeleteHelmRegistry(ctx context.Context, id string) error {
	n, err := s.CountTemplatesUsingHelmRegistry(ctx, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("delete Helm registry: %d project(s) or version(s) have templates using it: %w", n, ErrInUse)
	}
	return deleteByID(ctx, s.c(colHelmRegistries), id, "Helm registry")
}

// CreateNamespace stores a namespace; ErrDuplicate when its sanitised name is taken.
func (s *Store) CreateNamespace(ctx context.Context, n *model.Namespace) error {
	n.ID, n.CreatedAt = newID(), s.now().UTC()
	_, err := s.c(colNamespaces).InsertOne(ctx, n)
	return mapWriteErr("create namespace", err)
}

// GetNamespace reads a namespace.
func (s *Store) GetNamespace(ctx context.Context, id string) (*model.Namespace, error) {
	return findOne[model.Namespace](ctx, s.c(colNamespaces), bson.D{{Key: "_id", Value: id}}, "namespace")
}

// NamespaceByKubeName reads a namespace by its name in the cluster.
func (s *Store) NamespaceByKubeName(ctx context.Context, kubeName string) (*model.Namespace, error) {
	return findOne[model.Namespace](ctx, s.c(colNamespaces), bson.D{{Key: "kubeName", Value: kubeName}}, "namespace")
}

// ListNamespaces returns a page of namespaces sorted by name.
func (s *Store) ListNamespaces(ctx context.Context, page Page) ([]model.Namespace, int64, error) {
	return findPage[model.Namespace](ctx, s.c(colNamespaces), bson.D{}, bson.D{{Key: "kubeName", Value: 1}}, page)
}

// DeleteNamespace removes a namespace document.
func (s *Store) DeleteNamespace(ctx context.Context, id string) error {
	return deleteByID(ctx, s.c(colNamespaces), id, "namespace")
}

// ProjectsOfRegistry returns every project that reads images from a docker registry.
func (s *Store) ProjectsOfRegistry(ctx context.Context, registryID string) ([]model.Project, error) {
	items, err := findAll[model.Project](ctx, s.c(colProjects), bson.D{{Key: "dockerRegistryId", Value: registryID}})
	for i := range items {
		items[i].Normalize()
	}
	return items, err
}
