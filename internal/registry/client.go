package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"golang.org/x/time/rate"

	"github.com/oneko/oneko/internal/registryspec"
)

// Defaults of ClientConfig.
const (
	// DefaultRequestsPerSecond caps the requests a Client sends to its registry.
	DefaultRequestsPerSecond = 10
	// DefaultPageSize is the number of tags asked for per page of a tag list (ECR's maximum).
	DefaultPageSize = 1000
	// DefaultMaxRetries is how often a 429 or 503 answer is retried.
	DefaultMaxRetries = 3
	// DefaultMaxRetryWait is the longest Retry-After a Client waits for before giving up.
	DefaultMaxRetryWait = 30 * time.Second
	// maxPages stops a registry whose Link headers never end.
	maxPages = 10000
)

// Errors of Client methods, matched with errors.Is.
var (
	// ErrNotFound means the registry does not know the repository or the tag.
	ErrNotFound = errors.New("not found in registry")
	// ErrUnauthorized means the registry refused the credentials (401 or 403).
	ErrUnauthorized = errors.New("registry refused the credentials")
	// ErrRateLimited means the registry still answered 429 after the retries allowed.
	ErrRateLimited = errors.New("registry rate limit")
	// errInvalidURL is wrapped by NewClient when the registry URL cannot be used.
	errInvalidURL = errors.New("invalid registry URL")
)

// ClientConfig describes one docker registry.
type ClientConfig struct {
	// URL is "https://host[:port]" or "http://host[:port]"; a bare host means https. The scheme
	// is binding: a Client never falls back from https to http, nor the other way round.
	URL string
	// Username and Password are the credentials, used for Basic auth or to obtain Bearer
	// tokens; both empty means anonymous.
	Username, Password string
	// Insecure skips TLS certificate verification. It applies to the default transport only.
	Insecure bool
	// RequestsPerSecond caps the request rate towards the registry (token requests included);
	// 0 means DefaultRequestsPerSecond, a negative value means no cap.
	RequestsPerSecond float64
	// Burst is how many requests may go at once before the cap applies; 0 means
	// RequestsPerSecond rounded up (at least 1).
	Burst int
	// PageSize is the number of tags asked for per page ("n"); 0 means DefaultPageSize.
	PageSize int
	// MaxRetries is how often a 429 or 503 answer is retried; 0 means DefaultMaxRetries, a
	// negative value means never.
	MaxRetries int
	// MaxRetryWait bounds the wait a Retry-After may ask for; a longer one fails at once.
	// 0 means DefaultMaxRetryWait.
	MaxRetryWait time.Duration
	// Transport is the base RoundTripper; nil means a clone of http.DefaultTransport.
	Transport http.RoundTripper
	// UserAgent is sent with every request; "" means "oneko".
	UserAgent string
}

// Client talks to one registry with the Docker Registry HTTP API v2. It keeps one transport,
// one rate limiter and one token per repository scope for its whole life (Bearer tokens are
// fetched once and refreshed only when the registry refuses them), so create one Client per
// registry and share it. A Client is safe for concurrent use.
type Client struct {
	registry name.Registry
	auth     authn.Authenticator
	guard    *guardTransport
	puller   *remote.Puller
	agent    string
}

// Stats counts what a Client sent.
type Stats struct {
	// Requests is the number of HTTP requests sent to the network, retries, pings and token
	// requests included.
	Requests int64
	// Retries is how many of them were retries after a 429 or 503.
	Retries int64
}

