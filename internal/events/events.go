// Package events carries live updates — version status changes, new and removed versions,
// activities — from any api or worker process to every api process, over Redis pub/sub, for the
// Server-Sent Events stream of the dashboard. Events are notifications: a missed one costs a
// browser a stale view until the next, never data.
package events

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Channel is the Redis channel events travel on.
const Channel = "oneko:events"

// Event types.
const (
	VersionStatus  = "version.status"
	VersionCreated = "version.created"
	VersionRemoved = "version.removed"
	Activity       = "activity"
	// WebhookDelivery announces a webhook delivery a docker registry received (accepted or
	// refused); the api process shows it to ADMINs only.
	WebhookDelivery = "webhook.delivery"
)

// Event is one live update.
type Event struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Bus publishes and subscribes events.
type Bus struct {
	rdb redis.UniversalClient
}

// NewBus returns a Bus on a Redis client.
func NewBus(rdb redis.UniversalClient) *Bus { return &Bus{rdb: rdb} }

// Publish sends an event; data is marshalled to JSON.
func (b *Bus) Publish(ctx context.Context, typ string, data any) error {
	if b == nil {
		return nil
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("publish %s: %w", typ, err)
	}
	msg, err := json.Marshal(Event{Type: typ, Data: raw})
	if err != nil {
		return fmt.Errorf("publish %s: %w", typ, err)
	}
	if err := b.rdb.Publish(ctx, Channel, msg).Err(); err != nil {
		return fmt.Errorf("publish %s: %w", typ, err)
	}
	return nil
}

// Subscribe delivers events on the returned channel until ctx ends; the channel is closed then.
// It returns once the subscription is active.
func (b *Bus) Subscribe(ctx context.Context) (<-chan Event, error) {
	sub := b.rdb.Subscribe(ctx, Channel)
	if _, err := sub.Receive(ctx); err != nil {
		_ = sub.Close()
		return nil, fmt.Errorf("subscribe to events: %w", err)
	}
	out := make(chan Event, 64)
	go func() {
		defer close(out)
		defer sub.Close()
		msgs := sub.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				var e Event
				if json.Unmarshal([]byte(m.Payload), &e) != nil {
					continue
				}
				select {
				case out <- e:
				default: // a slow browser drops events rather than blocking others
				}
			}
		}
	}()
	return out, nil
}
