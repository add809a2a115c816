package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
	"github.com/oneko/oneko/policy"
)

// The components of this test binary: the embedded store, Redis, and the cluster of the
// tests that need one (started by the first of them, see kube).
var (
	shared   *testenv.Shared
	redisSrv *testenv.Redis
)

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Mongo: true, Redis: true, KubeOnDemand: true}, func(s *testenv.Shared) error {
		shared, redisSrv = s, s.Redis
		return nil
	}))
}

// fakeCluster records namespace calls. The Kubernetes side of namespaces is tested against the
// real control plane in internal/kube; here only the api's handling is under test.
type fakeCluster struct {
	mu      sync.Mutex
	created map[string]int
	// pullSecrets counts the registries whose pull secrets each namespace was created with.
	pullSecrets map[string]int
	fail        bool
	// starting makes the cluster answer like local mode's cluster before it is up.
	starting bool
}

// Status is the fake's api.ClusterStatus.
func (f *fakeCluster) Status() api.ClusterStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.starting {
		return api.ClusterStatus{State: api.ClusterWaiting, Message: "building"}
	}
	return api.ClusterStatus{State: api.ClusterReady}
}

func (f *fakeCluster) EnsureNamespace(_ context.Context, name string, regs []model.DockerRegistry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return fmt.Errorf("cluster says no")
	}
	if f.starting {
		return fmt.Errorf("%w: building", api.ErrClusterStarting)
	}
	f.created[name]++
	if f.pullSecrets != nil {
		f.pullSecrets[name] += len(regs)
	}
	return nil
}

func (f *fakeCluster) DeleteNamespace(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.created, name)
	return nil
}

type fakeCharts struct{}

func (fakeCharts) Forget(string) error { return nil }

func (fakeCharts) ListCharts(context.Context, *model.HelmRegistry) (map[string][]api.ChartVersion, error) {
	return map[string][]api.ChartVersion{"web": {{Version: "1.0.0"}}}, nil
}

// env is one api server with its own database, a flushed Redis, and a user and a token per role.
type env struct {
	t       testing.TB
	dbName  string
	srv     *httptest.Server
	server  *api.Server
	store   *store.Store
	cluster *fakeCluster
	rdb     *redis.Client
	users   map[model.Role]*model.User
	tokens  map[model.Role]string
	pw      string
}

const testPassword = "a-long-test-password"

func newEnv(t *testing.T, opts ...func(*api.Deps)) *env { return newEnvB(t, opts...) }

// newEnvB is newEnv for tests and benchmarks; opts change the server's dependencies.
func newEnvB(t testing.TB, opts ...func(*api.Deps)) *env {
	t.Helper()
	ctx := context.Background()
	if err := redisSrv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	st := shared.Mongo.Store(t, store.Options{})
	dbName := st.DatabaseName()
	rdb := redis.NewClient(&redis.Options{Addr: redisSrv.Addr()})
	q := asynq.NewClient(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	cl := &fakeCluster{created: map[string]int{}}
	deps := api.Deps{
		Store: st, Auth: auth.NewAuthenticator(st, auth.NewThrottleLimits(rdb, auth.Limits{PerUser: 5, PerAddress: 20, Window: time.Minute}), time.Hour, nil,
			// Four hashing slots as in production, but a long wait for one: under -race on a loaded
			// machine a hash takes seconds, and the login tests count 401s and 429s, not 503s
			// (internal/auth's TestHashingIsBounded tests the bound).
			auth.WithHashConcurrency(4, time.Minute)), Policy: authz,
		Queue: q, Redis: rdb, Cluster: cl, ClusterStatus: cl.Status, Checker: api.ClientChecker{}, Charts: fakeCharts{},
		Renderer: api.PlanRenderer{Planner: deploy.NewPlanner(st, "api-test", render.Limits{})}, CheckTemplate: render.Check,
		Lifetime: lifetime.DefaultPolicy(), PublicURL: "http://oneko.test", Events: events.NewBus(rdb),
	}
	for _, o := range opts {
		o(&deps)
	}
	s, err := api.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	e := &env{t: t, dbName: dbName, srv: srv, server: s, store: st, cluster: cl, rdb: rdb, users: map[model.Role]*model.User{}, tokens: map[model.Role]string{}, pw: testPassword}
	t.Cleanup(func() {
		s.Close()
		srv.Close()
		q.Close()
		rdb.Close()
	})
	hash, _ := auth.HashPassword(testPassword)
	for _, r := range []model.Role{model.RoleViewer, model.RoleDoer, model.RoleAdmin} {
		u := &model.User{Username: strings.ToLower(string(r)), Email: strings.ToLower(string(r)) + "@example.com", Role: r, PasswordHash: hash}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[r] = u
		sec, _ := auth.NewTokenSecret()
		if err := st.CreateToken(ctx, &model.Token{Name: "t", Role: r, UserID: u.ID, SecretHash: auth.HashSecret(sec)}); err != nil {
			t.Fatal(err)
		}
		e.tokens[r] = sec
	}
	return e
}

// cred says how a request authenticates.
type cred func(*http.Request)

func bearer(secret string) cred {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+secret) }
}

