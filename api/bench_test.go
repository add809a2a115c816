package api_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
)

// seedBench writes projects straight into the database and versions through the store's bulk
// insert (which keeps the indexes of active versions and version counts), with a few versions
// deployed so that the status aggregation and the home page's list have work to do.
func seedBench(b *testing.B, e *env, projects, versions int) (firstProject string) {
	b.Helper()
	ctx := context.Background()
	f := e.fixture()
	client, err := mongo.Connect(options.Client().ApplyURI(shared.Mongo.URI()))
	if err != nil {
		b.Fatal(err)
	}
	defer client.Disconnect(ctx)
	db := client.Database(e.dbName)
	now := time.Now().UTC()
	var ps []any
	for i := 0; i < projects; i++ {
		p := model.Project{ID: fmt.Sprintf("p%05d", i), Name: fmt.Sprintf("project-%05d", i), DockerRegistryID: f.registryID, ImageName: "team/app", Revision: 1, CreatedAt: now, UpdatedAt: now}
		p.Normalize()
		ps = append(ps, p)
	}
	if _, err := db.Collection("projects").InsertMany(ctx, ps); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < projects; i++ {
		p := ps[i].(model.Project)
		vs := make([]*model.Version, 0, versions)
		for j := 0; j < versions; j++ {
			v := model.NewVersion(&p, fmt.Sprintf("1.%d.%d", i, j), "", now.Add(time.Duration(j)*time.Second))
			v.ID = fmt.Sprintf("v%05d-%03d", i, j)
			v.Revision = 1
			if j == 0 && i%10 == 0 {
				v.DesiredState, v.Deployment.Status = model.Deployed, model.StatusRunning
			}
			vs = append(vs, v)
		}
		if err := e.store.InsertVersions(ctx, vs); err != nil {
			b.Fatal(err)
		}
	}
	return "p00000"
}

// BenchmarkListAPI measures GET /api/v1/projects (first page, with status and version counts),
// the home page's GET /api/v1/deployments, a search page and a version list
// with 1,000 projects × 50 versions in the embedded FerretDB, through the real HTTP server and
// a token. It reports median and p99 latency of answers from a warm store cache; the first,
// cold answer of each list (which fills the cache) is measured once and logged. Allocations are
// the whole process's: server, client and the embedded FerretDB.
func BenchmarkListAPI(b *testing.B) {
	e := newEnvB(b)
	pid := seedBench(b, e, benchProjects, 50)
	tok := e.tokens[model.RoleViewer]
	get := func(b *testing.B, req *http.Request, buf []byte) time.Duration {
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := res.Body.Read(buf); err != nil {
				break
			}
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
		return time.Since(start)
	}
	cases := []struct{ name, path string }{
		{"projects", "/api/v1/projects"},
		{"versions", "/api/v1/projects/" + pid + "/versions"},
		{"deployments", "/api/v1/deployments"},
		{"search", "/api/v1/search?q=1.5.&limit=50"},
	}
	buf := make([]byte, 32<<10)
	for _, bc := range cases {
		req, _ := http.NewRequest("GET", e.srv.URL+bc.path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		b.Logf("%s: cold answer (fills the cache) in %v", bc.name, get(b, req, buf))
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			req, _ := http.NewRequest("GET", e.srv.URL+bc.path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				lat = append(lat, get(b, req, buf))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// benchProjects is the number of projects seeded; the figure is 1,000.
const benchProjects = 1000
