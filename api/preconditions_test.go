package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

// TestPutRequiresRevision: GET, POST and PUT of projects, docker and Helm registries and users
// answer an ETag ("<revision>") and the same revision in the body; a PUT without If-Match and
// without a revision in the body is refused with 428, one made from another revision with 412,
// and neither refusal changes the document. Of two editors who read the same revision, only
// the first one's PUT succeeds.
func TestPutRequiresRevision(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	admin := e.as(model.RoleAdmin)
	var created struct {
		ID string `json:"id"`
	}
	post := e.do("POST", "/api/v1/users", map[string]any{"username": "carol", "email": "carol@example.com", "role": "DOER", "password": "another-long-password"}, admin).must(t, 201)
	post.json(t, &created)
	if post.header.Get("ETag") != `"1"` {
		t.Fatalf("POST answered ETag %q, want \"1\"", post.header.Get("ETag"))
	}
	docs := []struct {
		path string
		body func(name string) map[string]any
	}{
		{"/api/v1/projects/" + f.projectID, func(name string) map[string]any {
			b := e.projectBody("shop", f)
			b["imageName"] = "team/" + name
			return b
		}},
		{"/api/v1/docker-registries/" + f.registryID, func(name string) map[string]any {
			return map[string]any{"name": name, "url": "https://registry.example.com", "username": "robot"}
		}},
		{"/api/v1/helm-registries/" + f.helmID, func(name string) map[string]any {
			return map[string]any{"name": name, "url": "https://charts.example.com", "username": "u"}
		}},
		{"/api/v1/users/" + created.ID, func(name string) map[string]any {
			return map[string]any{"username": "carol", "email": "carol@example.com", "firstName": name, "role": "DOER"}
		}},
	}
	ifMatch := func(tag string) func(*http.Request) { return func(r *http.Request) { r.Header.Set("If-Match", tag) } }
	read := func(path string) (string, int64) {
		t.Helper()
		res := e.do("GET", path, nil, admin).must(t, 200)
		var doc struct {
			Revision int64 `json:"revision"`
		}
		res.json(t, &doc)
		if want := fmt.Sprintf("%q", fmt.Sprint(doc.Revision)); doc.Revision < 1 || res.header.Get("ETag") != want {
			t.Fatalf("GET %s: ETag %q, revision %d", path, res.header.Get("ETag"), doc.Revision)
		}
		return res.header.Get("ETag"), doc.Revision
	}
	for _, d := range docs {
		t.Run(d.path, func(t *testing.T) {
			tag, rev := read(d.path)

			res := e.do("PUT", d.path, d.body("without"), admin).must(t, 428)
			if res.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(res.body), "If-Match") {
				t.Fatalf("428 answer: %s %s", res.header.Get("Content-Type"), res.body)
			}
			e.do("PUT", d.path, d.body("stale"), admin, ifMatch(`"`+fmt.Sprint(rev+7)+`"`)).must(t, 412)
			stale := d.body("stale")
			stale["revision"] = rev + 7
			e.do("PUT", d.path, stale, admin).must(t, 412)
			// The right If-Match with a wrong body revision is refused too.
			e.do("PUT", d.path, stale, admin, ifMatch(tag)).must(t, 412)
			if tag2, rev2 := read(d.path); tag2 != tag || rev2 != rev {
				t.Fatalf("a refused PUT changed the document: %s → %s", tag, tag2)
			}

			// Two editors read the same revision; the second one's PUT finds it changed.
			res = e.do("PUT", d.path, d.body("first"), admin, ifMatch(tag)).must(t, 200)
			if res.header.Get("ETag") != fmt.Sprintf(`"%d"`, rev+1) {
				t.Fatalf("PUT answered ETag %q, want revision %d", res.header.Get("ETag"), rev+1)
			}
			e.do("PUT", d.path, d.body("second"), admin, ifMatch(tag)).must(t, 412)
			if strings.Contains(string(e.do("GET", d.path, nil, admin).body), "second") {
				t.Fatal("the second editor overwrote the first")
			}
			// The revision in the body alone is a precondition as good as If-Match.
			withRev := d.body("third")
			withRev["revision"] = rev + 1
			e.do("PUT", d.path, withRev, admin).must(t, 200)
			if tag3, _ := read(d.path); tag3 != fmt.Sprintf(`"%d"`, rev+2) {
				t.Fatalf("ETag after two PUTs = %s", tag3)
			}
		})
	}

	// Concurrent PUTs made from one revision: exactly one wins, the others answer 412 (the
	// store refuses a write whose revision moved on between the api's read and write).
	path := "/api/v1/helm-registries/" + f.helmID
	tag, _ := read(path)
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.do("PUT", path, docs[2].body(fmt.Sprintf("racer%d", i)), admin, ifMatch(tag)).status
		}()
	}
	wg.Wait()
	won := 0
	for _, st := range statuses {
		switch st {
		case 200:
			won++
		case 412:
		default:
			t.Fatalf("statuses %v: want one 200 and 412s", statuses)
		}
	}
	if won != 1 {
		raw, _ := json.Marshal(statuses)
		t.Fatalf("%d PUTs from one revision succeeded: %s", won, raw)
	}
}

