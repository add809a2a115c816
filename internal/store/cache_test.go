package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// clock is a settable clock for the cache TTL.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// replicas opens n stores on one fresh database, as n api replicas would, and a plain driver
// handle on it for writes that bypass the store.
func replicas(t *testing.T, n int, now func() time.Time) ([]*store.Store, *mongo.Database) {
	t.Helper()
	ctx := context.Background()
	db := shared.Mongo.NewDatabaseName()
	stores := make([]*store.Store, n)
	for i := range stores {
		stores[i] = shared.Mongo.Store(t, store.Options{Database: db, Now: now, CacheTTL: 30 * time.Second})
	}
	client, err := mongo.Connect(options.Client().ApplyURI(shared.Mongo.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(ctx) })
	return stores, client.Database(db)
}

func projectNames(t *testing.T, s *store.Store, q string, page store.Page) ([]string, int64) {
	t.Helper()
	items, total, err := s.ListProjects(context.Background(), q, page)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(items))
	for i, p := range items {
		names[i] = p.Name
	}
	return names, total
}

func versionNames(t *testing.T, s *store.Store, projectID, q string, page store.Page) ([]string, int64) {
	t.Helper()
	items, total, err := s.ListVersions(context.Background(), projectID, q, page)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(items))
	for i, v := range items {
		names[i] = v.Name
	}
	return names, total
}

