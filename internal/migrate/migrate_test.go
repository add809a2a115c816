package migrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/internal/testenv"
	"github.com/oneko/oneko/tasks"
)

// The components of this test binary: the embedded store and Redis.
var (
	shared   *testenv.Shared
	redisSrv *testenv.Redis
)

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Mongo: true, Redis: true}, func(s *testenv.Shared) error {
		shared, redisSrv = s, s.Redis
		return nil
	}))
}

// newStore opens a fresh database in the embedded store.
func newStore(t *testing.T) *store.Store { return shared.Mongo.Store(t, store.Options{}) }

// fakeONeko answers O-Neko's REST API with the documents in testdata/oneko, for user
// admin with password "oneko-admin-pw", as O-Neko does: 401 without valid Basic
// credentials.
func fakeONeko(t *testing.T) *httptest.Server {
	t.Helper()
	files := map[string]string{
		"/api/session": "session.json", "/api/dockerRegistry": "dockerRegistry.json", "/api/helm/registries": "helm-registries.json",
		"/api/namespace": "namespace.json", "/api/user": "user.json", "/api/project": "project.json",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, pw, ok := r.BasicAuth(); !ok || u != "admin" || pw != "oneko-admin-pw" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		name, ok := files[r.URL.Path]
		if !ok || r.Method != http.MethodGet {
			http.Error(w, "Not Found", http.StatusBadRequest)
			return
		}
		body, err := os.ReadFile(filepath.Join("testdata", "oneko", name))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// counts counts the documents a migration writes.
func counts(t *testing.T, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	_, d, _ := st.ListDockerRegistries(ctx, store.Page{})
	_, h, _ := st.ListHelmRegistries(ctx, store.Page{})
	_, n, _ := st.ListNamespaces(ctx, store.Page{})
	_, u, _ := st.ListUsers(ctx, store.Page{})
	ps, p, _ := st.ListProjects(ctx, "", store.Page{})
	var v int64
	for _, pr := range ps {
		_, c, _ := st.ListVersions(ctx, pr.ID, "", store.Page{})
		v += c
	}
	return fmt.Sprintf("docker=%d helm=%d namespaces=%d users=%d projects=%d versions=%d", d, h, n, u, p, v)
}

func TestSourceErrorsWriteNothing(t *testing.T) {
	srv := fakeONeko(t)
	notONeko := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>Welcome to nginx</html>"))
	}))
	defer notONeko.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	for _, tc := range []struct {
		name, url, password, want string
	}{
		{"wrong password", srv.URL, "wrong", "wrong user or password"},
		{"not an O-Neko", notONeko.URL, "x", "an O-Neko?"},
		{"unreachable host", gone.URL, "x", "unreachable"},
		{"not a URL", "oneko.example.org", "x", "want the URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := NewSource(tc.url, "admin", tc.password, nil)
			if err == nil {
				_, err = src.Read(context.Background())
			}
			if !errors.Is(err, ErrSource) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrSource saying %q", err, tc.want)
			}
		})
	}
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	src, err := NewSource(fakeONeko(t).URL, "admin", "oneko-admin-pw", nil)
	if err != nil {
		t.Fatal(err)
	}
	in, err := src.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The oneko side already has one user of the same name, which stays as it is.
	if err := st.CreateUser(ctx, &model.User{Username: "admin", Email: "root@oneko.test", Role: model.RoleAdmin, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	plan, err := MakePlan(ctx, in, st)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	plan.Print(&out)
	printed := out.String()
	t.Log("\n" + printed)
	for _, want := range []string{
		"create  docker registry  company-registry",
		"create  Helm registry    bitnami",
		"exists  user             admin",
		"create  user             alice",
		"create  version          webshop/master",
		"skip    project          legacy-reports",
		`docker registry company-registry: O-Neko never returns passwords: enter the password of "oneko-robot"`,
		`Helm registry internal-charts: O-Neko never returns passwords: enter the password of "chart-reader"`,
		"user bob: O-Neko never returns passwords",
		"version webshop/master: deployed in O-Neko",
		`project legacy-reports: template "reports": chart "stable/reports" is in O-Neko's Helm registry "stable", and oneko has no Helm registry of that name; create it in oneko`,
		"13 to create, 1 already exist, 6 need attention",
	} {
		if !strings.Contains(printed, want) {
			t.Errorf("plan does not say %q", want)
		}
	}
	if strings.Contains(printed, "public-mirror: O-Neko never returns") {
		t.Error("a registry without a user needs no password")
	}
	if counts(t, st) != "docker=0 helm=0 namespaces=0 users=1 projects=0 versions=0" {
		t.Fatalf("planning wrote something: %s", counts(t, st))
	}

	if err := Apply(ctx, plan, st, Options{}); err != nil {
		t.Fatal(err)
	}
	after := counts(t, st)
	if after != "docker=2 helm=2 namespaces=2 users=3 projects=2 versions=3" {
		t.Fatalf("after apply: %s", after)
	}
	regs, _ := st.AllDockerRegistries(ctx)
	dockerIDs := map[string]model.DockerRegistry{}
	for _, r := range regs {
		dockerIDs[r.Name] = r
	}
	if r := dockerIDs["company-registry"]; r.Username != "oneko-robot" || r.HasPassword || r.URL != "https://registry.example.com" {
		t.Errorf("company-registry = %+v", r)
	}
	if !dockerIDs["public-mirror"].Insecure {
		t.Error("trustInsecureCertificate was not kept")
	}
	helms, _, _ := st.ListHelmRegistries(ctx, store.Page{})
	helmIDs := map[string]string{}
	for _, h := range helms {
		helmIDs[h.Name] = h.ID
	}
	alice, err := st.UserByLogin(ctx, "alice")
	if err != nil || alice.Role != model.RoleDoer || alice.Email != "alice@example.com" || alice.FirstName != "Alice" || alice.PasswordHash == "" {
		t.Fatalf("alice = %+v, %v", alice, err)
	}
	if admin, _ := st.UserByLogin(ctx, "admin"); admin.Email != "root@oneko.test" {
		t.Error("the existing admin was changed")
	}
	ps, _, _ := st.ListProjects(ctx, "webshop", store.Page{})
	if len(ps) != 1 {
		t.Fatalf("projects named webshop: %d", len(ps))
	}
	shop := ps[0]
	if shop.DockerRegistryID != dockerIDs["company-registry"].ID || shop.Namespace != "on-previews" || shop.URLTemplates[0] != "https://{{SAFE_VERSION_NAME}}.shop.example.com" ||
		shop.DefaultConfigurationTemplates[0].ChartName != "webshop" || shop.DefaultConfigurationTemplates[0].HelmRegistryID != helmIDs["internal-charts"] ||
		shop.DefaultLifetimeBehaviour != (model.Lifetime{Type: lifetime.Days, Value: 3}) || shop.NewVersionsDeploymentBehaviour != model.BehaviourAutomatically {
		t.Errorf("webshop = %+v", shop)
	}
	master, err := st.GetVersionByTag(ctx, shop.ID, "master")
	if err != nil {
		t.Fatal(err)
	}
	if master.TemplateVariables["REPLICAS"] != "3" || len(master.ConfigurationTemplates) != 1 || master.ConfigurationTemplates[0].HelmRegistryID != helmIDs["bitnami"] ||
		master.ConfigurationTemplates[0].ChartName != "postgresql" || master.LifetimeBehaviour.Type != lifetime.Infinite || master.DesiredState != model.NotDeployed ||
		!master.ImageUpdatedAt.Equal(time.Date(2024, 5, 1, 17, 30, 0, 0, time.UTC)) {
		t.Errorf("master = %+v", master)
	}
	feature, err := st.GetVersionByTag(ctx, shop.ID, "feature-checkout")
	if err != nil {
		t.Fatal(err)
	}
	if feature.Namespace != "on-team-a" || feature.URLTemplates[0] != "https://checkout-{{SAFE_VERSION_NAME}}.shop.example.com" ||
		feature.LifetimeBehaviour.Type != lifetime.Inherit || feature.DeploymentBehaviour != model.BehaviourManually {
		t.Errorf("feature-checkout = %+v", feature)
	}
	billing, _, _ := st.ListProjects(ctx, "billing-api", store.Page{})
	if len(billing) != 1 || billing[0].DefaultLifetimeBehaviour.Type != lifetime.Infinite || billing[0].Namespace != "" {
		t.Errorf("billing-api = %+v", billing)
	}

	// A second run finds everything and changes nothing.
	in, err = src.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := MakePlan(ctx, in, st)
	if err != nil {
		t.Fatal(err)
	}
	if create, _, _ := again.Counts(); create != 0 {
		var b bytes.Buffer
		again.Print(&b)
		t.Fatalf("second plan creates %d:\n%s", create, b.String())
	}
	if err := Apply(ctx, again, st, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := counts(t, st); got != after {
		t.Fatalf("second apply changed %s into %s", after, got)
	}
}

// TestMigrateDeploy: with --deploy, the versions deployed in O-Neko are asked to be
// deployed once migrated: desired state Deployed and a deploy task in Redis.
func TestMigrateDeploy(t *testing.T) {
	ctx := context.Background()
	if err := redisSrv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	st := newStore(t)
	src, _ := NewSource(fakeONeko(t).URL, "admin", "oneko-admin-pw", nil)
	in, err := src.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := MakePlan(ctx, in, st)
	if err != nil {
		t.Fatal(err)
	}
	queue := asynq.NewClient(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	defer queue.Close()
	req := &deploy.Requester{Store: st, Queue: tasks.Queue{Enqueuer: queue}, Lifetime: lifetime.DefaultPolicy(), Now: time.Now}
	if err := Apply(ctx, plan, st, Options{Deployer: req}); err != nil {
		t.Fatal(err)
	}
	ps, _, _ := st.ListProjects(ctx, "webshop", store.Page{})
	master, _ := st.GetVersionByTag(ctx, ps[0].ID, "master")
	feature, _ := st.GetVersionByTag(ctx, ps[0].ID, "feature-checkout")
	if master.DesiredState != model.Deployed || feature.DesiredState != model.NotDeployed {
		t.Fatalf("desired states: master %s, feature %s", master.DesiredState, feature.DesiredState)
	}
	info, err := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisSrv.Addr()}).ListPendingTasks("critical")
	if err != nil || len(info) != 1 || !strings.Contains(info[0].ID, master.ID) {
		t.Fatalf("pending deploy tasks = %v, %v", info, err)
	}
}
