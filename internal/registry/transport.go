package registry

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// maxDrain bounds how much of a refused response body is read so that its connection can be
// reused.
const maxDrain = 64 << 10

// guardTransport is the RoundTripper every request of a Client goes through, below
// go-containerregistry's authentication: it pins the scheme of the registry host, waits for
// the per-registry rate limiter, counts requests, and retries 429 and 503 answers after the
// delay their Retry-After asks for (or a short backoff when they give none).
type guardTransport struct {
	base       http.RoundTripper
	host       string // the registry host, lowercased
	scheme     string // "https" or "http": the only scheme used towards host
	limiter    *rate.Limiter
	maxRetries int
	maxWait    time.Duration
	requests   atomic.Int64
	retries    atomic.Int64
}

var _ http.RoundTripper = (*guardTransport)(nil)

// RoundTrip implements http.RoundTripper.
func (t *guardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.EqualFold(req.URL.Host, t.host) && req.URL.Scheme != t.scheme {
		closeBody(req)
		return nil, fmt.Errorf("registry %s is configured for %s: refusing %s", t.host, t.scheme, req.URL.Scheme)
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		if err := t.limiter.Wait(ctx); err != nil {
			closeBody(req)
			return nil, fmt.Errorf("wait for the request rate of %s: %w", t.host, err)
		}
		t.requests.Add(1)
		resp, err := t.base.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable || attempt >= t.maxRetries {
			return resp, nil
		}
		wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok {
			wait = time.Duration(1<<attempt) * time.Second
		}
		if wait > t.maxWait {
			return resp, nil // the registry asks for more patience than a poll has: give up now
		}
		next, ok := rewind(req)
		if !ok {
			return resp, nil
		}
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
		resp.Body.Close()
		t.retries.Add(1)
		if err := sleep(ctx, wait); err != nil {
			closeBody(next)
			return nil, fmt.Errorf("wait %s before retrying %s: %w", wait, req.URL.Redacted(), err)
		}
		req = next
	}
}

// retryAfter reads a Retry-After value, either delay seconds or an HTTP date, as a wait from
// now; a date in the past means no wait. ok is false when the value is absent or unreadable.
func retryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// rewind returns a request to send again: the same request when it has no body, a clone with a
// fresh body when it can make one, and ok false when the body cannot be replayed.
func rewind(req *http.Request) (*http.Request, bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	next := req.Clone(req.Context())
	next.Body = body
	return next, true
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func closeBody(req *http.Request) {
	if req != nil && req.Body != nil {
		req.Body.Close()
	}
}
