package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/model"
)

// route is one entry of the route table: every route declares the lowest role that may call
// it, and a test checks that the Casbin policy says the same.
type route struct {
	method, path string
	role         string
	summary      string
	handler      gin.HandlerFunc
	// doc says what the route takes and answers; the OpenAPI document is generated from it.
	doc apiDoc
}

// Roles as the route table names them (the Casbin policy uses the same names).
const (
	anon   = "ANONYMOUS"
	viewer = "VIEWER"
	doer   = "DOER"
	admin  = "ADMIN"
)

// table lists every route the server answers.
func (s *Server) table() []route {
	const v1 = "/api/v1"
	g, post, put, del, patch := http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch
	return []route{
		{g, "/healthz", anon, "Process is alive", s.healthz, ok(healthStatus{})},
		{g, "/readyz", anon, "MongoDB and Redis are reachable", s.readyz, ok(readiness{}).or(http.StatusServiceUnavailable, readiness{})},
		{g, "/metrics", anon, "Prometheus metrics", s.metricsHandler(), text("text/plain")},
		{g, "/", anon, "The dashboard", s.dashboard, text("text/html")},
		{g, v1 + "/openapi.json", anon, "This API's OpenAPI document", s.openAPI, ok(map[string]any{})},

		{g, v1 + "/system", viewer, "State of the cluster oneko deploys to (local mode starts it after the api)", s.system, ok(SystemStatus{})},

		{post, v1 + "/session", anon, "Sign in with username or e-mail and password", s.login, ok(model.User{}).takes(loginInput{})},
		{g, v1 + "/session", viewer, "The signed-in user", s.currentUser, ok(sessionInfo{})},
		{del, v1 + "/session", viewer, "Sign out", s.logout, answers(http.StatusNoContent, nil)},

		{post, webhookRoute, anon, "Registry webhook: image events are queued (the secret is checked here)", s.recordingDeliveries(s.webhook), answers(http.StatusAccepted, webhookAnswer{}).or(http.StatusOK, webhookAnswer{}).takes(map[string]any{})},

		{g, v1 + "/projects", viewer, "List projects with their status", s.listProjects, ok(list[model.Project]{}).with("q", "limit", "offset")},
		{post, v1 + "/projects", doer, "Create a project", s.createProject, answers(http.StatusCreated, model.Project{}).takes(model.Project{}).etag()},
		{g, v1 + "/projects/:id", viewer, "Get a project", s.getProject, ok(model.Project{}).etag()},
		{put, v1 + "/projects/:id", doer, "Replace a project", s.putProject, ok(model.Project{}).takes(model.Project{}).ifMatch()},
		{del, v1 + "/projects/:id", doer, "Delete a project after stopping its deployments", s.deleteProject, answers(http.StatusNoContent, nil).or(http.StatusAccepted, tasksAccepted{})},
		{g, v1 + "/projects/:id/versions", viewer, "List a project's versions, newest image first", s.listVersions, ok(list[model.Version]{}).with("q", "limit", "offset")},
		{g, v1 + "/projects/:id/versions/:vid", viewer, "Get a version", s.getVersion, ok(model.Version{}).etag()},
		{patch, v1 + "/projects/:id/versions/:vid", doer, "Change a version's overrides", s.patchVersion, ok(model.Version{}).takes(versionPatch{}).etag()},
		{put, v1 + "/projects/:id/versions/:vid/variables", viewer, "Set template variables of a version", s.putVariables, ok(model.Version{}).takes(map[string]string{})},
		{post, v1 + "/projects/:id/versions/:vid/deploy", viewer, "Deploy a version", s.deployVersion, answers(http.StatusAccepted, taskAccepted{})},
		{post, v1 + "/projects/:id/versions/:vid/stop", viewer, "Stop a version", s.stopVersion, answers(http.StatusAccepted, taskAccepted{})},
		{g, v1 + "/projects/:id/versions/:vid/configuration", doer, "Rendered values of each release", s.versionConfiguration, ok(Rendered{})},
		{g, v1 + "/projects/:id/versions/:vid/pods", viewer, "The pods of the version's releases with their containers", s.listPods, ok(list[diagnose.Pod]{})},
		{g, v1 + "/projects/:id/versions/:vid/pods/:pod/logs", viewer, "A container's log: plain text, or Server-Sent Events while following (Last-Event-ID resumes)", s.podLogs, text("text/plain").orText(http.StatusOK, "text/event-stream").with("container", "tailLines", "sinceSeconds", "previous", "timestamps", "follow", "download")},
		{g, v1 + "/projects/:id/versions/:vid/events", viewer, "Kubernetes events of the version's objects, newest first", s.listEvents, ok(list[diagnose.Event]{})},
		{g, v1 + "/projects/:id/versions/:vid/history", viewer, "Every Helm revision of each release, with who asked for it", s.listHistory, ok(list[diagnose.Revision]{})},
		{g, v1 + "/projects/:id/versions/:vid/diff", doer, "What a deploy would change now, per release: values and manifests as unified diffs (Secret data masked)", s.versionDiff, ok(list[diagnose.ReleaseDiff]{})},
		{post, v1 + "/projects/:id/versions/:vid/extend", viewer, "Restart the lifetime clock of a deployed version, optionally with another lifetime", s.extendVersion, ok(extendAnswer{}).mayTake(extendInput{})},
		{g, v1 + "/projects/:id/export", viewer, "Export a project", s.exportProject, ok(projectExport{})},
		{post, v1 + "/projects/import", doer, "Import a project (this API's or O-Neko's export)", s.importProject, answers(http.StatusCreated, model.Project{}).takes(importDoc{}).etag().with("dockerRegistryId", "helmRegistryId")},

		{g, v1 + "/docker-registries", doer, "List docker registries", s.listDockerRegistries, ok(list[model.DockerRegistry]{}).with(paged...)},
		{post, v1 + "/docker-registries", admin, "Create a docker registry", s.createDockerRegistry, answers(http.StatusCreated, model.DockerRegistry{}).takes(dockerRegistryInput{}).etag()},
		{g, v1 + "/docker-registries/:id", doer, "Get a docker registry", s.getDockerRegistry, ok(model.DockerRegistry{}).etag()},
		{put, v1 + "/docker-registries/:id", admin, "Replace a docker registry", s.putDockerRegistry, ok(model.DockerRegistry{}).takes(dockerRegistryInput{}).ifMatch()},
		{del, v1 + "/docker-registries/:id", admin, "Delete a docker registry no project uses", s.deleteDockerRegistry, answers(http.StatusNoContent, nil)},
		{post, v1 + "/docker-registries/:id/check", admin, "Check reachability and credentials", s.checkDockerRegistry, ok(checkResult{})},
		{g, v1 + "/docker-registries/:id/deliveries", admin, "The last webhook deliveries received and their outcome, newest first (no bodies, no secrets)", s.listDeliveries, ok(list[WebhookDelivery]{})},

		{g, v1 + "/helm-registries", doer, "List Helm registries", s.listHelmRegistries, ok(list[model.HelmRegistry]{}).with(paged...)},
		{post, v1 + "/helm-registries", admin, "Create a Helm registry", s.createHelmRegistry, answers(http.StatusCreated, model.HelmRegistry{}).takes(helmRegistryInput{}).etag()},
		{g, v1 + "/helm-registries/:id", doer, "Get a Helm registry", s.getHelmRegistry, ok(model.HelmRegistry{}).etag()},
		{put, v1 + "/helm-registries/:id", admin, "Replace a Helm registry", s.putHelmRegistry, ok(model.HelmRegistry{}).takes(helmRegistryInput{}).ifMatch()},
		{del, v1 + "/helm-registries/:id", admin, "Delete a Helm registry no template uses", s.deleteHelmRegistry, answers(http.StatusNoContent, nil)},
		{g, v1 + "/helm-registries/:id/charts", doer, "List the charts of a Helm registry", s.listCharts, ok(chartList{})},

		{g, v1 + "/namespaces", doer, "List namespaces", s.listNamespaces, ok(list[model.Namespace]{}).with(paged...)},
		{post, v1 + "/namespaces", admin, "Create a namespace in the cluster", s.createNamespace, answers(http.StatusCreated, model.Namespace{}).takes(namespaceInput{})},
		{del, v1 + "/namespaces/:id", admin, "Delete a namespace from the cluster", s.deleteNamespace, answers(http.StatusNoContent, nil)},

		{g, v1 + "/users", admin, "List users", s.listUsers, ok(list[model.User]{}).with(paged...)},
		{post, v1 + "/users", admin, "Create a user", s.createUser, answers(http.StatusCreated, model.User{}).takes(userInput{}).etag()},
		{g, v1 + "/users/:id", viewer, "Get a user (ADMIN, or the user itself)", s.getUser, ok(model.User{}).etag()},
		{put, v1 + "/users/:id", viewer, "Change a user (ADMIN, or the user itself without role)", s.putUser, ok(userChanged{}).takes(userInput{}).ifMatch()},
		{del, v1 + "/users/:id", admin, "Delete a user", s.deleteUser, answers(http.StatusNoContent, nil)},

		{g, v1 + "/tokens", viewer, "List own API tokens", s.listTokens, ok(list[model.Token]{}).with(paged...)},
		{post, v1 + "/tokens", viewer, "Create an API token (the secret is answered once)", s.createToken, answers(http.StatusCreated, model.Token{}).takes(tokenInput{})},
		{del, v1 + "/tokens/:id", viewer, "Revoke an API token (own; ADMIN: any)", s.deleteToken, answers(http.StatusNoContent, nil)},

		{g, v1 + "/activities", viewer, "Activity log, newest first", s.listActivities, ok(list[model.Activity]{}).with("entityId", "limit", "offset")},
		{g, v1 + "/deployments", viewer, "Active deployments across projects (desired Deployed, or Pending, Running, Failed) with their projects", s.listDeployments, ok(deploymentsAnswer{}).with("project")},
		{g, v1 + "/search", viewer, "Search projects and versions: a page of the matching versions (limit, offset) and their total, the first 20 matching projects", s.search, ok(searchResult{}).with("q", "limit", "offset")},
		{g, v1 + "/events", viewer, "Live events (Server-Sent Events): version.status, version.created, version.removed, activity, cluster.status; for ADMINs also webhook.delivery", s.events, text("text/event-stream")},
	}
}
