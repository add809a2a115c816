package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
)

func newProject(name string) *model.Project {
	p := &model.Project{Name: name, DockerRegistryID: "r1", ImageName: "team/app"}
	p.Normalize()
	return p
}

func TestProjectUniqueNameAndRevision(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newProject("shop")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateProject(ctx, newProject("shop")); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("second create = %v, want ErrDuplicate", err)
	}
	a, _ := s.GetProject(ctx, p.ID)
	b, _ := s.GetProject(ctx, p.ID)
	a.ImageName = "team/a"
	if err := s.UpdateProject(ctx, a); err != nil {
		t.Fatal(err)
	}
	b.ImageName = "team/b"
	if err := s.UpdateProject(ctx, b); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale update = %v, want ErrConflict", err)
	}
	got, _ := s.GetProject(ctx, p.ID)
	if got.ImageName != "team/a" {
		t.Fatalf("image = %q, want team/a", got.ImageName)
	}
	if err := s.UpdateProject(ctx, &model.Project{ID: "nope", Revision: 1}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update unknown = %v, want ErrNotFound", err)
	}
	if _, err := s.GetProject(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get unknown = %v", err)
	}
}

func TestVersionsUniquePerProjectAndStatus(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p1, p2 := newProject("one"), newProject("two")
	for _, p := range []*model.Project{p1, p2} {
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	v := model.NewVersion(p1, "1.0", "", s.Now())
	if err := s.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateVersion(ctx, model.NewVersion(p1, "1.0", "", s.Now())); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("duplicate tag = %v", err)
	}
	if err := s.CreateVersion(ctx, model.NewVersion(p2, "1.0", "", s.Now())); err != nil {
		t.Fatalf("same tag in another project: %v", err)
	}
	if _, err := s.GetVersion(ctx, p2.ID, v.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("version through the wrong project = %v", err)
	}
	w, err := s.SetDesiredState(ctx, p1.ID, v.ID, model.Deployed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.Generation != 1 || w.DesiredState != model.Deployed || w.Deployment.Status != model.StatusPending {
		t.Fatalf("after deploy: %+v", w)
	}
	items, total, err := s.ListProjects(ctx, "", store.Page{})
	if err != nil || total != 2 {
		t.Fatalf("list: %v %d", err, total)
	}
	status := map[string]model.ProjectStatus{}
	for _, p := range items {
		status[p.Name] = p.Status
	}
	if status["one"] != model.ProjectPending || status["two"] != model.ProjectNotDeployed {
		t.Fatalf("status = %v", status)
	}
	size := model.OutdatedReason{Kind: model.ChangedVariable, Name: "SIZE"}
	n, err := s.MarkOutdated(ctx, p1.ID, []model.OutdatedReason{size})
	if err != nil || n != 1 {
		t.Fatalf("mark outdated = %d, %v", n, err)
	}
	// A second change adds its reason; one named already is kept once. A deploy clears them.
	if _, err := s.MarkOutdated(ctx, p1.ID, []model.OutdatedReason{size, {Kind: model.ChangedTemplate, Name: "web"}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetVersion(ctx, p1.ID, v.ID)
	if err != nil || !got.Outdated || len(got.OutdatedReasons) != 2 || got.OutdatedReasons[0] != size || got.OutdatedReasons[1].Name != "web" {
		t.Fatalf("outdated %v %+v %v", got.Outdated, got.OutdatedReasons, err)
	}
	if ok, err := s.RecordDeployment(ctx, v.ID, got.Generation, 0, model.Deployment{Status: model.StatusRunning}, nil); err != nil || !ok {
		t.Fatalf("record deployment %v %v", ok, err)
	}
	if got, err = s.GetVersion(ctx, p1.ID, v.ID); err != nil || got.Outdated || len(got.OutdatedReasons) != 0 {
		t.Fatalf("after a deploy: outdated %v %+v %v", got.Outdated, got.OutdatedReasons, err)
	}
}

func TestRegistrySecretsEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	r := &model.DockerRegistry{Name: "hub", URL: "https://registry.example.com", Username: "u", Password: "pa55-word-XYZ", WebhookSecret: "hook-s3cret", WebhookFormat: model.WebhookAuto}
	if err := s.CreateDockerRegistry(ctx, r); err != nil {
		t.Fatal(err)
	}
	raw, err := s.RawDocument(ctx, "dockerRegistries", r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, secretText := range []string{"pa55-word-XYZ", "hook-s3cret"} {
		if strings.Contains(string(raw), secretText) {
			t.Fatalf("stored document contains %q in plain text", secretText)
		}
	}
	got, err := s.GetDockerRegistry(ctx, r.ID)
	if err != nil || got.Password != "pa55-word-XYZ" || got.WebhookSecret != "hook-s3cret" || !got.HasPassword {
		t.Fatalf("read back = %+v, %v", got, err)
	}
	p := newProject("uses-hub")
	p.DockerRegistryID = r.ID
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDockerRegistry(ctx, r.ID); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("delete used registry = %v", err)
	}
}

// TestSealedSecretsBoundToTheirRegistry: a sealed password copied from one registry's document into
// another's (e.g. by someone with write access to the database) does not open there; the copy is
// refused instead of handing registry A's password to registry B's host.
func TestSealedSecretsBoundToTheirRegistry(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := &model.DockerRegistry{Name: "a", URL: "https://a.example.com", Username: "u", Password: "password-of-a", WebhookFormat: model.WebhookAuto}
	b := &model.DockerRegistry{Name: "b", URL: "https://b.example.com", Username: "u", Password: "password-of-b", WebhookFormat: model.WebhookAuto}
	for _, r := range []*model.DockerRegistry{a, b} {
		if err := s.CreateDockerRegistry(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GetDockerRegistry(ctx, b.ID)
	if err != nil || got.Password != "password-of-b" {
		t.Fatalf("GetDockerRegistry(b) = %+v, %v", got, err)
	}
	client, err := mongo.Connect(options.Client().ApplyURI(shared.Mongo.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Disconnect(ctx) }()
	regs := client.Database(s.DatabaseName()).Collection("dockerRegistries")
	var rawA struct {
		PasswordSealed []byte `bson:"passwordSealed"`
	}
	if err := regs.FindOne(ctx, bson.D{{Key: "_id", Value: a.ID}}).Decode(&rawA); err != nil {
		t.Fatal(err)
	}
	if _, err := regs.UpdateOne(ctx, bson.D{{Key: "_id", Value: b.ID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "passwordSealed", Value: rawA.PasswordSealed}}}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetDockerRegistry(ctx, b.ID); err == nil {
		t.Fatalf("registry b opened a's sealed password: %q", got.Password)
	} else if !errors.Is(err, secret.ErrOpen) {
		t.Fatalf("GetDockerRegistry(b) = %v, want secret.ErrOpen", err)
	}
}
