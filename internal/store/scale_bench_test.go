package store_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/localstack"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
)

// BenchmarkVersionReadsAt50k measures the reads that used to scan every version, on the
// embedded FerretDB of local mode (with its _id index, as oneko runs it) holding 1,000
// projects × 50 versions (100 deployed): a project's version list with a cold cache, a tag's
// version whose id is not derived from the tag, the poll's versions of a project, a search
// keystroke, and what the periodic reconcile reads. Figures are printed, never asserted.
//
//	go test -run '^$' -bench VersionReadsAt50k -benchtime 20x ./internal/store/
func BenchmarkVersionReadsAt50k(b *testing.B) {
	const projects, perProject, deployed = 1000, 50, 100
	ctx := context.Background()
	m, err := localstack.StartMongo(ctx, b.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(m.Stop)
	box, _ := secret.NewBox(bytes.Repeat([]byte{1}, secret.KeySize))
	s, err := store.Open(ctx, m.URI(), store.Options{Database: "bench", Box: box, SoleWriter: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close(ctx) })
	start := time.Now()
	ids := make([]string, projects)
	every := projects * perProject / deployed
	n := 0
	for i := range projects {
		p := newProject(fmt.Sprintf("bench-%04d", i))
		if err := s.CreateProject(ctx, p); err != nil {
			b.Fatal(err)
		}
		ids[i] = p.ID
		vs := make([]*model.Version, perProject)
		for j := range vs {
			vs[j] = model.NewVersion(p, fmt.Sprintf("1.%d.%d", j/10, j%10), "sha256:"+strings.Repeat("a", 64), start.Add(-time.Duration(j)*time.Hour))
			if n%every == 0 {
				vs[j].DesiredState = model.Deployed
				vs[j].Deployment.Status = model.StatusRunning
			}
			n++
		}
		if err := s.InsertVersions(ctx, vs); err != nil {
			b.Fatal(err)
		}
	}
	// A version imported with an id of its own: found by its tag through the fallback.
	odd := model.NewVersion(&model.Project{ID: ids[0]}, "imported", "", start)
	odd.ID = "imported-version"
	if err := s.CreateVersion(ctx, odd); err != nil {
		b.Fatal(err)
	}
	if err := m.IndexIDs(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d versions in %s", n, time.Since(start).Round(time.Second))

	b.Run("ListVersions/cold", func(b *testing.B) {
		for i := range b.N {
			// A project not read for 256 lists: out of the version cache.
			if _, total, err := s.ListVersions(ctx, ids[(i*257)%projects], "", store.Page{}); err != nil || total != perProject && i != 0 {
				b.Fatalf("list = %d, %v", total, err)
			}
		}
	})
	b.Run("GetVersionByTag/fallback", func(b *testing.B) {
		for range b.N {
			if _, err := s.GetVersionByTag(ctx, ids[0], "imported"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("VersionsOfProject", func(b *testing.B) {
		for i := range b.N {
			if vs, err := s.VersionsOfProject(ctx, ids[(i*7)%projects]); err != nil || len(vs) < perProject {
				b.Fatalf("versions = %d, %v", len(vs), err)
			}
		}
	})
	b.Run("SearchVersions", func(b *testing.B) {
		for i := range b.N {
			if _, total, err := s.SearchVersions(ctx, fmt.Sprintf("1.%d.", i%5), store.Page{Limit: 20}); err != nil || total == 0 {
				b.Fatalf("search = %d, %v", total, err)
			}
		}
	})
	b.Run("Reconcile reads", func(b *testing.B) {
		for range b.N {
			if err := reconcileReads(ctx, s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reconcileReads is what the worker's periodic reconcile reads of the store (before the
// version catalogue it read every version: VersionsByDesiredState of both states).
func reconcileReads(ctx context.Context, s *store.Store) error {
	if _, err := s.RecordedVersions(ctx); err != nil {
		return err
	}
	_, err := s.VersionIDs(ctx)
	return err
}
