package registry

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// BenchmarkPollCycle polls 500 repositories of 20 tags each in one in-process registry with
// Bearer auth, as a poll cycle of a registry with 500 projects would. Every tag is known and one
// per repository is deployed with behaviour "automatically", so its digest matters. It reports
// the requests of one cycle and checks they are exactly the tag-list pages plus one HEAD per
// digest that matters; the first (cold) cycle, which also pings and fetches one token per
// repository, is reported apart.
func BenchmarkPollCycle(b *testing.B) {
	const (
		repos          = 500
		tagsPerRepo    = 20
		mattersPerRepo = 1
	)
	ctx := context.Background()
	reg := newTestRegistry(b, authBearer)
	pusher, err := remote.NewPusher(reg.pushOptions()...)
	if err != nil {
		b.Fatal(err)
	}
	known := make(map[string][]Known, repos)
	for r := range repos {
		repo := fmt.Sprintf("team-%03d/app", r)
		img, err := random.Image(64, 1)
		if err != nil {
			b.Fatal(err)
		}
		digest := digestOf(b, img)
		for t := range tagsPerRepo {
			tag := fmt.Sprintf("1.0.%d", t)
			if err := pusher.Push(ctx, reg.ref(repo, tag), img); err != nil {
				b.Fatal(err)
			}
			known[repo] = append(known[repo], Known{Tag: tag, Digest: digest, DigestMatters: t < mattersPerRepo})
		}
	}

	for _, pageSize := range []int{1000, 8} {
		pagesPerRepo := (tagsPerRepo + pageSize - 1) / pageSize
		b.Run(fmt.Sprintf("pages=%d", pagesPerRepo), func(b *testing.B) {
			c := reg.client(ClientConfig{PageSize: pageSize})
			cycle := func() {
				for repo, k := range known {
					ch, err := Poll(ctx, c, repo, k, nil)
					if err != nil {
						b.Fatal(err)
					}
					if len(ch.New)+len(ch.Changed)+len(ch.Removed)+len(ch.Failed) != 0 {
						b.Fatalf("poll of an unchanged %s found changes: %+v", repo, ch)
					}
				}
			}
			tokensBefore := reg.tokenRequests.Load()
			cycle()
			cold := c.Stats().Requests
			coldTokens := reg.tokenRequests.Load() - tokensBefore

			before, cycles := c.Stats(), 0
			for b.Loop() {
				cycle()
				cycles++
			}
			perCycle := float64(c.Stats().Requests-before.Requests) / float64(cycles)
			want := float64(repos*pagesPerRepo + repos*mattersPerRepo)
			if perCycle != want {
				b.Fatalf("requests per cycle = %v, want %v (tag-list pages + HEADs that matter)", perCycle, want)
			}
			if got := reg.tokenRequests.Load() - tokensBefore; got != coldTokens {
				b.Fatalf("tokens fetched after the cold cycle: %d", got-coldTokens)
			}
			b.ReportMetric(perCycle, "requests/cycle")
			b.ReportMetric(float64(cold), "cold-requests")
			b.ReportMetric(float64(coldTokens), "tokens")
		})
	}
}
