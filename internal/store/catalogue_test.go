package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// catalogueIDs reads the version ids a project's catalogue document names, as stored.
func catalogueIDs(t *testing.T, raw *mongo.Database, projectID string) []string {
	t.Helper()
	var d struct {
		V map[string]struct {
			ID string `bson:"id"`
		} `bson:"v"`
	}
	err := raw.Collection("projectVersions").FindOne(context.Background(), bson.D{{Key: "_id", Value: projectID}}).Decode(&d)
	if err == mongo.ErrNoDocuments {
		return []string{}
	}
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, e := range d.V {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	return ids
}

// storedIDs reads the ids of a project's versions from the versions themselves.
func storedIDs(t *testing.T, raw *mongo.Database, projectID string) []string {
	t.Helper()
	cur, err := raw.Collection("versions").Find(context.Background(), bson.D{{Key: "projectId", Value: projectID}})
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return ids
}

// wantCatalogue checks that a project's catalogue names exactly its stored versions.
func wantCatalogue(t *testing.T, raw *mongo.Database, what, projectID string) {
	t.Helper()
	got, want := catalogueIDs(t, raw, projectID), storedIDs(t, raw, projectID)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: the catalogue names %v, the project has %v", what, got, want)
	}
}

func searchNames(t *testing.T, s *store.Store, q string) ([]string, int64) {
	t.Helper()
	vs, total, err := s.SearchVersions(context.Background(), q, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return names, total
}

// A project's versions are read through its catalogue document (the ids of its versions), so
// the document must name exactly the project's versions after every write that creates or
// deletes one — on every replica, also when a tag leaves the registry and when the project is
// deleted.
func TestCatalogueFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	rs, raw := replicas(t, 2, nil)
	a, b := rs[0], rs[1]
	p, q := newProject("shop"), newProject("blog")
	for _, x := range []*model.Project{p, q} {
		if err := a.CreateProject(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	vs := createVersions(t, a, p, "1.0", "2.0", "3.0")
	createVersions(t, b, q, "1.0-blog")
	wantCatalogue(t, raw, "after creates", p.ID)
	if names, _ := versionNames(t, b, p.ID, "", store.Page{}); len(names) != 3 {
		t.Fatalf("versions of shop on the other replica = %v, want 3", names)
	}

	// A bulk insert, then one that stops at a tag the project has: what it wrote is listed,
	// what it did not write is not.
	bulk := []*model.Version{model.NewVersion(p, "4.0", "", time.Now()), model.NewVersion(p, "5.0", "", time.Now())}
	if err := b.InsertVersions(ctx, bulk); err != nil {
		t.Fatal(err)
	}
	if err := b.InsertVersions(ctx, []*model.Version{model.NewVersion(p, "1.0", "", time.Now()), model.NewVersion(p, "6.0", "", time.Now())}); err == nil {
		t.Fatal("a bulk insert of an existing tag succeeded")
	}
	if err := a.CreateVersion(ctx, model.NewVersion(p, "2.0", "", time.Now())); err == nil {
		t.Fatal("creating an existing tag succeeded")
	}
	wantCatalogue(t, raw, "after bulk inserts and refused creates", p.ID)
	if _, total := versionNames(t, a, p.ID, "", store.Page{}); total != 5 {
		t.Fatalf("versions of shop = %d, want 5", total)
	}

	// Deletes: directly, and the way a tag gone from the registry goes.
	if err := a.DeleteVersion(ctx, vs[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := b.MarkRemoved(ctx, vs[1].ID); err != nil {
		t.Fatal(err)
	}
	if ok, err := a.DeleteRemovedVersion(ctx, vs[1].ID); err != nil || !ok {
		t.Fatalf("delete removed = %v, %v", ok, err)
	}
	wantCatalogue(t, raw, "after deletes", p.ID)
	if _, err := b.GetVersionByTag(ctx, p.ID, "2.0"); err == nil {
		t.Fatal("a deleted tag is still found")
	}
	names, _ := versionNames(t, b, p.ID, "", store.Page{})
	slices.Sort(names)
	wantNames(t, "versions of shop after deletes", names, "3.0", "4.0", "5.0")
	all, err := a.VersionsOfProject(ctx, p.ID)
	if err != nil || len(all) != 3 {
		t.Fatalf("versions of project shop for the poll = %d, %v; want 3", len(all), err)
	}
	ids, err := b.VersionIDs(ctx)
	if err != nil || len(ids) != 4 {
		t.Fatalf("version ids = %v, %v; want 4", ids, err)
	}

	// A tag deleted and pushed again is listed again.
	again := model.NewVersion(p, "1.0", "", time.Now())
	if err := b.CreateVersion(ctx, again); err != nil {
		t.Fatal(err)
	}
	wantCatalogue(t, raw, "after a tag came back", p.ID)

	if err := b.DeleteProject(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := raw.Collection("projectVersions").CountDocuments(ctx, bson.D{{Key: "_id", Value: p.ID}}); err != nil || n != 0 {
		t.Fatalf("catalogue documents of the deleted project = %d, %v; want 0", n, err)
	}
	if got, total := searchNames(t, a, "1.0"); total != 1 || !slices.Equal(got, []string{"1.0-blog"}) {
		t.Fatalf("search after the project's delete = %v (%d), want only 1.0-blog", got, total)
	}
	wantCatalogue(t, raw, "other project untouched", q.ID)
}

// The search matches tags in the catalogue, newest image first, and sees a new image time
// recorded by a poll or a webhook on any replica.
func TestSearchFollowsImageTimes(t *testing.T) {
	ctx := context.Background()
	rs, _ := replicas(t, 2, nil)
	a, b := rs[0], rs[1]
	p, q := newProject("shop"), newProject("blog")
	for _, x := range []*model.Project{p, q} {
		if err := a.CreateProject(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Now().Add(-time.Hour).UTC()
	older := model.NewVersion(p, "release-1", "sha256:"+hex('a'), base)
	newer := model.NewVersion(q, "Release-2", "sha256:"+hex('b'), base.Add(time.Minute))
	other := model.NewVersion(q, "main", "", base.Add(2*time.Minute))
	for _, v := range []*model.Version{older, newer, other} {
		if err := a.CreateVersion(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	got, total := searchNames(t, b, "RELEASE")
	if total != 2 || !slices.Equal(got, []string{"Release-2", "release-1"}) {
		t.Fatalf("search = %v (%d), want Release-2, release-1", got, total)
	}
	if changed, err := a.RecordDigest(ctx, older.ID, "sha256:"+hex('c'), base.Add(time.Hour)); err != nil || !changed {
		t.Fatalf("record digest = %v, %v", changed, err)
	}
	got, _ = searchNames(t, b, "release")
	wantNames(t, "search after a new image of release-1", got, "release-1", "Release-2")
	if changed, err := b.SetDigest(ctx, newer.ID, "sha256:"+hex('d'), base.Add(2*time.Hour)); err != nil || !changed {
		t.Fatalf("set digest = %v, %v", changed, err)
	}
	got, _ = searchNames(t, a, "release")
	wantNames(t, "search after a new image of Release-2", got, "Release-2", "release-1")
	page, total, err := a.SearchVersions(ctx, "e", store.Page{Limit: 1, Offset: 1})
	if err != nil || total != 2 || len(page) != 1 || page[0].Name != "release-1" {
		t.Fatalf("second page of one = %v (%d), %v; want release-1 of 2", page, total, err)
	}
}

// A version written with an id not derived from its tag (an import, older data) is found by
// its tag through the project's catalogue document.
func TestVersionByTagWithAnIDOfItsOwn(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newProject("imported")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	v := model.NewVersion(p, "v1", "", time.Now())
	v.ID = "from-o-neko-42"
	if err := s.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetVersionByTag(ctx, p.ID, "v1")
	if err != nil || got.ID != v.ID {
		t.Fatalf("by tag = %+v, %v; want %s", got, err, v.ID)
	}
	if _, err := s.GetVersionByTag(ctx, p.ID, "v2"); err == nil {
		t.Fatal("an unknown tag was found")
	}
	if _, err := s.GetVersionByTag(ctx, "no-such-project", "v1"); err == nil {
		t.Fatal("a tag of an unknown project was found")
	}
}

// The reconcile reads only the versions that may have releases: a version desired NotDeployed
// whose record still lists releases is among them until a stop records none.
func TestRecordedVersions(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newProject("rec")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	vs := createVersions(t, s, p, "idle", "up", "left")
	up, err := s.SetDesiredState(ctx, p.ID, vs[1].ID, model.Deployed, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A record that keeps releases while its status says NotDeployed (an import, a partial stop).
	left := vs[2]
	rel := []model.Release{{Name: "left-web", Namespace: "ns"}}
	if ok, err := s.RecordObservedStatus(ctx, left.ID, left.Generation, 0, model.Deployment{Status: model.StatusNotDeployed, Releases: rel}); err != nil || !ok {
		t.Fatalf("record releases = %v, %v", ok, err)
	}
	recordedNames := func() []string {
		got, err := s.RecordedVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names := []string{}
		for _, v := range got {
			names = append(names, v.Name)
		}
		slices.Sort(names)
		return names
	}
	wantNames(t, "recorded versions", recordedNames(), "left", "up")
	if ok, err := s.RecordDeployment(ctx, left.ID, left.Generation, 0, model.Deployment{Status: model.StatusNotDeployed}, nil); err != nil || !ok {
		t.Fatalf("record the stop = %v, %v", ok, err)
	}
	if _, err := s.SetDesiredState(ctx, p.ID, up.ID, model.NotDeployed, nil); err != nil {
		t.Fatal(err)
	}
	wantNames(t, "recorded versions after a stop recorded and one requested", recordedNames(), "up")
}

// A database written before the catalogue existed (index marker v1) gets it built when a
// store first opens it: lists, the search and tags with ids of their own work at once.
func TestCatalogueBuiltForAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	rs, raw := replicas(t, 1, nil)
	p := newProject("old")
	if err := rs[0].CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	docs := []any{}
	for i, tag := range []string{"a-1", "a-2", "a-3"} {
		v := model.NewVersion(p, tag, "", time.Now().Add(time.Duration(i)*time.Minute))
		v.ID = store.VersionID(p.ID, v.Name)
		if i == 2 {
			v.ID = "own-id"
			v.Deployment.Releases = []model.Release{{Name: "r", Namespace: "ns"}}
		}
		docs = append(docs, v)
	}
	if _, err := raw.Collection("versions").InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Collection("counters").UpdateOne(ctx, bson.D{{Key: "_id", Value: "indexes"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "stamp", Value: "v1"}}}}); err != nil {
		t.Fatal(err)
	}
	s := shared.Mongo.Store(t, store.Options{Database: raw.Name()})
	wantCatalogue(t, raw, "catalogue of an older database", p.ID)
	if names, _ := versionNames(t, s, p.ID, "", store.Page{}); !slices.Equal(names, []string{"a-3", "a-2", "a-1"}) {
		t.Fatalf("versions of an older database = %v, want a-3, a-2, a-1", names)
	}
	if _, total := searchNames(t, s, "a-"); total != 3 {
		t.Fatalf("search of an older database found %d, want 3", total)
	}
	if v, err := s.GetVersionByTag(ctx, p.ID, "a-3"); err != nil || v.ID != "own-id" {
		t.Fatalf("tag with an id of its own = %v, %v", v, err)
	}
	rec, err := s.RecordedVersions(ctx)
	if err != nil || len(rec) != 1 || rec[0].ID != "own-id" {
		t.Fatalf("recorded versions of an older database = %v, %v; want own-id (it has releases)", rec, err)
	}
}

// Where the server has secondary indexes, versions are read by batches of ids in one query
// each; the answers are the same as with one read by _id each.
func TestVersionReadsByBatches(t *testing.T) {
	ctx := context.Background()
	for _, pointReads := range []bool{true, false} {
		s := newStore(t)
		store.SetIDLookupsOnly(s, pointReads)
		p := newProject("batch")
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		createVersions(t, s, p, "1", "2", "3")
		names, total := versionNames(t, s, p.ID, "", store.Page{})
		if total != 3 || !slices.Equal(names, []string{"3", "2", "1"}) {
			t.Fatalf("point reads %v: versions = %v (%d), want 3, 2, 1", pointReads, names, total)
		}
		if got, total := searchNames(t, s, "2"); total != 1 || !slices.Equal(got, []string{"2"}) {
			t.Fatalf("point reads %v: search = %v (%d)", pointReads, got, total)
		}
	}
}

// Where the store is the sole writer of the embedded FerretDB, the writes of a project's many
// versions go by _id through the catalogue and the index of active versions: MarkOutdated flags
// exactly the deployed versions, DeleteProject deletes every version.
func TestSoleWriterProjectWritesByID(t *testing.T) {
	for _, sole := range []bool{false, true} {
		t.Run(fmt.Sprintf("SoleWriter=%v", sole), func(t *testing.T) {
			ctx := context.Background()
			s := shared.Mongo.Store(t, store.Options{SoleWriter: sole})
			p, q := newProject("many"), newProject("other")
			for _, x := range []*model.Project{p, q} {
				if err := s.CreateProject(ctx, x); err != nil {
					t.Fatal(err)
				}
			}
			vs := createVersions(t, s, p, "1", "2", "3")
			ws := createVersions(t, s, q, "x")
			for _, v := range []*model.Version{vs[0], vs[2], ws[0]} {
				if _, err := s.SetDesiredState(ctx, v.ProjectID, v.ID, model.Deployed, nil); err != nil {
					t.Fatal(err)
				}
			}
			n, err := s.MarkOutdated(ctx, p.ID, []model.OutdatedReason{{Kind: model.ChangedURLs}})
			if err != nil || n != 2 {
				t.Fatalf("MarkOutdated = %d, %v; want 2", n, err)
			}
			for i, want := range []bool{true, false, true} {
				got, err := s.GetVersion(ctx, p.ID, vs[i].ID)
				if err != nil || got.Outdated != want || (want && len(got.OutdatedReasons) != 1) {
					t.Fatalf("version %s outdated = %v %v, %v; want %v", vs[i].Name, got.Outdated, got.OutdatedReasons, err, want)
				}
			}
			if got, _ := s.GetVersion(ctx, q.ID, ws[0].ID); got.Outdated {
				t.Fatal("a version of another project was marked outdated")
			}
			if err := s.DeleteProject(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				if _, err := s.GetVersionByID(ctx, v.ID); err == nil {
					t.Fatalf("version %s of the deleted project is still there", v.Name)
				}
			}
			if _, err := s.GetVersionByID(ctx, ws[0].ID); err != nil {
				t.Fatalf("the other project's version: %v", err)
			}
		})
	}
}
