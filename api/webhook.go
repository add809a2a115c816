package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/oneko/oneko/internal/registry"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/tasks"
)

// webhookDedupWindow is how long a delivered image event with a delivery id is remembered, so
// that redeliveries within it collapse into the first task.
const webhookDedupWindow = 10 * time.Minute

// webhookMetrics counts every webhook outcome by registry, format and result.
type webhookMetrics struct {
	requests *prometheus.CounterVec
	events   *prometheus.CounterVec
}

func newWebhookMetrics(reg prometheus.Registerer) (*webhookMetrics, error) {
	m := &webhookMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "oneko_webhook_requests_total",
			Help: "Webhook deliveries by registry, payload format and result (queued, ignored, malformed, unauthorized, unknown_registry, too_large, queue_unavailable).",
		}, []string{"registry", "format", "result"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "oneko_webhook_events_total",
			Help: "Image events in webhook deliveries by registry and outcome (enqueued, duplicate).",
		}, []string{"registry", "outcome"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.events} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register webhook metrics: %w", err)
		}
	}
	return m, nil
}

// webhookAnswer says what became of a delivery: the image events queued, or why it was ignored.
type webhookAnswer struct {
	Events     int    `json:"events"`
	Enqueued   int    `json:"enqueued"`
	Duplicates int    `json:"duplicates"`
	Ignored    string `json:"ignored,omitempty"`
}

// webhook receives a registry's push notification. Every image event is durably queued before
// the answer is 202; redeliveries (same delivery id) collapse into one task, and the events of
// one tag are coalesced so that the newest is always checked; when Redis is down the answer is 503
// so that the registry retries.
func (s *Server) webhook(c *gin.Context) {
	regID := c.Param("registryId")
	format := "unknown"
	defer func() { c.Set(webhookFormatKey, format) }() // for the deliveries list
	count := func(result string) { s.webhooks.requests.WithLabelValues(regID, format, result).Inc() }
	ctx := c.Request.Context()
	reg, err := s.registries.get(ctx, regID, s.Store.GetDockerRegistry)
	if errors.Is(err, store.ErrNotFound) {
		regID = "unknown" // keep the label set bounded
		count("unknown_registry")
		s.fail(c, explain(err, "no docker registry with that id"))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	format = string(reg.WebhookFormat)
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		count("too_large")
		s.fail(c, err)
		return
	}
	if !registry.VerifySecret(reg.WebhookSecret, c.Request.Header, c.Request.URL.Query(), body) {
		count("unauthorized")
		refused := explain(errWebhookSecret, "missing or wrong webhook secret")
		if reg.WebhookSecret == "" {
			refused = explain(errWebhookSecret, "this registry has no webhook secret: an ADMIN must set one before webhooks are accepted")
		}
		s.fail(c, refused)
		return
	}
	res, err := registry.Parse(registry.Format(reg.WebhookFormat), body, c.Request.Header)
	if err != nil {
		count("malformed")
		s.fail(c, as(errInvalidRequest, err))
		return
	}
	format = string(res.Format)
	if len(res.Events) == 0 {
		count("ignored")
		c.JSON(http.StatusOK, webhookAnswer{Ignored: res.Ignored})
		return
	}
	now := s.Now().UTC()
	enqueued, duplicates := 0, 0
	for _, ev := range res.Events {
		p := tasks.PushPayload{
			RegistryID: reg.ID, Action: string(ev.Action), Repository: registry.NormalizeRepository(reg.Host(), ev.Repository),
			Tag: ev.Tag, Digest: ev.Digest, DeliveryID: ev.DeliveryID, Source: "webhook", ReceivedAt: now,
		}
		if _, err := tasks.NewImagePush(p, webhookDedupWindow); err != nil {
			count("malformed")
			s.fail(c, as(errInvalidRequest, err))
			return
		}
		_, dup, err := tasks.EnqueuePush(ctx, s.Queue, s.Redis, p, webhookDedupWindow)
		if err != nil {
			count("queue_unavailable")
			s.fail(c, fmt.Errorf("%w: %w", errQueueUnavailable, err))
			return
		}
		if dup {
			duplicates++
			s.webhooks.events.WithLabelValues(reg.ID, "duplicate").Inc()
		} else {
			enqueued++
			s.webhooks.events.WithLabelValues(reg.ID, "enqueued").Inc()
		}
	}
	count("queued")
	c.JSON(http.StatusAccepted, webhookAnswer{Events: len(res.Events), Enqueued: enqueued, Duplicates: duplicates})
}