func basic(user, pw string) cred { return func(r *http.Request) { r.SetBasicAuth(user, pw) } }

func (e *env) as(role model.Role) cred { return bearer(e.tokens[role]) }

var anonymous cred = func(*http.Request) {}

// response is a read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("answer %d is not JSON: %v: %s", r.status, err, r.body)
	}
}

func (e *env) do(method, path string, body any, c cred, extra ...func(*http.Request)) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c(req)
	for _, f := range extra {
		f(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Type") == "text/event-stream" {
		return response{status: res.StatusCode, header: res.Header} // a live stream: headers only
	}
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

// fresh is an If-Match with the current ETag of the document at path (read as ADMIN): the
// precondition a PUT of a project, registry or user needs.
func (e *env) fresh(path string) func(*http.Request) {
	e.t.Helper()
	tag := e.do("GET", path, nil, e.as(model.RoleAdmin)).must(e.t, 200).header.Get("ETag")
	if tag == "" {
		e.t.Fatalf("GET %s answered no ETag", path)
	}
	return func(r *http.Request) { r.Header.Set("If-Match", tag) }
}

// must fails the test unless the answer has the status.
func (r response) must(t testing.TB, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

// fixture creates a docker registry, a Helm registry, a namespace, a project with a select
// variable and a version, and returns their ids.
type fixture struct {
	registryID, helmID, namespaceID, projectID, versionID string
}

func (e *env) fixture() fixture {
	e.t.Helper()
	var f fixture
	var doc struct {
		ID string `json:"id"`
	}
	e.do("POST", "/api/v1/docker-registries", map[string]any{"name": "hub", "url": "https://registry.example.com", "username": "robot", "password": "registry-pa55word", "webhookSecret": "hook-s3cret-value"}, e.as(model.RoleAdmin)).must(e.t, 201).json(e.t, &doc)
	f.registryID = doc.ID
	e.do("POST", "/api/v1/helm-registries", map[string]any{"name": "charts", "url": "https://charts.example.com", "username": "u", "password": "helm-pa55word"}, e.as(model.RoleAdmin)).must(e.t, 201).json(e.t, &doc)
	f.helmID = doc.ID
	e.do("POST", "/api/v1/namespaces", map[string]any{"name": "Team_Shop"}, e.as(model.RoleAdmin)).must(e.t, 201).json(e.t, &doc)
	f.namespaceID = doc.ID
	e.do("POST", "/api/v1/projects", e.projectBody("shop", f), e.as(model.RoleDoer)).must(e.t, 201).json(e.t, &doc)
	f.projectID = doc.ID
	p, err := e.store.GetProject(context.Background(), f.projectID)
	if err != nil {
		e.t.Fatal(err)
	}
	v := model.NewVersion(p, "1.0.0", "sha256:"+strings.Repeat("a", 64), time.Now())
	if err := e.store.CreateVersion(context.Background(), v); err != nil {
		e.t.Fatal(err)
	}
	f.versionID = v.ID
	return f
}

func (e *env) projectBody(name string, f fixture) map[string]any {
	return map[string]any{
		"name": name, "dockerRegistryId": f.registryID, "imageName": "team/shop", "namespace": "team_shop",
		"urlTemplates": []string{"https://{{SAFE_VERSION_NAME}}.shop.example.com"},
		"defaultConfigurationTemplates": []map[string]any{{
			"name": "web", "chartName": "web", "helmRegistryId": f.helmID,
			"content": "image: \"{{IMAGE_REF}}\"\nsize: \"{{SIZE}}\"\nnote: \"{{NOTE}}\"\n",
		}},
		"templateVariables": []map[string]any{
			{"name": "SIZE", "label": "Size", "values": []string{"small", "large"}, "useValues": true, "defaultValue": "small", "showOnDashboard": true},
			{"name": "NOTE", "label": "Note", "defaultValue": "hello"},
			{"name": "HIDDEN", "label": "Hidden select", "values": []string{"a", "b"}, "useValues": true, "defaultValue": "a"},
		},
		"defaultLifetimeBehaviour": map[string]any{"type": "DAYS", "value": 2},
	}
}
