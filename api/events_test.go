package api_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

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
