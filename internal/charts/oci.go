package charts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"golang.org/x/sync/errgroup"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/registry"
	"oras.land/oras-go/v2/registry/remote/auth"
)

// ociListConcurrency bounds the requests ListCharts makes at once to one OCI registry.
const ociListConcurrency = 4

// errNotChart marks a repository in the catalog whose newest tag is not a Helm chart.
var errNotChart = errors.New("not a helm chart")

// ociCatalog lists the charts below the registry's path: the repositories the catalog names
// directly under it, or, when the registry offers no catalog, the path itself as one chart.
func (c *Cache) ociCatalog(ctx context.Context, t target) (map[string][]entry, error) {
	repos, catalogErr := c.catalog(ctx, t)
	if catalogErr != nil {
		if t.path == "" {
			return nil, fmt.Errorf("read catalog: %w", classify(catalogErr))
		}
		c.log.DebugContext(ctx, "no catalog, reading the registry path as one chart", "registry", t.ID, "error", catalogErr)
		repos = []string{t.path}
	}
	found := map[string]string{} // chart name → repository path
	for _, r := range repos {
		switch {
		case r == t.path:
			found[path.Base(r)] = r
		case t.path == "" && !strings.Contains(r, "/"):
			found[r] = r
		case t.path != "" && strings.HasPrefix(r, t.path+"/") && !strings.Contains(r[len(t.path)+1:], "/"):
			found[r[len(t.path)+1:]] = r
		}
	}

	var (
		mu      sync.Mutex
		charts  = map[string][]entry{}
		g, gctx = errgroup.WithContext(ctx)
	)
	g.SetLimit(ociListConcurrency)
	for chartName, repoPath := range found {
		g.Go(func() error {
			es, err := c.ociTags(gctx, t, repoPath)
			if err != nil && catalogErr != nil {
				return fmt.Errorf("read catalog: %v; then list tags of %s/%s: %w", catalogErr, t.host, repoPath, classify(err))
			}
			if err != nil {
				return fmt.Errorf("list tags of %s/%s: %w", t.host, repoPath, classify(err))
			}
			if len(es) == 0 {
				return nil
			}
			md, err := c.ociMetadata(gctx, t, repoPath, es[0].Version)
			switch {
			case errors.Is(err, errNotChart):
				return nil
			case err != nil:
				c.log.WarnContext(gctx, "read chart metadata", "registry", t.ID, "chart", chartName, "error", err)
			default:
				es[0].AppVersion = md.AppVersion
				es[0].Description = md.Description
			}
			mu.Lock()
			charts[chartName] = es
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	c.log.InfoContext(ctx, "listed OCI charts", "registry", t.ID, "charts", len(charts))
	return charts, nil
}

// ociChart lists the versions of one chart: the tags of path/name, or of the registry path
// itself when it is that chart (oci://host/path/name).
func (c *Cache) ociChart(ctx context.Context, t target, chartName string) (map[string][]entry, error) {
	candidates := []string{strings.TrimPrefix(t.path+"/"+chartName, "/")}
	if t.path != "" && path.Base(t.path) == chartName {
		candidates = append(candidates, t.path)
	}
	for _, repoPath := range candidates {
		es, err := c.ociTags(ctx, t, repoPath)
		if err != nil {
			return nil, fmt.Errorf("list tags of %s/%s: %w", t.host, repoPath, classify(err))
		}
		if len(es) > 0 {
			return map[string][]entry{chartName: es}, nil
		}
	}
	return map[string][]entry{}, nil
}

// catalog reads the registry's list of repositories.
func (c *Cache) catalog(ctx context.Context, t target) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	reg, err := name.NewRegistry(t.host, c.nameOptions(t)...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRegistry, err)
	}
	return remote.Catalog(ctx, reg, c.remoteOptions(ctx, t)...)
}

// ociTags answers the semantic-version tags of a repository as versions, newest first;
// none when the repository does not exist. Each entry's urls hold the repository reference.
func (c *Cache) ociTags(ctx context.Context, t target, repoPath string) ([]entry, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ref := t.host + "/" + repoPath
	repo, err := name.NewRepository(ref, c.nameOptions(t)...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRegistry, err)
	}
	tags, err := remote.List(repo, c.remoteOptions(ctx, t)...)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var es []entry
	for _, tag := range tags {
		// Helm pushes "+" in versions as "_", which tags cannot hold.
		v := strings.ReplaceAll(tag, "_", "+")
		if _, err := semver.StrictNewVersion(v); err == nil {
			es = append(es, newEntry(ChartVersion{Version: v}, []string{ref}, ""))
		}
	}
	sortNewestFirst(es)
	return es, nil
}

