package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// TestManyDocumentWritesKeepSingleWrites: the embedded FerretDB applies an UpdateMany by
// reading each document and writing it back whole. MarkOutdated running beside a version's own
// writes (the fencing token a worker claims) must not write back a version as it was before
// such a write: every claimed fence survives.
func TestManyDocumentWritesKeepSingleWrites(t *testing.T) {
	for _, sole := range []bool{false, true} {
		t.Run(fmt.Sprintf("SoleWriter=%v", sole), func(t *testing.T) { manyDocumentWritesKeepSingleWrites(t, sole) })
	}
}

func manyDocumentWritesKeepSingleWrites(t *testing.T, sole bool) {
	ctx := context.Background()
	s := shared.Mongo.Store(t, store.Options{SoleWriter: sole})
	p := newProject("shop")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tag := range []string{"1", "2", "3", "4"} {
		v := model.NewVersion(p, tag, "", s.Now())
		if err := s.CreateVersion(ctx, v); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetDesiredState(ctx, p.ID, v.ID, model.Deployed, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	const claims = 30
	stop := make(chan struct{})
	var marker sync.WaitGroup
	marker.Add(1)
	go func() {
		defer marker.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.MarkOutdated(ctx, p.ID, []model.OutdatedReason{{Kind: model.ChangedURLs}}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var claimers sync.WaitGroup
	for _, id := range ids {
		claimers.Add(1)
		go func() {
			defer claimers.Done()
			for range claims {
				if _, err := s.ClaimFence(ctx, id); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	claimers.Wait()
	close(stop)
	marker.Wait()
	for _, id := range ids {
		// One more claim tells the fence without reading internals: it must be claims+1.
		got, err := s.ClaimFence(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got != claims+1 {
			t.Fatalf("version %s: fence %d after %d claims, want %d: MarkOutdated wrote back an older version", id, got, claims, claims+1)
		}
	}
}

// TestConcurrentRevisionedUpdates: of many updates of one project made from the same revision,
// exactly one succeeds — also on the embedded FerretDB, whose conditional replace is a read,
// a check and a write.
func TestConcurrentRevisionedUpdates(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newProject("shop")
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := *p
			q.ImageName = "team/" + string(rune('a'+i))
			results[i] = s.UpdateProject(ctx, &q)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range results {
		if err == nil {
			won++
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d updates from one revision succeeded: %v", won, len(results), results)
	}
}
