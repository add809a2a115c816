package charts

import (
	"crypto/tls"
	"errors"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"helm.sh/helm/v3/pkg/repo"
)

func TestListChartsClassic(t *testing.T) {
	r := newClassicRepo(t, nil)
	c, _ := newTestCache(t, "")

	got, err := c.ListCharts(testContext(t), r.registry())
	if err != nil {
		t.Fatalf("ListCharts: %v", err)
	}
	tests := []struct {
		name     string
		chart    string
		versions string
		newest   ChartVersion
	}{
		{"app newest first", "app", "2.1.0-rc.1 2.0.0 1.2.5 1.2.0 1.0.0", ChartVersion{"2.1.0-rc.1", "v2.1-rc", "the app, next"}},
		{"worker without appVersion", "worker", "0.1.0", ChartVersion{"0.1.0", "", "a worker"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := got[tt.chart]
			if v := versionsOf(vs); v != tt.versions {
				t.Fatalf("versions = %q, want %q", v, tt.versions)
			}
			if vs[0] != tt.newest {
				t.Errorf("newest = %+v, want %+v", vs[0], tt.newest)
			}
		})
	}
	if len(got) != 2 {
		t.Errorf("charts = %d, want 2", len(got))
	}
	if v := got["app"][3]; v.AppVersion != "v1.2" || v.Description != "the app" {
		t.Errorf("app 1.2.0 = %+v, want appVersion v1.2 and its description", v)
	}
}

func TestListChartsCachedForTTL(t *testing.T) {
	r := newClassicRepo(t, nil)
	c, clk := newTestCache(t, "")
	ctx := testContext(t)

	for range 1000 {
		if _, err := c.ListCharts(ctx, r.registry()); err != nil {
			t.Fatalf("ListCharts: %v", err)
		}
	}
	if n := r.count("/charts/index.yaml"); n != 1 {
		t.Fatalf("index downloads within the TTL = %d, want 1", n)
	}

	var wg sync.WaitGroup
	clk.advance(DefaultIndexTTL + 1)
	for range 50 {
		wg.Go(func() {
			if _, err := c.ListCharts(ctx, r.registry()); err != nil {
				t.Errorf("ListCharts: %v", err)
			}
		})
	}
	wg.Wait()
	if n := r.count("/charts/index.yaml"); n != 2 {
		t.Fatalf("index downloads after the TTL by 50 concurrent callers = %d, want 2", n)
	}
}

func TestChartVersionConstraints(t *testing.T) {
	r := newClassicRepo(t, nil)
	c, _ := newTestCache(t, "")

	tests := []struct {
		name       string
		chart      string
		constraint string
		want       string
		wantErr    error
	}{
		{name: "empty is the latest stable", chart: "app", constraint: "", want: "2.0.0"},
		{name: "tilde range", chart: "app", constraint: "~1.2", want: "1.2.5"},
		{name: "exact", chart: "app", constraint: "1.2.0", want: "1.2.0"},
		{name: "exact prerelease", chart: "app", constraint: "2.1.0-rc.1", want: "2.1.0-rc.1"},
		{name: "comparison range", chart: "app", constraint: ">=1.0.0 <1.2.0", want: "1.0.0"},
		{name: "wildcard", chart: "app", constraint: "1.x", want: "1.2.5"},
		{name: "other chart", chart: "worker", constraint: "", want: "0.1.0"},
		{name: "no version matches", chart: "app", constraint: "^3", wantErr: ErrChartNotFound},
		{name: "exact version missing", chart: "app", constraint: "9.9.9", wantErr: ErrChartNotFound},
		{name: "chart missing", chart: "nope", constraint: "", wantErr: ErrChartNotFound},
		{name: "invalid chart name", chart: "../app", constraint: "", wantErr: ErrChartNotFound},
		{name: "invalid constraint", chart: "app", constraint: "not a version", wantErr: ErrInvalidConstraint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := c.Chart(testContext(t), r.registry(), tt.chart, tt.constraint)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
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
			if len(ch.Templates) != 1 {
				t.Errorf("templates = %d, want 1", len(ch.Templates))
			}
		})
	}
}

