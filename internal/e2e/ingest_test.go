package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
)

// push writes a random image to host/repo:tag and returns its digest.
func push(t *testing.T, host, repo, tag string) string {
	t.Helper()
	ref, err := name.ParseReference(host+"/"+repo+":"+tag, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(512, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

func pending(t *testing.T, queue string) int {
	t.Helper()
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	defer insp.Close()
	q, err := insp.GetQueueInfo(queue)
	if err != nil {
		return 0
	}
	return q.Pending
}

// TestRealDistributionNotifications: Debian's docker-registry (CNCF Distribution) sends its real
// notifications to a running oneko; a push creates the version with the registry's digest, and
// a re-push of the tag with new content updates it.
func TestRealDistributionNotifications(t *testing.T) {
	s := newSystem(t)
	s.startWorker()
	regID, projectID := s.createRegistryAndProject("http://127.0.0.1:1", "auto", "dist-secret-1", "team/app")
	d, err := testenv.StartDistribution(context.Background(), s.api.URL+"/api/v1/webhooks/"+regID, "dist-secret-1")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Stop()
	if st, body := s.admin("PUT", "/api/v1/docker-registries/"+regID, map[string]any{"name": "reg", "url": d.URL(), "webhookFormat": "auto", "pollInterval": "0s", "revision": 1}); st != 200 {
		t.Fatalf("point registry at distribution: %d %s", st, body)
	}
	first := push(t, d.Addr(), "team/app", "1.0")
	v := s.waitVersion(projectID, "1.0", first)
	if v.Digest != first {
		t.Fatalf("digest = %s, want %s", v.Digest, first)
	}
	second := push(t, d.Addr(), "team/app", "1.0")
	if second == first {
		t.Fatal("random images collided")
	}
	s.waitVersion(projectID, "1.0", second)
	// An image of another repository creates nothing.
	push(t, d.Addr(), "team/other", "1.0")
	push(t, d.Addr(), "team/app", "2.0")
	s.waitVersion(projectID, "2.0", "")
	if _, err := s.store.GetVersionByTag(context.Background(), projectID, "other"); err == nil {
		t.Fatal("unexpected version")
	}
}

// TestWebhookEveryFormatEndToEnd delivers the shared sample payload of every format through the
// real HTTP server into a real redis-server, and checks the answer and the queued task.
func TestWebhookEveryFormatEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		format, file string
		deliveryID   bool
	}{
		{"harbor", "harbor-push-artifact.json", false},
		{"dockerhub", "dockerhub-push.json", false},
		{"distribution", "distribution-manifest-push.json", true},
		{"quay", "quay-push.json", false},
		{"ghcr", "ghcr-package-published.json", true},
		{"acr", "acr-push.json", true},
		{"generic", "generic.json", false},
	} {
		t.Run(tc.format, func(t *testing.T) {
			s := newSystem(t)
			body, err := readSample(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			regID, _ := s.createRegistryAndProject("https://registry.example.com", tc.format, "fmt-secret", "team/app")
			header := map[string]string{"X-GitHub-Event": "package", "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"}
			st, out := s.call("POST", "/api/v1/webhooks/"+regID+"?token=fmt-secret", body, header)
			if st != 202 {
				t.Fatalf("status %d: %s", st, out)
			}
			var res struct{ Events, Enqueued, Duplicates int }
			_ = json.Unmarshal(out, &res)
			if res.Events < 1 || res.Enqueued != res.Events || res.Duplicates != 0 {
				t.Fatalf("answer = %+v", res)
			}
			if n := pending(t, "default"); n != res.Enqueued {
				t.Fatalf("pending tasks = %d, want %d", n, res.Enqueued)
			}
			// The same delivery again is a duplicate when the format has delivery ids; else it
			// is queued (and coalesced by the worker).
			_, out = s.call("POST", "/api/v1/webhooks/"+regID+"?token=fmt-secret", body, header)
			_ = json.Unmarshal(out, &res)
			if tc.deliveryID && (res.Enqueued != 0 || res.Duplicates != res.Events) {
				t.Fatalf("redelivery = %+v, want duplicates", res)
			}
			if !tc.deliveryID && (res.Enqueued != res.Events || res.Duplicates != 0) {
				t.Fatalf("repeated delivery without delivery id = %+v, want enqueued", res)
			}
		})
	}
}

// TestWebhookAuthAndDedup: wrong or missing secrets are refused with nothing queued; a GitHub
// signature verifies and an altered body does not; ten deliveries of a payload without
// delivery id are coalesced into one check of the registry.
func TestWebhookAuthAndDedup(t *testing.T) {
	s := newSystem(t)
	reg := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	var heads atomic.Int64
	srv := httptest.NewServer(countManifestHeads(reg, &heads))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	regID, projectID := s.createRegistryAndProject(srv.URL, "generic", "right-secret", "team/app")
	digest := push(t, host, "team/app", "1.2.3")
	body := fmt.Sprintf(`{"image": "%s/team/app", "tag": "1.2.3", "digest": "%s"}`, host, digest)
	path := "/api/v1/webhooks/" + regID
	for name, h := range map[string]map[string]string{
		"no secret":              nil,
		"wrong bearer":           {"Authorization": "Bearer wrong-secret"},
		"wrong raw header":       {"Authorization": "wrong-secret"},
		"altered body signature": {"X-Hub-Signature-256": "sha256=" + sign("right-secret", strings.Replace(body, "1.2.3", "9.9.9", 1))},
	} {
		t.Run(name, func(t *testing.T) {
			if st, out := s.call("POST", path, body, h); st != 401 {
				t.Fatalf("status %d: %s", st, out)
			}
			if n := pending(t, "default"); n != 0 {
				t.Fatalf("%d tasks queued after a refused delivery", n)
			}
		})
	}
	if st, _ := s.call("POST", "/api/v1/webhooks/000000000000000000000000", body, nil); st != 404 {
		t.Fatalf("unknown registry: %d", st)
	}
	if st, _ := s.call("POST", path, `{"image":`, map[string]string{"Authorization": "Bearer right-secret"}); st != 400 {
		t.Fatalf("malformed: %d", st)
	}
	if st, _ := s.call("POST", path, `{"image":"`+strings.Repeat("a", 1<<20)+`"}`, map[string]string{"Authorization": "Bearer right-secret"}); st != 413 {
		t.Fatalf("oversize: %d", st)
	}
	// Ten deliveries of the same push, in every accepted form, then the worker: the tag is
	// checked once.
	forms := []map[string]string{
		{"Authorization": "Bearer right-secret"}, {"Authorization": "right-secret"},
		{"X-Hub-Signature-256": "sha256=" + sign("right-secret", body)},
	}
	enqueued := 0
	for i := 0; i < 10; i++ {
		p := path
		h := forms[i%len(forms)]
		if i == 9 {
			p, h = path+"?token=right-secret", nil
		}
		st, out := s.call("POST", p, body, h)
		if st != 202 {
			t.Fatalf("delivery %d: %d %s", i, st, out)
		}
		var res struct{ Enqueued int }
		_ = json.Unmarshal(out, &res)
		enqueued += res.Enqueued
	}
	if enqueued != 10 {
		t.Fatalf("enqueued %d tasks for ten deliveries without delivery id, want 10", enqueued)
	}
	heads.Store(0)
	s.startWorker()
	v := s.waitVersion(projectID, "1.2.3", digest)
	waitDrained(t)
	if n := heads.Load(); n != 1 {
		t.Fatalf("the worker asked the registry %d times, want once", n)
	}
	acts, _, err := s.store.ListActivities(context.Background(), v.ID, store.Page{})
	if err != nil || len(acts) != 1 || acts[0].Title != "New version" {
		t.Fatalf("activities = %+v, %v", acts, err)
	}
}

// waitDrained waits until no task is pending, active or retrying.
func waitDrained(t *testing.T) {
	t.Helper()
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	defer insp.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		busy := 0
		for _, q := range []string{"critical", "default", "low"} {
			if info, err := insp.GetQueueInfo(q); err == nil {
				busy += info.Pending + info.Active + info.Retry + info.Scheduled
			}
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d tasks still busy after 30s", busy)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func sign(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil))
}

// countManifestHeads counts the manifest HEAD requests h serves.
func countManifestHeads(h http.Handler, n *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/manifests/") {
			n.Add(1)
		}
		h.ServeHTTP(w, r)
	})
}

