package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// userInput is the body of POST and PUT /users with the write-only password.
type userInput struct {
	model.User
	Password *string `json:"password"`
	// CurrentPassword is required when users change their own password.
	CurrentPassword *string `json:"currentPassword"`
}

func (s *Server) listUsers(c *gin.Context) {
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.Store.ListUsers(c.Request.Context(), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, total))
}

func (s *Server) createUser(c *gin.Context) {
	var in userInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u := in.User
	u.ID, u.Revision = "", 0
	if err := u.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	if in.Password == nil {
		s.fail(c, unprocessable("password", "a new user needs a password"))
		return
	}
	if err := s.setPassword(&u, *in.Password); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Store.CreateUser(c.Request.Context(), &u); err != nil {
		s.fail(c, userTaken(err, &u))
		return
	}
	s.record(c, model.PriorityInfo, model.EntityUser, u.ID, "User created", "user %s with role %s", u.Username, u.Role)
	setETag(c, u.Revision)
	c.JSON(http.StatusCreated, &u)
}

// userTaken says which unique field of u another user has (409): the username, or the e-mail
// address, compared without case.
func userTaken(err error, u *model.User) error {
	switch {
	case errors.Is(err, store.ErrEmailTaken):
		return explain(err, "another user has the e-mail address %s (addresses are compared without case): give another one", u.Email)
	case errors.Is(err, store.ErrUsernameTaken):
		return explain(err, "another user is called %s: choose another username", u.Username)
	}
	return err
}

func (s *Server) setPassword(u *model.User, pw string) error {
	if err := model.ValidatePassword(pw); err != nil {
		return err
	}
	h, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	return nil
}

// loadSelfOrAdmin reads the user of :id if the caller is that user or an ADMIN.
func (s *Server) loadSelfOrAdmin(c *gin.Context) (*model.User, error) {
	caller := principal(c)
	if caller.User.ID != c.Param("id") && !caller.Role.AtLeast(model.RoleAdmin) {
		return nil, explain(errForbidden, "only an ADMIN may read or change other users")
	}
	u, err := s.Store.GetUser(c.Request.Context(), c.Param("id"))
	return u, notFoundAs(err, "no user with id %q", c.Param("id"))
}

