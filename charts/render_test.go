package charts_test

import (
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"

	"github.com/oneko/oneko/internal/config"
)

// chartDir is the chart under test.
const chartDir = "oneko"

// loadChart loads the chart, failing t when it cannot.
func loadChart(t testing.TB) *chart.Chart {
	t.Helper()
	ch, err := loader.Load(chartDir)
	if err != nil {
		t.Fatalf("load chart: %v", err)
	}
	return ch
}

// required are the values every install must give (no MongoDB or Redis is bundled).
func required() map[string]any {
	return map[string]any{"secrets": map[string]any{
		"secretKey": strings.Repeat("ab", 32),
		"mongoURI":  "mongodb://mongo.db.svc:27017",
		"redisURL":  "redis://redis.db.svc:6379/0",
	}}
}

// with returns required() merged with the values of a YAML document.
func with(t testing.TB, doc string) map[string]any {
	t.Helper()
	extra := map[string]any{}
	if err := yaml.Unmarshal([]byte(doc), &extra); err != nil {
		t.Fatalf("values %q: %v", doc, err)
	}
	return chartutil.CoalesceTables(extra, required())
}

// rendered is the output of the chart for one value set.
type rendered struct {
	objects []*unstructured.Unstructured
	notes   string
}

// render renders the chart as release "oneko" in namespace ns, the way an install does
// (schema validation included), and decodes every object.
func render(t testing.TB, ns string, vals map[string]any) (*rendered, error) {
	t.Helper()
	ch := loadChart(t)
	top, err := chartutil.ToRenderValues(ch, vals, chartutil.ReleaseOptions{Name: "oneko", Namespace: ns, IsInstall: true, Revision: 1}, chartutil.DefaultCapabilities)
	if err != nil {
		return nil, err
	}
	files, err := engine.Render(ch, top)
	if err != nil {
		return nil, err
	}
	out := &rendered{}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		if strings.HasSuffix(name, "NOTES.txt") {
			out.notes = files[name]
			continue
		}
		for _, doc := range releaseutil.SplitManifests(files[name]) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			u := &unstructured.Unstructured{}
			if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
				t.Fatalf("%s: not YAML: %v\n%s", name, err, doc)
			}
			if len(u.Object) == 0 {
				continue
			}
			out.objects = append(out.objects, u)
		}
	}
	return out, nil
}

// mustRender is render that fails t on an error.
func mustRender(t testing.TB, ns string, vals map[string]any) *rendered {
	t.Helper()
	r, err := render(t, ns, vals)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return r
}

// kinds counts the objects by kind.
func (r *rendered) kinds() map[string]int {
	m := map[string]int{}
	for _, o := range r.objects {
		m[o.GetKind()]++
	}
	return m
}

// get decodes the object of a kind and name into a typed value, failing t when it is missing.
func get[T runtime.Object](t testing.TB, r *rendered, kind, name string, into T) T {
	t.Helper()
	for _, o := range r.objects {
		if o.GetKind() == kind && o.GetName() == name {
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, into); err != nil {
				t.Fatalf("decode %s %s: %v", kind, name, err)
			}
			return into
		}
	}
	t.Fatalf("no %s %s among %v", kind, name, r.kinds())
	return into
}

func (r *rendered) has(kind, name string) bool {
	for _, o := range r.objects {
		if o.GetKind() == kind && o.GetName() == name {
			return true
		}
	}
	return false
}

func envOf(c corev1.Container) map[string]corev1.EnvVar {
	m := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		m[e.Name] = e
	}
	return m
}