func TestChartNotFoundNamesChartVersionAndRegistry(t *testing.T) {
	r := newClassicRepo(t, nil)
	c, _ := newTestCache(t, "")
	_, err := c.Chart(testContext(t), r.registry(), "app", "^3")
	if !errors.Is(err, ErrChartNotFound) {
		t.Fatalf("error = %v, want ErrChartNotFound", err)
	}
	for _, want := range []string{`"app"`, `"^3"`, `"repo-1"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), repoPassword) {
		t.Errorf("error %q reveals the password", err)
	}
}

func TestChartConcurrentCallsShareOneDownload(t *testing.T) {
	r := newClassicRepo(t, nil)
	dir := t.TempDir()
	c, _ := newTestCache(t, dir)
	ctx := testContext(t)

	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			ch, err := c.Chart(ctx, r.registry(), "app", "~1.2")
			if err != nil {
				t.Errorf("Chart: %v", err)
				return
			}
			if ch.Metadata.Version != "1.2.5" {
				t.Errorf("version = %s, want 1.2.5", ch.Metadata.Version)
			}
		})
	}
	wg.Wait()
	if n := r.count("/charts/app-1.2.5.tgz"); n != 1 {
		t.Errorf("archive downloads = %d, want 1", n)
	}
	if n := r.count("/charts/index.yaml"); n != 1 {
		t.Errorf("index downloads = %d, want 1", n)
	}

	// A new cache over the same directory (a restart) answers an exact version from disk.
	before := r.total()
	restarted, _ := newTestCache(t, dir)
	ch, err := restarted.Chart(ctx, r.registry(), "app", "1.2.5")
	if err != nil {
		t.Fatalf("Chart after restart: %v", err)
	}
	if ch.Metadata.Version != "1.2.5" {
		t.Errorf("version after restart = %s, want 1.2.5", ch.Metadata.Version)
	}
	if n := r.total() - before; n != 0 {
		t.Errorf("requests after restart = %d, want 0", n)
	}
}

func TestChartAnswersIndependentCopies(t *testing.T) {
	r := newClassicRepo(t, nil)
	c, _ := newTestCache(t, "")
	ctx := testContext(t)

	first, err := c.Chart(ctx, r.registry(), "app", "1.0.0")
	if err != nil {
		t.Fatalf("Chart: %v", err)
	}
	first.Metadata.Description = "changed by a caller"
	first.Values["image"] = "changed"
	second, err := c.Chart(ctx, r.registry(), "app", "1.0.0")
	if err != nil {
		t.Fatalf("Chart: %v", err)
	}
	if second.Metadata.Description != "the app, first" || second.Values["image"] == "changed" {
		t.Errorf("a caller's change leaked into the cache: %q, %v", second.Metadata.Description, second.Values["image"])
	}
}

func TestClassicCredentials(t *testing.T) {
	r := newClassicRepo(t, nil)
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
			reg := r.registry()
			reg.Username, reg.Password = tt.username, tt.password
			if _, err := c.ListCharts(testContext(t), reg); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("ListCharts error = %v, want ErrUnauthorized", err)
			}
			if _, err := c.Chart(testContext(t), reg, "app", ""); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("Chart error = %v, want ErrUnauthorized", err)
			}
		})
	}

	t.Run("a listing is not shared with other credentials", func(t *testing.T) {
		c, _ := newTestCache(t, "")
		if _, err := c.ListCharts(testContext(t), r.registry()); err != nil {
			t.Fatalf("ListCharts: %v", err)
		}
		reg := r.registry()
		reg.Password = "wrong"
		if _, err := c.ListCharts(testContext(t), reg); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("ListCharts with a wrong password after a good one: error = %v, want ErrUnauthorized", err)
		}
	})
}

func TestChartDigestMismatch(t *testing.T) {
	r := newClassicRepo(t, func(idx *repo.IndexFile) {
		for _, v := range idx.Entries["app"] {
			if v.Version == "1.2.5" {
				v.Digest = "0000000000000000000000000000000000000000000000000000000000000000"
			}
		}
	})
	c, _ := newTestCache(t, "")
	ctx := testContext(t)

	for attempt := range 2 {
		if _, err := c.Chart(ctx, r.registry(), "app", "1.2.5"); !errors.Is(err, ErrDigestMismatch) {
			t.Fatalf("attempt %d: error = %v, want ErrDigestMismatch", attempt, err)
		}
	}
	if n := r.count("/charts/app-1.2.5.tgz"); n != 2 {
		t.Errorf("downloads = %d, want 2 (a bad archive is never kept)", n)
	}
	if _, err := c.Chart(ctx, r.registry(), "app", "1.2.0"); err != nil {
		t.Errorf("a version with a good digest: %v", err)
	}
}

// TestChartArchiveOrigins: an index naming an archive on another origin is refused by default
// (no request leaves for it: an index must not make oneko fetch from internal addresses); with
// that origin allowed the archive is fetched, without the repository's credentials.
func TestChartArchiveOrigins(t *testing.T) {
	other := newClassicRepo(t, nil) // refuses requests without its credentials
	r := newClassicRepo(t, func(idx *repo.IndexFile) {
		for _, v := range idx.Entries["worker"] {
			v.URLs = []string{other.URL + "/charts/worker-0.1.0.tgz"}
		}
	})
	c, _ := newTestCache(t, "")
	_, err := c.Chart(testContext(t), r.registry(), "worker", "")
	if !errors.Is(err, ErrChartOrigin) || !strings.Contains(err.Error(), "ONEKO_CHART_ORIGINS") {
		t.Fatalf("error = %v, want ErrChartOrigin naming the setting", err)
	}
	if n := other.count("/charts/worker-0.1.0.tgz"); n != 0 {
		t.Fatalf("requests to the other origin = %d, want none", n)
	}

	allowed, err := NewCache(t.TempDir(), Options{ChartOrigins: []string{strings.ToUpper(other.URL) + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = allowed.Chart(testContext(t), r.registry(), "worker", "")
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("error = %v, want ErrUnauthorized: credentials must stay with their host", err)
	}
	if n := other.count("/charts/worker-0.1.0.tgz"); n != 1 {
		t.Errorf("requests to the allowed origin = %d, want 1", n)
	}
}

func TestUnreachableRegistry(t *testing.T) {
	r := newClassicRepo(t, nil)
	reg := r.registry()
	r.Close()
	c, _ := newTestCache(t, "")

	_, err := c.ListCharts(testContext(t), reg)
	var netErr net.Error
	var urlErr *url.Error
	if err == nil || !(errors.As(err, &netErr) || errors.As(err, &urlErr)) {
		t.Fatalf("error = %v, want a wrapped network error", err)
	}
	if errors.Is(err, ErrChartNotFound) || errors.Is(err, ErrUnauthorized) {
		t.Errorf("error = %v, must be neither not found nor unauthorized", err)
	}
}

func TestForget(t *testing.T) {
	r := newClassicRepo(t, nil)
	c, _ := newTestCache(t, "")
	ctx := testContext(t)
	if _, err := c.Chart(ctx, r.registry(), "app", "1.0.0"); err != nil {
		t.Fatalf("Chart: %v", err)
	}
	if err := c.Forget(r.registry().ID); err != nil {
		t.Fatalf("Forget: %v", err)
	}
	if _, err := c.Chart(ctx, r.registry(), "app", "1.0.0"); err != nil {
		t.Fatalf("Chart after Forget: %v", err)
	}
	if n := r.count("/charts/app-1.0.0.tgz"); n != 2 {
		t.Errorf("downloads = %d, want 2", n)
	}
	if n := r.count("/charts/index.yaml"); n != 2 {
		t.Errorf("index downloads = %d, want 2", n)
	}
}

func TestInvalidRegistry(t *testing.T) {
	c, _ := newTestCache(t, "")
	tests := []struct {
		name string
		reg  Registry
	}{
		{"no id", Registry{URL: "https://charts.example.com"}},
		{"ftp scheme", Registry{ID: "r", URL: "ftp://charts.example.com"}},
		{"no scheme", Registry{ID: "r", URL: "charts.example.com"}},
		{"no host", Registry{ID: "r", URL: "https:///charts"}},
		{"oci with query", Registry{ID: "r", URL: "oci://ghcr.io/team?x=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.ListCharts(testContext(t), tt.reg); !errors.Is(err, ErrInvalidRegistry) {
				t.Errorf("ListCharts error = %v, want ErrInvalidRegistry", err)
			}
			if _, err := c.Chart(testContext(t), tt.reg, "app", ""); !errors.Is(err, ErrInvalidRegistry) {
				t.Errorf("Chart error = %v, want ErrInvalidRegistry", err)
			}
		})
	}
}

func TestInsecureSkipsTLSVerification(t *testing.T) {
	r := newClassicRepoServer(t, nil, true)
	tests := []struct {
		name     string
		insecure bool
		wantErr  bool
	}{
		{"self-signed certificate refused", false, true},
		{"self-signed certificate accepted when insecure", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(t, "")
			reg := r.registry()
			reg.Insecure = tt.insecure
			ch, err := c.Chart(testContext(t), reg, "worker", "")
			if tt.wantErr {
				var certErr *tls.CertificateVerificationError
				if !errors.As(err, &certErr) {
					t.Fatalf("error = %v, want a certificate verification error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Chart: %v", err)
			}
			if ch.Metadata.Version != "0.1.0" {
				t.Errorf("version = %s, want 0.1.0", ch.Metadata.Version)
			}
		})
	}
}

// TestNewerRevisionForgets: asked with a newer revision of a registry's document than it saw,
// the cache forgets what it kept of the registry (a worker apart from the api learns of a
// change that way); the same or an older revision keeps it.
func TestNewerRevisionForgets(t *testing.T) {
	r := newClassicRepo(t, nil)
	c, _ := newTestCache(t, "")
	ctx := testContext(t)
	reg := r.registry()
	for _, rev := range []int64{3, 3, 2, 4} {
		reg.Revision = rev
		if _, err := c.Chart(ctx, reg, "app", "1.0.0"); err != nil {
			t.Fatalf("Chart at revision %d: %v", rev, err)
		}
	}
	if n := r.count("/charts/app-1.0.0.tgz"); n != 2 {
		t.Errorf("downloads = %d, want 2 (the first, and again at revision 4)", n)
	}
}
