package charts

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"helm.sh/helm/v3/pkg/registry"
)

// ociRegistry is go-containerregistry's in-memory registry holding the test charts under
// charts/, a container image under charts/notachart and a chart outside the prefix. It is
// served twice: open (push) and behind Basic authentication (counting chart pulls).
type ociRegistry struct {
	open, authed *httptest.Server
	pulls        atomic.Int64
	noCatalog    atomic.Bool
}

// ociCharts are pushed to the OCI test registry.
var ociCharts = []testChart{
	{"app", "1.0.0", "v1.0", "the app, first"},
	{"app", "1.2.5", "v1.2.5", "the app, patched"},
	{"app", "2.0.0", "v2", "the app, second"},
	{"app", "2.1.0+build.7", "v2.1", "the app, built"},
	{"worker", "0.1.0", "", "a worker"},
}

func newOCIRegistry(t testing.TB) *ociRegistry {
	t.Helper()
	o := &ociRegistry{}
	h := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	catalogSwitch := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if o.noCatalog.Load() && strings.HasSuffix(r.URL.Path, "/_catalog") {
				http.Error(w, `{"errors":[{"code":"UNSUPPORTED"}]}`, http.StatusNotFound)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	o.open = httptest.NewServer(catalogSwitch(h))
	t.Cleanup(o.open.Close)
	o.authed = httptest.NewServer(catalogSwitch(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != repoUser || p != repoPassword {
			w.Header().Set("WWW-Authenticate", `Basic realm="registry"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED"}]}`, http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/manifests/") {
			o.pulls.Add(1)
		}
		h.ServeHTTP(w, r)
	})))
	t.Cleanup(o.authed.Close)

	client, err := registry.NewClient(
		registry.ClientOptPlainHTTP(),
		registry.ClientOptCredentialsFile(filepath.Join(t.TempDir(), "config.json")),
		registry.ClientOptWriter(io.Discard),
	)
	if err != nil {
		t.Fatalf("registry client: %v", err)
	}
	dir := t.TempDir()
	host := o.host(o.open)
	push := func(prefix string, tc testChart) {
		data := readFile(t, packageChart(t, dir, tc))
		if _, err := client.Push(data, host+"/"+prefix+"/"+tc.name+":"+tc.version); err != nil {
			t.Fatalf("push %s %s: %v", tc.name, tc.version, err)
		}
	}
	for _, tc := range ociCharts {
		push("charts", tc)
	}
	push("elsewhere", testChart{"thing", "1.0.0", "", "outside the prefix"})

	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.ParseReference(host + "/charts/notachart:1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatalf("push image: %v", err)
	}
	return o
}

