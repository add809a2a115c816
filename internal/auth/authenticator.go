package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// Errors of authentication; the API answers 401 for ErrUnauthenticated and 429 for ErrThrottled.
var (
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrThrottled       = errors.New("too many failed logins")
)

// BusyError says that too many passwords are being checked at once; try again after RetryAfter.
type BusyError struct{ RetryAfter time.Duration }

func (e *BusyError) Error() string {
	return "too many sign-ins at once: try again in a moment"
}

// ThrottledError says how long to wait before trying again.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed logins: try again in %s", e.RetryAfter.Round(time.Second))
}

// Unwrap makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Unwrap() error { return ErrThrottled }

// Kind says how a principal authenticated.
type Kind string

// The principal kinds.
const (
	KindSession Kind = "session"
	KindToken   Kind = "token"
	KindBasic   Kind = "basic"
)

// Principal is an authenticated caller.
type Principal struct {
	User *model.User
	// Role is the role in force: the user's, or for a token the lower of the token's and the user's.
	Role Role
	Kind Kind
	// TokenID is set for KindToken.
	TokenID string
	// SessionID (hashed) is set for KindSession.
	SessionID string
}

// Role is a model.Role, repeated here so callers of auth need not import model for it.
type Role = model.Role

// Actor names the principal in the activity log: "user:alice" or "token:ci-bot (alice)".
func (p *Principal) Actor() string {
	if p.Kind == KindToken {
		return fmt.Sprintf("%s:%s (%s)", model.ActorToken, p.TokenID, p.User.Username)
	}
	return model.ActorUser + ":" + p.User.Username
}

// Store is what the authenticator needs from the document store.
type Store interface {
	UserByLogin(ctx context.Context, login string) (*model.User, error)
	GetUser(ctx context.Context, id string) (*model.User, error)
	TokenByHash(ctx context.Context, hash string) (*model.Token, error)
	GetToken(ctx context.Context, id string) (*model.Token, error)
	TouchToken(ctx context.Context, id string, at time.Time) error
	CreateSession(ctx context.Context, s *model.Session) error
	GetSession(ctx context.Context, id string) (*model.Session, error)
	DeleteSession(ctx context.Context, id string) error
}

var _ Store = (*store.Store)(nil)

// Authenticator checks credentials of every kind.
type Authenticator struct {
	store            Store
	throttle         *Throttle
	sessionTTL       time.Duration
	tokenMaxLifetime time.Duration
	// hashSlots bounds concurrent password hashing; hashWait is how long an attempt waits for a slot.
	hashSlots chan struct{}
	hashWait  time.Duration
	checks    atomic.Int64
	now       func() time.Time
	log       *slog.Logger
}

// DefaultTokenMaxLifetime is how long an API token lives at most unless configured (90 days).
const DefaultTokenMaxLifetime = 90 * 24 * time.Hour

// Option configures an Authenticator.
type Option func(*Authenticator)

// WithTokenMaxLifetime bounds the life of API tokens; d ≤ 0 keeps DefaultTokenMaxLifetime.
// Tokens stored without an expiry (or a later one) expire this long after their creation.
func WithTokenMaxLifetime(d time.Duration) Option {
	return func(a *Authenticator) {
		if d > 0 {
			a.tokenMaxLifetime = d
		}
	}
}

// WithHashConcurrency lets at most n password hashes run at once (n ≤ 0: 4), each attempt
// waiting at most wait (≤ 0: 2s) for a slot. Each argon2id hash takes 19 MiB and a core for
// tens of milliseconds.
func WithHashConcurrency(n int, wait time.Duration) Option {
	return func(a *Authenticator) {
		if n > 0 {
			a.hashSlots = make(chan struct{}, n)
		}
		if wait > 0 {
			a.hashWait = wait
		}
	}
}

