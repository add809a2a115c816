package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/policy"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "oneko_session"

const principalKey = "oneko.principal"

// webhookRoute authenticates with its own secret, not with user credentials.
const webhookRoute = "/api/v1/webhooks/:registryId"

// metricsRoute checks its own token (ONEKO_METRICS_TOKEN), not user credentials.
const metricsRoute = "/metrics"

// principal returns the authenticated caller, or nil.
func principal(c *gin.Context) *auth.Principal {
	p, _ := c.Get(principalKey)
	pr, _ := p.(*auth.Principal)
	return pr
}

// dashboardCSP is the Content-Security-Policy of the dashboard's pages: scripts only from this
// origin (no inline script, so a value that slips into the page cannot run), inline styles
// allowed (the UI kit sets style attributes), API calls and the event stream only to this
// origin, never framed, no <base> and no plugins.
const dashboardCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; " +
	"base-uri 'none'; form-action 'self'; object-src 'none'"

// securityHeaders sets the security headers of every answer: no MIME sniffing, no framing, no
// referrer; pages outside the API (the dashboard) also get dashboardCSP.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if !isAPIPath(c.Request.URL.Path) {
		h.Set("Content-Security-Policy", dashboardCSP)
	}
	c.Next()
}

// recoverProblems turns a panic in a handler into a 500 problem.
func (s *Server) recoverProblems(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.fail(c, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

// limitBody caps every request body at MaxBodyBytes; reading past it fails with 413.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.ContentLength > MaxBodyBytes {
		s.fail(c, &http.MaxBytesError{Limit: MaxBodyBytes})
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
	c.Next()
}

// authenticate finds the caller from an Authorization header (Bearer token or Basic) or the
// session cookie. Credentials that are present but wrong are refused with 401 at once; a stale
// cookie is ignored (the caller is anonymous).
func (s *Server) authenticate(c *gin.Context) {
	if c.FullPath() == webhookRoute || c.FullPath() == metricsRoute || c.FullPath() == "" {
		c.Next()
		return
	}
	ctx := c.Request.Context()
	if h := c.GetHeader("Authorization"); h != "" {
		var (
			p   *auth.Principal
			err error
		)
		if secret, ok := strings.CutPrefix(h, "Bearer "); ok {
			p, err = s.Auth.FromToken(ctx, strings.TrimSpace(secret))
		} else if user, pw, ok := c.Request.BasicAuth(); ok {
			p, err = s.Auth.FromBasic(ctx, user, pw, c.ClientIP())
		} else {
			err = auth.ErrUnauthenticated
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Set(principalKey, p)
		c.Next()
		return
	}
	if cookie, err := c.Cookie(SessionCookie); err == nil && cookie != "" {
		p, err := s.Auth.FromSession(ctx, cookie)
		switch {
		case err == nil:
			c.Set(principalKey, p)
		case !errors.Is(err, auth.ErrUnauthenticated):
			s.fail(c, err)
			return
		}
	}
	c.Next()
}

// authorize asks the Casbin policy whether the caller's role may call the matched route.
// Anonymous callers get 401, authenticated ones 403.
func (s *Server) authorize(c *gin.Context) {
	route := c.FullPath()
	if route == "" {
		c.Next() // no route: NoRoute answers 404
		return
	}
	role := policy.Anonymous
	p := principal(c)
	if p != nil {
		role = string(p.Role)
	}
	if s.Policy.Allowed(role, route, c.Request.Method) {
		c.Next()
		return
	}
	if p == nil {
		s.fail(c, auth.ErrUnauthenticated)
		return
	}
	s.fail(c, explain(errForbidden, "role %s may not %s %s", role, c.Request.Method, route))
}

// checkCSRF refuses state-changing requests authenticated by the session cookie unless they
// come from the same origin (Sec-Fetch-Site, else Origin, else Referer must match the host).
// Tokens and Basic credentials are not sent by browsers on their own, so they need no check.
func (s *Server) checkCSRF(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	p := principal(c)
	login := c.FullPath() == "/api/v1/session" && c.Request.Method == http.MethodPost
	if (p == nil || p.Kind != auth.KindSession) && !login {
		c.Next()
		return
	}
	if sameOrigin(c.Request) || (login && c.GetHeader("Origin") == "" && c.GetHeader("Sec-Fetch-Site") == "") {
		c.Next()
		return
	}
	s.fail(c, explain(errForbidden, "cross-site request refused: send it from the dashboard's origin, or use an API token"))
}

func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	for _, h := range []string{r.Header.Get("Origin"), r.Header.Get("Referer")} {
		if h == "" {
			continue
		}
		u, err := url.Parse(h)
		return err == nil && u.Host == r.Host
	}
	return false
}
