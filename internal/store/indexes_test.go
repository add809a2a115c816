package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

func activeNames(t *testing.T, s *store.Store, projectIDs ...string) []string {
	t.Helper()
	vs, err := s.ActiveVersions(context.Background(), projectIDs)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return names
}

func createVersions(t *testing.T, s *store.Store, p *model.Project, tags ...string) []*model.Version {
	t.Helper()
	out := make([]*model.Version, len(tags))
	for i, tag := range tags {
		v := model.NewVersion(p, tag, "", time.Now().Add(time.Duration(i)*time.Minute))
		if err := s.CreateVersion(context.Background(), v); err != nil {
			t.Fatal(err)
		}
		out[i] = v
	}
	return out
}

// The home page's, the worker's and a project's deployed versions come from the index of active
// versions: it must follow every write that deploys, records or stops, on every replica.
func TestActiveVersionsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	rs, raw := replicas(t, 2, nil)
	a, b := rs[0], rs[1]
	p := newProject("shop")
	q := newProject("blog")
	for _, x := range []*model.Project{p, q} {
		if err := a.CreateProject(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	vs := createVersions(t, a, p, "1.0", "2.0", "3.0")
	ws := createVersions(t, a, q, "main")
	wantNames(t, "active before any deploy", activeNames(t, b))

	deployed, err := a.SetDesiredState(ctx, p.ID, vs[1].ID, model.Deployed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetDesiredState(ctx, q.ID, ws[0].ID, model.Deployed, nil); err != nil {
		t.Fatal(err)
	}
	wantNames(t, "active after two deploys (by project, then tag)", activeNames(t, a), "2.0", "main")
	wantNames(t, "active of shop", activeNames(t, b, p.ID), "2.0")

	ok, err := b.RecordDeployment(ctx, vs[1].ID, deployed.Generation, 0, model.Deployment{Status: model.StatusRunning}, nil)
	if err != nil || !ok {
		t.Fatalf("record Running = %v, %v", ok, err)
	}
	if st := statusOf(t, a, p.ID); st != model.ProjectOk {
		t.Fatalf("status of shop with a running version = %q, want Ok", st)
	}
	dep, err := a.DeployedVersions(ctx, p.ID)
	if err != nil || len(dep) != 1 || dep[0].ID != vs[1].ID {
		t.Fatalf("deployed versions of shop = %+v, %v; want 2.0", dep, err)
	}
	all, err := b.VersionsByDesiredState(ctx, model.Deployed)
	if err != nil || len(all) != 2 {
		t.Fatalf("versions desired Deployed = %d, %v; want 2", len(all), err)
	}

	// Stop: desired NotDeployed, still listed while the stop is under way, gone once recorded.
	stopping, err := a.SetDesiredState(ctx, p.ID, vs[1].ID, model.NotDeployed, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantNames(t, "active while stopping", activeNames(t, b, p.ID), "2.0")
	if ok, err := b.RecordDeployment(ctx, vs[1].ID, stopping.Generation, 0, model.Deployment{Status: model.StatusNotDeployed}, nil); err != nil || !ok {
		t.Fatalf("record NotDeployed = %v, %v", ok, err)
	}
	wantNames(t, "active after the stop", activeNames(t, a), "main")
	if st := statusOf(t, b, p.ID); st != model.ProjectNotDeployed {
		t.Fatalf("status of shop after the stop = %q, want NotDeployed", st)
	}

	// A whole-document update that deploys, and a version created Running.
	got, err := a.GetVersion(ctx, p.ID, vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	got.DesiredState = model.Deployed
	if err := b.UpdateVersion(ctx, got); err != nil {
		t.Fatal(err)
	}
	running := model.NewVersion(p, "4.0", "", time.Now())
	running.Deployment.Status = model.StatusFailed
	if err := a.CreateVersion(ctx, running); err != nil {
		t.Fatal(err)
	}
	wantNames(t, "active after an update and a create", activeNames(t, b, p.ID), "1.0", "4.0")

	// A write outside the store, then TouchVersions, as its contract asks.
	if _, err := raw.Collection("versions").UpdateOne(ctx, bson.D{{Key: "_id", Value: vs[2].ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "deployment.status", Value: model.StatusPending}}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.TouchVersions(ctx, p.ID, true); err != nil {
		t.Fatal(err)
	}
	wantNames(t, "active after a touched outside write", activeNames(t, b, p.ID), "1.0", "3.0", "4.0")

	if err := a.DeleteVersion(ctx, running.ID); err != nil {
		t.Fatal(err)
	}
	wantNames(t, "active after a delete", activeNames(t, b, p.ID), "1.0", "3.0")
	if err := b.DeleteProject(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	wantNames(t, "active after the project's delete", activeNames(t, a), "main")
	if n, err := raw.Collection("activeVersions").CountDocuments(ctx, bson.D{}); err != nil || n != 1 {
		t.Fatalf("index entries left = %d, %v; want 1 (main)", n, err)
	}
}

// A deploy recorded for an older generation is refused, also where conditions are checked by
// the store after a read by _id (SoleWriter, the embedded FerretDB of local mode), and leaves
// no index entry behind.
func TestStaleRecordLeavesNoEntry(t *testing.T) {
	for _, sole := range []bool{false, true} {
		t.Run(fmt.Sprintf("SoleWriter=%v", sole), func(t *testing.T) { staleRecordLeavesNoEntry(t, sole) })
	}
}

func staleRecordLeavesNoEntry(t *testing.T, sole bool) {
	ctx := context.Background()
	s := shared.Mongo.Store(t, store.Options{SoleWriter: sole})
	p := newProject("stale")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	v := createVersions(t, s, p, "1.0")[0]
	ok, err := s.RecordDeployment(ctx, v.ID, v.Generation+5, 0, model.Deployment{Status: model.StatusRunning}, nil)
	if err != nil || ok {
		t.Fatalf("record for a generation never reached = %v, %v; want false", ok, err)
	}
	wantNames(t, "active after a refused record", activeNames(t, s))
	if _, err := s.SetDesiredStateIf(ctx, p.ID, v.ID, model.Deployed, nil, v.Generation+5); err == nil {
		t.Fatal("SetDesiredStateIf at a wrong generation succeeded")
	}
	wantNames(t, "active after a refused deploy", activeNames(t, s))
	got, _ := s.GetVersion(ctx, p.ID, v.ID)
	got.Revision = 99
	got.DesiredState = model.Deployed
	if err := s.UpdateVersion(ctx, got); err == nil {
		t.Fatal("UpdateVersion at a wrong revision succeeded")
	}
	wantNames(t, "active after a refused update", activeNames(t, s))

	// And the same writes at the right generation and revision go through.
	dep, err := s.SetDesiredStateIf(ctx, p.ID, v.ID, model.Deployed, nil, v.Generation)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.RecordDeployment(ctx, v.ID, dep.Generation, 0, model.Deployment{Status: model.StatusRunning}, nil); err != nil || !ok {
		t.Fatalf("record at the current generation = %v, %v", ok, err)
	}
	cur, _ := s.GetVersion(ctx, p.ID, v.ID)
	cur.Outdated = true
	if err := s.UpdateVersion(ctx, cur); err != nil {
		t.Fatalf("update at the current revision: %v", err)
	}
	wantNames(t, "active after the accepted writes", activeNames(t, s), "1.0")
}

// The projects table's versions column comes from stored per-project counts.
func TestVersionCounts(t *testing.T) {
	ctx := context.Background()
	rs, _ := replicas(t, 2, nil)
	a, b := rs[0], rs[1]
	p, q := newProject("many"), newProject("few")
	for _, x := range []*model.Project{p, q} {
		if err := a.CreateProject(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	vs := createVersions(t, a, p, "1", "2")
	bulk := make([]*model.Version, 0, 30)
	for i := range 30 {
		bulk = append(bulk, model.NewVersion(p, fmt.Sprintf("bulk-%d", i), "", time.Now()))
	}
	bulk[3].DesiredState = model.Deployed
	if err := b.InsertVersions(ctx, bulk); err != nil {
		t.Fatal(err)
	}
	createVersions(t, b, q, "x")
	counts, err := a.VersionCounts(ctx, []string{p.ID, q.ID, "nope"})
	if err != nil {
		t.Fatal(err)
	}
	if counts[p.ID] != 32 || counts[q.ID] != 1 || counts["nope"] != 0 {
		t.Fatalf("counts = %v; want many 32, few 1, nope 0", counts)
	}
	wantNames(t, "active after a bulk insert", activeNames(t, a), "bulk-3")
	if err := b.DeleteVersion(ctx, vs[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := b.InsertVersions(ctx, []*model.Version{model.NewVersion(p, "2", "", time.Now())}); err == nil {
		t.Fatal("a bulk insert of an existing tag succeeded")
	}
	counts, _ = a.VersionCounts(ctx, []string{p.ID})
	if counts[p.ID] != 31 {
		t.Fatalf("count after a delete and a refused insert = %d, want 31", counts[p.ID])
	}
}

// A database written before the indexes existed gets them when a store first opens it.
func TestIndexesBuiltForAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	rs, raw := replicas(t, 1, nil)
	p := newProject("old")
	if err := rs[0].CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	docs := []any{}
	for i, st := range []model.DeploymentStatus{model.StatusNotDeployed, model.StatusRunning, model.StatusNotDeployed} {
		v := model.NewVersion(p, fmt.Sprintf("v%d", i), "", time.Now())
		v.ID = store.VersionID(p.ID, v.Name)
		v.Deployment.Status = st
		if i == 2 {
			v.DesiredState = model.Deployed
		}
		docs = append(docs, v)
	}
	if _, err := raw.Collection("versions").InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"activeVersions", "versionCounts"} {
		if err := raw.Collection(c).Drop(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.Collection("counters").DeleteOne(ctx, bson.D{{Key: "_id", Value: "indexes"}}); err != nil {
		t.Fatal(err)
	}
	s := shared.Mongo.Store(t, store.Options{Database: raw.Name()})
	got := activeNames(t, s)
	slices.Sort(got)
	wantNames(t, "active versions of an older database", got, "v1", "v2")
	counts, err := s.VersionCounts(ctx, []string{p.ID})
	if err != nil || counts[p.ID] != 3 {
		t.Fatalf("count of an older database = %v, %v; want 3", counts, err)
	}
}