func (s *Server) getUser(c *gin.Context) {
	u, err := s.loadSelfOrAdmin(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	setETag(c, u.Revision)
	c.JSON(http.StatusOK, u)
}

// userChanged is the answer of PUT /users/{id}: the user and, after a password change, how many
// other sessions ended and how many API tokens were revoked.
type userChanged struct {
	*model.User
	SessionsEnded *int64 `json:"sessionsEnded,omitempty"`
	TokensRevoked *int64 `json:"tokensRevoked,omitempty"`
}

// putUser changes a user. Users change their own profile and password (giving the current
// one); only an ADMIN changes roles or resets another user's password, and the last ADMIN
// cannot give up the role. API tokens change no credentials: not passwords, usernames, e-mails
// or roles. A new password ends the user's other sessions and revokes their tokens.
func (s *Server) putUser(c *gin.Context) {
	old, err := s.loadSelfOrAdmin(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in userInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if err := requireRevision(c, old.Revision, in.Revision); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	caller := principal(c)
	u := in.User
	u.ID, u.Revision, u.CreatedAt, u.PasswordHash = old.ID, old.Revision, old.CreatedAt, old.PasswordHash
	if u.Role == "" {
		u.Role = old.Role
	}
	credentials := in.Password != nil || u.Username != old.Username || u.Email != old.Email || u.Role != old.Role
	if caller.Kind == auth.KindToken && credentials {
		s.fail(c, explain(errForbidden, "an API token cannot change passwords, usernames, e-mails or roles: sign in with your password to do that"))
		return
	}
	if u.Role != old.Role {
		if !caller.Role.AtLeast(model.RoleAdmin) {
			s.fail(c, explain(errForbidden, "only an ADMIN may change roles"))
			return
		}
	}
	if err := u.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	if in.Password != nil {
		if caller.User.ID == old.ID {
			if err := s.checkCurrentPassword(c, old, in.CurrentPassword); err != nil {
				s.fail(c, err)
				return
			}
		}
		if err := s.setPassword(&u, *in.Password); err != nil {
			s.fail(c, err)
			return
		}
	}
	unlock := func() {}
	if old.Role == model.RoleAdmin && u.Role != model.RoleAdmin {
		if unlock, err = s.keepAnAdmin(ctx, old); err != nil {
			s.fail(c, err)
			return
		}
	}
	err = s.Store.UpdateUser(ctx, &u)
	unlock()
	if err != nil {
		s.fail(c, userTaken(revisionConflict(err), &u))
		return
	}
	setETag(c, u.Revision)
	out := userChanged{User: &u}
	if in.Password != nil {
		keep := ""
		if caller.User.ID == u.ID && caller.Kind == auth.KindSession {
			keep = caller.SessionID // the session that changed the password stays signed in
		}
		ended, err := s.Store.EndOtherSessions(ctx, u.ID, keep)
		if err != nil {
			s.fail(c, err)
			return
		}
		revoked, err := s.Store.DeleteTokensOfUser(ctx, u.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		out.SessionsEnded, out.TokensRevoked = &ended, &revoked
		s.revoke(c, events.Revocation{UserID: u.ID, KeepSessionID: keep, Reason: "the password changed"})
		s.record(c, model.PriorityInfo, model.EntityUser, u.ID, "Password changed",
			"password of user %s changed: %d other session(s) ended, %d API token(s) revoked", u.Username, ended, revoked)
	} else {
		s.record(c, model.PriorityInfo, model.EntityUser, u.ID, "User changed", "user %s", u.Username)
	}
	c.JSON(http.StatusOK, out)
}

// keepAnAdmin takes the lock on ADMIN changes before u loses the role (demoted or deleted) and
// checks that another ADMIN remains; the caller writes, then unlocks. Counting and writing
// under one lock shared by every api process means that two ADMINs demoting or deleting each
// other at the same moment never leave the installation without one (409 for the second).
func (s *Server) keepAnAdmin(ctx context.Context, u *model.User) (func(), error) {
	unlock, err := s.Store.LockAdmins(ctx)
	if err != nil {
		return nil, err
	}
	n, err := s.Store.CountAdminsExcept(ctx, u.ID)
	if err != nil {
		unlock()
		return nil, err
	}
	if n == 0 {
		unlock()
		return nil, explain(errLastAdmin, "%s is the last ADMIN: make another user ADMIN first", u.Username)
	}
	return unlock, nil
}

// checkCurrentPassword makes users who change their own password prove that they know the
// current one. Wrong guesses count like failed logins.
func (s *Server) checkCurrentPassword(c *gin.Context, u *model.User, current *string) error {
	if current == nil || *current == "" {
		return &model.ValidationError{Fields: []model.FieldError{{Field: "currentPassword", Message: "give your current password to set a new one"}}}
	}
	_, err := s.Auth.CheckPassword(c.Request.Context(), u.Username, *current, c.ClientIP())
	if errors.Is(err, auth.ErrUnauthenticated) {
		return explain(errForbidden, "currentPassword is not your current password")
	}
	return err
}

func (s *Server) deleteUser(c *gin.Context) {
	ctx := c.Request.Context()
	u, err := s.Store.GetUser(ctx, c.Param("id"))
	if err != nil {
		err = notFoundAs(err, "no user with id %q", c.Param("id"))
		s.fail(c, err)
		return
	}
	if u.ID == principal(c).User.ID {
		s.fail(c, errSelfDelete)
		return
	}
	unlock := func() {}
	if u.Role == model.RoleAdmin {
		if unlock, err = s.keepAnAdmin(ctx, u); err != nil {
			s.fail(c, err)
			return
		}
	}
	err = s.Store.DeleteUser(ctx, u.ID)
	unlock()
	if err != nil {
		s.fail(c, err)
		return
	}
	s.revoke(c, events.Revocation{UserID: u.ID, Reason: "the user was deleted"})
	s.record(c, model.PriorityInfo, model.EntityUser, u.ID, "User deleted", "user %s", u.Username)
	c.Status(http.StatusNoContent)
}

func (s *Server) listTokens(c *gin.Context) {
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.Store.ListTokens(c.Request.Context(), principal(c).User.ID, pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, total))
}

// tokenInput is the body of POST /tokens; an absent role is the caller's.
type tokenInput struct {
	Name      string     `json:"name"`
	Role      model.Role `json:"role"`
	ExpiresAt *time.Time `json:"expiresAt"`
}

// createToken makes an API token for the caller, with a role no higher than the caller's and
// an expiry within the maximum token lifetime (the maximum when none is given). Tokens cannot
// make tokens. The answer is the only time the secret is shown.
func (s *Server) createToken(c *gin.Context) {
	var in tokenInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	caller := principal(c)
	if caller.Kind == auth.KindToken {
		s.fail(c, explain(errForbidden, "an API token cannot create tokens: sign in with your password (session or Basic) to create one"))
		return
	}
	if in.Role == "" {
		in.Role = caller.Role
	}
	var fields []model.FieldError
	if err := model.ValidateDisplayName(in.Name); err != nil {
		fields = append(fields, model.FieldError{Field: "name", Message: err.Error()})
	}
	if !in.Role.Valid() {
		fields = append(fields, model.FieldError{Field: "role", Message: "must be VIEWER, DOER or ADMIN"})
	}
	now := s.Now()
	maxLife := s.Auth.TokenMaxLifetime()
	if in.ExpiresAt == nil {
		exp := now.Add(maxLife).UTC()
		in.ExpiresAt = &exp
	} else if !in.ExpiresAt.After(now) {
		fields = append(fields, model.FieldError{Field: "expiresAt", Message: "must be in the future"})
	}
	if len(fields) > 0 {
		s.fail(c, &model.ValidationError{Fields: fields})
		return
	}
	if in.ExpiresAt.Sub(now) > maxLife {
		s.fail(c, explain(errTokenLifetime, "expiresAt must be at most %s from now (the maximum token lifetime, ONEKO_TOKEN_MAX_LIFETIME); leave it out to get the maximum", formatDays(maxLife)))
		return
	}
	if !caller.Role.AtLeast(in.Role) {
		s.fail(c, explain(errForbidden, "a token's role cannot be higher than yours (%s)", caller.Role))
		return
	}
	secret, err := auth.NewTokenSecret()
	if err != nil {
		s.fail(c, err)
		return
	}
	t := &model.Token{Name: in.Name, Role: in.Role, UserID: caller.User.ID, ExpiresAt: in.ExpiresAt, SecretHash: auth.HashSecret(secret)}
	if err := s.Store.CreateToken(c.Request.Context(), t); err != nil {
		s.fail(c, err)
		return
	}
	s.record(c, model.PriorityInfo, model.EntityToken, t.ID, "API token created", "token %s with role %s", t.Name, t.Role)
	t.Secret = secret
	c.JSON(http.StatusCreated, t)
}

func (s *Server) deleteToken(c *gin.Context) {
	ctx := c.Request.Context()
	t, err := s.Store.GetToken(ctx, c.Param("id"))
	caller := principal(c)
	if err == nil && t.UserID != caller.User.ID && !caller.Role.AtLeast(model.RoleAdmin) {
		err = store.ErrNotFound // another user's token: as if there were none
	}
	if errors.Is(err, store.ErrNotFound) {
		s.fail(c, explain(err, "no token of yours with id %q", c.Param("id")))
		return
	}
	if err == nil {
		err = s.Store.DeleteToken(ctx, t.ID)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.revoke(c, events.Revocation{TokenID: t.ID, Reason: "the token was revoked"})
	s.record(c, model.PriorityInfo, model.EntityToken, t.ID, "API token revoked", "token %s", t.Name)
	c.Status(http.StatusNoContent)
}

// loginInput is the body of POST /session.
type loginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// sessionInfo is the answer of GET /session: who is calling, in which role, and how.
type sessionInfo struct {
	User            *model.User `json:"user"`
	Role            model.Role  `json:"role"`
	AuthenticatedBy auth.Kind   `json:"authenticatedBy"`
}

// login signs in with username or e-mail and password and sets the session cookie.
func (s *Server) login(c *gin.Context) {
	var in loginInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if in.Username == "" || in.Password == "" {
		s.fail(c, unprocessable("username", "username (or e-mail) and password are required"))
		return
	}
	u, cookie, exp, err := s.Auth.Login(c.Request.Context(), in.Username, in.Password, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: cookie, Path: "/", Expires: exp, MaxAge: int(time.Until(exp).Seconds()),
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
	c.JSON(http.StatusOK, u)
}

func (s *Server) currentUser(c *gin.Context) {
	p := principal(c)
	c.JSON(http.StatusOK, sessionInfo{User: p.User, Role: p.Role, AuthenticatedBy: p.Kind})
}

func (s *Server) logout(c *gin.Context) {
	if cookie, err := c.Cookie(SessionCookie); err == nil && cookie != "" {
		if err := s.Auth.Logout(c.Request.Context(), cookie); err != nil {
			s.fail(c, err)
			return
		}
		s.revoke(c, events.Revocation{SessionID: auth.HashSecret(cookie), Reason: "signed out"})
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
	c.Status(http.StatusNoContent)
}

// formatDays writes a duration in days when it is a whole number of them ("90 days").
func formatDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// revoke ends the live event streams of ended credentials in every api process. Streams also
// check their credentials at each heartbeat, so a lost message delays, not prevents, the end.
func (s *Server) revoke(c *gin.Context, r events.Revocation) {
	if err := s.Events.Revoke(c.Request.Context(), r); err != nil {
		s.log.WarnContext(c.Request.Context(), "cannot announce ended credentials", "err", err)
	}
}
