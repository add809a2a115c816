package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/registry"
	"github.com/oneko/oneko/tasks"
)

// dockerRegistryInput is the body of POST and PUT: the document plus the write-only secrets.
// On PUT an absent secret keeps the stored one and "" removes it.
type dockerRegistryInput struct {
	model.DockerRegistry
	Password      *string `json:"password"`
	WebhookSecret *string `json:"webhookSecret"`
	// PollInterval is a pointer to tell "0s" (webhooks only) from absent (the default).
	PollInterval *model.Duration `json:"pollInterval"`
}

// present fills the read-only fields of an answer.
func (s *Server) presentDocker(r *model.DockerRegistry) *model.DockerRegistry {
	r.WebhookURL = strings.TrimRight(s.PublicURL, "/") + "/api/v1/webhooks/" + r.ID
	return r
}

func (s *Server) listDockerRegistries(c *gin.Context) {
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.Store.ListDockerRegistries(c.Request.Context(), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range items {
		s.presentDocker(&items[i])
	}
	c.JSON(http.StatusOK, newList(items, total))
}

func (s *Server) loadDockerRegistry(c *gin.Context) (*model.DockerRegistry, error) {
	r, err := s.Store.GetDockerRegistry(c.Request.Context(), c.Param("id"))
	return r, notFoundAs(err, "no docker registry with id %q", c.Param("id"))
}

func (s *Server) getDockerRegistry(c *gin.Context) {
	r, err := s.loadDockerRegistry(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	setETag(c, r.Revision)
	c.JSON(http.StatusOK, s.presentDocker(r))
}

func (s *Server) createDockerRegistry(c *gin.Context) {
	var in dockerRegistryInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	r := in.DockerRegistry
	r.ID, r.Revision = "", 0
	if in.Password != nil {
		r.Password = *in.Password
	}
	if in.WebhookSecret != nil {
		r.WebhookSecret = *in.WebhookSecret
	}
	if r.WebhookFormat == "" {
		r.WebhookFormat = model.WebhookAuto
	}
	r.PollInterval = model.Duration(model.DefaultPollInterval)
	if in.PollInterval != nil {
		r.PollInterval = *in.PollInterval
	}
	if err := r.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Store.CreateDockerRegistry(c.Request.Context(), &r); err != nil {
		s.fail(c, err)
		return
	}
	s.record(c, model.PriorityInfo, model.EntityDockerRegistry, r.ID, "Docker registry created", "registry %s at %s", r.Name, r.URL)
	setETag(c, r.Revision)
	c.JSON(http.StatusCreated, s.presentDocker(&r))
}

func (s *Server) putDockerRegistry(c *gin.Context) {
	old, err := s.loadDockerRegistry(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in dockerRegistryInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if err := requireRevision(c, old.Revision, in.Revision); err != nil {
		s.fail(c, err)
		return
	}
	r := in.DockerRegistry
	r.ID, r.Revision, r.CreatedAt = old.ID, old.Revision, old.CreatedAt
	r.Password, r.WebhookSecret, r.PollInterval = old.Password, old.WebhookSecret, old.PollInterval
	if in.PollInterval != nil {
		r.PollInterval = *in.PollInterval
	}
	if in.Password != nil {
		r.Password = *in.Password
	}
	if in.WebhookSecret != nil {
		r.WebhookSecret = *in.WebhookSecret
	}
	if r.WebhookFormat == "" {
		r.WebhookFormat = model.WebhookAuto
	}
	if err := r.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	if err := passwordAgain(old.Host(), r.Host(), old.Password != "", in.Password != nil); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Store.UpdateDockerRegistry(c.Request.Context(), &r); err != nil {
		s.fail(c, revisionConflict(err))
		return
	}
	if old.Host() != r.Host() || old.Username != r.Username || old.Password != r.Password {
		s.syncPullSecrets(c, tasks.PullSecretsPayload{RegistryID: r.ID, Revision: r.Revision})
	}
	s.record(c, model.PriorityInfo, model.EntityDockerRegistry, r.ID, "Docker registry changed", "registry %s", r.Name)
	setETag(c, r.Revision)
	c.JSON(http.StatusOK, s.presentDocker(&r))
}

func (s *Server) deleteDockerRegistry(c *gin.Context) {
	r, err := s.loadDockerRegistry(c)
	if err == nil {
		err = s.Store.DeleteDockerRegistry(c.Request.Context(), r.ID)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.forgetDeliveries(c.Request.Context(), r.ID)
	s.syncPullSecrets(c, tasks.PullSecretsPayload{RegistryID: r.ID, Revision: r.Revision, Deleted: true})
	s.record(c, model.PriorityInfo, model.EntityDockerRegistry, r.ID, "Docker registry deleted", "registry %s", r.Name)
	c.Status(http.StatusNoContent)
}

// passwordAgain answers 422 naming `password` when a PUT moves a docker or Helm registry
// with a stored password to another host without giving the password again (see
// model.HostChangeNeedsPassword), so that the stored one never reaches a host it was not given
// for; nil otherwise.
func passwordAgain(oldHost, newHost string, hadPassword, passwordGiven bool) error {
	if !model.HostChangeNeedsPassword(oldHost, newHost, hadPassword, passwordGiven) {
		return nil
	}
	return unprocessable("password", fmt.Sprintf(
		"the registry's host changes from %s to %s: give the password again (or \"\" for none), so that the stored one never goes to another host",
		oldHost, newHost))
}

// syncPullSecrets queues the task that brings the registry's pull secrets in the cluster in
// line with what was just stored (new credentials, or none after a deletion). The write stands
// when the queue is unavailable: the worker's periodic reconcile does the same within a
// minute or so, and the next deploy into a namespace rewrites its secret.
func (s *Server) syncPullSecrets(c *gin.Context, p tasks.PullSecretsPayload) {
	ctx := c.Request.Context()
	t, err := tasks.NewSyncPullSecrets(p)
	if err == nil {
		_, _, err = tasks.Enqueue(ctx, s.Queue, t)
	}
	if err != nil {
		s.log.WarnContext(ctx, "pull secrets of the registry not queued for update; the reconcile will update them", "registry", p.RegistryID, "err", err)
	}
}

// checkResult is the answer of the check route: whether the check passed, its class
// (registry.CheckResult.Result) and a fixed message; the registry's own answer is never echoed.
type checkResult struct {
	OK      bool   `json:"ok"`
	Result  string `json:"result"`
	Message string `json:"message"`
}

func (s *Server) checkDockerRegistry(c *gin.Context) {
	r, err := s.loadDockerRegistry(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	err = s.Checker.Check(c.Request.Context(), r)
	res := registry.ClassifyCheck(err)
	if err != nil {
		s.log.Info("docker registry check failed", "registry", r.Name, "result", res.Result, "err", err)
	}
	c.JSON(http.StatusOK, checkResult{OK: err == nil, Result: res.Result, Message: res.Message})
}

// helmRegistryInput is the body of POST and PUT with the write-only password.
type helmRegistryInput struct {
	model.HelmRegistry
	Password *string `json:"password"`
}

func (s *Server) listHelmRegistries(c *gin.Context) {
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.Store.ListHelmRegistries(c.Request.Context(), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, total))
}

func (s *Server) loadHelmRegistry(c *gin.Context) (*model.HelmRegistry, error) {
	r, err := s.Store.GetHelmRegistry(c.Request.Context(), c.Param("id"))
	return r, notFoundAs(err, "no Helm registry with id %q", c.Param("id"))
}

func (s *Server) getHelmRegistry(c *gin.Context) {
	r, err := s.loadHelmRegistry(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	setETag(c, r.Revision)
	c.JSON(http.StatusOK, r)
}

func (s *Server) createHelmRegistry(c *gin.Context) {
	var in helmRegistryInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	r := in.HelmRegistry
	r.ID, r.Revision = "", 0
	if in.Password != nil {
		r.Password = *in.Password
	}
	if err := r.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Store.CreateHelmRegistry(c.Request.Context(), &r); err != nil {
		s.fail(c, err)
		return
	}
	s.record(c, model.PriorityInfo, model.EntityHelmRegistry, r.ID, "Helm registry created", "registry %s at %s", r.Name, r.URL)
	setETag(c, r.Revision)
	c.JSON(http.StatusCreated, &r)
}

func (s *Server) putHelmRegistry(c *gin.Context) {
	old, err := s.loadHelmRegistry(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in helmRegistryInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if err := requireRevision(c, old.Revision, in.Revision); err != nil {
		s.fail(c, err)
		return
	}
	r := in.HelmRegistry
	r.ID, r.Revision, r.CreatedAt, r.Password = old.ID, old.Revision, old.CreatedAt, old.Password
	if in.Password != nil {
		r.Password = *in.Password
	}
	if err := r.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	if err := passwordAgain(old.Host(), r.Host(), old.Password != "", in.Password != nil); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Store.UpdateHelmRegistry(c.Request.Context(), &r); err != nil {
		s.fail(c, revisionConflict(err))
		return
	}
	s.forgetCharts(c, r.ID)
	s.record(c, model.PriorityInfo, model.EntityHelmRegistry, r.ID, "Helm registry changed", "registry %s", r.Name)
	setETag(c, r.Revision)
	c.JSON(http.StatusOK, &r)
}

func (s *Server) deleteHelmRegistry(c *gin.Context) {
	r, err := s.loadHelmRegistry(c)
	if err == nil {
		err = s.Store.DeleteHelmRegistry(c.Request.Context(), r.ID)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.forgetCharts(c, r.ID)
	s.record(c, model.PriorityInfo, model.EntityHelmRegistry, r.ID, "Helm registry deleted", "registry %s", r.Name)
	c.Status(http.StatusNoContent)
}

// forgetCharts drops what the chart cache keeps of a Helm registry that was just changed or
// deleted: a chart kept from its old address or fetched with its old credentials is never
// answered again (a kept exact version would otherwise be answered without asking the
// registry). The write stands when forgetting fails; the failure is logged.
func (s *Server) forgetCharts(c *gin.Context, registryID string) {
	if s.Charts == nil {
		return
	}
	if err := s.Charts.Forget(registryID); err != nil {
		s.log.WarnContext(c.Request.Context(), "charts of the changed Helm registry not forgotten", "registry", registryID, "err", err)
	}
}

// chartList is the answer of the charts route: the versions of each chart by chart name.
type chartList struct {
	Charts map[string][]ChartVersion `json:"charts"`
}

func (s *Server) listCharts(c *gin.Context) {
	r, err := s.loadHelmRegistry(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	charts, err := s.Charts.ListCharts(c.Request.Context(), r)
	if err != nil {
		s.fail(c, as(errHelmRegistryUnavailable, err))
		return
	}
	c.JSON(http.StatusOK, chartList{Charts: charts})
}