// TestRenderDefaults checks the key facts of the chart with only the required values.
func TestRenderDefaults(t *testing.T) {
	r := mustRender(t, "tools", with(t, ""))
	want := map[string]int{"Deployment": 2, "Service": 2, "Secret": 1, "ServiceAccount": 1, "ClusterRole": 1, "ClusterRoleBinding": 1, "PodDisruptionBudget": 2}
	if got := r.kinds(); !maps.Equal(got, want) {
		t.Errorf("kinds = %v, want %v", got, want)
	}
	// Each rendered object is valid for the typed API (unknown fields are caught by the dry-run test).
	for _, o := range r.objects {
		if _, _, err := scheme.Codecs.UniversalDeserializer().Decode(mustJSON(t, o), nil, nil); err != nil {
			t.Errorf("%s %s: %v", o.GetKind(), o.GetName(), err)
		}
	}

	api := get(t, r, "Deployment", "oneko-api", &appsv1.Deployment{})
	worker := get(t, r, "Deployment", "oneko-worker", &appsv1.Deployment{})
	if *api.Spec.Replicas != 2 || *worker.Spec.Replicas != 2 {
		t.Errorf("replicas api=%d worker=%d, want 2 and 2", *api.Spec.Replicas, *worker.Spec.Replicas)
	}
	sec := get(t, r, "Secret", "oneko", &corev1.Secret{})
	for _, d := range []*appsv1.Deployment{api, worker} {
		checkPodSecurity(t, d)
		checkConfig(t, d, sec.StringData)
		pod := d.Spec.Template.Spec
		c := pod.Containers[0]
		if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
			t.Errorf("%s: probes want /healthz (liveness) and /readyz (readiness), got %+v %+v", d.Name, c.LivenessProbe, c.ReadinessProbe)
		}
		if pod.ServiceAccountName != "oneko" {
			t.Errorf("%s: service account %q, want oneko", d.Name, pod.ServiceAccountName)
		}
		if len(pod.TopologySpreadConstraints) != 1 || pod.TopologySpreadConstraints[0].LabelSelector.MatchLabels["app.kubernetes.io/component"] == "" {
			t.Errorf("%s: topology spread %+v, want one constraint on its component", d.Name, pod.TopologySpreadConstraints)
		}
		env := envOf(c)
		for _, k := range []string{"ONEKO_SECRET_KEY", "ONEKO_MONGO_URI", "ONEKO_REDIS_URL"} {
			if e := env[k]; e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil || e.ValueFrom.SecretKeyRef.Name != "oneko" {
				t.Errorf("%s: %s = %+v, want a reference to Secret oneko", d.Name, k, e)
			}
		}
		if env["ONEKO_HTTP_ADDR"].Value != "0.0.0.0:8080" {
			t.Errorf("%s: ONEKO_HTTP_ADDR = %q", d.Name, env["ONEKO_HTTP_ADDR"].Value)
		}
	}
	if got := api.Spec.Template.Spec.Containers[0].Image; got != "ghcr.io/oneko/oneko-api:0.1.0" {
		t.Errorf("api image %q", got)
	}
	if got := worker.Spec.Template.Spec.Containers[0].Image; got != "ghcr.io/oneko/oneko-worker:0.1.0" {
		t.Errorf("worker image %q", got)
	}
	// The worker's grace period outlasts its graceful stop (asynq's ShutdownTimeout).
	wenv := envOf(worker.Spec.Template.Spec.Containers[0])
	if wenv["ONEKO_WORKER_SHUTDOWN_TIMEOUT"].Value != "30s" || *worker.Spec.Template.Spec.TerminationGracePeriodSeconds != 45 {
		t.Errorf("worker: shutdown timeout %q and grace period %d, want 30s and 45", wenv["ONEKO_WORKER_SHUTDOWN_TIMEOUT"].Value, *worker.Spec.Template.Spec.TerminationGracePeriodSeconds)
	}
	if a := api.Spec.Template.Spec.Containers[0]; a.Lifecycle == nil || a.Lifecycle.PreStop == nil || a.Lifecycle.PreStop.Sleep == nil {
		t.Errorf("api: want a preStop sleep while the Service drops the Pod, got %+v", a.Lifecycle)
	}

	// Secrets are in the Secret, nowhere else.
	if sec.StringData["ONEKO_MONGO_URI"] != "mongodb://mongo.db.svc:27017" || sec.StringData["ONEKO_SECRET_KEY"] == "" {
		t.Errorf("secret data %v", slices.Sorted(maps.Keys(sec.StringData)))
	}
	for _, o := range r.objects {
		if o.GetKind() == "Secret" {
			continue
		}
		if b := string(mustJSON(t, o)); strings.Contains(b, "mongodb://") || strings.Contains(b, strings.Repeat("ab", 32)) {
			t.Errorf("%s %s holds a secret value", o.GetKind(), o.GetName())
		}
	}

	// Cluster scope: one ClusterRole with namespace management, bound to the ServiceAccount.
	cr := get(t, r, "ClusterRole", "tools-oneko", &rbacv1.ClusterRole{})
	if !allows(cr.Rules, "", "namespaces", "create") || !allows(cr.Rules, "", "secrets", "list") || !allows(cr.Rules, "apps", "deployments", "patch") || !allows(cr.Rules, "", "pods/log", "get") {
		t.Errorf("cluster role lacks a right oneko needs: %+v", cr.Rules)
	}
	crb := get(t, r, "ClusterRoleBinding", "tools-oneko", &rbacv1.ClusterRoleBinding{})
	if len(crb.Subjects) != 1 || crb.Subjects[0].Name != "oneko" || crb.Subjects[0].Namespace != "tools" || crb.RoleRef.Name != cr.Name {
		t.Errorf("cluster role binding %+v", crb)
	}
	svc := get(t, r, "Service", "oneko", &corev1.Service{})
	if svc.Spec.Selector["app.kubernetes.io/component"] != "api" {
		t.Errorf("service selects %v, want the api", svc.Spec.Selector)
	}
	for _, n := range []string{"oneko-api", "oneko-worker"} {
		if pdb := get(t, r, "PodDisruptionBudget", n, &policyv1.PodDisruptionBudget{}); pdb.Spec.MaxUnavailable.IntValue() != 1 {
			t.Errorf("%s: maxUnavailable %v", n, pdb.Spec.MaxUnavailable)
		}
	}
	if !strings.Contains(r.notes, "port-forward service/oneko 8080:80") || !strings.Contains(r.notes, `grep "First start"`) {
		t.Errorf("NOTES.txt does not say how to reach the dashboard and find the admin password:\n%s", r.notes)
	}
}

