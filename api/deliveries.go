package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/internal/events"
)

// MaxDeliveries is how many webhook deliveries are kept per docker registry.
const MaxDeliveries = 50

// deliveriesRetention drops the list of a registry that received nothing for this long.
const deliveriesRetention = 30 * 24 * time.Hour

// webhookFormatKey is where the webhook handler leaves the payload format it used.
const webhookFormatKey = "oneko.webhookFormat"

// Delivery results, from the answer's status.
const (
	deliveryQueued           = "queued"
	deliveryIgnored          = "ignored"
	deliveryMalformed        = "malformed"
	deliveryUnauthorized     = "unauthorized"
	deliveryTooLarge         = "too_large"
	deliveryQueueUnavailable = "queue_unavailable"
	deliveryFailed           = "failed"
)

// WebhookDelivery is what is kept of one webhook delivery: its outcome, never its body or secret.
type WebhookDelivery struct {
	Time time.Time `json:"time"`
	// Format is the payload format used (the detected one for auto), or "unknown".
	Format string `json:"format"`
	// Status is the HTTP status answered; Result names the outcome.
	Status     int    `json:"status"`
	Result     string `json:"result"`
	Events     int    `json:"events"`
	Enqueued   int    `json:"enqueued"`
	Duplicates int    `json:"duplicates"`
	// Ignored is why a well-formed delivery needed no action; Error is the problem's detail.
	Ignored string `json:"ignored,omitempty"`
	Error   string `json:"error,omitempty"`
	// RemoteAddress is the peer's IP; ForwardedFor the X-Forwarded-For header, if any.
	RemoteAddress string `json:"remoteAddress"`
	ForwardedFor  string `json:"forwardedFor,omitempty"`
	// Bytes is the size of the body received.
	Bytes int64 `json:"bytes"`
}

func deliveriesKey(registryID string) string { return "oneko:webhook:deliveries:" + registryID }

// teeWriter keeps the first bytes of an answer: webhook answers are small JSON documents.
type teeWriter struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

const teeLimit = 8 << 10

func (w *teeWriter) Write(b []byte) (int, error) {
	if room := teeLimit - w.buf.Len(); room > 0 {
		w.buf.Write(b[:min(len(b), room)])
	}
	return w.ResponseWriter.Write(b)
}

func (w *teeWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// recordingDeliveries wraps the webhook handler: after it answered, the outcome is pushed to
// the registry's capped list in Redis. Deliveries to unknown registries are not kept.
func (s *Server) recordingDeliveries(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		tw := &teeWriter{ResponseWriter: c.Writer}
		c.Writer = tw
		h(c)
		c.Writer = tw.ResponseWriter
		status := tw.Status()
		if status == http.StatusNotFound || s.Redis == nil {
			return
		}
		d := deliveryOf(status, tw.buf.Bytes())
		d.Time = s.Now().UTC()
		d.Format = c.GetString(webhookFormatKey)
		if d.Format == "" {
			d.Format = "unknown"
		}
		d.RemoteAddress = c.RemoteIP()
		d.ForwardedFor = truncate(c.GetHeader("X-Forwarded-For"), 200)
		d.Bytes = c.Request.ContentLength
		ctx := context.WithoutCancel(c.Request.Context())
		regID := c.Param("registryId")
		if err := s.pushDelivery(ctx, regID, d); err != nil {
			s.log.WarnContext(ctx, "cannot record webhook delivery", "err", err)
			return
		}
		if err := s.Events.Publish(ctx, events.WebhookDelivery, deliveryEvent{RegistryID: regID, Delivery: d}); err != nil {
			s.log.DebugContext(ctx, "cannot publish webhook delivery", "err", err)
		}
	}
}

// deliveryEvent is the data of a webhook.delivery event: the delivery as the deliveries list
// keeps it, and the registry it was sent to.
type deliveryEvent struct {
	RegistryID string          `json:"registryId"`
	Delivery   WebhookDelivery `json:"delivery"`
}

// deliveryOf reads the outcome from the answer: a webhookAnswer or a problem.
func deliveryOf(status int, body []byte) WebhookDelivery {
	d := WebhookDelivery{Status: status}
	switch status {
	case http.StatusAccepted, http.StatusOK:
		var a webhookAnswer
		_ = json.Unmarshal(body, &a)
		d.Events, d.Enqueued, d.Duplicates, d.Ignored = a.Events, a.Enqueued, a.Duplicates, a.Ignored
		d.Result = deliveryQueued
		if status == http.StatusOK {
			d.Result = deliveryIgnored
		}
		return d
	case http.StatusBadRequest:
		d.Result = deliveryMalformed
	case http.StatusUnauthorized:
		d.Result = deliveryUnauthorized
	case http.StatusRequestEntityTooLarge:
		d.Result = deliveryTooLarge
	case http.StatusServiceUnavailable:
		d.Result = deliveryQueueUnavailable
	default:
		d.Result = deliveryFailed
	}
	var p Problem
	if json.Unmarshal(body, &p) == nil {
		d.Error = truncate(p.Detail, 500)
	}
	return d
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// pushDelivery prepends a delivery to the registry's list and trims it to MaxDeliveries.
func (s *Server) pushDelivery(ctx context.Context, registryID string, d WebhookDelivery) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	key := deliveriesKey(registryID)
	_, err = s.Redis.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.LPush(ctx, key, raw)
		p.LTrim(ctx, key, 0, MaxDeliveries-1)
		p.Expire(ctx, key, deliveriesRetention)
		return nil
	})
	return err
}

// listDeliveries answers the last webhook deliveries of a docker registry, newest first.
func (s *Server) listDeliveries(c *gin.Context) {
	r, err := s.loadDockerRegistry(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := []WebhookDelivery{}
	if s.Redis != nil {
		raws, err := s.Redis.LRange(c.Request.Context(), deliveriesKey(r.ID), 0, MaxDeliveries-1).Result()
		if err != nil {
			s.fail(c, errQueueUnavailable)
			return
		}
		for _, raw := range raws {
			var d WebhookDelivery
			if err := json.Unmarshal([]byte(raw), &d); err == nil {
				items = append(items, d)
			}
		}
	}
	c.JSON(http.StatusOK, newList(items, int64(len(items))))
}

// forgetDeliveries drops the deliveries of a deleted registry.
func (s *Server) forgetDeliveries(ctx context.Context, registryID string) {
	if s.Redis == nil {
		return
	}
	if err := s.Redis.Del(ctx, deliveriesKey(registryID)).Err(); err != nil {
		s.log.WarnContext(ctx, "cannot drop webhook deliveries", "registry", registryID, "err", err)
	}
}
