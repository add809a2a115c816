package demo_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/oneko/oneko/internal/demo"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// counts answers how many docker registries, Helm registries, namespaces and projects are stored.
func counts(t *testing.T, s *store.Store) [4]int64 {
	t.Helper()
	ctx := context.Background()
	var out [4]int64
	var err [4]error
	_, out[0], err[0] = s.ListDockerRegistries(ctx, store.Page{})
	_, out[1], err[1] = s.ListHelmRegistries(ctx, store.Page{})
	_, out[2], err[2] = s.ListNamespaces(ctx, store.Page{})
	_, out[3], err[3] = s.ListProjects(ctx, "", store.Page{})
	for _, e := range err {
		if e != nil {
			t.Fatal(e)
		}
	}
	return out
}

// TestSeedIsIdempotent seeds, restarts the demo on new ports and seeds again: the second seed
// creates nothing and moves the registries to the new ports.
func TestSeedIsIdempotent(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	var kubeNamespaces []string
	ensureNS := func(_ context.Context, name string) error {
		kubeNamespaces = append(kubeNamespaces, name)
		return nil
	}

	first := start(t)
	a, err := first.Seed(ctx, s, ensureNS)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"docker registry", "Helm registry", "namespace", "project"}; !slices.Equal(a.Created, want) || len(a.Updated) != 0 {
		t.Fatalf("first seed: created %v, updated %v; want created %v", a.Created, a.Updated, want)
	}
	if got := counts(t, s); got != [4]int64{1, 1, 1, 1} {
		t.Fatalf("after the first seed: %v documents, want one of each", got)
	}
	reg, err := s.GetDockerRegistry(ctx, a.DockerRegistryID)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Name != demo.DockerRegistryName || reg.URL != first.RegistryURL() || !reg.HasWebhookSecret ||
		reg.WebhookFormat != model.WebhookGeneric || reg.PollInterval != model.Duration(demo.PollInterval) || a.Registry.ID != reg.ID {
		t.Fatalf("docker registry = %+v", reg)
	}
	ns, err := s.GetNamespace(ctx, a.NamespaceID)
	if err != nil {
		t.Fatal(err)
	}
	if ns.KubeName != "on-demo" {
		t.Fatalf("namespace %+v, want kubeName on-demo", ns)
	}
	first.Stop()

	second := start(t)
	b, err := second.Seed(ctx, s, ensureNS)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Created) != 0 || !slices.Equal(b.Updated, []string{"docker registry", "Helm registry"}) {
		t.Fatalf("second seed: created %v, updated %v", b.Created, b.Updated)
	}
	if b.DockerRegistryID != a.DockerRegistryID || b.HelmRegistryID != a.HelmRegistryID ||
		b.NamespaceID != a.NamespaceID || b.ProjectID != a.ProjectID {
		t.Fatalf("ids changed: %+v then %+v", a, b)
	}
	if got := counts(t, s); got != [4]int64{1, 1, 1, 1} {
		t.Fatalf("after the second seed: %v documents, want one of each", got)
	}
	reg, err = s.GetDockerRegistry(ctx, b.DockerRegistryID)
	if err != nil {
		t.Fatal(err)
	}
	helm, err := s.GetHelmRegistry(ctx, b.HelmRegistryID)
	if err != nil {
		t.Fatal(err)
	}
	if reg.URL != second.RegistryURL() || helm.URL != second.ChartsURL() || b.Registry.URL != second.RegistryURL() {
		t.Fatalf("URLs not moved: docker %s (want %s), Helm %s (want %s)", reg.URL, second.RegistryURL(), helm.URL, second.ChartsURL())
	}
	if reg.WebhookSecret != a.Registry.WebhookSecret || reg.WebhookSecret == "" {
		t.Error("the webhook secret changed or was lost by the URL update")
	}

	c, err := second.Seed(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Created) != 0 || len(c.Updated) != 0 {
		t.Fatalf("seed with nothing to do: created %v, updated %v", c.Created, c.Updated)
	}
	if !slices.Equal(kubeNamespaces, []string{"on-demo", "on-demo"}) {
		t.Errorf("namespace callback got %v, want on-demo twice", kubeNamespaces)
	}
}

// TestConcurrentSeeds runs two seeds at once, as an api and a worker starting together might:
// there is still one document of each kind.
func TestConcurrentSeeds(t *testing.T) {
	s := newStore(t)
	d := start(t)
	var wg sync.WaitGroup
	results := make([]*demo.Seeded, 2)
	errs := make([]error, 2)
	for i := range results {
		wg.Go(func() { results[i], errs[i] = d.Seed(context.Background(), s, nil) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if results[0].ProjectID != results[1].ProjectID || results[0].DockerRegistryID != results[1].DockerRegistryID {
		t.Fatalf("the two seeds disagree: %+v %+v", results[0], results[1])
	}
	if got := counts(t, s); got != [4]int64{1, 1, 1, 1} {
		t.Fatalf("%v documents, want one of each", got)
	}
}