// pushImage writes img to host/repo:tag and returns its digest.
func pushImage(t *testing.T, host, repo, tag string, img v1.Image) string {
	t.Helper()
	ref, err := name.ParseReference(host+"/"+repo+":"+tag, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

// TestRepushesAreNotLost: pushes of one tag are never taken for redeliveries of each other.
// Two pushes of "latest" announced without digest are both processed (the second finds the new
// digest); a tag moved A→B→A within the dedup window ends at A; and a true redelivery (the same
// delivery id) is still a duplicate. Before, the dedup id was built from the digest, so the
// second push and the move back to A were answered 202 and never processed.
func TestRepushesAreNotLost(t *testing.T) {
	s := newSystem(t)
	s.startWorker()
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	regID, projectID := s.createRegistryAndProject(srv.URL, "auto", "repush-secret", "team/app")
	hook := func(body string) (enqueued, duplicates int) {
		t.Helper()
		st, out := s.call("POST", "/api/v1/webhooks/"+regID, body, map[string]string{"Authorization": "Bearer repush-secret"})
		if st != 202 {
			t.Fatalf("webhook: %d %s", st, out)
		}
		var res struct{ Enqueued, Duplicates int }
		_ = json.Unmarshal(out, &res)
		return res.Enqueued, res.Duplicates
	}
	noDigest := fmt.Sprintf(`{"image": "%s/team/app", "tag": "latest"}`, host)

	first := push(t, host, "team/app", "latest")
	hook(noDigest)
	s.waitVersion(projectID, "latest", first)
	second := push(t, host, "team/app", "latest")
	if n, _ := hook(noDigest); n != 1 {
		t.Fatalf("second push of latest: %d enqueued, want 1", n)
	}
	s.waitVersion(projectID, "latest", second)

	imgA, _ := random.Image(512, 2)
	imgB, _ := random.Image(512, 2)
	withDigest := func(d string) string {
		return fmt.Sprintf(`{"image": "%s/team/app", "tag": "moving", "digest": "%s"}`, host, d)
	}
	a := pushImage(t, host, "team/app", "moving", imgA)
	hook(withDigest(a))
	s.waitVersion(projectID, "moving", a)
	b := pushImage(t, host, "team/app", "moving", imgB)
	hook(withDigest(b))
	s.waitVersion(projectID, "moving", b)
	pushImage(t, host, "team/app", "moving", imgA)
	if n, _ := hook(withDigest(a)); n != 1 {
		t.Fatalf("move back to A: %d enqueued, want 1", n)
	}
	s.waitVersion(projectID, "moving", a)

	// A true redelivery: the same Distribution event (same id) twice.
	dist := fmt.Sprintf(`{"events": [{"id": "ev-1", "action": "push", "target": {"repository": "team/app", "tag": "latest", "digest": "%s", "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}}]}`, second)
	if n, d := hook(dist); n != 1 || d != 0 {
		t.Fatalf("first delivery: %d enqueued, %d duplicates", n, d)
	}
	if n, d := hook(dist); n != 0 || d != 1 {
		t.Fatalf("redelivery: %d enqueued, %d duplicates; want a duplicate", n, d)
	}
}