// TestRenderEverySetting checks that each ONEKO_* setting is set from values.
func TestRenderEverySetting(t *testing.T) {
	r := mustRender(t, "tools", with(t, `
config: {publicURL: "https://oneko.example.org/", mongoDatabase: onekodb, secureCookies: true, sessionTTL: 8h,
  endOfDay: "20:00", endOfDayNextDay: true, lastWorkingDay: Thursday, timezone: Europe/Berlin, logLevel: debug, kubeconfigSecret: target, renderMaxBytes: 2MiB,
  loginMaxFailures: 7, loginAddressMaxFailures: 70, loginWindow: 10m, loginConcurrency: 2, trustedProxies: [10.0.0.0/8, 192.168.1.1],
  tokenMaxLifetime: 30d, installationID: prod-eu, allowClusterScoped: [ClusterRole], allowNamespaces: [monitoring, ingress], orphanSweepMaxShare: 0.25,
  eventsMaxPerUser: 3, eventsMaxStreams: 30, logFollowsPerUser: 2, logFollowsTotal: 20, externalLogURL: "https://logs.example.org/{pod}",
  webhookOnlyPollInterval: 30m, chartOrigins: ["https://charts.example.org"]}
worker: {concurrency: 9, shutdownTimeoutSeconds: 120}
secrets: {adminPassword: s3cret-Pass, migratePassword: 0neko-Pass}
`))
	api := get(t, r, "Deployment", "oneko-api", &appsv1.Deployment{})
	cfg := checkConfig(t, api, get(t, r, "Secret", "oneko", &corev1.Secret{}).StringData)
	if cfg != nil && (!cfg.Lifetime.NextDay || cfg.MigratePassword != "0neko-Pass") {
		t.Errorf("oneko reads end of day on the next day %v and migrate password %q, want true and the Secret's", cfg.Lifetime.NextDay, cfg.MigratePassword)
	}
	env := envOf(api.Spec.Template.Spec.Containers[0])
	want := map[string]string{
		"ONEKO_PUBLIC_URL": "https://oneko.example.org", "ONEKO_MONGO_DATABASE": "onekodb", "ONEKO_SECURE_COOKIES": "true",
		"ONEKO_SESSION_TTL": "8h", "ONEKO_END_OF_DAY": "20:00", "ONEKO_END_OF_DAY_NEXT_DAY": "true", "ONEKO_LAST_WORKING_DAY": "Thursday", "ONEKO_TIMEZONE": "Europe/Berlin",
		"ONEKO_LOG_LEVEL": "debug", "ONEKO_RENDER_MAX_BYTES": "2MiB", "ONEKO_WORKER_CONCURRENCY": "9", "ONEKO_WORKER_SHUTDOWN_TIMEOUT": "120s",
		"ONEKO_LOGIN_MAX_FAILURES": "7", "ONEKO_LOGIN_ADDRESS_MAX_FAILURES": "70", "ONEKO_LOGIN_WINDOW": "10m", "ONEKO_LOGIN_CONCURRENCY": "2",
		"ONEKO_TRUSTED_PROXIES": "10.0.0.0/8,192.168.1.1", "ONEKO_TOKEN_MAX_LIFETIME": "30d", "ONEKO_INSTALLATION_ID": "prod-eu",
		"ONEKO_ALLOW_CLUSTER_SCOPED": "ClusterRole", "ONEKO_ALLOW_NAMESPACES": "monitoring,ingress", "ONEKO_ORPHAN_SWEEP_MAX_SHARE": "0.25",
		"ONEKO_EVENTS_MAX_PER_USER": "3", "ONEKO_EVENTS_MAX_STREAMS": "30", "ONEKO_LOG_FOLLOWS_PER_USER": "2", "ONEKO_LOG_FOLLOWS_TOTAL": "20",
		"ONEKO_EXTERNAL_LOG_URL": "https://logs.example.org/{pod}", "ONEKO_WEBHOOK_ONLY_POLL_INTERVAL": "30m", "ONEKO_CHART_ORIGINS": "https://charts.example.org",
		"ONEKO_KUBECONFIG": "/etc/oneko/kubeconfig/kubeconfig", "ONEKO_DATA_DIR": "/var/lib/oneko", "ONEKO_HTTP_ADDR": "0.0.0.0:8080",
	}
	for k, v := range want {
		if env[k].Value != v {
			t.Errorf("%s = %q, want %q", k, env[k].Value, v)
		}
	}
	for _, k := range []string{"ONEKO_ADMIN_PASSWORD", "ONEKO_MIGRATE_PASSWORD"} {
		if e := env[k]; e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil || e.Value != "" {
			t.Errorf("%s = %+v, want a Secret reference", k, e)
		}
	}
	// The settings of README's configuration table: every one is set by the chart except
	// those of local mode. A setting added later without a value is still reachable through
	// api.extraEnv / worker.extraEnv; it is listed here so that it gets a value.
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	localOnly := map[string]bool{"ONEKO_DEMO": true}
	for _, k := range regexp.MustCompile("`(ONEKO_[A-Z_]+)`").FindAllStringSubmatch(string(readme), -1) {
		if _, ok := env[k[1]]; !ok && !localOnly[k[1]] {
			t.Logf("README's %s has no value in the chart yet (reachable through extraEnv)", k[1])
		}
	}
	worker := get(t, r, "Deployment", "oneko-worker", &appsv1.Deployment{})
	if g := *worker.Spec.Template.Spec.TerminationGracePeriodSeconds; g != 135 {
		t.Errorf("worker grace period %d, want 120+15", g)
	}
	if _, ok := envOf(worker.Spec.Template.Spec.Containers[0])["ONEKO_ADMIN_PASSWORD"]; ok {
		t.Errorf("the worker does not need the admin password")
	}
	if *api.Spec.Template.Spec.AutomountServiceAccountToken {
		t.Errorf("with a kubeconfig Secret the ServiceAccount token is not mounted")
	}
	if sec := get(t, r, "Secret", "oneko", &corev1.Secret{}); sec.StringData["ONEKO_ADMIN_PASSWORD"] != "s3cret-Pass" || sec.StringData["ONEKO_MIGRATE_PASSWORD"] != "0neko-Pass" {
		t.Errorf("admin or migrate password not in the Secret: %v", sec.StringData)
	}
	for _, o := range r.objects {
		if o.GetKind() != "Secret" && strings.Contains(string(mustJSON(t, o)), "0neko-Pass") {
			t.Errorf("the migrate password is in %s %s, not only in the Secret", o.GetKind(), o.GetName())
		}
	}
	if !strings.Contains(r.notes, "jsonpath='{.data.ONEKO_ADMIN_PASSWORD}'") {
		t.Errorf("NOTES.txt does not show how to read the admin password:\n%s", r.notes)
	}
}

