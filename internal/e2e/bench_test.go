package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// latencies collects request durations from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) report(b *testing.B) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return
	}
	sort.Slice(l.d, func(i, j int) bool { return l.d[i] < l.d[j] })
	b.ReportMetric(float64(l.d[len(l.d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(l.d[len(l.d)*99/100].Microseconds())/1000, "p99-ms")
}

var benchClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}

func post(b *testing.B, url string, body []byte, want int) time.Duration {
	start := time.Now()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer bench-secret")
	res, err := benchClient.Do(req)
	if err != nil {
		b.Error(err)
		return 0
	}
	var buf [512]byte
	for {
		if _, err := res.Body.Read(buf[:]); err != nil {
			break
		}
	}
	res.Body.Close()
	if res.StatusCode != want {
		b.Errorf("status %d, want %d", res.StatusCode, want)
	}
	return time.Since(start)
}

// BenchmarkWebhookIngestion compares POST /api/v1/webhooks/{id} — secret check, parse and a
// durable enqueue into a real redis-server — with a bare gin handler that only answers 202, on
// the same machine in the same run. Each request carries a new tag, so every one is enqueued.
// The "at2000rps" cases send at a fixed 2,000 requests per second (open loop) for 3 seconds
// and report the latency percentiles at that rate.
func BenchmarkWebhookIngestion(b *testing.B) {
	s := newSystemB(b)
	regID, _ := s.createRegistryAndProject("https://registry.example.com", "generic", "bench-secret", "team/app")
	onekoURL := s.api.URL + "/api/v1/webhooks/" + regID
	gin.SetMode(gin.ReleaseMode)
	bare := gin.New()
	bare.POST("/hook", func(c *gin.Context) { c.JSON(http.StatusAccepted, gin.H{"events": 1}) })
	bareSrv := httptest.NewServer(bare)
	defer bareSrv.Close()
	var seq atomic.Int64
	body := func() []byte {
		return []byte(fmt.Sprintf(`{"image":"registry.example.com/team/app","tag":"t%d","digest":"sha256:%064d"}`, seq.Add(1), 1))
	}
	for _, target := range []struct{ name, url string }{{"bare", bareSrv.URL + "/hook"}, {"oneko", onekoURL}} {
		b.Run(target.name+"/closed-loop", func(b *testing.B) {
			var lat latencies
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					lat.add(post(b, target.url, body(), http.StatusAccepted))
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			lat.report(b)
		})
		b.Run(target.name+"/at2000rps", func(b *testing.B) {
			var lat latencies
			const rate, seconds = 2000, 3
			interval := time.Second / rate
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < rate*seconds; i++ {
				if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
					time.Sleep(d)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					lat.add(post(b, target.url, body(), http.StatusAccepted))
				}()
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(rate*seconds)/time.Since(start).Seconds(), "req/s")
			lat.report(b)
		})
	}
}
