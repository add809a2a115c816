package api_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes/fake"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/model"
)

// endlessLogs is package diagnose over a fake clientset whose followed logs never end: one
// line, then nothing until the reader is closed.
type endlessLogs struct{ *diagnose.Reader }

func (endlessLogs) Logs(ctx context.Context, _, _ string, _ diagnose.LogOptions) (io.ReadCloser, error) {
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.WriteString(pw, "2026-12-01T10:00:00.000000000Z hello\n")
		<-ctx.Done()
		pw.Close()
	}()
	return pr, nil
}

// BenchmarkFollowStreams opens b.N followed log streams at once and reports the heap they hold
// per stream (server and test client in one process: an upper bound for the api) and the time
// from request to the first log line (without the cluster's part).
func BenchmarkFollowStreams(b *testing.B) {
	cs := fake.NewClientset()
	e := newEnvB(b, func(d *api.Deps) {
		d.Diagnostics = endlessLogs{diagnose.New(cs, "api-test")}
		d.LogFollowsPerUser, d.LogFollowsTotal = 100000, 100000
	})
	f := e.fixture()
	seedPod(b, e, cs, f)
	path := "/api/v1/projects/" + f.projectID + "/versions/" + f.versionID + "/pods/web-5d9-abcde/logs?follow=1"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var first time.Duration
	bodies := make([]io.ReadCloser, 0, b.N)
	b.ResetTimer()
	for range b.N {
		req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+path, nil)
		e.as(model.RoleViewer)(req)
		start := time.Now()
		res, err := e.srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() && !strings.HasPrefix(sc.Text(), "data: ") {
		}
		first += time.Since(start)
		bodies = append(bodies, res.Body)
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/float64(b.N), "heap-B/stream")
	b.ReportMetric(float64(first.Microseconds())/float64(b.N), "µs-to-first-line")
	for _, body := range bodies {
		body.Close()
	}
}
