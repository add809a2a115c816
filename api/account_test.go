package api_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// login signs in and returns the session cookie as a credential that passes the CSRF check.
func (e *env) login(t *testing.T, user, pw string) cred {
	t.Helper()
	c := withCookie(cookieOf(t, e.do("POST", "/api/v1/session", map[string]string{"username": user, "password": pw}, anonymous).must(t, 200)))
	return func(r *http.Request) { c(r); sameOrigin(r) }
}

// TestTokenCannotTakeOverAccount: a token — even an ADMIN's ADMIN token — changes no
// password, username, e-mail or role and creates no token; only names may change by token.
func TestTokenCannotTakeOverAccount(t *testing.T) {
	e := newEnv(t)
	adm := e.users[model.RoleAdmin]
	adminBasic := basic("admin", testPassword)
	var tok struct{ ID, Secret string }
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "viewer-of-admin", "role": "VIEWER"}, adminBasic).must(t, 201).json(t, &tok)
	for _, c := range []cred{bearer(tok.Secret), e.as(model.RoleAdmin)} {
		for name, body := range map[string]map[string]any{
			"password": {"username": "admin", "email": adm.Email, "password": "taken-over-password", "currentPassword": testPassword},
			"username": {"username": "admin2", "email": adm.Email},
			"e-mail":   {"username": "admin", "email": "attacker@example.com"},
			"role":     {"username": "admin", "email": adm.Email, "role": "VIEWER"},
		} {
			res := e.do("PUT", "/api/v1/users/"+adm.ID, body, c, e.fresh("/api/v1/users/"+adm.ID)).must(t, 403)
			if !bytes.Contains(res.body, []byte("API token cannot change")) {
				t.Fatalf("%s change by token: %s", name, res.body)
			}
		}
		// Nor another user's password, nor a new token.
		e.do("PUT", "/api/v1/users/"+e.users[model.RoleDoer].ID, map[string]any{"username": "doer", "email": "doer@example.com", "password": "taken-over-password"}, c, e.fresh("/api/v1/users/"+e.users[model.RoleDoer].ID)).must(t, 403)
		e.do("POST", "/api/v1/tokens", map[string]any{"name": "more"}, c).must(t, 403)
	}
	// The account is unchanged: the old password still signs in, the new one does not.
	e.do("GET", "/api/v1/users", nil, adminBasic).must(t, 200)
	e.do("GET", "/api/v1/users", nil, basic("admin", "taken-over-password")).must(t, 401)
	// Names are not credentials: the ADMIN token may change them.
	e.do("PUT", "/api/v1/users/"+adm.ID, map[string]any{"username": "admin", "email": adm.Email, "firstName": "Ada"}, e.as(model.RoleAdmin), e.fresh("/api/v1/users/"+adm.ID)).must(t, 200)
}

// TestPasswordChange: users give their current password; the change ends their other sessions
// and revokes their tokens and says so; an ADMIN resets another user's without it.
func TestPasswordChange(t *testing.T) {
	e := newEnv(t)
	id := e.users[model.RoleViewer].ID
	here := e.login(t, "viewer", testPassword)
	elsewhere := e.login(t, "viewer", testPassword)
	body := func(current string) map[string]any {
		b := map[string]any{"username": "viewer", "email": "viewer@example.com", "password": "a-new-long-password"}
		if current != "" {
			b["currentPassword"] = current
		}
		return b
	}
	e.do("PUT", "/api/v1/users/"+id, body(""), here, e.fresh("/api/v1/users/"+id)).must(t, 422)
	e.do("PUT", "/api/v1/users/"+id, body("not-my-password"), here, e.fresh("/api/v1/users/"+id)).must(t, 403)
	var out struct {
		Username      string `json:"username"`
		SessionsEnded *int64 `json:"sessionsEnded"`
		TokensRevoked *int64 `json:"tokensRevoked"`
	}
	e.do("PUT", "/api/v1/users/"+id, body(testPassword), here, e.fresh("/api/v1/users/"+id)).must(t, 200).json(t, &out)
	if out.Username != "viewer" || out.SessionsEnded == nil || *out.SessionsEnded != 1 || out.TokensRevoked == nil || *out.TokensRevoked != 1 {
		t.Fatalf("answer = %+v, want 1 other session ended and 1 token revoked", out)
	}
	e.do("GET", "/api/v1/session", nil, here).must(t, 200)
	e.do("GET", "/api/v1/session", nil, elsewhere).must(t, 401)
	e.do("GET", "/api/v1/projects", nil, e.as(model.RoleViewer)).must(t, 401)
	e.do("GET", "/api/v1/projects", nil, basic("viewer", "a-new-long-password")).must(t, 200)

	// An ADMIN resets the DOER's password without knowing it.
	doerSession := e.login(t, "doer", testPassword)
	e.do("PUT", "/api/v1/users/"+e.users[model.RoleDoer].ID, map[string]any{"username": "doer", "email": "doer@example.com", "password": "reset-by-the-admin"}, basic("admin", testPassword), e.fresh("/api/v1/users/"+e.users[model.RoleDoer].ID)).must(t, 200).json(t, &out)
	if *out.SessionsEnded != 1 || *out.TokensRevoked != 1 {
		t.Fatalf("reset answer = %+v", out)
	}
	e.do("GET", "/api/v1/session", nil, doerSession).must(t, 401)
	e.do("GET", "/api/v1/projects", nil, e.as(model.RoleDoer)).must(t, 401)
	e.do("GET", "/api/v1/projects", nil, basic("doer", "reset-by-the-admin")).must(t, 200)
}

// TestTokenLifetime: tokens always expire — the maximum when no expiry is given, a longer one
// is refused with 400, and a token stored without expiry dies at creation + maximum.
func TestTokenLifetime(t *testing.T) {
	e := newEnv(t)
	admin := basic("admin", testPassword)
	var tok struct {
		Secret    string     `json:"secret"`
		ExpiresAt *time.Time `json:"expiresAt"`
	}
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "ci"}, admin).must(t, 201).json(t, &tok)
	max := auth.DefaultTokenMaxLifetime
	if tok.ExpiresAt == nil || time.Until(*tok.ExpiresAt) > max || time.Until(*tok.ExpiresAt) < max-time.Hour {
		t.Fatalf("expiresAt = %v, want about 90 days from now", tok.ExpiresAt)
	}
	res := e.do("POST", "/api/v1/tokens", map[string]any{"name": "forever", "expiresAt": time.Now().Add(max + 24*time.Hour)}, admin).must(t, 400)
	if !bytes.Contains(res.body, []byte("ONEKO_TOKEN_MAX_LIFETIME")) {
		t.Fatalf("refusal does not say what to fix: %s", res.body)
	}
	e.do("POST", "/api/v1/tokens", map[string]any{"name": "month", "expiresAt": time.Now().Add(30 * 24 * time.Hour)}, admin).must(t, 201)

	// A token from before the bound (no expiry) created 91 days ago no longer works.
	ctx := context.Background()
	past := shared.Mongo.Store(t, store.Options{Database: e.dbName, Now: func() time.Time { return time.Now().Add(-max - 24*time.Hour) }})
	old, _ := auth.NewTokenSecret()
	if err := past.CreateToken(ctx, &model.Token{Name: "old", Role: model.RoleAdmin, UserID: e.users[model.RoleAdmin].ID, SecretHash: auth.HashSecret(old)}); err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/api/v1/projects", nil, bearer(old)).must(t, 401)
	e.do("GET", "/api/v1/projects", nil, bearer(tok.Secret)).must(t, 200)
}
