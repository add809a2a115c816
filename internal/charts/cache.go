package charts

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
)

// Defaults of Options.
const (
	DefaultTimeout  = 30 * time.Second
	DefaultIndexTTL = time.Minute
)

// keptListings bounds the registry listings (indexes, catalogs, tag lists) kept in memory;
// the least recently used go first.
const keptListings = 256

// Options configure a Cache. The zero value is usable.
type Options struct {
	// Timeout bounds every request to a registry, reading the answer included.
	// Default DefaultTimeout.
	Timeout time.Duration
	// IndexTTL is how long a registry's list of charts and versions is reused before it is
	// read again. Chart archives are kept regardless. Default DefaultIndexTTL.
	IndexTTL time.Duration
	// Logger receives a line for every index and chart download. Default: discard.
	Logger *slog.Logger
	// ChartOrigins are the origins ("https://host[:port]") besides a classic repository's own
	// from which the chart archives its index names may be downloaded; "*" allows any. By
	// default an archive URL pointing elsewhere is refused (ErrChartOrigin), so that an index
	// cannot make oneko fetch from internal addresses.
	ChartOrigins []string
}

// Cache lists and fetches charts from Helm registries, keeping indexes for Options.IndexTTL
// (at most keptListings of them) and chart archives for good (under its directory, and the
// most recently used in memory). It is safe for concurrent use; concurrent requests for the
// same index or chart share one download.
type Cache struct {
	// origins are the allowed foreign origins of chart archives (Options.ChartOrigins).
	origins  map[string]bool
	dir      string
	ttl      time.Duration
	timeout  time.Duration
	log      *slog.Logger
	secure   *http.Client
	insecure *http.Client
	now      func() time.Time

	flight singleflight.Group
	store  *archiveStore
	// lists are the listings by kind, credentials and registry (see cached).
	lists *lru.Cache[string, *listing]
}

// listing is a registry's charts, each with its versions newest first, as read at fetched.
type listing struct {
	fetched time.Time
	charts  map[string][]entry
}

// NewCache returns a Cache keeping its files under dir, which it creates if needed.
func NewCache(dir string, opts Options) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("create chart cache: no directory given")
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("create chart cache: %w", err)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.IndexTTL <= 0 {
		opts.IndexTTL = DefaultIndexTTL
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	secure := http.DefaultTransport.(*http.Transport).Clone()
	insecure := http.DefaultTransport.(*http.Transport).Clone()
	insecure.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // only for registries marked Insecure
	// The only error lru.New answers is for a size below one.
	lists, _ := lru.New[string, *listing](keptListings)
	origins := map[string]bool{}
	for _, o := range opts.ChartOrigins {
		origins[strings.ToLower(strings.TrimSuffix(o, "/"))] = true
	}
	return &Cache{
		origins:  origins,
		dir:      dir,
		ttl:      opts.IndexTTL,
		timeout:  opts.Timeout,
		log:      opts.Logger,
		secure:   &http.Client{Transport: secure, Timeout: opts.Timeout},
		insecure: &http.Client{Transport: insecure, Timeout: opts.Timeout},
		now:      time.Now,
		store:    newArchiveStore(filepath.Join(dir, "charts")),
		lists:    lists,
	}, nil
}

// ListCharts answers the registry's charts, each with its versions newest first (versions
// that are not semantic versions last). The registry is asked at most once per
// Options.IndexTTL and credentials; the answer is the caller's own. For OCI registries,
// AppVersion and Description are filled for the newest version of each chart only (the
// others would cost two requests each), and tags that are not semantic versions are left out.
func (c *Cache) ListCharts(ctx context.Context, r Registry) (map[string][]ChartVersion, error) {
	t, err := newTarget(r)
	if err != nil {
		return nil, fmt.Errorf("list charts: %w", err)
	}
	var l *listing
	if t.oci {
		l, err = c.cached(ctx, "catalog\x00"+t.listing, func(ctx context.Context) (map[string][]entry, error) {
			return c.ociCatalog(ctx, t)
		})
	} else {
		l, err = c.index(ctx, t)
	}
	if err != nil {
		return nil, fmt.Errorf("list charts of %s: %w", t, err)
	}
	out := make(map[string][]ChartVersion, len(l.charts))
	for name, es := range l.charts {
		out[name] = publicVersions(es)
	}
	return out, nil
}

