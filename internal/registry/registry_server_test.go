package registry

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Kinds of authentication the test registry asks for.
const (
	authNone   = "anonymous"
	authBasic  = "basic"
	authBearer = "bearer"
)

const (
	testUser     = "ci"
	testPassword = "p4ssw0rd"
)

// testRegistry is go-containerregistry's in-memory registry behind a handler that adds what
// it lacks: Basic auth or a Bearer token flow with its own token endpoint, tag-list pagination
// with Link headers, and 429 answers on demand. It counts what it serves.
type testRegistry struct {
	t      testing.TB
	srv    *httptest.Server
	inner  http.Handler
	auth   string
	tokens sync.Map // issued token -> true

	requests      atomic.Int64 // requests to /v2/..., answered or refused
	tagListCalls  atomic.Int64
	tokenRequests atomic.Int64
	throttle      atomic.Int64 // answer this many next /v2/ requests with throttleCode
	throttleCode  atomic.Int64 // 429 unless set
	passFirst     atomic.Int64 // let this many requests through before throttling
	retryAfter    atomic.Value // string sent with those answers
	stripDigest   atomic.Bool  // answer manifest HEADs without Docker-Content-Digest
	headStatus    sync.Map     // "repo:tag" -> status code answered to a HEAD of that manifest
}

func newTestRegistry(t testing.TB, auth string) *testRegistry {
	t.Helper()
	r := &testRegistry{t: t, inner: ggcrregistry.New(ggcrregistry.Logger(discardLogger())), auth: auth}
	r.retryAfter.Store("1")
	r.srv = httptest.NewServer(r)
	t.Cleanup(r.srv.Close)
	return r
}

// host is "127.0.0.1:port"; go-containerregistry speaks http to loopback hosts.
func (r *testRegistry) host() string { return r.srv.Listener.Addr().String() }

func (r *testRegistry) url() string { return r.srv.URL }

func (r *testRegistry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/token" {
		r.serveToken(w, req)
		return
	}
	r.requests.Add(1)
	if r.takeThrottle() {
		code := int(r.throttleCode.Load())
		if code == 0 {
			code = http.StatusTooManyRequests
		}
		w.Header().Set("Retry-After", r.retryAfter.Load().(string))
		http.Error(w, `{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}`, code)
		return
	}
	if !r.authorized(req) {
		switch r.auth {
		case authBasic:
			w.Header().Set("WWW-Authenticate", `Basic realm="test-registry"`)
		case authBearer:
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="%s/token",service="test-registry"`, r.srv.URL))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`)
		return
	}
	if req.Method == http.MethodGet && strings.HasSuffix(req.URL.Path, "/tags/list") {
		r.tagListCalls.Add(1)
		if req.URL.Query().Get("n") != "" {
			r.servePage(w, req)
			return
		}
	}
	if repo, tag, ok := manifestPath(req.URL.Path); ok && req.Method == http.MethodHead {
		if code, ok := r.headStatus.Load(repo + ":" + tag); ok {
			w.WriteHeader(code.(int))
			return
		}
	}
	if req.Method == http.MethodHead && strings.Contains(req.URL.Path, "/manifests/") && r.stripDigest.Load() {
		rec := httptest.NewRecorder()
		r.inner.ServeHTTP(rec, req)
		for k, v := range rec.Header() {
			if k != "Docker-Content-Digest" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		return
	}
	r.inner.ServeHTTP(w, req)
}

// manifestPath splits /v2/<repo>/manifests/<reference>.
func manifestPath(p string) (repo, ref string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/v2/")
	if !ok {
		return "", "", false
	}
	i := strings.LastIndex(rest, "/manifests/")
	if i < 0 {
		return "", "", false
	}
	return rest[:i], rest[i+len("/manifests/"):], true
}

// revokeTokens forgets every token issued, as a token expiry would.
func (r *testRegistry) revokeTokens() {
	r.tokens.Range(func(k, _ any) bool { r.tokens.Delete(k); return true })
}

// throttleAfter lets pass requests through, then refuses the n next ones.
func (r *testRegistry) throttleAfter(pass, n int64) {
	r.passFirst.Store(pass)
	r.throttle.Store(n)
}