// TestRenderNamespacedRBAC: a Role and RoleBinding in each listed namespace, nothing cluster-wide.
func TestRenderNamespacedRBAC(t *testing.T) {
	r := mustRender(t, "tools", with(t, `rbac: {scope: namespaced, namespaces: [team-a, team-b]}`))
	k := r.kinds()
	if k["ClusterRole"]+k["ClusterRoleBinding"] != 0 || k["Role"] != 2 || k["RoleBinding"] != 2 {
		t.Fatalf("kinds = %v, want 2 Roles and 2 RoleBindings, no cluster-wide ones", k)
	}
	var nss []string
	for _, o := range r.objects {
		if o.GetKind() != "Role" {
			continue
		}
		nss = append(nss, o.GetNamespace())
	}
	sort.Strings(nss)
	if !slices.Equal(nss, []string{"team-a", "team-b"}) {
		t.Errorf("roles in %v, want team-a and team-b", nss)
	}
	for _, o := range r.objects {
		if o.GetKind() != "Role" {
			continue
		}
		var role rbacv1.Role
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &role); err != nil {
			t.Fatal(err)
		}
		if allows(role.Rules, "", "namespaces", "create") || !allows(role.Rules, "", "namespaces", "get") || !allows(role.Rules, "", "secrets", "create") {
			t.Errorf("role in %s: %+v", role.Namespace, role.Rules)
		}
	}
	if !strings.Contains(r.notes, "team-a, team-b") {
		t.Errorf("NOTES.txt does not name the namespaces:\n%s", r.notes)
	}
}