func statusOf(t *testing.T, s *store.Store, projectID string) model.ProjectStatus {
	t.Helper()
	items, _, err := s.ListProjects(context.Background(), "", store.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var fromList model.ProjectStatus
	for _, p := range items {
		if p.ID == projectID {
			fromList = p.Status
		}
	}
	p := model.Project{ID: projectID}
	if err := s.ProjectStatus(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != fromList {
		t.Fatalf("ProjectStatus says %q, the list says %q", p.Status, fromList)
	}
	return p.Status
}

func wantNames(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func TestProjectListAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	rs, _ := replicas(t, 2, nil)
	a, b := rs[0], rs[1]
	all := store.Page{}

	alpha := newProject("alpha")
	if err := a.CreateProject(ctx, alpha); err != nil {
		t.Fatal(err)
	}
	got, _ := projectNames(t, b, "", all)
	wantNames(t, "after the first create", got, "alpha")

	beta := newProject("beta")
	if err := a.CreateProject(ctx, beta); err != nil {
		t.Fatal(err)
	}
	got, total := projectNames(t, b, "", all)
	wantNames(t, "after the second create", got, "alpha", "beta")
	if total != 2 {
		t.Fatalf("total = %d, want 2", total)
	}

	alpha.Name = "gamma"
	if err := a.UpdateProject(ctx, alpha); err != nil {
		t.Fatal(err)
	}
	got, _ = projectNames(t, b, "", all)
	wantNames(t, "after the rename", got, "beta", "gamma")

	if err := b.DeleteProject(ctx, beta.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = projectNames(t, a, "", all)
	wantNames(t, "after the delete, through the other replica", got, "gamma")
}

func TestVersionListAndStatusAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	rs, raw := replicas(t, 2, nil)
	a, b := rs[0], rs[1]
	all := store.Page{}
	p := newProject("shop")
	if err := a.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	v1 := model.NewVersion(p, "1.0", "sha256:1", t0)
	if err := a.CreateVersion(ctx, v1); err != nil {
		t.Fatal(err)
	}
	got, _ := versionNames(t, b, p.ID, "", all)
	wantNames(t, "versions", got, "1.0")
	if st := statusOf(t, b, p.ID); st != model.ProjectNotDeployed {
		t.Fatalf("status = %q, want NotDeployed", st)
	}

	v2 := model.NewVersion(p, "2.0", "sha256:2", t0.Add(time.Hour))
	if err := a.CreateVersion(ctx, v2); err != nil {
		t.Fatal(err)
	}
	got, _ = versionNames(t, b, p.ID, "", all)
	wantNames(t, "after a newer image", got, "2.0", "1.0")

	if changed, err := a.SetDigest(ctx, v1.ID, "sha256:1b", t0.Add(2*time.Hour)); err != nil || !changed {
		t.Fatalf("SetDigest = %v, %v", changed, err)
	}
	got, _ = versionNames(t, b, p.ID, "", all)
	wantNames(t, "after 1.0 got a newer digest", got, "1.0", "2.0")

	if _, err := a.SetDesiredState(ctx, p.ID, v2.ID, model.Deployed, nil); err != nil {
		t.Fatal(err)
	}
	if st := statusOf(t, b, p.ID); st != model.ProjectPending {
		t.Fatalf("status after deploy = %q, want Pending", st)
	}
	items, _, err := b.ListVersions(ctx, p.ID, "2.0", all)
	if err != nil || len(items) != 1 || items[0].DesiredState != model.Deployed {
		t.Fatalf("version 2.0 through b = %+v, %v; want desired Deployed", items, err)
	}

	// A deployment recorded by code outside the store's write methods, then touched.
	if _, err := raw.Collection("versions").UpdateOne(ctx, bson.D{{Key: "_id", Value: v2.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "deployment.status", Value: model.StatusRunning}}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.TouchVersions(ctx, p.ID, true); err != nil {
		t.Fatal(err)
	}
	if st := statusOf(t, b, p.ID); st != model.ProjectOk {
		t.Fatalf("status after a recorded deployment = %q, want Ok", st)
	}

	got1, err := a.GetVersion(ctx, p.ID, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	got1.Deployment.Status = model.StatusFailed
	if err := a.UpdateVersion(ctx, got1); err != nil {
		t.Fatal(err)
	}
	if st := statusOf(t, b, p.ID); st != model.ProjectError {
		t.Fatalf("status after a failed version = %q, want Error", st)
	}

	if err := a.MarkRemoved(ctx, v2.ID); err != nil {
		t.Fatal(err)
	}
	items, _, err = b.ListVersions(ctx, p.ID, "2.0", all)
	if err != nil || len(items) != 1 || !items[0].Removed {
		t.Fatalf("version 2.0 through b = %+v, %v; want removed", items, err)
	}
	if n, err := a.MarkOutdated(ctx, p.ID, []model.OutdatedReason{{Kind: model.ChangedURLs}}); err != nil || n != 1 {
		t.Fatalf("MarkOutdated = %d, %v; want 1", n, err)
	}
	items, _, err = b.ListVersions(ctx, p.ID, "2.0", all)
	if err != nil || len(items) != 1 || !items[0].Outdated {
		t.Fatalf("version 2.0 through b = %+v, %v; want outdated", items, err)
	}

	if err := a.DeleteVersion(ctx, v1.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = versionNames(t, b, p.ID, "", all)
	wantNames(t, "after deleting 1.0", got, "2.0")
	if st := statusOf(t, b, p.ID); st != model.ProjectOk {
		t.Fatalf("status after deleting the failed version = %q, want Ok", st)
	}

	if err := a.DeleteProject(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = versionNames(t, b, p.ID, "", all)
	wantNames(t, "after deleting the project", got)
	names, _ := projectNames(t, b, "", all)
	wantNames(t, "projects after deleting the project", names)
}

func TestListFilterPagingAndTotals(t *testing.T) {
	ctx := context.Background()
	rs, _ := replicas(t, 1, nil)
	s := rs[0]
	for i := 1; i <= 6; i++ {
		for _, prefix := range []string{"Shop", "cart"} {
			if err := s.CreateProject(ctx, newProject(fmt.Sprintf("%s-%02d", prefix, i))); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		q     string
		page  store.Page
		want  []string
		total int64
	}{
		{"all, default page", "", store.Page{}, []string{"Shop-01", "Shop-02", "Shop-03", "Shop-04", "Shop-05", "Shop-06", "cart-01", "cart-02", "cart-03", "cart-04", "cart-05", "cart-06"}, 12},
		{"all, second page", "", store.Page{Limit: 5, Offset: 5}, []string{"Shop-06", "cart-01", "cart-02", "cart-03", "cart-04"}, 12},
		{"all, past the end", "", store.Page{Limit: 5, Offset: 20}, nil, 12},
		{"q ignores case", "sHoP", store.Page{Limit: 4}, []string{"Shop-01", "Shop-02", "Shop-03", "Shop-04"}, 6},
		{"q, last page", "CART", store.Page{Limit: 4, Offset: 4}, []string{"cart-05", "cart-06"}, 6},
		{"q matches inside", "-03", store.Page{}, []string{"Shop-03", "cart-03"}, 2},
		{"q matches nothing", "nope", store.Page{}, nil, 0},
		{"q is not a pattern", ".*", store.Page{}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := projectNames(t, s, tc.q, tc.page)
			wantNames(t, "names", got, tc.want...)
			if total != tc.total {
				t.Fatalf("total = %d, want %d", total, tc.total)
			}
		})
	}

	p := newProject("tags")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, tag := range []string{"1.0.0", "2.0.0-RC1", "2.0.0-rc2", "2.0.0"} {
		if err := s.CreateVersion(ctx, model.NewVersion(p, tag, "", t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	got, total := versionNames(t, s, p.ID, "Rc", store.Page{Limit: 1})
	wantNames(t, "first rc", got, "2.0.0-rc2")
	if total != 2 {
		t.Fatalf("rc total = %d, want 2", total)
	}
	got, _ = versionNames(t, s, p.ID, "rc", store.Page{Limit: 1, Offset: 1})
	wantNames(t, "second rc", got, "2.0.0-RC1")
}

func TestVersionsNewestImageFirst(t *testing.T) {
	ctx := context.Background()
	rs, _ := replicas(t, 1, nil)
	s := rs[0]
	p := newProject("order")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// Created in this order; "tie-b" is created after "tie-a" with the same image time, so
	// its id is greater and it comes first.
	for _, c := range []struct {
		tag string
		at  time.Duration
	}{{"old", 0}, {"newest", 3 * time.Hour}, {"tie-a", time.Hour}, {"tie-b", time.Hour}, {"middle", 2 * time.Hour}} {
		if err := s.CreateVersion(ctx, model.NewVersion(p, c.tag, "", t0.Add(c.at))); err != nil {
			t.Fatal(err)
		}
	}
	got, total := versionNames(t, s, p.ID, "", store.Page{})
	wantNames(t, "order", got, "newest", "middle", "tie-b", "tie-a", "old")
	if total != 5 {
		t.Fatalf("total = %d, want 5", total)
	}
}

func TestCacheTTLHealsALostBump(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	rs, raw := replicas(t, 1, clk.Now)
	s := rs[0]
	p := newProject("first")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateVersion(ctx, model.NewVersion(p, "1.0", "", clk.Now())); err != nil {
		t.Fatal(err)
	}
	got, _ := projectNames(t, s, "", store.Page{})
	wantNames(t, "projects", got, "first")
	got, _ = versionNames(t, s, p.ID, "", store.Page{})
	wantNames(t, "versions", got, "1.0")

	// Writes whose counter bump was lost: straight into the collections.
	second := newProject("second")
	second.ID = "raw-project"
	if _, err := raw.Collection("projects").InsertOne(ctx, second); err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(p, "2.0", "", clk.Now().Add(time.Minute))
	v.ID = "raw-version"
	if _, err := raw.Collection("versions").InsertOne(ctx, v); err != nil {
		t.Fatal(err)
	}
	// The version's entry in its project's catalogue document is written, as CreateVersion does.
	if _, err := raw.Collection("projectVersions").UpdateOne(ctx, bson.D{{Key: "_id", Value: p.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "v.raw-version", Value: bson.D{{Key: "id", Value: v.ID}, {Key: "n", Value: v.Name}, {Key: "at", Value: v.ImageUpdatedAt}}}}}}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(29 * time.Second)
	got, _ = projectNames(t, s, "", store.Page{})
	wantNames(t, "projects within the TTL (served from the cache)", got, "first")
	got, _ = versionNames(t, s, p.ID, "", store.Page{})
	wantNames(t, "versions within the TTL (served from the cache)", got, "1.0")

	clk.Advance(2 * time.Second)
	got, _ = projectNames(t, s, "", store.Page{})
	wantNames(t, "projects after the TTL", got, "first", "second")
	got, _ = versionNames(t, s, p.ID, "", store.Page{})
	wantNames(t, "versions after the TTL", got, "2.0", "1.0")
}

func TestListAnswersAreCopies(t *testing.T) {
	ctx := context.Background()
	rs, _ := replicas(t, 1, nil)
	s := rs[0]
	p := newProject("copies")
	p.URLTemplates = []string{"https://a.example.com"}
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(p, "1.0", "", s.Now())
	v.TemplateVariables = map[string]string{"SIZE": "small"}
	if err := s.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	ps, _, err := s.ListProjects(ctx, "", store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	ps[0].URLTemplates[0], ps[0].Name = "changed", "changed"
	vs, _, err := s.ListVersions(ctx, p.ID, "", store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	vs[0].TemplateVariables["SIZE"] = "changed"
	ps, _, _ = s.ListProjects(ctx, "", store.Page{})
	vs, _, _ = s.ListVersions(ctx, p.ID, "", store.Page{})
	if ps[0].Name != "copies" || ps[0].URLTemplates[0] != "https://a.example.com" || vs[0].TemplateVariables["SIZE"] != "small" {
		t.Fatalf("a caller's change reached the cache: %+v %+v", ps[0], vs[0])
	}
}

// TestCacheConcurrentReplicas writes and reads through two replicas at once (run it with -race)
// and checks that, once the writers are done, both replicas answer exactly what was written.
func TestCacheConcurrentReplicas(t *testing.T) {
	ctx := context.Background()
	rs, _ := replicas(t, 2, nil)
	p := newProject("busy")
	if err := rs[0].CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	const writers, perWriter = 4, 5
	errs := make(chan error, 64)
	done := make(chan struct{})
	var readers, ws sync.WaitGroup
	for r := 0; r < 4; r++ {
		readers.Add(1)
		go func(s *store.Store) {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, _, err := s.ListVersions(ctx, p.ID, "", store.Page{}); err != nil {
					errs <- err
					return
				}
				if _, _, err := s.ListProjects(ctx, "", store.Page{}); err != nil {
					errs <- err
					return
				}
			}
		}(rs[r%2])
	}
	for w := 0; w < writers; w++ {
		ws.Add(1)
		go func(w int, s *store.Store) {
			defer ws.Done()
			for i := 0; i < perWriter; i++ {
				v := model.NewVersion(p, fmt.Sprintf("w%d-%d", w, i), "", s.Now())
				if err := s.CreateVersion(ctx, v); err != nil {
					errs <- err
					return
				}
				if i == 0 {
					if _, err := s.SetDesiredState(ctx, p.ID, v.ID, model.Deployed, nil); err != nil {
						errs <- err
						return
					}
				}
			}
		}(w, rs[w%2])
	}
	ws.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, s := range rs {
		_, total := versionNames(t, s, p.ID, "", store.Page{Limit: 500})
		if total != writers*perWriter {
			t.Errorf("replica %d lists %d versions, want %d", i, total, writers*perWriter)
		}
		if st := statusOf(t, s, p.ID); st != model.ProjectPending {
			t.Errorf("replica %d says status %q, want Pending", i, st)
		}
	}
}
