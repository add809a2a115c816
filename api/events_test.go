package api_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
)

// TestEventsStream: a VIEWER's event stream receives the activity of a change made by a DOER,
// through a real redis-server; without credentials the stream is refused.
func TestEventsStream(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	e.do("GET", "/api/v1/events", nil, anonymous).must(t, 401)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/api/v1/events", nil)
	e.as(model.RoleViewer)(req)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream answer %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(res.Body)
	if !lines.Scan() || lines.Text() != ": connected" {
		t.Fatalf("first line %q", lines.Text())
	}
	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/deploy", nil, e.as(model.RoleDoer)).must(t, 202)
	var event, data string
	for lines.Scan() {
		l := lines.Text()
		if v, ok := strings.CutPrefix(l, "event: "); ok {
			event = v
		}
		if v, ok := strings.CutPrefix(l, "data: "); ok {
			data = v
			break
		}
	}
	if event != "activity" || !strings.Contains(data, "Deploy requested") || !strings.Contains(data, f.versionID) {
		t.Fatalf("event %q data %s", event, data)
	}
}

// stream is an open event stream of the test server.
type stream struct {
	t      *testing.T
	res    *http.Response
	lines  *bufio.Scanner
	cancel context.CancelFunc
}

// openStream opens GET /api/v1/events and reads its first line.
func (e *env) openStream(t *testing.T, c cred) *stream {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/api/v1/events", nil)
	c(req)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	s := &stream{t: t, res: res, lines: bufio.NewScanner(res.Body), cancel: cancel}
	t.Cleanup(s.close)
	if res.StatusCode != 200 {
		t.Fatalf("stream answer %d", res.StatusCode)
	}
	if !s.lines.Scan() || s.lines.Text() != ": connected" {
		t.Fatalf("first line %q", s.lines.Text())
	}
	return s
}

func (s *stream) close() { s.cancel(); s.res.Body.Close() }

// next returns the next event's type and data; "" when the stream ended.
func (s *stream) next() (event, data string) {
	for s.lines.Scan() {
		l := s.lines.Text()
		if v, ok := strings.CutPrefix(l, "event: "); ok {
			event = v
		}
		if v, ok := strings.CutPrefix(l, "data: "); ok {
			return event, v
		}
	}
	return "", ""
}

// mustEnd reads until the stream ends and checks that it said why.
func (s *stream) mustEnd(reason string) {
	s.t.Helper()
	ev, data := s.next()
	if ev != "end" || !strings.Contains(data, reason) {
		s.t.Fatalf("got event %q %s, want end: %s", ev, data, reason)
	}
	for s.lines.Scan() {
		if s.lines.Text() != "" {
			s.t.Fatalf("stream goes on after its end: %q", s.lines.Text())
		}
	}
}

// TestEventsShareOneSubscription: 200 open streams use one Redis subscription of the api
// process (PUBSUB NUMSUB on the real redis-server), and each gets the events.
func TestEventsShareOneSubscription(t *testing.T) {
	e := newEnv(t, func(d *api.Deps) { d.StreamCaps = events.Caps{PerUser: 200, Total: 200} })
	f := e.fixture()
	streams := make([]*stream, 200)
	for i := range streams {
		streams[i] = e.openStream(t, e.as(model.RoleViewer))
	}
	subs, err := e.rdb.PubSubNumSub(context.Background(), events.Channel).Result()
	if err != nil {
		t.Fatal(err)
	}
	if subs[events.Channel] != 1 {
		t.Fatalf("%d Redis subscriptions for 200 streams, want 1", subs[events.Channel])
	}
	e.do("GET", "/api/v1/events", nil, e.as(model.RoleDoer)).must(t, 429) // the process's cap
	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/deploy", nil, e.as(model.RoleDoer)).must(t, 202)
	for _, i := range []int{0, 99, 199} {
		if ev, data := streams[i].next(); ev != "activity" || !strings.Contains(data, "Deploy requested") {
			t.Fatalf("stream %d: %q %s", i, ev, data)
		}
	}
}

// TestEventsEndWithCredentials: a stream ends when its session signs out, when its user's
// password changes (the token is revoked), when its token is revoked, and at shutdown.
func TestEventsEndWithCredentials(t *testing.T) {
	e := newEnv(t)
	session := e.login(t, "viewer", testPassword)
	s := e.openStream(t, session)
	e.do("DELETE", "/api/v1/session", nil, session).must(t, 204)
	s.mustEnd("signed out")

	byToken := e.openStream(t, e.as(model.RoleDoer))
	e.do("PUT", "/api/v1/users/"+e.users[model.RoleDoer].ID, map[string]any{"username": "doer", "email": "doer@example.com", "password": "reset-by-the-admin"}, basic("admin", testPassword), e.fresh("/api/v1/users/"+e.users[model.RoleDoer].ID)).must(t, 200)
	byToken.mustEnd("the password changed")

	var tok struct{ ID, Secret string }
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "watch"}, basic("admin", testPassword)).must(t, 201).json(t, &tok)
	s = e.openStream(t, bearer(tok.Secret))
	e.do("DELETE", "/api/v1/tokens/"+tok.ID, nil, basic("admin", testPassword)).must(t, 204)
	s.mustEnd("the token was revoked")

	s = e.openStream(t, e.as(model.RoleAdmin))
	e.server.Close()
	s.mustEnd("shutting down")
}

// TestEventsCaps: streams are capped per user and per process with 429; a closed stream gives
// its place back. Activities about users and tokens reach ADMINs only.
func TestEventsCaps(t *testing.T) {
	e := newEnv(t, func(d *api.Deps) { d.StreamCaps = events.Caps{PerUser: 2, Total: 3} })
	f := e.fixture()
	v1 := e.openStream(t, e.as(model.RoleViewer))
	e.openStream(t, e.as(model.RoleViewer))
	res := e.do("GET", "/api/v1/events", nil, e.as(model.RoleViewer)).must(t, 429)
	if res.header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	adm := e.openStream(t, e.as(model.RoleAdmin))
	e.do("GET", "/api/v1/events", nil, e.as(model.RoleDoer)).must(t, 429) // 3 open in the process

	e.do("POST", "/api/v1/users", map[string]any{"username": "carol", "role": "DOER", "password": "another-long-password"}, e.as(model.RoleAdmin)).must(t, 201)
	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/deploy", nil, e.as(model.RoleDoer)).must(t, 202)
	if _, data := adm.next(); !strings.Contains(data, "User created") {
		t.Fatalf("ADMIN's first event %s, want the user activity", data)
	}
	if _, data := v1.next(); !strings.Contains(data, "Deploy requested") {
		t.Fatalf("VIEWER's first event %s, want the deploy (user activities are for ADMINs)", data)
	}
	v1.close()
	deadline := time.Now().Add(10 * time.Second)
	for e.do("GET", "/api/v1/events", nil, e.as(model.RoleDoer)).status == 429 {
		if time.Now().After(deadline) {
			t.Fatal("a closed stream did not give its place back")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
