package worker

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// TestBurstLastRequestWins sends 50 deploy/stop requests for one version while a worker with
// concurrency 4 drains the queue: the end state is the last request, and the version never
// has two Helm operations at once.
func TestBurstLastRequestWins(t *testing.T) {
	for _, last := range []model.DesiredState{model.Deployed, model.NotDeployed} {
		t.Run(string(last), func(t *testing.T) {
			e := newEnv(t)
			counter := e.countOps()
			p := e.project(t, projectSpec{})
			v := e.version(t, p, "burst")

			srv := asynq.NewServer(e.redis, asynq.Config{
				Concurrency:              4,
				Queues:                   tasks.Queues(),
				DelayedTaskCheckInterval: 100 * time.Millisecond,
				LogLevel:                 asynq.ErrorLevel,
				RetryDelayFunc:           func(int, error, *asynq.Task) time.Duration { return 200 * time.Millisecond },
			})
			if err := srv.Start(e.worker.Mux()); err != nil {
				t.Fatal(err)
			}
			defer srv.Shutdown()

			const n = 50
			for i := range n {
				state := model.Deployed
				if (n-1-i)%2 == 1 {
					state = other(last)
				} else {
					state = last
				}
				e.request(t, p, v, state)
				// Spread the requests so that they meet running Helm operations.
				time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
			}
			e.waitIdle(t)

			got := e.get(t, v.ID)
			if got.DesiredState != last {
				t.Fatalf("desired state = %s, want the last request %s", got.DesiredState, last)
			}
			rels := e.releases(t, v.ID)
			switch last {
			case model.Deployed:
				if got.Deployment.Status != model.StatusRunning || len(rels) != 1 {
					t.Fatalf("after a burst ending in deploy: status %s (%q), %d releases", got.Deployment.Status, got.Deployment.Message, len(rels))
				}
			case model.NotDeployed:
				if got.Deployment.Status != model.StatusNotDeployed || len(rels) != 0 {
					t.Fatalf("after a burst ending in stop: status %s (%q), %d releases", got.Deployment.Status, got.Deployment.Message, len(rels))
				}
			}
			if m := counter.maxFor(v.ID); m != 1 {
				t.Fatalf("at most %d Helm operations ran at once for the version, want 1", m)
			}
			t.Logf("%d requests led to %d Helm operations", n, counter.count())
		})
	}
}

func other(s model.DesiredState) model.DesiredState {
	if s == model.Deployed {
		return model.NotDeployed
	}
	return model.Deployed
}
