package registry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestClientAuthKinds(t *testing.T) {
	for _, auth := range []string{authNone, authBasic, authBearer} {
		t.Run(auth, func(t *testing.T) {
			ctx := context.Background()
			reg := newTestRegistry(t, auth)
			want := map[string]string{}
			for _, tag := range []string{"1.0.0", "1.1.0", "feature-x"} {
				want[tag] = reg.pushImage("team/app", tag)
			}
			c := reg.client(ClientConfig{})
			if err := c.Check(ctx); err != nil {
				t.Fatalf("Check: %v", err)
			}
			tokensAfterCheck := reg.tokenRequests.Load()

			tags, err := c.ListTags(ctx, "team/app")
			if err != nil {
				t.Fatalf("ListTags: %v", err)
			}
			slices.Sort(tags)
			if !slices.Equal(tags, []string{"1.0.0", "1.1.0", "feature-x"}) {
				t.Errorf("ListTags = %v", tags)
			}
			for tag, d := range want {
				got, err := c.Digest(ctx, "team/app", tag)
				if err != nil {
					t.Fatalf("Digest(%s): %v", tag, err)
				}
				if got != d {
					t.Errorf("Digest(%s) = %s, want %s", tag, got, d)
				}
			}
			// One token for the repository scope, fetched once for the list and three HEADs.
			wantTokens := int64(0)
			if auth == authBearer {
				wantTokens = 1
			}
			if got := reg.tokenRequests.Load() - tokensAfterCheck; got != wantTokens {
				t.Errorf("token requests for one list and three HEADs = %d, want %d", got, wantTokens)
			}
		})
	}
}

func TestClientWrongCredentials(t *testing.T) {
	for _, auth := range []string{authBasic, authBearer} {
		t.Run(auth, func(t *testing.T) {
			reg := newTestRegistry(t, auth)
			reg.pushImage("team/app", "1.0.0")
			c := reg.client(ClientConfig{Username: testUser, Password: "wrong"})
			if err := c.Check(context.Background()); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("Check = %v, want ErrUnauthorized", err)
			}
			if _, err := c.ListTags(context.Background(), "team/app"); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("ListTags = %v, want ErrUnauthorized", err)
			}
		})
	}
}

func TestClientPagination(t *testing.T) {
	ctx := context.Background()
	reg := newTestRegistry(t, authBearer)
	reg.pushImage("team/app", "tag-00")
	var want []string
	for i := range 25 {
		tag := "tag-" + string(rune('a'+i))
		reg.tag("team/app", "tag-00", tag)
		want = append(want, tag)
	}
	want = append(want, "tag-00")
	slices.Sort(want)

	c := reg.client(ClientConfig{PageSize: 10})
	before := reg.tagListCalls.Load()
	tags, pages, err := c.listTags(ctx, "team/app")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tags, want) {
		t.Errorf("tags = %v\nwant %v", tags, want)
	}
	if pages != 3 || reg.tagListCalls.Load()-before != 3 {
		t.Errorf("pages = %d, tag-list requests = %d; want 3 and 3", pages, reg.tagListCalls.Load()-before)
	}
}

