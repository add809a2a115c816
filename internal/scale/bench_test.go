package scale

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// BenchmarkScaledPools prints the figures of a pool of real processes (docs/scaling.md):
// webhook throughput through one api and through two; deploy throughput with 1, 2 and 3
// worker processes, measured in the same run so their ratios compare; resident memory (RSS)
// of an idle and a loaded api and worker. Each figure is measured once per run (the run
// takes minutes, so b.N stays 1); they are reported, never asserted.
func BenchmarkScaledPools(b *testing.B) {
	needPool(b)
	for i := 0; i < b.N; i++ {
		p := newPool(b, 2, 3)
		pr := p.newProject()
		time.Sleep(3 * time.Second) // let start-up settle
		idleAPI, idleWorker := p.apis[0].rss(), p.workers[0].rss()

		// Webhooks of 50 pushed tags, again and again (the workers coalesce the events of a tag):
		// the workers are paused (SIGSTOP) meanwhile so that the apis have the CPU.
		var hookTags []string
		for i := 0; i < 50; i++ {
			hookTags = append(hookTags, fmt.Sprintf("w%02d", i))
			pr.push(b, hookTags[i])
		}
		for _, w := range p.workers {
			w.signal(syscall.SIGSTOP)
		}
		var peakAPI atomic.Int64
		sample := sampleRSS(p.apis[0], &peakAPI)
		one := p.webhookRate(pr, p.apis[:1], hookTags, 3000)
		two := p.webhookRate(pr, p.apis, hookTags, 3000)
		sample()
		for _, w := range p.workers {
			w.signal(syscall.SIGCONT)
		}
		p.waitQueuesEmpty() // the workers work off the webhooks before deploys are timed

		// Deploys: 40 versions, all deployed then all stopped, with 1, 2 and 3 workers.
		var tags []string
		for i := 0; i < 40; i++ {
			tags = append(tags, fmt.Sprintf("d%02d", i))
			pr.push(b, tags[i])
		}
		p.sprayWebhooks(pr, tags, 1, false)
		var ids []string
		eventually(b, "the 40 versions", 2*time.Minute, func() (bool, error) {
			ids = ids[:0]
			for _, v := range p.versions(pr.ID) {
				if len(v.Name) == 3 && v.Name[0] == 'd' {
					ids = append(ids, v.ID)
				}
			}
			return len(ids) == len(tags), nil
		})
		rates := map[int]float64{}
		var peakWorker atomic.Int64
		for _, k := range []int{1, 2, 3} {
			for i, w := range p.workers {
				switch {
				case i >= k && !w.exited():
					w.signal(syscall.SIGTERM)
					w.wait(time.Minute)
				case i < k && w.exited():
					p.restart(w)
				}
			}
			sample := sampleRSS(p.workers[0], &peakWorker)
			rates[k] = p.deployRate(pr, ids)
			sample()
		}
		for _, w := range p.workers {
			if w.exited() {
				p.restart(w)
			}
		}

		b.ReportMetric(one, "webhooks/s-1api")
		b.ReportMetric(two, "webhooks/s-2apis")
		for k := 1; k <= 3; k++ {
			b.ReportMetric(rates[k], fmt.Sprintf("deploys/s-%dworkers", k))
		}
		mib := func(n int64) float64 { return float64(n) / (1 << 20) }
		b.ReportMetric(mib(idleAPI), "MiB-api-idle")
		b.ReportMetric(mib(peakAPI.Load()), "MiB-api-loaded")
		b.ReportMetric(mib(idleWorker), "MiB-worker-idle")
		b.ReportMetric(mib(peakWorker.Load()), "MiB-worker-loaded")
		b.Logf("webhooks: %.0f/s through 1 api, %.0f/s through 2 (x%.2f)", one, two, two/one)
		b.Logf("deploys: %.2f/s with 1 worker, %.2f/s with 2 (x%.2f), %.2f/s with 3 (x%.2f)", rates[1], rates[2], rates[2]/rates[1], rates[3], rates[3]/rates[1])
		b.Logf("RSS: api %.0f MiB idle, %.0f MiB loaded; worker %.0f MiB idle, %.0f MiB loaded", mib(idleAPI), mib(peakAPI.Load()), mib(idleWorker), mib(peakWorker.Load()))
	}
}

// sampleRSS records the largest RSS of n every 100ms into peak until the returned stop.
func sampleRSS(n *node, peak *atomic.Int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if r := n.rss(); r > peak.Load() {
				peak.Store(r)
			}
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// webhookRate sends n webhooks of tags (round robin), spread over apis, from 32 goroutines,
// and returns the accepted webhooks per second.
func (p *pool) webhookRate(pr *project, apis []*node, tags []string, n int) float64 {
	p.t.Helper()
	var next, ok atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				tag := tags[int(i)%len(tags)]
				if st, err := p.sendWebhook(apis[int(i)%len(apis)].url(), pr, tag); err == nil && st == http.StatusAccepted {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	rate := float64(ok.Load()) / time.Since(start).Seconds()
	if ok.Load() != int64(n) {
		p.t.Errorf("%d of %d webhooks accepted", ok.Load(), n)
	}
	return rate
}

// deployRate deploys every version at once, waits until all run, stops them all and waits
// until none runs; it returns the deploys per second (the stops are not counted).
func (p *pool) deployRate(pr *project, ids []string) float64 {
	p.t.Helper()
	start := time.Now()
	for _, id := range ids {
		p.must(http.MethodPost, "/api/v1/projects/"+pr.ID+"/versions/"+id+"/deploy", nil, http.StatusAccepted, nil)
	}
	p.waitAll(pr, ids, "Running")
	rate := float64(len(ids)) / time.Since(start).Seconds()
	for _, id := range ids {
		p.must(http.MethodPost, "/api/v1/projects/"+pr.ID+"/versions/"+id+"/stop", nil, http.StatusAccepted, nil)
	}
	p.waitAll(pr, ids, "NotDeployed")
	return rate
}

// waitAll waits until every version has the deployment status.
func (p *pool) waitAll(pr *project, ids []string, status string) {
	p.t.Helper()
	eventually(p.t, fmt.Sprintf("%d versions %s", len(ids), status), 10*time.Minute, func() (bool, error) {
		for _, id := range ids {
			v := p.getVersion(pr.ID, id)
			if v.Deployment.Status == "Failed" {
				return false, fmt.Errorf("version %s failed: %s", v.Name, v.Deployment.Message)
			}
			if v.Deployment.Status != status {
				return false, nil
			}
		}
		return true, nil
	})
}

// waitQueuesEmpty waits until no task is pending or running in any queue.
func (p *pool) waitQueuesEmpty() {
	p.t.Helper()
	eventually(p.t, "the queues to drain", 10*time.Minute, func() (bool, error) {
		queues, err := p.insp.Queues()
		if err != nil {
			return false, err
		}
		for _, q := range queues {
			info, err := p.insp.GetQueueInfo(q)
			if err != nil {
				return false, err
			}
			if info.Pending+info.Active > 0 {
				return false, nil
			}
		}
		return true, nil
	})
}