// Chart answers the chart name in the version the constraint picks: empty for the newest
// stable version, an exact version, or a semver range such as "~1.2". A version fetched once
// is answered from memory or disk afterwards; an exact version ("1.2.3") that is kept is
// answered without asking the registry at all, so without checking credentials. Every call answers a chart of its own, which the caller may modify
// (Helm's install and upgrade do).
//
// Errors wrap ErrChartNotFound when the registry has no such chart or version,
// ErrUnauthorized when it refuses the credentials, ErrInvalidConstraint, ErrDigestMismatch,
// or the network error.
func (c *Cache) Chart(ctx context.Context, r Registry, name, versionConstraint string) (*chart.Chart, error) {
	t, err := newTarget(r)
	if err != nil {
		return nil, fmt.Errorf("fetch chart %q: %w", name, err)
	}
	if name == "" || strings.ContainsAny(name, "/\\:@") {
		return nil, fmt.Errorf("fetch chart from %s: %w: invalid chart name %q", t, ErrChartNotFound, name)
	}
	if v, ok := exactVersion(versionConstraint); ok {
		if data, ok := c.store.get(t, name, v); ok {
			return loadArchive(data, name, v)
		}
	}
	e, err := c.find(ctx, t, name, versionConstraint)
	if err != nil {
		return nil, err
	}
	data, err := c.archive(ctx, t, name, e)
	if err != nil {
		return nil, fmt.Errorf("fetch chart %q version %s from %s: %w", name, e.Version, t, err)
	}
	return loadArchive(data, name, e.Version)
}

// Forget drops everything kept for the registry with this id: its listings in memory and its
// charts in memory and on disk. Call it when a registry is changed or deleted.
func (c *Cache) Forget(registryID string) error {
	prefix := segment(registryID) + "/"
	for _, k := range c.lists.Keys() {
		if _, rest, ok := strings.Cut(k, "\x00"); ok && strings.HasPrefix(rest, prefix) {
			c.lists.Remove(k)
		}
	}
	if err := c.store.forget(prefix); err != nil {
		return fmt.Errorf("forget charts of helm registry %q: %w", registryID, err)
	}
	return nil
}

// find resolves the constraint against the chart's versions.
func (c *Cache) find(ctx context.Context, t target, name, constraint string) (entry, error) {
	var (
		l   *listing
		err error
	)
	if t.oci {
		l, err = c.cached(ctx, "tags\x00"+t.listing+"/"+name, func(ctx context.Context) (map[string][]entry, error) {
			return c.ociChart(ctx, t, name)
		})
	} else {
		l, err = c.index(ctx, t)
	}
	if err != nil {
		return entry{}, fmt.Errorf("find chart %q in %s: %w", name, t, err)
	}
	versions, ok := l.charts[name]
	if !ok || len(versions) == 0 {
		return entry{}, fmt.Errorf("%w: %s has no chart %q", ErrChartNotFound, t, name)
	}
	e, err := resolve(versions, constraint)
	if errors.Is(err, errNoMatch) {
		want := constraint
		if want == "" {
			want = "latest stable"
		}
		return entry{}, fmt.Errorf("%w: %s has no version %q of chart %q", ErrChartNotFound, t, want, name)
	}
	if err != nil {
		return entry{}, fmt.Errorf("find chart %q in %s: %w", name, t, err)
	}
	return e, nil
}

