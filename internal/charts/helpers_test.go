package charts

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"
)

// testChart describes one packaged chart version of the test repositories.
type testChart struct{ name, version, appVersion, description string }

// repoCharts are the charts of the classic test repository.
var repoCharts = []testChart{
	{"app", "1.0.0", "v1.0", "the app, first"},
	{"app", "1.2.0", "v1.2", "the app"},
	{"app", "1.2.5", "v1.2.5", "the app, patched"},
	{"app", "2.0.0", "v2", "the app, second"},
	{"app", "2.1.0-rc.1", "v2.1-rc", "the app, next"},
	{"worker", "0.1.0", "", "a worker"},
}

// packageChart writes a small chart as a .tgz into dir with the Helm SDK and answers its path.
func packageChart(t testing.TB, dir string, tc testChart) string {
	t.Helper()
	ch := &chart.Chart{
		Metadata: &chart.Metadata{
			APIVersion:  chart.APIVersionV2,
			Name:        tc.name,
			Version:     tc.version,
			AppVersion:  tc.appVersion,
			Description: tc.description,
			Type:        "application",
		},
		Raw: []*chart.File{{Name: chartutil.ValuesfileName, Data: []byte("image:\n  tag: latest\n")}},
		Templates: []*chart.File{{
			Name: "templates/configmap.yaml",
			Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  tag: {{ .Values.image.tag | quote }}\n"),
		}},
	}
	path, err := chartutil.Save(ch, dir)
	if err != nil {
		t.Fatalf("package chart %s-%s: %v", tc.name, tc.version, err)
	}
	return path
}

// classicRepo is a classic chart repository served under /charts with Basic authentication,
// counting the requests for every path.
type classicRepo struct {
	*httptest.Server
	dir string

	mu     sync.Mutex
	counts map[string]int
}

const (
	repoUser     = "oneko"
	repoPassword = "s3cret"
)

// newClassicRepo packages repoCharts, indexes them with repo.IndexDirectory (relative URLs)
// and serves them; edit may change the index before it is written.
func newClassicRepo(t testing.TB, edit func(*repo.IndexFile)) *classicRepo {
	t.Helper()
	return newClassicRepoServer(t, edit, false)
}

// newClassicRepoServer is newClassicRepo, served over TLS with a self-signed certificate
// when tls is set.
func newClassicRepoServer(t testing.TB, edit func(*repo.IndexFile), tls bool) *classicRepo {
	t.Helper()
	dir := t.TempDir()
	for _, tc := range repoCharts {
		packageChart(t, dir, tc)
	}
	idx, err := repo.IndexDirectory(dir, "")
	if err != nil {
		t.Fatalf("index charts: %v", err)
	}
	idx.SortEntries()
	if edit != nil {
		edit(idx)
	}
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		t.Fatalf("write index: %v", err)
	}
	r := &classicRepo{dir: dir, counts: map[string]int{}}
	files := http.StripPrefix("/charts", http.FileServer(http.Dir(dir)))
	r.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.counts[req.URL.Path]++
		r.mu.Unlock()
		if u, p, ok := req.BasicAuth(); !ok || u != repoUser || p != repoPassword {
			w.Header().Set("WWW-Authenticate", `Basic realm="charts"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		files.ServeHTTP(w, req)
	}))
	if tls {
		r.StartTLS()
	} else {
		r.Start()
	}
	t.Cleanup(r.Close)
	return r
}

// count answers how many requests asked for the path.
func (r *classicRepo) count(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[path]
}

// total answers how many requests were made.
func (r *classicRepo) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.counts {
		n += c
	}
	return n
}

// registry answers the repository as a Registry with the right credentials.
func (r *classicRepo) registry() Registry {
	return Registry{ID: "repo-1", URL: r.URL + "/charts/", Username: repoUser, Password: repoPassword}
}

// clock is a settable time source for TTL tests.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// newTestCache answers a Cache over a fresh directory with a settable clock.
func newTestCache(t testing.TB, dir string) (*Cache, *clock) {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	c, err := NewCache(dir, Options{})
	if err != nil {
		t.Fatalf("NewCache: %v", err)
	}
	clk := &clock{}
	c.now = clk.now
	return c, clk
}

// testContext answers a context that ends with the test.
func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// versionsOf answers the version strings of a list.
func versionsOf(vs []ChartVersion) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.Version
	}
	return strings.Join(s, " ")
}

// readFile reads a file or fails the test.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