func (r *testRegistry) takeThrottle() bool {
	if r.throttle.Load() > 0 && r.passFirst.Add(-1) >= 0 {
		return false
	}
	for {
		n := r.throttle.Load()
		if n <= 0 {
			return false
		}
		if r.throttle.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

func (r *testRegistry) authorized(req *http.Request) bool {
	got := req.Header.Get("Authorization")
	switch r.auth {
	case authBasic:
		return got == basicHeader(testUser, testPassword)
	case authBearer:
		token, ok := strings.CutPrefix(got, "Bearer ")
		_, known := r.tokens.Load(token)
		return ok && known
	}
	return true
}

func basicHeader(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// serveToken issues a token to callers with the right Basic credentials, as Docker's token
// servers do.
func (r *testRegistry) serveToken(w http.ResponseWriter, req *http.Request) {
	n := r.tokenRequests.Add(1)
	if req.Header.Get("Authorization") != basicHeader(testUser, testPassword) {
		http.Error(w, `{"details":"incorrect username or password"}`, http.StatusUnauthorized)
		return
	}
	token := fmt.Sprintf("token-%d", n)
	r.tokens.Store(token, true)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"token": token, "expires_in": 3600})
}

// servePage answers a tag list with "n" (and "last") itself, with a Link header when more
// tags follow: the in-memory registry honours n and last but sends no Link header.
func (r *testRegistry) servePage(w http.ResponseWriter, req *http.Request) {
	all := httptest.NewRecorder()
	whole := req.Clone(req.Context())
	whole.URL.RawQuery = ""
	r.inner.ServeHTTP(all, whole)
	if all.Code != http.StatusOK {
		for k, v := range all.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(all.Code)
		w.Write(all.Body.Bytes())
		return
	}
	var list struct {
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(all.Body.Bytes(), &list); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	sort.Strings(list.Tags)
	n, err := strconv.Atoi(req.URL.Query().Get("n"))
	if err != nil || n <= 0 {
		http.Error(w, "bad n", http.StatusBadRequest)
		return
	}
	if last := req.URL.Query().Get("last"); last != "" {
		i := sort.SearchStrings(list.Tags, last)
		if i < len(list.Tags) && list.Tags[i] == last {
			i++
		}
		list.Tags = list.Tags[i:]
	}
	if len(list.Tags) > n {
		list.Tags = list.Tags[:n]
		next := url.Values{"n": {strconv.Itoa(n)}, "last": {list.Tags[n-1]}}
		w.Header().Set("Link", fmt.Sprintf(`<%s?%s>; rel="next"`, req.URL.Path, next.Encode()))
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(list)
}

// pushOptions authenticate the test's own pushes.
func (r *testRegistry) pushOptions() []remote.Option {
	return []remote.Option{remote.WithAuth(&authn.Basic{Username: testUser, Password: testPassword})}
}

func (r *testRegistry) ref(repo, tag string) name.Tag {
	r.t.Helper()
	ref, err := name.NewTag(r.host() + "/" + repo + ":" + tag)
	if err != nil {
		r.t.Fatal(err)
	}
	return ref
}

// pushImage pushes a new random image as repo:tag and returns its digest.
func (r *testRegistry) pushImage(repo, tag string) string {
	r.t.Helper()
	img, err := random.Image(256, 1)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := remote.Write(r.ref(repo, tag), img, r.pushOptions()...); err != nil {
		r.t.Fatalf("push %s:%s: %v", repo, tag, err)
	}
	return digestOf(r.t, img)
}

// pushIndex pushes a new random multi-arch index as repo:tag and returns the index digest.
func (r *testRegistry) pushIndex(repo, tag string) string {
	r.t.Helper()
	idx, err := random.Index(128, 1, 3)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := remote.WriteIndex(r.ref(repo, tag), idx, r.pushOptions()...); err != nil {
		r.t.Fatalf("push index %s:%s: %v", repo, tag, err)
	}
	d, err := idx.Digest()
	if err != nil {
		r.t.Fatal(err)
	}
	return d.String()
}

// tag points repo:tag at the manifest repo:from points at.
func (r *testRegistry) tag(repo, from, tag string) {
	r.t.Helper()
	desc, err := remote.Get(r.ref(repo, from), r.pushOptions()...)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := remote.Tag(r.ref(repo, tag), desc, r.pushOptions()...); err != nil {
		r.t.Fatalf("tag %s:%s: %v", repo, tag, err)
	}
}

// deleteTag removes repo:tag.
func (r *testRegistry) deleteTag(repo, tag string) {
	r.t.Helper()
	if err := remote.Delete(r.ref(repo, tag), r.pushOptions()...); err != nil {
		r.t.Fatalf("delete %s:%s: %v", repo, tag, err)
	}
}

// client returns a Client for the registry with the right credentials, uncapped unless cfg
// says otherwise.
func (r *testRegistry) client(cfg ClientConfig) *Client {
	r.t.Helper()
	if cfg.URL == "" {
		cfg.URL = r.url()
	}
	if cfg.Username == "" && r.auth != authNone {
		cfg.Username, cfg.Password = testUser, testPassword
	}
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = -1
	}
	c, err := NewClient(cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

func digestOf(t testing.TB, img v1.Image) string {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

func discardLogger() *log.Logger { return log.New(io.Discard, "", 0) }
