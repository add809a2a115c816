package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/oneko/oneko/internal/model"
)

// Auth is the configuration of sign-in, API tokens and the live event stream.
type Auth struct {
	// TokenMaxLifetime bounds how long an API token lives (ONEKO_TOKEN_MAX_LIFETIME, default
	// 90d); a token created without expiry gets it, a longer one is refused.
	TokenMaxLifetime time.Duration `env:"ONEKO_TOKEN_MAX_LIFETIME"`
	// LoginMaxFailures is how many failed sign-ins one user may have within LoginWindow
	// (ONEKO_LOGIN_MAX_FAILURES, default 5); LoginAddressMaxFailures the same for one client
	// address (ONEKO_LOGIN_ADDRESS_MAX_FAILURES, default 50); LoginWindow defaults to 15m.
	LoginMaxFailures        int64         `env:"ONEKO_LOGIN_MAX_FAILURES"`
	LoginAddressMaxFailures int64         `env:"ONEKO_LOGIN_ADDRESS_MAX_FAILURES"`
	LoginWindow             time.Duration `env:"ONEKO_LOGIN_WINDOW"`
	// LoginConcurrency is how many password hashes run at once (ONEKO_LOGIN_CONCURRENCY, default 4).
	LoginConcurrency int `env:"ONEKO_LOGIN_CONCURRENCY"`
	// TrustedProxies are the proxies whose X-Forwarded-For is believed (ONEKO_TRUSTED_PROXIES,
	// comma-separated IPs or CIDRs; default none: the connection's address is the client).
	TrustedProxies []string `env:"ONEKO_TRUSTED_PROXIES"`
	// EventsMaxPerUser and EventsMaxStreams cap the open live event streams of one user and of
	// one api process (ONEKO_EVENTS_MAX_PER_USER, default 10; ONEKO_EVENTS_MAX_STREAMS, default 1000).
	EventsMaxPerUser int `env:"ONEKO_EVENTS_MAX_PER_USER"`
	EventsMaxStreams int `env:"ONEKO_EVENTS_MAX_STREAMS"`
	// MetricsToken, when set, is the Bearer token /metrics requires (ONEKO_METRICS_TOKEN, at
	// least 16 characters; default empty: /metrics is open, keep it off public ingresses).
	MetricsToken string `env:"ONEKO_METRICS_TOKEN"`
}

// authFromEnv reads the Auth settings.
func authFromEnv(get func(env string) string) (Auth, []error) {
	var a Auth
	var errs []error
	d, err := parseDays(get("ONEKO_TOKEN_MAX_LIFETIME"))
	if err != nil || d < time.Hour || d > 5*365*24*time.Hour {
		errs = append(errs, fmt.Errorf("ONEKO_TOKEN_MAX_LIFETIME: want a duration from 1h to 1825d, e.g. 90d or 720h"))
	}
	a.TokenMaxLifetime = d
	count := func(name string, max int64) int64 {
		n, err := strconv.ParseInt(get(name), 10, 64)
		if err != nil || n < 1 || n > max {
			errs = append(errs, fmt.Errorf("%s: want a whole number from 1 to %d", name, max))
		}
		return n
	}
	a.LoginMaxFailures = count("ONEKO_LOGIN_MAX_FAILURES", 1000)
	a.LoginAddressMaxFailures = count("ONEKO_LOGIN_ADDRESS_MAX_FAILURES", 100000)
	a.LoginConcurrency = int(count("ONEKO_LOGIN_CONCURRENCY", 256))
	a.EventsMaxPerUser = int(count("ONEKO_EVENTS_MAX_PER_USER", 10000))
	a.EventsMaxStreams = int(count("ONEKO_EVENTS_MAX_STREAMS", 1000000))
	if pw := get("ONEKO_ADMIN_PASSWORD"); pw != "" {
		if err := model.ValidatePassword(pw); err != nil {
			errs = append(errs, fmt.Errorf("ONEKO_ADMIN_PASSWORD: %w", err))
		}
	}
	a.MetricsToken = get("ONEKO_METRICS_TOKEN")
	if a.MetricsToken != "" && len(a.MetricsToken) < 16 {
		errs = append(errs, fmt.Errorf("ONEKO_METRICS_TOKEN: want at least 16 characters (openssl rand -hex 16)"))
	}
	w, err := time.ParseDuration(get("ONEKO_LOGIN_WINDOW"))
	if err != nil || w < time.Second || w > 24*time.Hour {
		errs = append(errs, fmt.Errorf("ONEKO_LOGIN_WINDOW: want a duration from 1s to 24h, e.g. 15m"))
	}
	a.LoginWindow = w
	for _, p := range strings.Split(get("ONEKO_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			errs = append(errs, fmt.Errorf("ONEKO_TRUSTED_PROXIES: %q is neither an IP address nor a CIDR", p))
		}
		a.TrustedProxies = append(a.TrustedProxies, p)
	}
	return a, errs
}

// parseDays parses a Go duration or a whole number of days written "90d".
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	return d, nil
}
