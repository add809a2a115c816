package api_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
	helmtime "helm.sh/helm/v3/pkg/time"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"sigs.k8s.io/yaml"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
)

// TestDiagnosticsRoutes drives the pods, logs, events and history routes over package
// diagnose reading client-go's fake clientset (internal/diagnose is tested on the local
// control plane): the version's pods only, logs plain, as a download and followed as
// Server-Sent Events, bad input as 400/404 problems, the FailedScheduling warning lifted into
// the version's status message, and the actor of each revision from the activity log.
func TestDiagnosticsRoutes(t *testing.T) {
	var cs *fake.Clientset
	e := newEnvB(t, func(d *api.Deps) {
		cs = fake.NewClientset()
		d.Diagnostics = diagnose.New(cs, "api-test")
		d.ExternalLogURL = "https://logs.example.com/?q={namespace}/{pod}/{container}"
	})
	f := e.fixture()
	ver := "/api/v1/projects/" + f.projectID + "/versions/" + f.versionID
	viewer := e.as(model.RoleViewer)
	ctx := t.Context()
	ns := "on-team-shop"

	// The viewer asks for the deploy; the worker's release follows it.
	e.do("POST", ver+"/deploy", nil, viewer).must(t, 202)
	time.Sleep(10 * time.Millisecond)
	deployed := time.Now().UTC()
	yes := true
	rel := &release.Release{
		Name: "shop-web", Namespace: ns, Version: 1, Labels: helm.VersionLabels("api-test", f.projectID, f.versionID),
		Info:     &release.Info{Status: release.StatusDeployed, Description: "Install complete", LastDeployed: helmtime.Time{Time: deployed}},
		Chart:    &chart.Chart{Metadata: &chart.Metadata{Name: "web", Version: "1.2.3"}},
		Manifest: "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
	}
	if err := driver.NewSecrets(cs.CoreV1().Secrets(ns)).Create("sh.helm.release.v1.shop-web.v1", rel); err != nil {
		t.Fatal(err)
	}
	objs := []runtime.Object{
		&appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "web-5d9", Namespace: ns,
			OwnerReferences: []metav1.OwnerReference{{Kind: "Deployment", Name: "web", Controller: &yes}}}},
		pod(ns, "web-5d9-abcde", "ReplicaSet", "web-5d9"),
		pod(ns, "web-stray", "", ""), // same prefix, owned by nothing of the release
		pod(ns, "other-1", "ReplicaSet", "other-rs"),
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e1", Namespace: ns}, Type: "Warning", Reason: "FailedScheduling",
			Message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", Count: 3,
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: "web-5d9-abcde"}, LastTimestamp: metav1.NewTime(deployed.Add(2 * time.Second))},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e2", Namespace: ns}, Type: "Normal", Reason: "ScalingReplicaSet",
			Message: "Scaled up", InvolvedObject: corev1.ObjectReference{Kind: "Deployment", Namespace: ns, Name: "web"}, LastTimestamp: metav1.NewTime(deployed)},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e3", Namespace: ns}, Type: "Warning", Reason: "BackOff",
			Message: "not ours", InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: "web-stray"}, LastTimestamp: metav1.NewTime(deployed)},
	}
	for _, o := range objs {
		if err := cs.Tracker().Add(o); err != nil {
			t.Fatal(err)
		}
	}

	var pods struct {
		Items []diagnose.Pod `json:"items"`
	}
	e.do("GET", ver+"/pods", nil, viewer).must(t, 200).json(t, &pods)
	if len(pods.Items) != 1 || pods.Items[0].Name != "web-5d9-abcde" || pods.Items[0].Release != "shop-web" {
		t.Fatalf("pods %+v", pods.Items)
	}
	if c := pods.Items[0].Containers[0]; c.Name != "app" || c.ExternalLogURL != "https://logs.example.com/?q=on-team-shop/web-5d9-abcde/app" {
		t.Fatalf("container %+v", c)
	}

	logs := ver + "/pods/web-5d9-abcde/logs"
	res := e.do("GET", logs+"?tailLines=10&timestamps=true", nil, viewer).must(t, 200)
	if string(res.body) != "fake logs" || !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") || res.header.Get("Content-Disposition") != "" {
		t.Fatalf("plain log %q %v", res.body, res.header)
	}
	res = e.do("GET", logs+"?download=1&container=app", nil, viewer).must(t, 200)
	if cd := res.header.Get("Content-Disposition"); cd != `attachment; filename="web-5d9-abcde-app.log"` {
		t.Fatalf("download Content-Disposition %q", cd)
	}
	for q, status := range map[string]int{
		"?tailLines=0": 400, "?tailLines=many": 400, "?tailLines=1000001": 400, "?sinceSeconds=-5": 400, "?follow=maybe": 400,
		"?container=nope": 404,
	} {
		res := e.do("GET", logs+q, nil, viewer).must(t, status)
		if res.header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s: %s", q, res.header.Get("Content-Type"))
		}
	}
	e.do("GET", ver+"/pods/web-stray/logs", nil, viewer).must(t, 404)
	e.do("GET", ver+"/pods/other-1/logs", nil, viewer).must(t, 404)

	// Followed: Server-Sent Events, then the end of the log.
	req := e.request(t, "GET", logs+"?follow=1", viewer)
	stream, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if stream.StatusCode != 200 || stream.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("follow answered %d %s", stream.StatusCode, stream.Header.Get("Content-Type"))
	}
	var lines []string
	sc := bufio.NewScanner(stream.Body)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	all := strings.Join(lines, "\n")
	if !strings.Contains(all, "id: fake\ndata: logs") || !strings.Contains(all, "event: end") {
		t.Fatalf("followed stream:\n%s", all)
	}

	// Events: the version's only, newest first; the warning explains the pending deployment.
	var evs struct {
		Items []diagnose.Event `json:"items"`
	}
	e.do("GET", ver+"/events", nil, viewer).must(t, 200).json(t, &evs)
	if len(evs.Items) != 2 || evs.Items[0].Reason != "FailedScheduling" || evs.Items[1].Reason != "ScalingReplicaSet" || evs.Items[0].Count != 3 {
		t.Fatalf("events %+v", evs.Items)
	}
	v, _ := e.store.GetVersion(ctx, f.projectID, f.versionID)
	if v.Deployment.Status != model.StatusPending || !strings.Contains(v.Deployment.Message, "FailedScheduling") || !strings.Contains(v.Deployment.Message, "node affinity") {
		t.Fatalf("status %s message %q", v.Deployment.Status, v.Deployment.Message)
	}

	// History: the revision with the viewer as the one who asked for it.
	var hist struct {
		Items []diagnose.Revision `json:"items"`
	}
	e.do("GET", ver+"/history", nil, viewer).must(t, 200).json(t, &hist)
	if len(hist.Items) != 1 || hist.Items[0].Revision != 1 || hist.Items[0].Chart != "web" || hist.Items[0].Status != "deployed" ||
		!strings.HasPrefix(hist.Items[0].Actor, "token:") || !strings.Contains(hist.Items[0].Actor, "viewer") {
		t.Fatalf("history %+v", hist.Items)
	}
}

