package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Auth is the configuration of sign-in, API tokens and the live event stream.
type Auth struct {
	// TokenMaxLifetime bounds how long an API token lives (ONEKO_TOKEN_MAX_LIFETIME, default
	// 90d); a token created without expiry gets it, a longer one is refused.
	TokenMaxLifetime time.Duration
}

// authFromEnv reads the Auth settings.
func authFromEnv(get func(k, def string) string) (Auth, []error) {
	var a Auth
	var errs []error
	d, err := parseDays(get("ONEKO_TOKEN_MAX_LIFETIME", "90d"))
	if err != nil || d < time.Hour || d > 5*365*24*time.Hour {
		errs = append(errs, fmt.Errorf("ONEKO_TOKEN_MAX_LIFETIME: want a duration from 1h to 1825d, e.g. 90d or 720h"))
	}
	a.TokenMaxLifetime = d
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