// TestRegistryHostChangeNeedsPassword: a docker registry whose URL moves to another host keeps
// no stored password unasked — the PUT answers 422 and changes nothing — while the same host
// (another path or scheme) keeps it, and a PUT with the password moves it.
func TestRegistryHostChangeNeedsPassword(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	admin := e.as(model.RoleAdmin)
	path := "/api/v1/docker-registries/" + f.registryID
	body := func(url string) map[string]any {
		return map[string]any{"name": "hub", "url": url, "username": "robot"}
	}
	res := e.do("PUT", path, body("https://evil.example.net"), admin, e.fresh(path)).must(t, 422)
	if !strings.Contains(string(res.body), "give the password again") {
		t.Fatalf("422 does not say what to do: %s", res.body)
	}
	if r, _ := e.store.GetDockerRegistry(t.Context(), f.registryID); r.URL != "https://registry.example.com" || r.Password != "registry-pa55word" {
		t.Fatalf("refused PUT changed the registry: %s", r.URL)
	}
	e.do("PUT", path, body("https://registry.example.com/v2"), admin, e.fresh(path)).must(t, 200)
	moved := body("https://mirror.example.net")
	moved["password"] = "mirror-pa55word"
	e.do("PUT", path, moved, admin, e.fresh(path)).must(t, 200)
	if r, _ := e.store.GetDockerRegistry(t.Context(), f.registryID); r.Host() != "mirror.example.net" || r.Password != "mirror-pa55word" {
		t.Fatalf("registry after the move: %s %q", r.URL, r.Password)
	}
}

// TestHelmRegistryHostChangeNeedsPassword: the same rule for a Helm registry — a URL on
// another host (also to or from oci://) without the password again answers 422 naming
// `password` and changes nothing; the same host keeps the stored password; a PUT with the
// password moves it.
func TestHelmRegistryHostChangeNeedsPassword(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	admin := e.as(model.RoleAdmin)
	path := "/api/v1/helm-registries/" + f.helmID
	body := func(url string) map[string]any {
		return map[string]any{"name": "charts", "url": url, "username": "u"}
	}
	for _, url := range []string{"https://evil.example.net/charts", "oci://evil.example.net/charts", "https://charts.example.com:8443"} {
		res := e.do("PUT", path, body(url), admin, e.fresh(path)).must(t, 422)
		var p struct {
			Fields []struct {
				Field string `json:"field"`
			} `json:"fields"`
		}
		res.json(t, &p)
		if res.header.Get("Content-Type") != "application/problem+json" || len(p.Fields) != 1 || p.Fields[0].Field != "password" ||
			!strings.Contains(string(res.body), "give the password again") {
			t.Fatalf("PUT %s: %s %s, want a problem naming password", url, res.header.Get("Content-Type"), res.body)
		}
		if r, _ := e.store.GetHelmRegistry(t.Context(), f.helmID); r.URL != "https://charts.example.com" || r.Password != "helm-pa55word" {
			t.Fatalf("refused PUT changed the registry: %s", r.URL)
		}
	}
	e.do("PUT", path, body("https://CHARTS.example.com/stable"), admin, e.fresh(path)).must(t, 200)
	if r, _ := e.store.GetHelmRegistry(t.Context(), f.helmID); r.Password != "helm-pa55word" {
		t.Fatalf("same host lost the password: %q", r.Password)
	}
	moved := body("oci://mirror.example.net/charts")
	moved["password"] = "mirror-pa55word"
	e.do("PUT", path, moved, admin, e.fresh(path)).must(t, 200)
	if r, _ := e.store.GetHelmRegistry(t.Context(), f.helmID); r.Host() != "mirror.example.net" || r.Password != "mirror-pa55word" {
		t.Fatalf("registry after the move: %s %q", r.URL, r.Password)
	}
}
