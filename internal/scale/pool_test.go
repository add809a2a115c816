package scale

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Settings of every process of a pool.
const (
	adminPassword = "scale-admin-Pass1"
	secretKey     = "5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1"
	// shutdownTimeout is ONEKO_WORKER_SHUTDOWN_TIMEOUT; graceMargin the chart's
	// terminationGraceMarginSeconds: a worker must be gone within their sum of SIGTERM.
	shutdownTimeout = 5 * time.Second
	graceMargin     = 15 * time.Second
)

var poolSeq atomic.Int64

// node is an api or worker process of a pool and the address it serves on.
type node struct {
	*proc
	addr string
}

// url is the base URL of the node.
func (n *node) url() string { return "http://" + n.addr }

// pool is a set of api and worker processes on one database of the shared store, the shared
// Redis (flushed when the pool starts) and the cluster.
type pool struct {
	t       testing.TB
	dir     string
	env     []string
	apis    []*node
	workers []*node
	token   string
	http    *http.Client
	rdb     *redis.Client
	insp    *asynq.Inspector
	kube    kubernetes.Interface
}

// newPool starts apis api and workers worker processes and an API token of the admin. Every
// process is killed when t ends; their logs are printed when t failed or ONEKO_TEST_LOG is set.
func newPool(t testing.TB, apis, workers int) *pool {
	t.Helper()
	ctx := context.Background()
	if err := shared.redis.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	p := &pool{
		t: t, dir: t.TempDir(),
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		rdb:  redis.NewClient(&redis.Options{Addr: shared.redis.Addr()}),
		insp: asynq.NewInspector(asynq.RedisClientOpt{Addr: shared.redis.Addr()}),
		kube: shared.kube.Client(t),
	}
	p.env = []string{
		"ONEKO_MONGO_URI=" + shared.mongo, fmt.Sprintf("ONEKO_MONGO_DATABASE=scale%d_%d", os.Getpid(), poolSeq.Add(1)),
		"ONEKO_REDIS_URL=" + shared.redis.URL(), "ONEKO_SECRET_KEY=" + secretKey, "ONEKO_KUBECONFIG=" + shared.kube.KubeconfigPath(),
		"ONEKO_ADMIN_PASSWORD=" + adminPassword, "ONEKO_WEBHOOK_ONLY_POLL_INTERVAL=0", "ONEKO_LOG_LEVEL=info",
		"ONEKO_WORKER_SHUTDOWN_TIMEOUT=" + shutdownTimeout.String(), "ONEKO_DEMO=false",
	}
	t.Cleanup(func() {
		for _, n := range append(slices.Clone(p.apis), p.workers...) {
			n.kill()
			if t.Failed() || os.Getenv("ONEKO_TEST_LOG") != "" {
				t.Logf("log of %s (%s):\n%s", n.name, n.addr, n.tail(12000))
			}
		}
		p.insp.Close()
		p.rdb.Close()
	})
	for i := 0; i < apis; i++ {
		p.apis = append(p.apis, p.start(fmt.Sprintf("api%d", i+1), "api"))
	}
	for i := 0; i < workers; i++ {
		p.workers = append(p.workers, p.start(fmt.Sprintf("worker%d", i+1), "worker"))
	}
	p.token = p.newToken()
	return p
}

// start starts one process of the binary's subcommand role and waits until it is ready.
func (p *pool) start(name, role string) *node {
	p.t.Helper()
	addr, err := freeAddr()
	if err != nil {
		p.t.Fatal(err)
	}
	pr, err := startProc(name, p.dir, []string{role}, append(slices.Clone(p.env), "ONEKO_HTTP_ADDR="+addr))
	if err != nil {
		p.t.Fatal(err)
	}
	n := &node{proc: pr, addr: addr}
	p.waitReady(n)
	return n
}

// restart starts a process that ended again, on the same address.
func (p *pool) restart(n *node) {
	p.t.Helper()
	if !n.exited() {
		p.t.Fatalf("restart of %s, which still runs", n.name)
	}
	if err := n.start(); err != nil {
		p.t.Fatal(err)
	}
	p.waitReady(n)
}

