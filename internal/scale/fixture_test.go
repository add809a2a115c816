package scale

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"
)

// poolLabel is the node label the chart's nodeSelector uses when the value pool is set.
const poolLabel = "oneko.test/pool"

// appChart is the chart of the project: one Deployment whose Pods go to the nodes labelled
// poolLabel=<pool> when the value pool is set (a pool no node has keeps Helm waiting).
var appChart = map[string]string{
	"Chart.yaml":  "apiVersion: v2\nname: scaleapp\nversion: 0.1.0\n",
	"values.yaml": "image: example.invalid/app:latest\npool: \"\"\n",
	"templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      {{- if .Values.pool }}
      nodeSelector:
        ` + poolLabel + `: {{ .Values.pool | quote }}
      {{- end }}
      containers:
        - name: app
          image: {{ .Values.image | quote }}
`,
}

// project is a project of a pool: its registry (in process, so the workers can confirm each
// webhook's digest) and the webhook that feeds it.
type project struct {
	ID         string
	Namespace  string
	registry   *httptest.Server
	webhookURL string // path of the registry's webhook, without the api
	secret     string
	host       string // host:port of the registry
	mu         sync.Mutex
	digests    map[string]string // tag → digest pushed
}

// newProject serves the chart and an image registry from the test process, and creates a Helm
// registry, a docker registry with a webhook secret and a project of manual deployments,
// whose versions have the template variable POOL, through the api.
func (p *pool) newProject() *project {
	p.t.Helper()
	src, dir := p.t.TempDir(), p.t.TempDir()
	for n, c := range appChart {
		writeFile(p.t, src, n, c)
	}
	ch, err := loader.Load(src)
	if err != nil {
		p.t.Fatal(err)
	}
	if _, err := chartutil.Save(ch, dir); err != nil {
		p.t.Fatal(err)
	}
	charts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	p.t.Cleanup(charts.Close)
	idx, err := repo.IndexDirectory(dir, charts.URL)
	if err != nil {
		p.t.Fatal(err)
	}
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		p.t.Fatal(err)
	}
	reg := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	p.t.Cleanup(reg.Close)
	u, _ := url.Parse(reg.URL)
	pr := &project{registry: reg, host: u.Host, secret: "hook-" + suffix(p.t), digests: map[string]string{}}

	var doc struct{ ID, KubeName string }
	p.must(http.MethodPost, "/api/v1/namespaces", map[string]any{"name": "scale-" + suffix(p.t)}, http.StatusCreated, &doc)
	pr.Namespace = doc.KubeName
	p.deleteNamespaceLater(pr.Namespace)
	p.must(http.MethodPost, "/api/v1/helm-registries", map[string]any{"name": "charts-" + suffix(p.t), "url": charts.URL}, http.StatusCreated, &doc)
	helmID := doc.ID
	p.must(http.MethodPost, "/api/v1/docker-registries", map[string]any{"name": "reg-" + suffix(p.t), "url": reg.URL, "webhookFormat": "generic",
		"webhookSecret": pr.secret, "pollInterval": "0s"}, http.StatusCreated, &doc)
	pr.webhookURL = "/api/v1/webhooks/" + doc.ID
	p.must(http.MethodPost, "/api/v1/projects", map[string]any{
		"name": "scale-" + suffix(p.t), "dockerRegistryId": doc.ID, "imageName": "team/app", "namespace": pr.Namespace,
		"newVersionsDeploymentBehaviour": "manually",
		"defaultConfigurationTemplates": []map[string]any{{"name": "app", "chartName": "scaleapp", "chartVersion": "0.1.0", "helmRegistryId": helmID,
			"content": "image: \"{{IMAGE_REF}}\"\npool: \"{{POOL}}\"\n"}},
		"templateVariables": []map[string]any{{"name": "POOL", "label": "Node pool", "defaultValue": ""}},
	}, http.StatusCreated, &doc)
	pr.ID = doc.ID
	return pr
}

// push writes a new random image to the project's repository under tag.
func (pr *project) push(t testing.TB, tag string) {
	t.Helper()
	ref, err := name.ParseReference(pr.host+"/team/app:"+tag, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	pr.mu.Lock()
	pr.digests[tag] = d.String()
	pr.mu.Unlock()
}

// webhook is the body of a generic webhook for tag.
func (pr *project) webhook(tag string) string {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return fmt.Sprintf(`{"image":"%s/team/app","tag":%q,"digest":%q}`, pr.host, tag, pr.digests[tag])
}

// sendWebhook posts tag's webhook to the api at base and returns the status (0 when the
// request failed).
func (p *pool) sendWebhook(base string, pr *project, tag string) (int, error) {
	req, _ := http.NewRequest(http.MethodPost, base+pr.webhookURL, strings.NewReader(pr.webhook(tag)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+pr.secret)
	res, err := p.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	return res.StatusCode, nil
}

func suffix(t testing.TB) string {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
