package localkube

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// pollInterval is how often a readiness check is repeated.
const pollInterval = 100 * time.Millisecond

// waitFor repeats check until it succeeds. It fails, with p's log tail, when p exits
// first or ctx ends; the error then says what was awaited and the last check's error.
func waitFor(ctx context.Context, p *process, what string, check func(context.Context) error) error {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	var last error
	for {
		attempt, cancel := context.WithTimeout(ctx, 5*time.Second)
		last = check(attempt)
		cancel()
		if last == nil {
			return nil
		}
		select {
		case <-p.done:
			return p.failure(fmt.Errorf("exited while waiting for %s (last check: %v)", what, last))
		case <-ctx.Done():
			return p.failure(fmt.Errorf("wait for %s: %w (last check: %v)", what, ctx.Err(), last))
		case <-ticker.C:
		}
	}
}

// httpOK returns a check that GETs url and wants status 200.
func httpOK(client *http.Client, url string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("build request for %s: %w", url, err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("get %s: %w", url, err)
		}
		defer func() { _ = resp.Body.Close() }()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("get %s: status %s: %s", url, resp.Status, body)
		}
		return nil
	}
}

// plainClient returns an HTTP client for etcd's plain-text endpoint.
func plainClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

// insecureClient returns an HTTPS client that accepts any certificate. It is only used
// for the health endpoints of the scheduler on 127.0.0.1, whose certificate the
// scheduler makes up itself at start.
func insecureClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		DisableKeepAlives: true,
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // loopback health check of a self-signed server
	}}
}

// apiClient returns an HTTPS client that trusts the API server's certificate and sends
// the admin token.
func (c *Cluster) apiClient() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(c.creds.caPEM)
	return &http.Client{Transport: &bearerTransport{
		token: c.creds.token,
		next: &http.Transport{
			DisableKeepAlives: true,
			TLSClientConfig:   &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		},
	}}
}

// bearerTransport adds an Authorization header to every request.
type bearerTransport struct {
	token string
	next  http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req == nil {
		return nil, errors.New("nil request")
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(req)
}