// waitReady waits until n answers /readyz and, for a worker, its asynq server is registered.
func (p *pool) waitReady(n *node) {
	p.t.Helper()
	isWorker := n.args[0] == "worker"
	eventually(p.t, n.name+" to be ready", 2*time.Minute, func() (bool, error) {
		if n.exited() {
			return false, fmt.Errorf("%s exited: %s\n%s", n.name, n.cmd.ProcessState, n.tail(4000))
		}
		res, err := p.http.Get(n.url() + "/readyz")
		if err != nil {
			return false, nil
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return false, nil
		}
		return !isWorker || p.serving(n), nil
	})
}

// serving reports whether a worker's asynq server is registered in Redis.
func (p *pool) serving(n *node) bool {
	servers, err := p.insp.Servers()
	if err != nil {
		return false
	}
	for _, s := range servers {
		if s.PID == n.pid() {
			return true
		}
	}
	return false
}

// newToken makes an API token of the admin (with Basic credentials, once).
func (p *pool) newToken() string {
	p.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, p.apis[0].url()+"/api/v1/tokens", strings.NewReader(`{"name":"scale"}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("admin", adminPassword)
	res, err := p.http.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct{ Secret string }
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &tok) != nil || tok.Secret == "" {
		p.t.Fatalf("create token: %d %s", res.StatusCode, body)
	}
	return tok.Secret
}

// call sends a request with the admin's token to the api at base. It returns an error, not
// failing t, so that goroutines may call it and a killed api is an answer like any other.
func (p *pool) call(base, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.token)
	res, err := p.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
}

// must sends a request to the first api that runs and fails t unless the answer is want; the
// answer is decoded into into when not nil.
func (p *pool) must(method, path string, body any, want int, into any) {
	p.t.Helper()
	for _, a := range p.apis {
		if a.exited() {
			continue
		}
		st, out, err := p.call(a.url(), method, path, body)
		if err != nil || st != want {
			p.t.Fatalf("%s %s: %d %v %s; want %d", method, path, st, err, out, want)
		}
		if into != nil {
			if err := json.Unmarshal(out, into); err != nil {
				p.t.Fatalf("%s %s: %v", method, path, err)
			}
		}
		return
	}
	p.t.Fatalf("%s %s: no api runs", method, path)
}

// version is what the tests read of a version.
type version struct {
	ID           string
	Name         string
	DesiredState string
	Generation   int64
	Deployment   struct {
		Status   string
		Message  string
		Releases []struct {
			Name, Namespace, Status string
			Revision                int
		}
	}
}

// versions lists every version of the project.
func (p *pool) versions(projectID string) []version {
	p.t.Helper()
	var all []version
	for offset := 0; ; offset += 100 {
		var page struct{ Items []version }
		p.must(http.MethodGet, fmt.Sprintf("/api/v1/projects/%s/versions?limit=100&offset=%d", projectID, offset), nil, http.StatusOK, &page)
		all = append(all, page.Items...)
		if len(page.Items) < 100 {
			return all
		}
	}
}

// getVersion reads one version.
func (p *pool) getVersion(projectID, id string) version {
	p.t.Helper()
	var v version
	p.must(http.MethodGet, "/api/v1/projects/"+projectID+"/versions/"+id, nil, http.StatusOK, &v)
	return v
}

// activeTasks are the ids of the tasks a worker process runs now, as its asynq server last
// reported them (every few seconds).
func (p *pool) activeTasks(n *node) []string {
	servers, err := p.insp.Servers()
	if err != nil {
		return nil
	}
	var ids []string
	for _, s := range servers {
		if s.PID != n.pid() {
			continue
		}
		for _, w := range s.ActiveWorkers {
			ids = append(ids, w.Queue+"/"+w.TaskID)
		}
	}
	return ids
}

// deleteNamespaceLater deletes ns when t ends.
func (p *pool) deleteNamespaceLater(ns string) {
	p.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = p.kube.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
	})
}

// eventually polls cond every 100ms until it holds; it fails t after limit (a bound on a
// failure, not a measurement) or on an error of cond.
// Each describe adds what was last seen to the failure.
func eventually(t testing.TB, what string, limit time.Duration, cond func() (bool, error), describe ...func() string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var seen []string
			for _, d := range describe {
				seen = append(seen, d())
			}
			t.Fatalf("%s did not happen within %s %s", what, limit, strings.Join(seen, "; "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// writeFile writes content to dir/name, making folders.
func writeFile(t testing.TB, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
