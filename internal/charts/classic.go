package charts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"helm.sh/helm/v3/pkg/repo"
)

// Size limits of what a classic repository may answer. Large public indexes are tens of MiB.
const (
	maxIndexBytes   = 128 << 20
	maxArchiveBytes = 64 << 20
)

// fetchIndex downloads and parses a classic repository's index.yaml.
func (c *Cache) fetchIndex(ctx context.Context, t target) (map[string][]entry, error) {
	data, err := c.get(ctx, t, t.base+"/index.yaml", true, maxIndexBytes)
	if err != nil {
		return nil, fmt.Errorf("download index: %w", classify(err))
	}
	idx, err := c.parseIndex(data)
	if err != nil {
		return nil, fmt.Errorf("parse index.yaml: %w", err)
	}
	charts := make(map[string][]entry, len(idx.Entries))
	for name, cvs := range idx.Entries {
		es := make([]entry, 0, len(cvs))
		for _, cv := range cvs {
			if cv == nil || cv.Metadata == nil {
				continue
			}
			es = append(es, newEntry(ChartVersion{
				Version:     cv.Version,
				AppVersion:  cv.AppVersion,
				Description: cv.Description,
			}, cv.URLs, cv.Digest))
		}
		sortNewestFirst(es)
		charts[name] = es
	}
	c.log.InfoContext(ctx, "downloaded chart index", "registry", t.ID, "charts", len(charts), "bytes", len(data))
	return charts, nil
}

// parseIndex parses index.yaml with the Helm SDK, which validates entries and drops the
// invalid ones. The SDK only reads indexes from files.
func (c *Cache) parseIndex(data []byte) (*repo.IndexFile, error) {
	f, err := os.CreateTemp(filepath.Join(c.dir, "tmp"), "index-*.yaml")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return repo.LoadIndexFile(f.Name())
}

// download fetches a chart archive from the URLs of its index entry, in order, and checks its
// digest. URLs outside the repository's own scheme and host are refused unless their origin is
// allowed (Options.ChartOrigins); credentials only go to the repository's own origin.
func (c *Cache) download(ctx context.Context, t target, e entry) ([]byte, error) {
	if len(e.urls) == 0 {
		return nil, fmt.Errorf("%w: the index names no URL for version %s", ErrChartNotFound, e.Version)
	}
	var errs []error
	for _, ref := range e.urls {
		u, err := repo.ResolveReferenceURL(t.base, ref)
		if err != nil {
			errs = append(errs, fmt.Errorf("resolve chart URL %q: %w", ref, err))
			continue
		}
		own := sameOrigin(t.base, u)
		if !own && !c.allowedOrigin(u) {
			errs = append(errs, fmt.Errorf("%w: the index points to %s, outside the repository's origin; an ADMIN can allow that origin with ONEKO_CHART_ORIGINS", ErrChartOrigin, redact(u)))
			continue
		}
		data, err := c.get(ctx, t, u, own, maxArchiveBytes)
		if err != nil {
			errs = append(errs, fmt.Errorf("download chart: %w", classify(err)))
			continue
		}
		if err := checkDigest(data, e.digest); err != nil {
			errs = append(errs, fmt.Errorf("download chart %s: %w", u, err))
			continue
		}
		return data, nil
	}
	return nil, errors.Join(errs...)
}

// checkDigest compares the archive's SHA-256 with the index's digest, if there is one.
func checkDigest(data []byte, digest string) error {
	if digest == "" {
		return nil
	}
	want := strings.ToLower(strings.TrimPrefix(digest, "sha256:"))
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != want {
		return fmt.Errorf("%w: index says sha256:%s, archive is sha256:%s", ErrDigestMismatch, want, got)
	}
	return nil
}

// get reads a URL's body up to limit bytes, with the registry's Basic credentials when auth is
// set. An answer other than 2xx is a *statusError.
func (c *Cache) get(ctx context.Context, t target, u string, auth bool, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if auth && t.Username != "" {
		req.SetBasicAuth(t.Username, t.Password)
	}
	resp, err := c.client(t).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &statusError{url: redact(u), status: resp.StatusCode}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", redact(u), err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("GET %s: answer larger than %d bytes", redact(u), limit)
	}
	return data, nil
}

// allowedOrigin reports whether an archive URL outside its repository's origin may be fetched.
func (c *Cache) allowedOrigin(u string) bool {
	if c.origins["*"] {
		return true
	}
	p, err := url.Parse(u)
	return err == nil && c.origins[strings.ToLower(p.Scheme+"://"+p.Host)]
}

// sameOrigin reports whether u has the scheme and host of base.
func sameOrigin(base, u string) bool {
	b, err1 := url.Parse(base)
	p, err2 := url.Parse(u)
	return err1 == nil && err2 == nil && b.Scheme == p.Scheme && strings.EqualFold(b.Host, p.Host)
}

// redact removes user information and the query (which may hold a token) from a URL.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(invalid URL)"
	}
	p.User = nil
	p.RawQuery = ""
	return p.String()
}