// NewClient checks cfg and returns a Client for it. It sends no request.
func NewClient(cfg ClientConfig) (*Client, error) {
	scheme, host, err := parseRegistryURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalidURL, err)
	}
	var opts []name.Option
	if scheme == "http" {
		opts = append(opts, name.Insecure)
	}
	reg, err := name.NewRegistry(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("registry url %q: %w", cfg.URL, err)
	}
	base := cfg.Transport
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		if cfg.Insecure {
			t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the registry's insecure flag asks for it
		}
		base = t
	}
	guard := &guardTransport{
		base:       base,
		host:       strings.ToLower(reg.RegistryStr()),
		scheme:     scheme,
		limiter:    newLimiter(cfg.RequestsPerSecond, cfg.Burst),
		maxRetries: orDefault(cfg.MaxRetries, DefaultMaxRetries),
		maxWait:    orDefault(cfg.MaxRetryWait, DefaultMaxRetryWait),
	}
	if cfg.MaxRetries < 0 {
		guard.maxRetries = 0
	}
	auth := authn.Anonymous
	if cfg.Username != "" || cfg.Password != "" {
		auth = &authn.Basic{Username: cfg.Username, Password: cfg.Password}
	}
	agent := cfg.UserAgent
	if agent == "" {
		agent = "oneko"
	}
	puller, err := remote.NewPuller(
		remote.WithAuth(auth),
		remote.WithTransport(guard),
		remote.WithUserAgent(agent),
		remote.WithPageSize(orDefault(cfg.PageSize, DefaultPageSize)),
		// Retries belong to guardTransport alone, so that each is counted and rate-capped.
		remote.WithRetryStatusCodes(),
		remote.WithRetryPredicate(func(error) bool { return false }),
	)
	if err != nil {
		return nil, fmt.Errorf("registry client for %s: %w", host, err)
	}
	return &Client{registry: reg, auth: auth, guard: guard, puller: puller, agent: agent}, nil
}

// parseRegistryURL returns the scheme and host of a registry URL.
func parseRegistryURL(raw string) (scheme, host string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "", errors.New("registry url: empty")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("registry url %q: %w", raw, err)
	}
	scheme = strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return "", "", fmt.Errorf("registry url %q: scheme must be https or http", raw)
	}
	if u.Host == "" || !registryspec.ValidHost(u.Host) {
		return "", "", fmt.Errorf("registry url %q: invalid host", raw)
	}
	if p := strings.Trim(u.Path, "/"); p != "" && p != "v2" || u.RawQuery != "" || u.User != nil {
		return "", "", fmt.Errorf("registry url %q: only scheme and host are allowed", raw)
	}
	return scheme, strings.ToLower(u.Host), nil
}

