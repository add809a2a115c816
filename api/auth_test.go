package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/model"
)

func cookieOf(t *testing.T, res response) string {
	t.Helper()
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == "oneko_session" {
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Fatalf("session cookie not HttpOnly/SameSite: %+v", c)
			}
			return c.Value
		}
	}
	t.Fatalf("no session cookie in %v", res.header)
	return ""
}

func withCookie(v string) cred {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "oneko_session", Value: v}) }
}

func sameOrigin(r *http.Request) { r.Header.Set("Origin", "http://"+r.Host) }

func TestSessions(t *testing.T) {
	e := newEnv(t)
	for name, login := range map[string]string{"username": "doer", "email": "doer@example.com"} {
		t.Run("login by "+name, func(t *testing.T) {
			res := e.do("POST", "/api/v1/session", map[string]string{"username": login, "password": testPassword}, anonymous).must(t, 200)
			if strings.Contains(string(res.body), "passwordHash") || strings.Contains(string(res.body), "argon2") {
				t.Fatalf("login answer leaks the hash: %s", res.body)
			}
			c := withCookie(cookieOf(t, res))
			var me struct {
				Role            string `json:"role"`
				AuthenticatedBy string `json:"authenticatedBy"`
			}
			e.do("GET", "/api/v1/session", nil, c).must(t, 200).json(t, &me)
			if me.Role != "DOER" || me.AuthenticatedBy != "session" {
				t.Fatalf("me = %+v", me)
			}
			// A state-changing request with the cookie needs the same origin.
			body := map[string]any{"name": "x", "dockerRegistryId": "nope", "imageName": "a/b"}
			e.do("POST", "/api/v1/projects", body, c).must(t, 403)
			e.do("POST", "/api/v1/projects", body, c, func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") }).must(t, 403)
			e.do("POST", "/api/v1/projects", body, c, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }).must(t, 403)
			e.do("POST", "/api/v1/projects", body, c, sameOrigin).must(t, 422) // past CSRF and authorization
			e.do("DELETE", "/api/v1/session", nil, c, sameOrigin).must(t, 204)
			e.do("GET", "/api/v1/session", nil, c).must(t, 401)
		})
	}
	e.do("POST", "/api/v1/session", map[string]string{"username": "doer", "password": "wrong-password!"}, anonymous).must(t, 401)
	e.do("POST", "/api/v1/session", map[string]string{"username": "nobody", "password": testPassword}, anonymous).must(t, 401)
	e.do("POST", "/api/v1/session", map[string]string{"username": "doer"}, anonymous).must(t, 422)
	// A forged cookie is anonymous.
	e.do("GET", "/api/v1/projects", nil, withCookie("forged")).must(t, 401)

	// A password change ends the user's other sessions (TestPasswordChange tests the rest).
	c := withCookie(cookieOf(t, e.do("POST", "/api/v1/session", map[string]string{"username": "viewer", "password": testPassword}, anonymous).must(t, 200)))
	other := withCookie(cookieOf(t, e.do("POST", "/api/v1/session", map[string]string{"username": "viewer", "password": testPassword}, anonymous).must(t, 200)))
	id := e.users[model.RoleViewer].ID
	e.do("PUT", "/api/v1/users/"+id, map[string]any{"username": "viewer", "role": "ADMIN"}, c, sameOrigin, e.fresh("/api/v1/users/"+id)).must(t, 403)
	e.do("PUT", "/api/v1/users/"+id, map[string]any{"username": "viewer", "email": "viewer@example.com", "password": "another-long-password", "currentPassword": testPassword}, c, sameOrigin, e.fresh("/api/v1/users/"+id)).must(t, 200)
	e.do("GET", "/api/v1/session", nil, other).must(t, 401)
	e.do("GET", "/api/v1/users/"+e.users[model.RoleDoer].ID, nil, basic("viewer", "another-long-password")).must(t, 403)
	e.do("GET", "/api/v1/users/"+id, nil, basic("viewer", "another-long-password")).must(t, 200)
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	viewer, admin := e.as(model.RoleViewer), e.as(model.RoleAdmin)
	// A token's role is at most its owner's.
	viewerBasic, adminBasic := basic("viewer", testPassword), basic("admin", testPassword)
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "up", "role": "ADMIN"}, viewerBasic).must(t, 403)
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "past", "expiresAt": time.Now().Add(-time.Hour)}, viewerBasic).must(t, 422)
	var tok struct{ ID, Secret, Role string }
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "bot", "role": "VIEWER"}, adminBasic).must(t, 201).json(t, &tok)
	bot := bearer(tok.Secret)
	e.do("GET", "/api/v1/projects", nil, bot).must(t, 200)
	e.do("GET", "/api/v1/users", nil, bot).must(t, 403) // the token is VIEWER though its owner is ADMIN
	var listed struct {
		Items []map[string]any `json:"items"`
	}
	e.do("GET", "/api/v1/tokens", nil, admin).must(t, 200).json(t, &listed)
	for _, it := range listed.Items {
		if _, ok := it["secret"]; ok {
			t.Fatal("token list answers a secret")
		}
	}
	// Others cannot revoke it; its owner can, and then it fails.
	e.do("DELETE", "/api/v1/tokens/"+tok.ID, nil, viewer).must(t, 404)
	e.do("DELETE", "/api/v1/tokens/"+tok.ID, nil, admin).must(t, 204)
	e.do("GET", "/api/v1/projects", nil, bot).must(t, 401)

	// Expired tokens fail.
	sec, _ := auth.NewTokenSecret()
	past := time.Now().Add(-time.Minute)
	if err := e.store.CreateToken(context.Background(), &model.Token{Name: "old", Role: model.RoleAdmin, UserID: e.users[model.RoleAdmin].ID, SecretHash: auth.HashSecret(sec), ExpiresAt: &past}); err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/api/v1/projects", nil, bearer(sec)).must(t, 401)
	// A demoted owner demotes the token.
	e.do("PUT", "/api/v1/users/"+e.users[model.RoleDoer].ID, map[string]any{"username": "doer", "email": "doer@example.com", "role": "VIEWER"}, basic("admin", testPassword), e.fresh("/api/v1/users/"+e.users[model.RoleDoer].ID)).must(t, 200)
	e.do("POST", "/api/v1/projects", map[string]any{}, e.as(model.RoleDoer)).must(t, 403)
	// Garbage bearer values are refused.
	e.do("GET", "/api/v1/projects", nil, bearer("onk_notatoken")).must(t, 401)
	e.do("GET", "/api/v1/projects", nil, func(r *http.Request) { r.Header.Set("Authorization", "Digest x") }).must(t, 401)
}

