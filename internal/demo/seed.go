package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
	"github.com/oneko/oneko/internal/store"
)

// Names of the documents Seed creates.
const (
	DockerRegistryName = "demo-registry"
	HelmRegistryName   = "demo-charts"
	NamespaceName      = "demo"
	ProjectName        = "hello"
)

// PollInterval is how often the worker polls the demo registry for tags.
const PollInterval = 30 * time.Second

// Store is what Seed needs from the document store; *store.Store has it.
type Store interface {
	ListDockerRegistries(ctx context.Context, page store.Page) ([]model.DockerRegistry, int64, error)
	CreateDockerRegistry(ctx context.Context, r *model.DockerRegistry) error
	UpdateDockerRegistry(ctx context.Context, r *model.DockerRegistry) error
	ListHelmRegistries(ctx context.Context, page store.Page) ([]model.HelmRegistry, int64, error)
	CreateHelmRegistry(ctx context.Context, r *model.HelmRegistry) error
	UpdateHelmRegistry(ctx context.Context, r *model.HelmRegistry) error
	NamespaceByKubeName(ctx context.Context, kubeName string) (*model.Namespace, error)
	CreateNamespace(ctx context.Context, n *model.Namespace) error
	ListProjects(ctx context.Context, q string, page store.Page) ([]model.Project, int64, error)
	CreateProject(ctx context.Context, p *model.Project) error
}

var _ Store = (*store.Store)(nil)

// Seeded names the demo documents.
type Seeded struct {
	DockerRegistryID, HelmRegistryID, NamespaceID, ProjectID string
	// Registry is the demo docker registry as stored, secrets included: pass it to the
	// worker's Poll to discover the tags at once instead of after PollInterval.
	Registry *model.DockerRegistry
	// Created names the documents this call created, Updated those whose URL it moved to the
	// current port ("docker registry", "Helm registry", "namespace", "project").
	Created, Updated []string
}

// Seed makes sure the demo documents exist and point at the running demo. Documents are found
// by name: missing ones are created, the URLs of existing registries are moved to the current
// ports, and nothing else of an existing document is changed (a user may have edited the
// project). It is safe to run concurrently with itself: a document created in between is
// found instead. kubeNamespace, when not nil, is called on every Seed with the namespace's
// name in the cluster ("on-demo") so that it exists before the first deploy; when nil, the
// worker creates it at the first deploy, as it does for every release.
func (d *Demo) Seed(ctx context.Context, s Store, kubeNamespace func(ctx context.Context, name string) error) (*Seeded, error) {
	out := &Seeded{}
	reg, err := d.seedDockerRegistry(ctx, s, out)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	helm, err := d.seedHelmRegistry(ctx, s, out)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	ns, err := seedNamespace(ctx, s, out)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if kubeNamespace != nil {
		if err := kubeNamespace(ctx, ns.KubeName); err != nil {
			return nil, fmt.Errorf("seed demo: create namespace %s in the cluster: %w", ns.KubeName, err)
		}
	}
	p, err := seedProject(ctx, s, out, reg.ID, helm.ID, ns.KubeName)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	out.DockerRegistryID, out.HelmRegistryID, out.NamespaceID, out.ProjectID = reg.ID, helm.ID, ns.ID, p.ID
	out.Registry = reg
	return out, nil
}

// seedDockerRegistry finds or creates the demo docker registry and points it at d.
func (d *Demo) seedDockerRegistry(ctx context.Context, s Store, out *Seeded) (*model.DockerRegistry, error) {
	find := func(ctx context.Context) (*model.DockerRegistry, error) {
		return findByName(ctx, s.ListDockerRegistries, func(r *model.DockerRegistry) string { return r.Name }, DockerRegistryName)
	}
	create := func(ctx context.Context) (*model.DockerRegistry, error) {
		secret, err := webhookSecret()
		if err != nil {
			return nil, err
		}
		r := &model.DockerRegistry{Name: DockerRegistryName, URL: d.RegistryURL(), PollInterval: model.Duration(PollInterval),
			WebhookFormat: model.WebhookGeneric, WebhookSecret: secret}
		if err := r.Validate(); err != nil {
			return nil, err
		}
		return r, s.CreateDockerRegistry(ctx, r)
	}
	r, err := ensure(ctx, "docker registry", out, find, create)
	if err != nil {
		return nil, err
	}
	return r, moveURL(ctx, "docker registry", out, r, d.RegistryURL(), find,
		func(r *model.DockerRegistry) *string { return &r.URL }, s.UpdateDockerRegistry)
}

// seedHelmRegistry finds or creates the demo Helm registry and points it at d.
func (d *Demo) seedHelmRegistry(ctx context.Context, s Store, out *Seeded) (*model.HelmRegistry, error) {
	find := func(ctx context.Context) (*model.HelmRegistry, error) {
		return findByName(ctx, s.ListHelmRegistries, func(r *model.HelmRegistry) string { return r.Name }, HelmRegistryName)
	}
	create := func(ctx context.Context) (*model.HelmRegistry, error) {
		r := &model.HelmRegistry{Name: HelmRegistryName, URL: d.ChartsURL()}
		if err := r.Validate(); err != nil {
			return nil, err
		}
		return r, s.CreateHelmRegistry(ctx, r)
	}
	r, err := ensure(ctx, "Helm registry", out, find, create)
	if err != nil {
		return nil, err
	}
	return r, moveURL(ctx, "Helm registry", out, r, d.ChartsURL(), find,
		func(r *model.HelmRegistry) *string { return &r.URL }, s.UpdateHelmRegistry)
}

// seedNamespace finds or creates the demo namespace document.
func seedNamespace(ctx context.Context, s Store, out *Seeded) (*model.Namespace, error) {
	kubeName, err := model.SanitizeNamespace(NamespaceName)
	if err != nil {
		return nil, err
	}
	find := func(ctx context.Context) (*model.Namespace, error) {
		n, err := s.NamespaceByKubeName(ctx, kubeName)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return n, err
	}
	create := func(ctx context.Context) (*model.Namespace, error) {
		n := &model.Namespace{Name: NamespaceName, KubeName: kubeName}
		return n, s.CreateNamespace(ctx, n)
	}
	return ensure(ctx, "namespace", out, find, create)
}

// seedProject finds or creates the demo project.
func seedProject(ctx context.Context, s Store, out *Seeded, registryID, helmRegistryID, namespace string) (*model.Project, error) {
	find := func(ctx context.Context) (*model.Project, error) {
		list := func(ctx context.Context, page store.Page) ([]model.Project, int64, error) {
			return s.ListProjects(ctx, ProjectName, page)
		}
		return findByName(ctx, list, func(p *model.Project) string { return p.Name }, ProjectName)
	}
	create := func(ctx context.Context) (*model.Project, error) {
		p := NewProject(registryID, helmRegistryID, namespace)
		if err := p.Validate(render.Check); err != nil {
			return nil, err
		}
		return p, s.CreateProject(ctx, p)
	}
	return ensure(ctx, "project", out, find, create)
}

// webhookSecret returns a fresh random secret for the demo registry's webhook.
func webhookSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}
