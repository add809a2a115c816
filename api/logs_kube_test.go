package api_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart/loader"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/testenv"
)

// kube returns the local control plane (or KUBECONFIG's cluster), starting it on first use.
func kube(t testing.TB) *testenv.Kube { return shared.Cluster(t) }

// sseEvent is one event of a Server-Sent Events stream.
type sseEvent struct{ id, event, data string }

// readEvents reads n events (comments skipped) from an open stream.
func readEvents(t *testing.T, sc *bufio.Scanner, n int) []sseEvent {
	t.Helper()
	var out []sseEvent
	var cur sseEvent
	for len(out) < n && sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur != (sseEvent{}) {
				out = append(out, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			cur.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			cur.event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = strings.TrimPrefix(line, "data: ")
		}
	}
	if len(out) < n {
		t.Fatalf("the stream ended after %d of %d events: %v", len(out), n, sc.Err())
	}
	return out
}

// deployedPod starts an api on the local control plane with a release of the fixture's
// version whose one pod runs, and returns the path of that pod's logs.
func deployedPod(t testing.TB) (*env, *testenv.Kube, string) {
	t.Helper()
	k := kube(t)
	e := newEnvB(t, func(d *api.Deps) { d.Diagnostics = diagnose.New(k.Client(t), "api-test") })
	f := e.fixture()
	ver := "/api/v1/projects/" + f.projectID + "/versions/" + f.versionID
	viewer := e.as(model.RoleViewer)
	ns := k.Namespace(t, "apilogs")

	hc, err := helm.New(k.RESTConfig(), helm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := loader.Load("../internal/helm/testdata/app")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hc.UpgradeInstall(context.Background(), helm.Release{Name: "shop-web", Namespace: ns, Chart: ch, Values: map[string]any{"replicas": 1},
		Labels: helm.VersionLabels("api-test", f.projectID, f.versionID)}, true, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	var pods struct {
		Items []diagnose.Pod `json:"items"`
	}
	deadline := time.Now().Add(time.Minute)
	for {
		e.do("GET", ver+"/pods", nil, viewer).must(t, 200).json(t, &pods)
		if len(pods.Items) == 1 && pods.Items[0].Phase == "Running" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pods %+v", pods.Items)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return e, k, ver + "/pods/" + pods.Items[0].Name + "/logs"
}

// BenchmarkFirstLogLine measures the time from a follow request to its first log line through
// the whole chain on the local control plane (api, client-go, kube-apiserver, kwok's kubelet
// endpoint).
func BenchmarkFirstLogLine(b *testing.B) {
	e, _, logs := deployedPod(b)
	viewer := e.as(model.RoleViewer)
	for b.Loop() {
		req, err := http.NewRequest("GET", e.srv.URL+logs+"?follow=true&tailLines=1", nil)
		if err != nil {
			b.Fatal(err)
		}
		viewer(req)
		res, err := e.srv.Client().Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("follow: %v %v", res, err)
		}
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() && !strings.HasPrefix(sc.Text(), "data: ") {
		}
		res.Body.Close()
	}
}

// TestLogsOnLocalControlPlane reads a deployed pod's real log lines through the whole chain —
// the api, package diagnose, client-go, kube-apiserver and the kubelet endpoint kwok serves —
// plain and followed; a line written while following arrives on the open stream, and a
// reconnect with Last-Event-ID gets exactly the lines after that event: none again, none lost.
func TestLogsOnLocalControlPlane(t *testing.T) {
	e, k, logs := deployedPod(t)
	viewer := e.as(model.RoleViewer)

	// Plain: the simulated start-up lines, with their times on request.
	plain := string(e.do("GET", logs, nil, viewer).must(t, 200).body)
	if !strings.HasPrefix(plain, "demo: starting\ndemo: listening on :8080\n") {
		t.Fatalf("plain log %q", plain)
	}
	stamped := string(e.do("GET", logs+"?timestamps=true&tailLines=1", nil, viewer).must(t, 200).body)
	if strings.Count(stamped, "\n") != 1 || !strings.Contains(stamped, "Z demo: ") {
		t.Fatalf("last line with its time %q", stamped)
	}
	if prev := string(e.do("GET", logs+"?previous=true", nil, viewer).must(t, 200).body); !strings.Contains(prev, "simulated crash") {
		t.Fatalf("previous log %q", prev)
	}

	// Followed: the lines so far, then a line written now arrives on the open stream.
	follow := func(lastID string) (*bufio.Scanner, io.Closer) {
		req := e.request(t, "GET", logs+"?follow=true", viewer)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("follow answered %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		return bufio.NewScanner(res.Body), res.Body
	}
	sc, body := follow("")
	first := readEvents(t, sc, 3)
	if first[0].data != "demo: starting" || first[1].data != "demo: listening on :8080" || first[0].id >= first[1].id || first[1].id >= first[2].id {
		t.Fatalf("first events %+v", first)
	}
	marker := fmt.Sprintf("marker %d", time.Now().UnixNano())
	k.AppendLog(t, marker)
	var seen []sseEvent
	for {
		ev := readEvents(t, sc, 1)[0]
		seen = append(seen, ev)
		if ev.data == marker {
			break
		}
	}
	body.Close()

	// Resume after the second event: the third comes first, then on in order.
	sc, body = follow(first[1].id)
	defer body.Close()
	want := append([]sseEvent{first[2]}, seen...)
	again := readEvents(t, sc, len(want))
	for i, ev := range want {
		if again[i] != ev {
			t.Fatalf("resumed event %d = %+v, want %+v (resumed after %s)", i, again[i], ev, first[1].id)
		}
	}
}
