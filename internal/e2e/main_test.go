package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
	"github.com/oneko/oneko/policy"
	"github.com/oneko/oneko/worker"
)

// The components of this test binary: the embedded store, Redis, and the cluster of the
// benchmarks that deploy (started by the first of them, see needCluster).
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

// system is an api and a worker on one database and one Redis.
type system struct {
	t      testing.TB
	api    *httptest.Server
	store  *store.Store
	queue  *asynq.Client
	rdb    *redis.Client
	token  string
	worker *worker.Worker
}

type noCluster struct{}

func (noCluster) EnsureNamespace(context.Context, string, []model.DockerRegistry) error { return nil }
func (noCluster) DeleteNamespace(context.Context, string) error                         { return nil }

// newSystem starts the api; startWorker starts the worker when asked.
func newSystem(t *testing.T) *system { return newSystemB(t) }

// newSystemB is newSystem for tests and benchmarks.
func newSystemB(t testing.TB) *system {
	t.Helper()
	ctx := context.Background()
	if err := redisSrv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	st := shared.Mongo.Store(t, store.Options{})
	rdb := redis.NewClient(&redis.Options{Addr: redisSrv.Addr()})
	q := asynq.NewClient(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	authz, _ := policy.New()
	srv, err := api.New(api.Deps{
		Store: st, Auth: auth.NewAuthenticator(st, auth.NewThrottle(rdb, 5, time.Minute), time.Hour, nil), Policy: authz,
		Queue: q, Redis: rdb, Cluster: noCluster{}, Checker: api.ClientChecker{}, CheckTemplate: render.Check,
		Lifetime: lifetime.DefaultPolicy(),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &system{t: t, api: httptest.NewServer(srv.Handler()), store: st, queue: q, rdb: rdb}
	hash, _ := auth.HashPassword("admin-password-1")
	admin := &model.User{Username: "admin", Role: model.RoleAdmin, PasswordHash: hash}
	if err := st.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	s.token, _ = auth.NewTokenSecret()
	if err := st.CreateToken(ctx, &model.Token{Name: "e2e", Role: model.RoleAdmin, UserID: admin.ID, SecretHash: auth.HashSecret(s.token)}); err != nil {
		t.Fatal(err)
	}
	s.worker, err = worker.New(worker.Deps{Store: st, Queue: q, Redis: rdb, Lifetime: lifetime.DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.api.Close()
		q.Close()
		rdb.Close()
	})
	return s
}

// startWorker runs an asynq server with the worker's mux until the test ends.
func (s *system) startWorker() *atomic.Int64 {
	s.t.Helper()
	var executed atomic.Int64
	srv := asynq.NewServer(asynq.RedisClientOpt{Addr: redisSrv.Addr()}, asynq.Config{
		Concurrency: 4, Queues: map[string]int{"critical": 6, "default": 3, "low": 1},
		LogLevel: asynq.FatalLevel,
	})
	mux := s.worker.Mux()
	counting := asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		if t.Type() == "image:push" {
			executed.Add(1)
		}
		return mux.ProcessTask(ctx, t)
	})
	if err := srv.Start(counting); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(srv.Shutdown)
	return &executed
}

// runWorker runs w as `oneko worker` does (worker.Run: the task server and the poll
// scheduler), looking for registries whose poll is due every 100ms, until the test ends. No
// periodic task is scheduled (a Periodic with specs left empty): these tests have no cluster.
func (s *system) runWorker(w *worker.Worker) {
	s.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := worker.Config{ShutdownTimeout: 5 * time.Second, PollTick: 100 * time.Millisecond, Periodic: worker.Periodic{UniqueFor: time.Minute}}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, asynq.RedisClientOpt{Addr: redisSrv.Addr()}, cfg) }()
	s.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			s.t.Errorf("worker.Run: %v", err)
		}
	})
}

func (s *system) call(method, path string, body any, header map[string]string) (int, []byte) {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, s.api.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

func (s *system) admin(method, path string, body any) (int, []byte) {
	return s.call(method, path, body, map[string]string{"Authorization": "Bearer " + s.token})
}

// createRegistryAndProject makes a docker registry with a webhook secret and a project for image.
func (s *system) createRegistryAndProject(url, format, webhookSecret, image string) (registryID, projectID string) {
	s.t.Helper()
	var doc struct{ ID string }
	st, body := s.admin("POST", "/api/v1/docker-registries", map[string]any{"name": "reg", "url": url, "webhookFormat": format, "webhookSecret": webhookSecret, "pollInterval": "0s"})
	if st != 201 {
		s.t.Fatalf("create registry: %d %s", st, body)
	}
	_ = json.Unmarshal(body, &doc)
	registryID = doc.ID
	st, body = s.admin("POST", "/api/v1/projects", map[string]any{"name": "app", "dockerRegistryId": registryID, "imageName": image, "newVersionsDeploymentBehaviour": "automatically"})
	if st != 201 {
		s.t.Fatalf("create project: %d %s", st, body)
	}
	_ = json.Unmarshal(body, &doc)
	return registryID, doc.ID
}

// waitVersion waits until the project's version of tag has the digest (or exists, when "").
func (s *system) waitVersion(projectID, tag, digest string) *model.Version {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := s.store.GetVersionByTag(context.Background(), projectID, tag)
		if err == nil && (digest == "" || v.Digest == digest) {
			return v
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("version %s with digest %q not there after 30s (last: %+v, %v)", tag, digest, v, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