func (o *ociRegistry) host(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

// registry answers the authenticated server with the right credentials at oci://host/path.
func (o *ociRegistry) registry(path string) Registry {
	return Registry{ID: "oci-1", URL: "oci://" + o.host(o.authed) + path, Username: repoUser, Password: repoPassword, Insecure: true}
}

func TestListChartsOCI(t *testing.T) {
	o := newOCIRegistry(t)
	tests := []struct {
		name      string
		path      string
		noCatalog bool
		want      map[string]string // chart → versions
	}{
		{
			name: "catalog below the path",
			path: "/charts",
			want: map[string]string{"app": "2.1.0+build.7 2.0.0 1.2.5 1.0.0", "worker": "0.1.0"},
		},
		{
			name: "path naming one chart",
			path: "/charts/app",
			want: map[string]string{"app": "2.1.0+build.7 2.0.0 1.2.5 1.0.0"},
		},
		{
			name:      "path naming one chart without a catalog",
			path:      "/charts/app",
			noCatalog: true,
			want:      map[string]string{"app": "2.1.0+build.7 2.0.0 1.2.5 1.0.0"},
		},
		{
			name: "registry root",
			path: "",
			want: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o.noCatalog.Store(tt.noCatalog)
			defer o.noCatalog.Store(false)
			c, _ := newTestCache(t, "")
			got, err := c.ListCharts(testContext(t), o.registry(tt.path))
			if err != nil {
				t.Fatalf("ListCharts: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Errorf("charts = %v, want %v", got, tt.want)
			}
			for chartName, want := range tt.want {
				if v := versionsOf(got[chartName]); v != want {
					t.Errorf("%s versions = %q, want %q", chartName, v, want)
				}
			}
			if app, ok := got["app"]; ok {
				if want := (ChartVersion{"2.1.0+build.7", "v2.1", "the app, built"}); app[0] != want {
					t.Errorf("newest app = %+v, want %+v", app[0], want)
				}
			}
		})
	}
}

func TestChartOCI(t *testing.T) {
	o := newOCIRegistry(t)
	tests := []struct {
		name       string
		path       string
		chart      string
		constraint string
		want       string
		wantErr    error
	}{
		{name: "latest", path: "/charts", chart: "app", want: "2.1.0+build.7"},
		{name: "tilde range", path: "/charts", chart: "app", constraint: "~1.2", want: "1.2.5"},
		{name: "exact", path: "/charts", chart: "app", constraint: "1.0.0", want: "1.0.0"},
		{name: "other chart", path: "/charts", chart: "worker", want: "0.1.0"},
		{name: "path naming the chart", path: "/charts/app", chart: "app", constraint: "2.0.0", want: "2.0.0"},
		{name: "no version matches", path: "/charts", chart: "app", constraint: "^3", wantErr: ErrChartNotFound},
		{name: "chart missing", path: "/charts", chart: "nope", wantErr: ErrChartNotFound},
		{name: "container image", path: "/charts", chart: "notachart", constraint: "1.0.0", wantErr: errors.New("any")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(t, "")
			ch, err := c.Chart(testContext(t), o.registry(tt.path), tt.chart, tt.constraint)
			if tt.wantErr != nil {
				if err == nil || (errors.Is(tt.wantErr, ErrChartNotFound) && !errors.Is(err, ErrChartNotFound)) {
					t.Fatalf("Chart error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Chart: %v", err)
			}
			if ch.Metadata.Name != tt.chart || ch.Metadata.Version != tt.want {
				t.Fatalf("chart = %s %s, want %s %s", ch.Metadata.Name, ch.Metadata.Version, tt.chart, tt.want)
			}
		})
	}
}

func TestChartOCIConcurrentCallsShareOnePull(t *testing.T) {
	o := newOCIRegistry(t)
	c, _ := newTestCache(t, "")
	ctx := testContext(t)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := c.Chart(ctx, o.registry("/charts"), "app", "~1.2"); err != nil {
				t.Errorf("Chart: %v", err)
			}
		})
	}
	wg.Wait()
	pulls := o.pulls.Load()
	if pulls != 1 {
		t.Errorf("manifest requests = %d, want 1", pulls)
	}
	if _, err := c.Chart(ctx, o.registry("/charts"), "app", "1.2.5"); err != nil {
		t.Fatalf("Chart: %v", err)
	}
	if n := o.pulls.Load(); n != pulls {
		t.Errorf("manifest requests for a kept chart = %d, want %d", n, pulls)
	}
}

func TestOCICredentials(t *testing.T) {
	o := newOCIRegistry(t)
	tests := []struct {
		name     string
		username string
		password string
	}{
		{"wrong password", repoUser, "wrong"},
		{"no credentials", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(t, "")
			reg := o.registry("/charts")
			reg.Username, reg.Password = tt.username, tt.password
			if _, err := c.ListCharts(testContext(t), reg); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("ListCharts error = %v, want ErrUnauthorized", err)
			}
			if _, err := c.Chart(testContext(t), reg, "app", ""); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("Chart error = %v, want ErrUnauthorized", err)
			}
		})
	}
}