func TestBasicAuthAndThrottle(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/api/v1/projects", nil, basic("doer", testPassword)).must(t, 200)
	e.do("GET", "/api/v1/projects", nil, basic("doer@example.com", testPassword)).must(t, 200)
	for i := 0; i < 5; i++ {
		e.do("GET", "/api/v1/projects", nil, basic("doer", "wrong-password")).must(t, 401)
	}
	res := e.do("GET", "/api/v1/projects", nil, basic("doer", testPassword)).must(t, 429)
	if res.header.Get("Retry-After") == "" {
		t.Fatal("throttled answer without Retry-After")
	}
	e.do("POST", "/api/v1/session", map[string]string{"username": "doer", "password": testPassword}, anonymous).must(t, 429)
	// Other users are not affected.
	e.do("GET", "/api/v1/projects", nil, basic("viewer", testPassword)).must(t, 200)
}

// TestMetrics: /metrics is open and counts webhook outcomes by registry, format and result.
func TestMetrics(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	e.do("POST", "/api/v1/webhooks/"+f.registryID, `{"image":"registry.example.com/team/shop","tag":"1.0"}`, bearer("wrong")).must(t, 401)
	res := e.do("GET", "/metrics", nil, anonymous).must(t, 200)
	body := string(res.body)
	want := `oneko_webhook_requests_total{format="auto",registry="` + f.registryID + `",result="unauthorized"} 1`
	if !strings.Contains(body, want) || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("metrics lack %s:\n%.2000s", want, body)
	}
}