func TestClientDigest(t *testing.T) {
	ctx := context.Background()
	reg := newTestRegistry(t, authBasic)
	image := reg.pushImage("team/app", "single")
	index := reg.pushIndex("team/app", "multi-arch")
	c := reg.client(ClientConfig{})

	tests := []struct {
		name    string
		repo    string
		tag     string
		want    string
		wantErr error
	}{
		{name: "image", repo: "team/app", tag: "single", want: image},
		{name: "multi-arch index is identified by its index digest", repo: "team/app", tag: "multi-arch", want: index},
		{name: "unknown tag", repo: "team/app", tag: "nope", wantErr: ErrNotFound},
		{name: "unknown repository", repo: "team/none", tag: "single", wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Digest(ctx, tt.repo, tt.tag)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Digest = %q, %v; want %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Digest = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := c.ListTags(ctx, "team/none"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ListTags of an unknown repository = %v, want ErrNotFound", err)
	}
	if _, err := c.Digest(ctx, "Team/App", "single"); err == nil {
		t.Error("Digest of an invalid repository name succeeded")
	}
}

func TestClientRetryAfter(t *testing.T) {
	ctx := context.Background()
	reg := newTestRegistry(t, authBearer)
	reg.pushImage("team/app", "1.0.0")
	c := reg.client(ClientConfig{})
	if _, err := c.ListTags(ctx, "team/app"); err != nil { // ping and token first
		t.Fatal(err)
	}

	t.Run("429 twice then success", func(t *testing.T) {
		reg.retryAfter.Store("1")
		reg.throttle.Store(2)
		before := c.Stats()
		tags, err := c.ListTags(ctx, "team/app")
		if err != nil || !slices.Equal(tags, []string{"1.0.0"}) {
			t.Fatalf("ListTags = %v, %v", tags, err)
		}
		after := c.Stats()
		if after.Retries-before.Retries != 2 || after.Requests-before.Requests != 3 {
			t.Errorf("retries %d, requests %d; want 2 and 3", after.Retries-before.Retries, after.Requests-before.Requests)
		}
	})
	t.Run("503 with Retry-After then success", func(t *testing.T) {
		reg.retryAfter.Store("1")
		reg.throttleCode.Store(503)
		defer reg.throttleCode.Store(0)
		reg.throttle.Store(1)
		before := c.Stats()
		if _, err := c.Digest(ctx, "team/app", "1.0.0"); err != nil {
			t.Fatalf("Digest: %v", err)
		}
		if got := c.Stats().Retries - before.Retries; got != 1 {
			t.Errorf("retries = %d, want 1", got)
		}
	})
	t.Run("Retry-After beyond the bound fails at once", func(t *testing.T) {
		reg.retryAfter.Store("3600")
		reg.throttle.Store(1)
		before := c.Stats()
		_, err := c.Digest(ctx, "team/app", "1.0.0")
		if !errors.Is(err, ErrRateLimited) {
			t.Fatalf("Digest = %v, want ErrRateLimited", err)
		}
		if got := c.Stats().Retries - before.Retries; got != 0 {
			t.Errorf("retries = %d, want 0", got)
		}
	})
	t.Run("retries are bounded", func(t *testing.T) {
		reg.retryAfter.Store("0")
		reg.throttle.Store(100)
		defer reg.throttle.Store(0)
		limited := reg.client(ClientConfig{MaxRetries: 2})
		_, err := limited.ListTags(ctx, "team/app")
		if !errors.Is(err, ErrRateLimited) {
			t.Fatalf("ListTags = %v, want ErrRateLimited", err)
		}
	})
}

func TestClientTokenRefresh(t *testing.T) {
	ctx := context.Background()
	reg := newTestRegistry(t, authBearer)
	reg.pushImage("team/app", "1.0.0")
	c := reg.client(ClientConfig{})
	base := reg.tokenRequests.Load() // the push's own token
	for range 3 {
		if _, err := c.ListTags(ctx, "team/app"); err != nil {
			t.Fatal(err)
		}
	}
	if got := reg.tokenRequests.Load() - base; got != 1 {
		t.Fatalf("token requests for three lists = %d, want 1", got)
	}
	reg.revokeTokens()
	for range 3 {
		if _, err := c.ListTags(ctx, "team/app"); err != nil {
			t.Fatalf("ListTags after the token expired: %v", err)
		}
	}
	if got := reg.tokenRequests.Load() - base; got != 2 {
		t.Errorf("token requests after an expiry = %d, want 2 (one refresh)", got)
	}
}

func TestClientDigestWithoutHeader(t *testing.T) {
	ctx := context.Background()
	reg := newTestRegistry(t, authNone)
	want := reg.pushIndex("team/app", "multi-arch")
	reg.stripDigest.Store(true)
	c := reg.client(ClientConfig{})
	got, err := c.Digest(ctx, "team/app", "multi-arch")
	if err != nil || got != want {
		t.Fatalf("Digest = %q, %v; want %q from the GET fallback", got, err, want)
	}
}

func TestClientRateCap(t *testing.T) {
	reg := newTestRegistry(t, authNone)
	reg.pushImage("team/app", "1.0.0")
	// One request now, the next in a quarter of an hour: the second cannot fit the deadline,
	// and the limiter says so without waiting.
	c := reg.client(ClientConfig{RequestsPerSecond: 1.0 / 900, Burst: 1})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.ListTags(ctx, "team/app")
	if err == nil || !strings.Contains(err.Error(), "request rate") {
		t.Fatalf("ListTags = %v, want a rate-cap error", err)
	}
	if got := c.Stats().Requests; got != 1 {
		t.Errorf("requests sent = %d, want 1", got)
	}
}

func TestClientKeepsItsScheme(t *testing.T) {
	reg := newTestRegistry(t, authNone)
	c, err := NewClient(ClientConfig{URL: "https://" + reg.host(), RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Check(ctx); err == nil {
		t.Fatal("Check over https against an http registry succeeded")
	}
	if n := reg.requests.Load(); n != 0 {
		t.Errorf("the registry served %d plain http requests to a client configured for https", n)
	}
}

func TestNewClientConfig(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		wantHost string
		wantErr  bool
	}{
		{name: "https", url: "https://registry.example.com", wantHost: "registry.example.com"},
		{name: "http with port", url: "http://registry.example.com:5000", wantHost: "registry.example.com:5000"},
		{name: "bare host", url: "registry.example.com", wantHost: "registry.example.com"},
		{name: "trailing v2", url: "https://registry.example.com/v2/", wantHost: "registry.example.com"},
		{name: "empty", url: "", wantErr: true},
		{name: "ftp", url: "ftp://registry.example.com", wantErr: true},
		{name: "path", url: "https://registry.example.com/team", wantErr: true},
		{name: "credentials in url", url: "https://u:p@registry.example.com", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(ClientConfig{URL: tt.url})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("NewClient(%q) succeeded", tt.url)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Host() != tt.wantHost {
				t.Errorf("Host() = %q, want %q", c.Host(), tt.wantHost)
			}
		})
	}
}

func TestRetryAfterValues(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{name: "seconds", value: "3", want: 3 * time.Second, wantOK: true},
		{name: "zero", value: "0", want: 0, wantOK: true},
		{name: "http date", value: "Tue, 24 Nov 2026 12:00:05 GMT", want: 5 * time.Second, wantOK: true},
		{name: "date in the past", value: "Tue, 24 Nov 2026 11:00:00 GMT", want: 0, wantOK: true},
		{name: "absent", value: ""},
		{name: "negative", value: "-4"},
		{name: "garbage", value: "soon"},
		{name: "huge is capped", value: "99999999999", want: 24 * time.Hour, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := retryAfter(tt.value, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestGuardReplaysBodies: a retried request with a body sends the body again.
func TestGuardReplaysBodies(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if string(body) != "grant_type=password" {
			t.Errorf("retried body = %q", body)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	g := &guardTransport{base: http.DefaultTransport, host: host, scheme: "http", limiter: newLimiter(-1, 0), maxRetries: 2, maxWait: time.Second}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/token", strings.NewReader("grant_type=password"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := g.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || calls.Load() != 2 || g.retries.Load() != 1 {
		t.Errorf("status %d after %d calls and %d retries; want 200, 2, 1", resp.StatusCode, calls.Load(), g.retries.Load())
	}
}