// NewAuthenticator returns an Authenticator; sessionTTL ≤ 0 means 12 hours.
func NewAuthenticator(s Store, t *Throttle, sessionTTL time.Duration, log *slog.Logger, opts ...Option) *Authenticator {
	if sessionTTL <= 0 {
		sessionTTL = 12 * time.Hour
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Authenticator{store: s, throttle: t, sessionTTL: sessionTTL, tokenMaxLifetime: DefaultTokenMaxLifetime,
		hashSlots: make(chan struct{}, 4), hashWait: 2 * time.Second, now: time.Now, log: log}
	for _, o := range opts {
		o(a)
	}
	return a
}

// TokenMaxLifetime is the longest an API token may live.
func (a *Authenticator) TokenMaxLifetime() time.Duration { return a.tokenMaxLifetime }

// TokenExpiry is when a token stops working: its own expiry, bounded by the maximum lifetime
// counted from its creation (tokens made before the bound existed expire too).
func (a *Authenticator) TokenExpiry(t *model.Token) time.Time {
	limit := t.CreatedAt.Add(a.tokenMaxLifetime)
	if t.ExpiresAt != nil && t.ExpiresAt.Before(limit) {
		return *t.ExpiresAt
	}
	return limit
}

// SessionTTL is how long a session lives.
func (a *Authenticator) SessionTTL() time.Duration { return a.sessionTTL }

// CheckPassword authenticates a username or e-mail with a password, for a client address
// ("" when unknown). The attempt is counted before the password is verified, per user and per
// address, and refused with a ThrottledError beyond the limits; at most the configured number
// of hashes run at once, and an attempt that cannot get a slot in time fails with a BusyError.
// Unknown users cost as much time as wrong passwords.
func (a *Authenticator) CheckPassword(ctx context.Context, login, password, client string) (*model.User, error) {
	u, err := a.store.UserByLogin(ctx, login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("look up user: %w", err)
	}
	key := unknownKey(login)
	hash := dummyHash
	if u != nil {
		key, hash = userKey(u.ID), u.PasswordHash
	}
	att, err := a.throttle.begin(ctx, key, client)
	var te *ThrottledError
	if errors.As(err, &te) {
		return nil, err
	}
	if err != nil {
		a.log.Warn("login attempt not counted", "err", err)
	}
	if err := a.acquireHashSlot(ctx); err != nil {
		a.throttle.abandoned(ctx, att)
		return nil, err
	}
	ok, err := VerifyPassword(hash, password)
	<-a.hashSlots
	a.checks.Add(1)
	if err != nil {
		a.log.Warn("stored password hash unreadable", "login", login, "err", err)
	}
	if u == nil || !ok {
		return nil, ErrUnauthenticated
	}
	a.throttle.succeeded(ctx, att)
	return u, nil
}

// acquireHashSlot waits up to hashWait for one of the hashing slots.
func (a *Authenticator) acquireHashSlot(ctx context.Context) error {
	select {
	case a.hashSlots <- struct{}{}:
		return nil
	default:
	}
	wait := time.NewTimer(a.hashWait)
	defer wait.Stop()
	select {
	case a.hashSlots <- struct{}{}:
		return nil
	case <-wait.C:
		return &BusyError{RetryAfter: time.Second}
	case <-ctx.Done():
		return fmt.Errorf("wait to check a password: %w", ctx.Err())
	}
}

// PasswordChecks counts the passwords verified since the start (a metric).
func (a *Authenticator) PasswordChecks() int64 { return a.checks.Load() }

// Login checks a password and starts a session; it returns the cookie value.
func (a *Authenticator) Login(ctx context.Context, login, password, client string) (*model.User, string, time.Time, error) {
	u, err := a.CheckPassword(ctx, login, password, client)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	id, err := NewSessionID()
	if err != nil {
		return nil, "", time.Time{}, err
	}
	now := a.now().UTC()
	exp := now.Add(a.sessionTTL)
	if err := a.store.CreateSession(ctx, &model.Session{ID: HashSecret(id), UserID: u.ID, CreatedAt: now, ExpiresAt: exp}); err != nil {
		return nil, "", time.Time{}, fmt.Errorf("start session: %w", err)
	}
	return u, id, exp, nil
}

// Logout ends the session of a cookie value.
func (a *Authenticator) Logout(ctx context.Context, cookie string) error {
	return a.store.DeleteSession(ctx, HashSecret(cookie))
}

// FromSession authenticates a session cookie value.
func (a *Authenticator) FromSession(ctx context.Context, cookie string) (*Principal, error) {
	sess, err := a.store.GetSession(ctx, HashSecret(cookie))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	u, err := a.user(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	return &Principal{User: u, Role: u.Role, Kind: KindSession, SessionID: sess.ID}, nil
}

// FromToken authenticates an API token secret; expired and revoked tokens fail.
func (a *Authenticator) FromToken(ctx context.Context, secret string) (*Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, ErrUnauthenticated
	}
	t, err := a.store.TokenByHash(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	now := a.now()
	if !now.Before(a.TokenExpiry(t)) {
		return nil, ErrUnauthenticated
	}
	u, err := a.user(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := a.store.TouchToken(ctx, t.ID, now); err != nil {
			a.log.Warn("cannot record token use", "token", t.ID, "err", err)
		}
	}
	return &Principal{User: u, Role: t.Role.Min(u.Role), Kind: KindToken, TokenID: t.ID}, nil
}

// StillValid reports (ErrUnauthenticated) whether the credentials of a principal have ended
// since it authenticated: the session signed out or expired, the token revoked or expired, the
// user deleted or, for Basic credentials, the password changed. Long-lived requests (the event
// stream) ask it now and then.
func (a *Authenticator) StillValid(ctx context.Context, p *Principal) error {
	switch p.Kind {
	case KindSession:
		if _, err := a.store.GetSession(ctx, p.SessionID); errors.Is(err, store.ErrNotFound) {
			return ErrUnauthenticated
		} else if err != nil {
			return fmt.Errorf("read session: %w", err)
		}
	case KindToken:
		t, err := a.store.GetToken(ctx, p.TokenID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnauthenticated
		}
		if err != nil {
			return fmt.Errorf("read token: %w", err)
		}
		if !a.now().Before(a.TokenExpiry(t)) {
			return ErrUnauthenticated
		}
	}
	u, err := a.user(ctx, p.User.ID)
	if err != nil {
		return err
	}
	if p.Kind == KindBasic && u.PasswordHash != p.User.PasswordHash {
		return ErrUnauthenticated
	}
	return nil
}

// FromBasic authenticates HTTP Basic credentials.
func (a *Authenticator) FromBasic(ctx context.Context, login, password, client string) (*Principal, error) {
	u, err := a.CheckPassword(ctx, login, password, client)
	if err != nil {
		return nil, err
	}
	return &Principal{User: u, Role: u.Role, Kind: KindBasic}, nil
}

func (a *Authenticator) user(ctx context.Context, id string) (*model.User, error) {
	u, err := a.store.GetUser(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}