// TestDiagnosticsWithoutCluster: a server without a cluster says so.
func TestDiagnosticsWithoutCluster(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	res := e.do("GET", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/pods", nil, e.as(model.RoleViewer)).must(t, 503)
	if !strings.Contains(string(res.body), "no cluster") {
		t.Fatalf("%s", res.body)
	}
}

func pod(ns, name, ownerKind, owner string) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec:       corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "app", Image: "registry.example.com/team/shop:1.0.0"}}},
		Status: corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{{Name: "app",
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}}}},
	}
	if ownerKind != "" {
		yes := true
		p.OwnerReferences = []metav1.OwnerReference{{Kind: ownerKind, Name: owner, Controller: &yes}}
	}
	return p
}

// request builds a request to the test server with credentials.
func (e *env) request(t *testing.T, method, path string, c cred) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	c(req)
	return req
}

// chartOf is a ChartSource that answers one chart for every request.
type chartOf struct{ ch *chart.Chart }

func (c chartOf) Chart(context.Context, charts.Registry, string, string) (*chart.Chart, error) {
	return c.ch, nil
}

// TestDiffRoute: the diff (DOER) compares the deployed release with the rendered plan after a
// variable changed, naming the changed value; a VIEWER is refused.
func TestDiffRoute(t *testing.T) {
	cs := fake.NewClientset()
	web := &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: "web", Version: "1.0.0"}, Templates: []*chart.File{
		{Name: "templates/cm.yaml", Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  size: {{ .Values.size | quote }}\n")},
	}}
	e := newEnvB(t, func(d *api.Deps) {
		d.Diagnostics = diagnose.New(cs, "api-test")
		d.Preview = api.PlanPreview{Planner: deploy.NewPlanner(d.Store, "api-test", render.Limits{}), Store: d.Store, Charts: helm.Templater{Charts: chartOf{web}}}
	})
	f := e.fixture()
	ver := "/api/v1/projects/" + f.projectID + "/versions/" + f.versionID
	doer := e.as(model.RoleDoer)
	var cfg struct {
		Releases []struct{ Name, Namespace, Values string } `json:"releases"`
	}
	e.do("GET", ver+"/configuration", nil, doer).must(t, 200).json(t, &cfg)
	r := cfg.Releases[0]
	var values map[string]any
	if err := yaml.Unmarshal([]byte(r.Values), &values); err != nil {
		t.Fatal(err)
	}
	manifest, err := helm.Render(web, r.Name, r.Namespace, values)
	if err != nil {
		t.Fatal(err)
	}
	rel := &release.Release{Name: r.Name, Namespace: r.Namespace, Version: 1, Config: values, Manifest: manifest,
		Labels: helm.VersionLabels("api-test", f.projectID, f.versionID), Info: &release.Info{Status: release.StatusDeployed}}
	if err := driver.NewSecrets(cs.CoreV1().Secrets(r.Namespace)).Create("sh.helm.release.v1."+r.Name+".v1", rel); err != nil {
		t.Fatal(err)
	}
	var diff struct {
		Items []diagnose.ReleaseDiff `json:"items"`
	}
	e.do("GET", ver+"/diff", nil, doer).must(t, 200).json(t, &diff)
	if len(diff.Items) != 1 || diff.Items[0].Change != diagnose.ChangeNone {
		t.Fatalf("diff before a change: %+v", diff.Items)
	}
	e.do("PUT", ver+"/variables", map[string]string{"SIZE": "large"}, doer).must(t, 200)
	e.do("GET", ver+"/diff", nil, doer).must(t, 200).json(t, &diff)
	d := diff.Items[0]
	if d.Change != diagnose.ChangeChanged || !strings.Contains(d.Values, "-size: small") || !strings.Contains(d.Values, "+size: large") || !strings.Contains(d.Manifest, `+  size: "large"`) {
		t.Fatalf("diff after SIZE=large:\n%s\n%s", d.Values, d.Manifest)
	}
	e.do("GET", ver+"/diff", nil, e.as(model.RoleViewer)).must(t, 403)
}

// seedPod stores a release of the fixture's version with one pod, web-5d9-abcde.
func seedPod(t testing.TB, e *env, cs *fake.Clientset, f fixture) {
	t.Helper()
	ns := "on-team-shop"
	yes := true
	rel := &release.Release{Name: "shop-web", Namespace: ns, Version: 1, Labels: helm.VersionLabels("api-test", f.projectID, f.versionID),
		Info: &release.Info{Status: release.StatusDeployed}, Manifest: "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"}
	if err := driver.NewSecrets(cs.CoreV1().Secrets(ns)).Create("sh.helm.release.v1.shop-web.v1", rel); err != nil {
		t.Fatal(err)
	}
	for _, o := range []runtime.Object{
		&appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "web-5d9", Namespace: ns,
			OwnerReferences: []metav1.OwnerReference{{Kind: "Deployment", Name: "web", Controller: &yes}}}},
		pod(ns, "web-5d9-abcde", "ReplicaSet", "web-5d9"),
	} {
		if err := cs.Tracker().Add(o); err != nil {
			t.Fatal(err)
		}
	}
	_ = e
}