// index answers a classic repository's index.
func (c *Cache) index(ctx context.Context, t target) (*listing, error) {
	return c.cached(ctx, "index\x00"+t.listing, func(ctx context.Context) (map[string][]entry, error) {
		return c.fetchIndex(ctx, t)
	})
}

// cached answers the listing under key while it is younger than the TTL, or fetches it,
// one fetch at a time per key.
func (c *Cache) cached(ctx context.Context, key string, fetch func(context.Context) (map[string][]entry, error)) (*listing, error) {
	if l := c.fresh(key); l != nil {
		return l, nil
	}
	v, err := c.shared(ctx, "list\x00"+key, func(ctx context.Context) (any, error) {
		// A flight that ended between the check above and this one has already filled it.
		if l := c.fresh(key); l != nil {
			return l, nil
		}
		charts, err := fetch(ctx)
		if err != nil {
			return nil, err
		}
		l := &listing{fetched: c.now(), charts: charts}
		// Drop expired listings, such as those read with credentials no longer in use.
		for _, k := range c.lists.Keys() {
			if old, ok := c.lists.Peek(k); ok && l.fetched.Sub(old.fetched) >= c.ttl {
				c.lists.Remove(k)
			}
		}
		c.lists.Add(key, l)
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*listing), nil
}

// fresh answers the listing under key if it is younger than the TTL.
func (c *Cache) fresh(key string) *listing {
	if l, ok := c.lists.Get(key); ok && c.now().Sub(l.fetched) < c.ttl {
		return l
	}
	return nil
}

// archive answers the chart archive of one version from the store or downloads it,
// one download at a time per chart version.
func (c *Cache) archive(ctx context.Context, t target, name string, e entry) ([]byte, error) {
	if data, ok := c.store.get(t, name, e.Version); ok {
		return data, nil
	}
	v, err := c.shared(ctx, "chart\x00"+t.store+"\x00"+name+"\x00"+e.Version, func(ctx context.Context) (any, error) {
		if data, ok := c.store.get(t, name, e.Version); ok {
			return data, nil
		}
		var (
			data []byte
			err  error
		)
		if t.oci {
			data, err = c.ociPull(ctx, t, e)
		} else {
			data, err = c.download(ctx, t, e)
		}
		if err != nil {
			return nil, err
		}
		if _, err := loadArchive(data, name, e.Version); err != nil {
			return nil, err
		}
		c.log.InfoContext(ctx, "downloaded chart", "registry", t.ID, "chart", name, "version", e.Version, "bytes", len(data))
		if err := c.store.put(t, name, e.Version, data); err != nil {
			// The chart is good; it will only be downloaded again after a restart.
			c.log.WarnContext(ctx, "keep chart on disk", "registry", t.ID, "chart", name, "version", e.Version, "error", err)
		}
		return data, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// shared runs fn once for all concurrent callers with the same key. fn runs detached from the
// caller's cancellation, so that one caller giving up does not fail the others (the HTTP
// client's timeout still bounds it); each caller stops waiting when its own ctx ends.
func (c *Cache) shared(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	detached := context.WithoutCancel(ctx)
	ch := c.flight.DoChan(key, func() (any, error) { return fn(detached) })
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-ch:
		return res.Val, res.Err
	}
}

// client answers the HTTP client for the registry.
func (c *Cache) client(t target) *http.Client {
	if t.Insecure {
		return c.insecure
	}
	return c.secure
}

// loadArchive loads a chart archive and checks it is the chart and version asked for.
func loadArchive(data []byte, name, version string) (*chart.Chart, error) {
	ch, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("load chart %q version %s: %w", name, version, err)
	}
	if ch.Metadata == nil || ch.Metadata.Name != name || ch.Metadata.Version != version {
		got := "no metadata"
		if ch.Metadata != nil {
			got = fmt.Sprintf("%q version %s", ch.Metadata.Name, ch.Metadata.Version)
		}
		return nil, fmt.Errorf("load chart %q version %s: the archive holds chart %s", name, version, got)
	}
	return ch, nil
}