func newLimiter(rps float64, burst int) *rate.Limiter {
	switch {
	case rps < 0:
		return rate.NewLimiter(rate.Inf, 1)
	case rps == 0:
		rps = DefaultRequestsPerSecond
	}
	if burst <= 0 {
		burst = max(1, int(rps+0.999))
	}
	return rate.NewLimiter(rate.Limit(rps), burst)
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// Host returns the registry host (and port) the Client talks to.
func (c *Client) Host() string {
	return c.registry.RegistryStr()
}

// Stats returns the counts of requests sent so far.
func (c *Client) Stats() Stats {
	return Stats{Requests: c.guard.requests.Load(), Retries: c.guard.retries.Load()}
}

// repository validates a repository path and names it on this registry.
func (c *Client) repository(repository string) (name.Repository, error) {
	repository = NormalizeRepository(c.registry.RegistryStr(), repository)
	if !registryspec.ValidRepository(repository) {
		return name.Repository{}, fmt.Errorf("invalid repository name %q", repository)
	}
	return c.registry.Repo(repository), nil
}

// ListTags returns every tag of repository, following the registry's pagination (Link headers
// with "n" and "last") to the end. It fails with ErrNotFound when the registry does not know
// the repository.
func (c *Client) ListTags(ctx context.Context, repository string) ([]string, error) {
	tags, _, err := c.listTags(ctx, repository)
	return tags, err
}

// listTags is ListTags that also says how many pages it read.
func (c *Client) listTags(ctx context.Context, repository string) ([]string, int, error) {
	repo, err := c.repository(repository)
	if err != nil {
		return nil, 0, fmt.Errorf("list tags: %w", err)
	}
	lister, err := c.puller.Lister(ctx, repo)
	if err != nil {
		return nil, 1, fmt.Errorf("list tags of %s: %w", repo, classify(err))
	}
	var tags []string
	seen := map[string]bool{}
	pages := 0
	for lister.HasNext() {
		page, err := lister.Next(ctx)
		if err != nil {
			return nil, pages, fmt.Errorf("list tags of %s (page %d): %w", repo, pages+1, classify(err))
		}
		pages++
		tags = append(tags, page.Tags...)
		if page.Next != "" {
			if seen[page.Next] || pages >= maxPages {
				return nil, pages, fmt.Errorf("list tags of %s: pagination does not end (page %d)", repo, pages)
			}
			seen[page.Next] = true
		}
	}
	return tags, pages, nil
}

// Digest returns the digest of the manifest repository:tag points at, from a HEAD of the
// manifest (the Docker-Content-Digest header). Image indexes and manifest lists are accepted
// as they are, so a multi-arch tag is identified by its index digest. A registry that answers
// HEAD without the header costs one GET more. It fails with ErrNotFound for an unknown tag.
func (c *Client) Digest(ctx context.Context, repository, tag string) (string, error) {
	repo, err := c.repository(repository)
	if err != nil {
		return "", fmt.Errorf("resolve digest: %w", err)
	}
	if !registryspec.ValidTag(tag) {
		return "", fmt.Errorf("resolve digest of %s: invalid tag %q", repo, tag)
	}
	ref := repo.Tag(tag)
	desc, err := c.puller.Head(ctx, ref)
	if err != nil && headWithoutDigest(ctx, err) {
		var full *remote.Descriptor
		if full, err = c.puller.Get(ctx, ref); err == nil {
			return full.Digest.String(), nil
		}
	}
	if err != nil {
		return "", fmt.Errorf("resolve digest of %s: %w", ref, classify(err))
	}
	return desc.Digest.String(), nil
}

// headWithoutDigest reports whether a HEAD failed because the registry answered it without
// the headers go-containerregistry needs, rather than with an error status or a network error.
func headWithoutDigest(ctx context.Context, err error) bool {
	var (
		terr *transport.Error
		uerr *url.Error
		nerr net.Error
	)
	return ctx.Err() == nil && !errors.As(err, &terr) && !errors.As(err, &uerr) && !errors.As(err, &nerr)
}

// Check verifies that the registry is reachable and accepts the credentials: it asks /v2/,
// obtaining a token first when the registry wants Bearer auth. A registry that answers /v2/
// without asking for credentials passes whatever the credentials are.
func (c *Client) Check(ctx context.Context) error {
	tr, err := transport.NewWithContext(ctx, c.registry, c.auth, transport.NewUserAgent(c.guard, c.agent), nil)
	if err != nil {
		return fmt.Errorf("check registry %s: %w", c.Host(), classify(err))
	}
	u := url.URL{Scheme: c.guard.scheme, Host: c.registry.RegistryStr(), Path: "/v2/"}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("check registry %s: %w", c.Host(), err)
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return fmt.Errorf("check registry %s: %w", c.Host(), err)
	}
	defer resp.Body.Close()
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	if err := transport.CheckError(resp, http.StatusOK); err != nil {
		return fmt.Errorf("check registry %s: %w", c.Host(), classify(err))
	}
	return nil
}

// Unreachable reports whether err means the registry could not be asked at all: no
// connection, a timeout, or a gateway or server error (5xx). Refused credentials, rate limits,
// unknown tags and a cancelled ctx are answers, not unreachability.
func Unreachable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrRateLimited) {
		return false
	}
	var terr *transport.Error
	if errors.As(err, &terr) {
		return terr.StatusCode >= 500
	}
	var (
		uerr *url.Error
		nerr net.Error
	)
	return errors.As(err, &uerr) || errors.As(err, &nerr) || errors.Is(err, context.DeadlineExceeded)
}

// classify adds this package's sentinel errors to go-containerregistry's status errors.
func classify(err error) error {
	var terr *transport.Error
	if !errors.As(err, &terr) {
		return err
	}
	switch terr.StatusCode {
	case http.StatusNotFound:
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%w: %w", ErrUnauthorized, err)
	case http.StatusTooManyRequests:
		return fmt.Errorf("%w: %w", ErrRateLimited, err)
	}
	return err
}