// TestRenderAutoscalingAndIngress: HPAs replace the replica counts, the Ingress sets the public URL.
func TestRenderAutoscalingAndIngress(t *testing.T) {
	r := mustRender(t, "tools", with(t, `
api: {autoscaling: {enabled: true, minReplicas: 3, maxReplicas: 9}}
worker: {autoscaling: {enabled: true}, replicas: 1}
ingress: {enabled: true, className: nginx, host: oneko.example.org, tls: {enabled: true}}
metrics: {serviceMonitor: {enabled: true}}
`))
	for _, n := range []string{"oneko-api", "oneko-worker"} {
		d := get(t, r, "Deployment", n, &appsv1.Deployment{})
		if d.Spec.Replicas != nil {
			t.Errorf("%s: replicas %d set although an HPA scales it", n, *d.Spec.Replicas)
		}
		h := get(t, r, "HorizontalPodAutoscaler", n, &autoscalingv2.HorizontalPodAutoscaler{})
		if h.Spec.ScaleTargetRef.Name != n {
			t.Errorf("HPA %s scales %s", n, h.Spec.ScaleTargetRef.Name)
		}
		// With an HPA the budget stays even though replicas is 1.
		if !r.has("PodDisruptionBudget", n) {
			t.Errorf("no PodDisruptionBudget %s", n)
		}
	}
	if h := get(t, r, "HorizontalPodAutoscaler", "oneko-api", &autoscalingv2.HorizontalPodAutoscaler{}); *h.Spec.MinReplicas != 3 || h.Spec.MaxReplicas != 9 {
		t.Errorf("api HPA %d-%d, want 3-9", *h.Spec.MinReplicas, h.Spec.MaxReplicas)
	}
	ing := get(t, r, "Ingress", "oneko", &networkingv1.Ingress{})
	if ing.Spec.Rules[0].Host != "oneko.example.org" || ing.Spec.TLS[0].SecretName != "oneko-tls" || *ing.Spec.IngressClassName != "nginx" {
		t.Errorf("ingress %+v", ing.Spec)
	}
	env := envOf(get(t, r, "Deployment", "oneko-api", &appsv1.Deployment{}).Spec.Template.Spec.Containers[0])
	if env["ONEKO_PUBLIC_URL"].Value != "https://oneko.example.org" || env["ONEKO_SECURE_COOKIES"].Value != "true" {
		t.Errorf("public URL %q, secure cookies %q, want the Ingress's https URL and true", env["ONEKO_PUBLIC_URL"].Value, env["ONEKO_SECURE_COOKIES"].Value)
	}
	if !r.has("ServiceMonitor", "oneko") {
		t.Errorf("no ServiceMonitor")
	}
	if !strings.Contains(r.notes, "https://oneko.example.org/") {
		t.Errorf("NOTES.txt does not give the Ingress URL:\n%s", r.notes)
	}
}

