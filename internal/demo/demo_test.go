package demo_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/repo"
	"sigs.k8s.io/yaml"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/demo"
	"github.com/oneko/oneko/internal/registry"
)

// get answers the status and body of a GET.
func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// TestRegistryServesTags lists the demo image's tags over the registry API and reads their
// digests with oneko's own registry client, as the worker's poller does.
func TestRegistryServesTags(t *testing.T) {
	d := start(t)
	status, body := get(t, d.RegistryURL()+"/v2/"+demo.ImageName+"/tags/list")
	if status != http.StatusOK {
		t.Fatalf("tags/list: %d %s", status, body)
	}
	var list struct {
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	slices.Sort(list.Tags)
	if want := []string{"1.0.0", "1.1.0", "latest"}; list.Name != demo.ImageName || !slices.Equal(list.Tags, want) {
		t.Fatalf("tags/list = %s %v, want %s %v", list.Name, list.Tags, demo.ImageName, want)
	}

	c, err := registry.NewClient(registry.ClientConfig{URL: d.RegistryURL()})
	if err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTags(context.Background(), demo.ImageName)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(tags)
	if !slices.Equal(tags, demo.Tags()) {
		t.Fatalf("ListTags = %v, want %v", tags, demo.Tags())
	}
	digests := map[string]string{}
	for _, img := range d.Images() {
		got, err := c.Digest(context.Background(), demo.ImageName, img.Tag)
		if err != nil {
			t.Fatal(err)
		}
		if got != img.Digest {
			t.Errorf("digest of %s = %s, Images says %s", img.Tag, got, img.Digest)
		}
		digests[img.Tag] = got
	}
	if digests["latest"] != digests["1.1.0"] || digests["1.0.0"] == digests["1.1.0"] {
		t.Errorf("latest should be 1.1.0 and differ from 1.0.0: %v", digests)
	}
}

// TestImagesAreReproducible starts the demo twice: the same tags get the same digests, so a
// restart does not look like a new image to versions deployed with behaviour automatically.
func TestImagesAreReproducible(t *testing.T) {
	a, b := start(t), start(t)
	if a.RegistryURL() == b.RegistryURL() || a.ChartsURL() == b.ChartsURL() {
		t.Fatalf("two demos share a port: %s %s", a.RegistryURL(), b.RegistryURL())
	}
	if !slices.Equal(a.Images(), b.Images()) {
		t.Fatalf("digests differ between starts:\n%v\n%v", a.Images(), b.Images())
	}
}

// TestChartRepository reads index.yaml and then the chart through oneko's chart cache.
func TestChartRepository(t *testing.T) {
	d := start(t)
	status, body := get(t, d.ChartsURL()+"/index.yaml")
	if status != http.StatusOK {
		t.Fatalf("index.yaml: %d %s", status, body)
	}
	var idx repo.IndexFile
	if err := yaml.Unmarshal(body, &idx); err != nil {
		t.Fatal(err)
	}
	entries := idx.Entries[demo.ChartName]
	if len(entries) != 1 || entries[0].Version != "0.1.0" || len(entries[0].URLs) != 1 || entries[0].Digest == "" {
		t.Fatalf("index.yaml entries of %s: %+v", demo.ChartName, entries)
	}
	if u := entries[0].URLs[0]; strings.Contains(u, "://") {
		t.Errorf("chart URL %q is absolute: it would break when the port changes", u)
	}

	cache, err := charts.NewCache(t.TempDir(), charts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cache.Chart(context.Background(), charts.Registry{ID: "demo", URL: d.ChartsURL()}, demo.ChartName, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != demo.ChartName || c.Metadata.Version != "0.1.0" {
		t.Fatalf("chart = %s %s", c.Name(), c.Metadata.Version)
	}
	var templates []string
	for _, f := range c.Templates {
		templates = append(templates, f.Name)
	}
	slices.Sort(templates)
	if want := []string{"templates/deployment.yaml", "templates/service.yaml"}; !slices.Equal(templates, want) {
		t.Fatalf("templates = %v, want %v", templates, want)
	}
}

// TestChartServerServesOnlyTheRepository refuses everything but index.yaml and archives.
func TestChartServerServesOnlyTheRepository(t *testing.T) {
	d := start(t)
	for _, p := range []string{"/", "/Chart.yaml", "/../index.yaml.bak", "/sub/x.tgz", "/nothing.tgz"} {
		if status, _ := get(t, d.ChartsURL()+p); status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, status)
		}
	}
	if status, _ := get(t, d.ChartsURL()+"/hello-0.1.0.tgz"); status != http.StatusOK {
		t.Errorf("GET the chart archive = %d", status)
	}
}

// TestStop ends both servers.
func TestStop(t *testing.T) {
	d, err := demo.Start(context.Background(), demo.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d.Stop()
	d.Stop()
	for _, u := range []string{d.RegistryURL() + "/v2/", d.ChartsURL() + "/index.yaml"} {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			t.Errorf("%s still answers after Stop", u)
		}
	}
}

// TestStartNeedsADirectory fails clearly without one.
func TestStartNeedsADirectory(t *testing.T) {
	if _, err := demo.Start(context.Background(), demo.Options{}); err == nil {
		t.Fatal("Start without Dir succeeded")
	}
}
