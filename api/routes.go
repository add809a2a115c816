package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// route is one entry of the route table: every route declares the lowest role that may call
// it, and a test checks that the Casbin policy says the same.
type route struct {
	method, path string
	role         string
	summary      string
	handler      gin.HandlerFunc
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
		{g, "/healthz", anon, "Process is alive", s.healthz},
		{g, "/readyz", anon, "MongoDB and Redis are reachable", s.readyz},
		{g, "/metrics", anon, "Prometheus metrics", s.metricsHandler()},
		{g, "/", anon, "The dashboard", s.dashboard},
		{g, v1 + "/openapi.json", anon, "This API's OpenAPI document", s.openAPI},

		{g, v1 + "/system", viewer, "State of the cluster oneko deploys to (local mode starts it after the api)", s.system},

		{post, v1 + "/session", anon, "Sign in with username or e-mail and password", s.login},
		{g, v1 + "/session", viewer, "The signed-in user", s.currentUser},
		{del, v1 + "/session", viewer, "Sign out", s.logout},

		{post, webhookRoute, anon, "Registry webhook: image events are queued (the secret is checked here)", s.webhook},

		{g, v1 + "/projects", viewer, "List projects with their status", s.listProjects},
		{post, v1 + "/projects", doer, "Create a project", s.createProject},
		{g, v1 + "/projects/:id", viewer, "Get a project", s.getProject},
		{put, v1 + "/projects/:id", doer, "Replace a project", s.putProject},
		{del, v1 + "/projects/:id", doer, "Delete a project after stopping its deployments", s.deleteProject},
		{g, v1 + "/projects/:id/versions", viewer, "List a project's versions, newest image first", s.listVersions},
		{g, v1 + "/projects/:id/versions/:vid", viewer, "Get a version", s.getVersion},
		{patch, v1 + "/projects/:id/versions/:vid", doer, "Change a version's overrides", s.patchVersion},
		{put, v1 + "/projects/:id/versions/:vid/variables", viewer, "Set template variables of a version", s.putVariables},
		{post, v1 + "/projects/:id/versions/:vid/deploy", viewer, "Deploy a version", s.deployVersion},
		{post, v1 + "/projects/:id/versions/:vid/stop", viewer, "Stop a version", s.stopVersion},
		{g, v1 + "/projects/:id/versions/:vid/configuration", doer, "Rendered values of each release", s.versionConfiguration},
		{g, v1 + "/projects/:id/export", viewer, "Export a project", s.exportProject},
		{post, v1 + "/projects/import", doer, "Import a project (this API's or O-Neko's export)", s.importProject},

		{g, v1 + "/docker-registries", doer, "List docker registries", s.listDockerRegistries},
		{post, v1 + "/docker-registries", admin, "Create a docker registry", s.createDockerRegistry},
		{g, v1 + "/docker-registries/:id", doer, "Get a docker registry", s.getDockerRegistry},
		{put, v1 + "/docker-registries/:id", admin, "Replace a docker registry", s.putDockerRegistry},
		{del, v1 + "/docker-registries/:id", admin, "Delete a docker registry no project uses", s.deleteDockerRegistry},
		{post, v1 + "/docker-registries/:id/check", admin, "Check reachability and credentials", s.checkDockerRegistry},

		{g, v1 + "/helm-registries", doer, "List Helm registries", s.listHelmRegistries},
		{post, v1 + "/helm-registries", admin, "Create a Helm registry", s.createHelmRegistry},
		{g, v1 + "/helm-registries/:id", doer, "Get a Helm registry", s.getHelmRegistry},
		{put, v1 + "/helm-registries/:id", admin, "Replace a Helm registry", s.putHelmRegistry},
		{del, v1 + "/helm-registries/:id", admin, "Delete a Helm registry no template uses", s.deleteHelmRegistry},
		{g, v1 + "/helm-registries/:id/charts", doer, "List the charts of a Helm registry", s.listCharts},

		{g, v1 + "/namespaces", doer, "List namespaces", s.listNamespaces},
		{post, v1 + "/namespaces", admin, "Create a namespace in the cluster", s.createNamespace},
		{del, v1 + "/namespaces/:id", admin, "Delete a namespace from the cluster", s.deleteNamespace},

		{g, v1 + "/users", admin, "List users", s.listUsers},
		{post, v1 + "/users", admin, "Create a user", s.createUser},
		{g, v1 + "/users/:id", viewer, "Get a user (ADMIN, or the user itself)", s.getUser},
		{put, v1 + "/users/:id", viewer, "Change a user (ADMIN, or the user itself without role)", s.putUser},
		{del, v1 + "/users/:id", admin, "Delete a user", s.deleteUser},

		{g, v1 + "/tokens", viewer, "List own API tokens", s.listTokens},
		{post, v1 + "/tokens", viewer, "Create an API token (the secret is answered once)", s.createToken},
		{del, v1 + "/tokens/:id", viewer, "Revoke an API token (own; ADMIN: any)", s.deleteToken},

		{g, v1 + "/activities", viewer, "Activity log, newest first", s.listActivities},
		{g, v1 + "/search", viewer, "Search projects and versions", s.search},
		{g, v1 + "/events", viewer, "Live events (Server-Sent Events): version.status, version.created, version.removed, activity", s.events},
	}
}