// TestRenderExistingSecret: no Secret is made; every reference names the existing one and its keys.
func TestRenderExistingSecret(t *testing.T) {
	r := mustRender(t, "tools", map[string]any{"secrets": map[string]any{"existingSecret": "mine", "keys": map[string]any{"mongoURI": "mongo-url"}}})
	if r.kinds()["Secret"] != 0 {
		t.Errorf("a Secret was made although secrets.existingSecret is set")
	}
	d := get(t, r, "Deployment", "oneko-api", &appsv1.Deployment{})
	env := envOf(d.Spec.Template.Spec.Containers[0])
	if ref := env["ONEKO_MONGO_URI"].ValueFrom.SecretKeyRef; ref.Name != "mine" || ref.Key != "mongo-url" {
		t.Errorf("ONEKO_MONGO_URI from %s/%s, want mine/mongo-url", ref.Name, ref.Key)
	}
	if ref := env["ONEKO_SECRET_KEY"].ValueFrom.SecretKeyRef; ref.Name != "mine" || ref.Key != "ONEKO_SECRET_KEY" {
		t.Errorf("ONEKO_SECRET_KEY from %s/%s", ref.Name, ref.Key)
	}
	if _, ok := d.Spec.Template.Annotations["checksum/secret"]; ok {
		t.Errorf("checksum of a Secret the chart does not make")
	}
	if !strings.Contains(r.notes, "get secret mine") {
		t.Errorf("NOTES.txt does not point at the existing Secret:\n%s", r.notes)
	}
}

