package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/model"
)

// TestWebhookDeliveries: every delivery to a known registry is kept with its outcome (queued
// with event counts, malformed, unauthorized) in a list capped at api.MaxDeliveries, newest
// first, without bodies or secrets; deliveries to unknown registries are not kept; the list
// is for ADMINs and goes with its registry.
func TestWebhookDeliveries(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	hook := "/api/v1/webhooks/" + f.registryID
	secret := bearer("hook-s3cret-value")
	push := `{"image":"registry.example.com/team/shop","tag":"2.0.0","digest":"sha256:` + strings.Repeat("b", 64) + `"}`
	forwarded := func(r *http.Request) { r.Header.Set("X-Forwarded-For", "203.0.113.7") }
	e.do("POST", hook, push, secret, forwarded).must(t, 202)
	e.do("POST", hook, push, secret).must(t, 202) // again: enqueued or collapsed, counted either way
	e.do("POST", hook, `{"image":`, secret).must(t, 400)
	e.do("POST", hook, push, bearer("wrong-secret")).must(t, 401)
	e.do("POST", "/api/v1/webhooks/000000000000000000000000", push, secret).must(t, 404)

	var got struct {
		Items []api.WebhookDelivery `json:"items"`
		Total int                   `json:"total"`
	}
	res := e.do("GET", "/api/v1/docker-registries/"+f.registryID+"/deliveries", nil, e.as(model.RoleAdmin)).must(t, 200)
	res.json(t, &got)
	if got.Total != 4 || len(got.Items) != 4 {
		t.Fatalf("%d deliveries, want 4 (the unknown registry's is not kept): %+v", got.Total, got.Items)
	}
	unauth, malformed, dup, first := got.Items[0], got.Items[1], got.Items[2], got.Items[3]
	if first.Result != "queued" || first.Status != 202 || first.Events != 1 || first.Enqueued != 1 || first.Format != "generic" ||
		first.ForwardedFor != "203.0.113.7" || first.RemoteAddress == "" || first.Bytes != int64(len(push)) || first.Time.IsZero() {
		t.Fatalf("first delivery %+v", first)
	}
	if dup.Result != "queued" || dup.Events != 1 || dup.Duplicates+dup.Enqueued != 1 {
		t.Fatalf("redelivery %+v", dup)
	}
	if malformed.Result != "malformed" || malformed.Status != 400 || malformed.Error == "" {
		t.Fatalf("malformed delivery %+v", malformed)
	}
	if unauth.Result != "unauthorized" || unauth.Status != 401 || !strings.Contains(unauth.Error, "secret") {
		t.Fatalf("unauthorized delivery %+v", unauth)
	}
	for _, s := range []string{"hook-s3cret-value", "wrong-secret", "team/shop", "sha256:"} {
		if strings.Contains(string(res.body), s) {
			t.Fatalf("deliveries answer contains %q: %s", s, res.body)
		}
	}
	e.do("GET", "/api/v1/docker-registries/"+f.registryID+"/deliveries", nil, e.as(model.RoleDoer)).must(t, 403)
	e.do("GET", "/api/v1/docker-registries/000000000000000000000000/deliveries", nil, e.as(model.RoleAdmin)).must(t, 404)

	// Capped: the oldest fall off.
	for i := range api.MaxDeliveries + 5 {
		e.do("POST", hook, fmt.Sprintf(`{"image":"registry.example.com/team/shop","tag":"3.%d"}`, i), secret).must(t, 202)
	}
	e.do("GET", "/api/v1/docker-registries/"+f.registryID+"/deliveries", nil, e.as(model.RoleAdmin)).must(t, 200).json(t, &got)
	if got.Total != api.MaxDeliveries {
		t.Fatalf("%d deliveries kept, want %d", got.Total, api.MaxDeliveries)
	}
	if n, _ := e.rdb.LLen(t.Context(), "oneko:webhook:deliveries:"+f.registryID).Result(); n != api.MaxDeliveries {
		t.Fatalf("Redis list holds %d", n)
	}
	// Deleting the registry drops its deliveries (no project may use it: delete the project first).
	e.do("DELETE", "/api/v1/projects/"+f.projectID, nil, e.as(model.RoleDoer)).must(t, 204)
	e.do("DELETE", "/api/v1/docker-registries/"+f.registryID, nil, e.as(model.RoleAdmin)).must(t, 204)
	if n, _ := e.rdb.Exists(t.Context(), "oneko:webhook:deliveries:"+f.registryID).Result(); n != 0 {
		t.Fatal("deliveries of a deleted registry are kept")
	}
}

// TestWebhookDeliveryEvents: a recorded delivery, refused or accepted, is announced on the
// event stream (through a real redis-server) as webhook.delivery with its registry and
// outcome, to ADMINs only: a DOER's stream skips it and gets the next activity.
func TestWebhookDeliveryEvents(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	admin := e.openStream(t, e.as(model.RoleAdmin))
	doer := e.openStream(t, e.as(model.RoleDoer))
	hook := "/api/v1/webhooks/" + f.registryID
	push := `{"image":"registry.example.com/team/shop","tag":"4.0.0"}`
	e.do("POST", hook, push, bearer("wrong-secret")).must(t, 401)
	e.do("POST", hook, push, bearer("hook-s3cret-value")).must(t, 202)
	e.do("POST", "/api/v1/projects/"+f.projectID+"/versions/"+f.versionID+"/deploy", nil, e.as(model.RoleDoer)).must(t, 202)

	for _, want := range []struct {
		result string
		status int
	}{{"unauthorized", 401}, {"queued", 202}} {
		ev, data := admin.next()
		var got struct {
			RegistryID string              `json:"registryId"`
			Delivery   api.WebhookDelivery `json:"delivery"`
		}
		if ev != "webhook.delivery" || json.Unmarshal([]byte(data), &got) != nil {
			t.Fatalf("ADMIN's event %q %s, want webhook.delivery", ev, data)
		}
		if got.RegistryID != f.registryID || got.Delivery.Result != want.result || got.Delivery.Status != want.status || got.Delivery.Time.IsZero() {
			t.Fatalf("delivery event %s, want %s %d of registry %s", data, want.result, want.status, f.registryID)
		}
		if strings.Contains(data, "wrong-secret") || strings.Contains(data, "hook-s3cret-value") {
			t.Fatalf("delivery event carries a secret: %s", data)
		}
	}
	if ev, data := doer.next(); ev != "activity" || !strings.Contains(data, "Deploy requested") {
		t.Fatalf("DOER's first event %q %s, want the deploy activity (deliveries are for ADMINs)", ev, data)
	}
}