// ociMetadata reads the chart metadata that Helm stores as the manifest's config;
// errNotChart when the tag is something else, such as a container image.
func (c *Cache) ociMetadata(ctx context.Context, t target, repoPath, version string) (*chart.Metadata, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ref, err := name.NewTag(t.host+"/"+repoPath+":"+strings.ReplaceAll(version, "+", "_"), c.nameOptions(t)...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRegistry, err)
	}
	desc, err := remote.Get(ref, c.remoteOptions(ctx, t)...)
	if err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", ref, classify(err))
	}
	if desc.MediaType.IsIndex() {
		return nil, errNotChart
	}
	img, err := desc.Image()
	if err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", ref, err)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", ref, err)
	}
	if string(m.Config.MediaType) != registry.ConfigMediaType {
		return nil, errNotChart
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read chart metadata of %s: %w", ref, classify(err))
	}
	var md chart.Metadata
	if err := json.Unmarshal(raw, &md); err != nil {
		return nil, fmt.Errorf("read chart metadata of %s: %w", ref, err)
	}
	return &md, nil
}

// ociPull pulls a chart version with the Helm SDK's registry client. The client takes no
// context: the HTTP client's timeout bounds each of its requests. It never reads the
// credentials of helm or docker on this machine: only the registry's own are used.
func (c *Cache) ociPull(_ context.Context, t target, e entry) ([]byte, error) {
	if len(e.urls) == 0 {
		return nil, fmt.Errorf("%w: no repository for version %s", ErrChartNotFound, e.Version)
	}
	hc := c.client(t)
	cred := auth.EmptyCredential
	if t.Username != "" {
		cred = auth.Credential{Username: t.Username, Password: t.Password}
	}
	opts := []registry.ClientOption{
		registry.ClientOptHTTPClient(hc),
		registry.ClientOptAuthorizer(auth.Client{
			Client:     hc,
			Credential: auth.StaticCredential(t.host, cred),
			Cache:      auth.NewCache(),
		}),
		registry.ClientOptCredentialsFile(filepath.Join(c.dir, "tmp", "registry-config.json")),
		registry.ClientOptWriter(io.Discard),
	}
	if t.Insecure {
		opts = append(opts, registry.ClientOptPlainHTTP())
	}
	client, err := registry.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("create OCI registry client: %w", err)
	}
	ref := e.urls[0] + ":" + e.Version
	res, err := client.Pull(ref, registry.PullOptWithChart(true))
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("pull %s: %w: %w", ref, ErrChartNotFound, err)
		}
		return nil, fmt.Errorf("pull %s: %w", ref, classify(err))
	}
	return res.Chart.Data, nil
}

// nameOptions are the go-containerregistry reference options for the registry.
func (c *Cache) nameOptions(t target) []name.Option {
	if t.Insecure {
		return []name.Option{name.Insecure}
	}
	return nil
}

// remoteOptions are the go-containerregistry request options for the registry.
func (c *Cache) remoteOptions(ctx context.Context, t target) []remote.Option {
	var a authn.Authenticator = authn.Anonymous
	if t.Username != "" {
		a = &authn.Basic{Username: t.Username, Password: t.Password}
	}
	return []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuth(a),
		remote.WithTransport(c.client(t).Transport),
	}
}