// TestSchemaRefusesBadValues: a wrong value fails rendering with a message naming it.
func TestSchemaRefusesBadValues(t *testing.T) {
	for _, tc := range []struct{ values, want string }{
		{`api: {replicas: two}`, "/api/replicas"},
		{`worker: {concurrency: 0}`, "/worker/concurrency"},
		{`rbac: {scope: everywhere}`, "/rbac/scope"},
		{`rbac: {scope: namespaced}`, "/rbac/namespaces"},
		{`secrets: {secretKey: short}`, "/secrets/secretKey"},
		{`secrets: {mongoURI: "mysql://db"}`, "/secrets/mongoURI"},
		{`config: {logLevel: loud}`, "/config/logLevel"},
		{`config: {renderMaxBytes: 1GB}`, "/config/renderMaxBytes"},
		{`config: {endOfDay: "25:00"}`, "/config/endOfDay"},
		{`config: {endOfDayNextDay: "yes"}`, "/config/endOfDayNextDay"},
		{`ingress: {enabled: true, host: "Not A Host"}`, "/ingress/host"},
		{`replicaCount: 3`, "replicaCount"},
		{`api: {replica: 3}`, "replica"},
	} {
		t.Run(tc.values, func(t *testing.T) {
			_, err := render(t, "tools", with(t, tc.values))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
			t.Logf("refused: %v", err)
		})
	}
	// Without an existing Secret the three connections are required.
	_, err := render(t, "tools", map[string]any{"secrets": map[string]any{"secretKey": strings.Repeat("ab", 32), "redisURL": "redis://r:6379"}})
	if err == nil || !strings.Contains(err.Error(), "mongoURI") {
		t.Fatalf("err = %v, want one naming mongoURI", err)
	}
}

// allows reports whether rules grant verb on resource of group.
func allows(rules []rbacv1.PolicyRule, group, resource, verb string) bool {
	for _, r := range rules {
		if len(r.ResourceNames) > 0 && verb != "get" {
			continue
		}
		if slices.Contains(r.APIGroups, group) && slices.Contains(r.Resources, resource) && slices.Contains(r.Verbs, verb) {
			return true
		}
	}
	return false
}

func mustJSON(t testing.TB, o *unstructured.Unstructured) []byte {
	t.Helper()
	b, err := o.MarshalJSON()
	if err != nil {
		t.Fatalf("%s %s: %v", o.GetKind(), o.GetName(), err)
	}
	return b
}

// checkConfig reads the environment of a Deployment's container (Secret references resolved
// from secret) with oneko's own configuration reader: the chart's values must be ones the
// binary accepts.
func checkConfig(t testing.TB, d *appsv1.Deployment, secret map[string]string) *config.Config {
	t.Helper()
	env := map[string]string{}
	for _, e := range d.Spec.Template.Spec.Containers[0].Env {
		env[e.Name] = e.Value
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			env[e.Name] = secret[e.ValueFrom.SecretKeyRef.Key]
		}
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Errorf("%s: oneko refuses the chart's configuration: %v", d.Name, err)
	}
	return cfg
}

// checkPodSecurity checks the restricted Pod Security Standard settings of a Deployment.
func checkPodSecurity(t testing.TB, d *appsv1.Deployment) {
	t.Helper()
	pod := d.Spec.Template.Spec
	if ps := pod.SecurityContext; ps == nil || ps.RunAsNonRoot == nil || !*ps.RunAsNonRoot || ps.SeccompProfile == nil || ps.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("%s: pod security context %+v, want non-root and seccomp RuntimeDefault", d.Name, ps)
	}
	for _, c := range pod.Containers {
		sc := c.SecurityContext
		switch {
		case sc == nil:
			t.Errorf("%s/%s: no security context", d.Name, c.Name)
		case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
			t.Errorf("%s/%s: privilege escalation allowed", d.Name, c.Name)
		case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
			t.Errorf("%s/%s: root file system writable", d.Name, c.Name)
		case sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}):
			t.Errorf("%s/%s: capabilities %+v, want ALL dropped", d.Name, c.Name, sc.Capabilities)
		}
	}
}
