package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"
)

// RevocationChannel carries ended credentials (sign-outs, password changes, deleted users,
// revoked tokens) to every api process, so that their live streams end at once.
const RevocationChannel = "oneko:revocations"

// Revocation names credentials that ended. A stream ends when its user matches UserID (except
// the session KeepSessionID), or its session matches SessionID, or its token matches TokenID.
type Revocation struct {
	UserID        string `json:"userId,omitempty"`
	KeepSessionID string `json:"keepSessionId,omitempty"`
	SessionID     string `json:"sessionId,omitempty"`
	TokenID       string `json:"tokenId,omitempty"`
	Reason        string `json:"reason"`
}

// ErrTooManyStreams is returned by Join when a cap on open streams is reached.
var ErrTooManyStreams = errors.New("too many live event streams")

// ErrClosed is returned by Join after Close.
var ErrClosed = errors.New("event hub closed")

// Owner is whose credentials a stream runs on.
type Owner struct {
	UserID, SessionID, TokenID string
}

func (o Owner) revokedBy(r Revocation) bool {
	switch {
	case r.UserID != "" && r.UserID == o.UserID:
		return r.KeepSessionID == "" || r.KeepSessionID != o.SessionID
	case r.SessionID != "" && r.SessionID == o.SessionID:
		return true
	case r.TokenID != "" && r.TokenID == o.TokenID:
		return true
	}
	return false
}

// Caps bound the open streams of one process.
type Caps struct {
	// PerUser is how many streams one user may have open (default 10).
	PerUser int
	// Total is how many streams the process serves at once (default 1000).
	Total int
}

// Hub fans the events of one shared Redis subscription out to every stream of this process,
// bounded by Caps, and ends streams whose credentials are revoked. The subscription starts
// with the first stream and lasts until Close.
type Hub struct {
	rdb  redis.UniversalClient
	caps Caps

	mu      sync.Mutex
	pubsub  *redis.PubSub
	subs    map[*Stream]struct{}
	perUser map[string]int
	closed  bool
	done    chan struct{}
}

// Stream is one client's share of the hub's events.
type Stream struct {
	hub   *Hub
	owner Owner
	c     chan Event
	end   chan struct{}
	// reason says why the stream ended; written before end is closed.
	reason string
	once   sync.Once
}

// NewHub returns a Hub on a Redis client; zero caps take their defaults.
func NewHub(rdb redis.UniversalClient, caps Caps) *Hub {
	if caps.PerUser <= 0 {
		caps.PerUser = 10
	}
	if caps.Total <= 0 {
		caps.Total = 1000
	}
	return &Hub{rdb: rdb, caps: caps, subs: map[*Stream]struct{}{}, perUser: map[string]int{}, done: make(chan struct{})}
}

// Caps are the hub's caps.
func (h *Hub) Caps() Caps { return h.caps }

// Join opens a stream for owner; ErrTooManyStreams when a cap is reached.
func (h *Hub) Join(ctx context.Context, owner Owner) (*Stream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	if len(h.subs) >= h.caps.Total || h.perUser[owner.UserID] >= h.caps.PerUser {
		return nil, ErrTooManyStreams
	}
	if h.pubsub == nil {
		ps := h.rdb.Subscribe(ctx, Channel, RevocationChannel)
		if _, err := ps.Receive(ctx); err != nil {
			_ = ps.Close()
			return nil, fmt.Errorf("subscribe to events: %w", err)
		}
		h.pubsub = ps
		go h.run(ps)
	}
	s := &Stream{hub: h, owner: owner, c: make(chan Event, 64), end: make(chan struct{})}
	h.subs[s] = struct{}{}
	h.perUser[owner.UserID]++
	return s, nil
}

// run fans messages out until the subscription is closed.
func (h *Hub) run(ps *redis.PubSub) {
	for m := range ps.Channel() {
		switch m.Channel {
		case Channel:
			var e Event
			if json.Unmarshal([]byte(m.Payload), &e) != nil {
				continue
			}
			h.mu.Lock()
			for s := range h.subs {
				select {
				case s.c <- e:
				default: // a slow browser drops events rather than blocking others
				}
			}
			h.mu.Unlock()
		case RevocationChannel:
			var r Revocation
			if json.Unmarshal([]byte(m.Payload), &r) != nil {
				continue
			}
			h.mu.Lock()
			for s := range h.subs {
				if s.owner.revokedBy(r) {
					s.stop(r.Reason)
				}
			}
			h.mu.Unlock()
		}
	}
}

// Close ends every stream at once and the Redis subscription (at shutdown).
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for s := range h.subs {
		s.stop("the server is shutting down")
	}
	if h.pubsub != nil {
		_ = h.pubsub.Close()
	}
	close(h.done)
}

// Open counts the open streams.
func (h *Hub) Open() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Events delivers the stream's events.
func (s *Stream) Events() <-chan Event { return s.c }

// Ended is closed when the stream must end: its credentials were revoked or the hub closed.
func (s *Stream) Ended() <-chan struct{} { return s.end }

// Reason says why Ended was closed.
func (s *Stream) Reason() string {
	<-s.end
	return s.reason
}

// Stop ends the stream for a reason (e.g. its credentials expired).
func (s *Stream) Stop(reason string) { s.stop(reason) }

func (s *Stream) stop(reason string) {
	s.once.Do(func() {
		s.reason = reason
		close(s.end)
	})
}

// Leave gives the stream's place back; call it when the client is gone.
func (s *Stream) Leave() {
	s.stop("left")
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s]; !ok {
		return
	}
	delete(h.subs, s)
	if h.perUser[s.owner.UserID]--; h.perUser[s.owner.UserID] <= 0 {
		delete(h.perUser, s.owner.UserID)
	}
}

// Revoke tells every api process that credentials ended.
func (b *Bus) Revoke(ctx context.Context, r Revocation) error {
	if b == nil {
		return nil
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	if err := b.rdb.Publish(ctx, RevocationChannel, raw).Err(); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	return nil
}
