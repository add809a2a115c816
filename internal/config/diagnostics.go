package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Diagnostics configures the diagnostics routes of a version (pods, logs, events, history).
type Diagnostics struct {
	// ExternalLogURL is a link template to an external logging system, with {namespace},
	// {pod} and {container} placeholders (ONEKO_EXTERNAL_LOG_URL, default none).
	ExternalLogURL string `env:"ONEKO_EXTERNAL_LOG_URL"`
	// FollowsPerUser and FollowsTotal cap the log streams followed at once, per user and in
	// one api process (ONEKO_LOG_FOLLOWS_PER_USER, default 4; ONEKO_LOG_FOLLOWS_TOTAL, default 100).
	FollowsPerUser int `env:"ONEKO_LOG_FOLLOWS_PER_USER"`
	FollowsTotal   int `env:"ONEKO_LOG_FOLLOWS_TOTAL"`
}

// diagnosticsFromEnv reads and checks the diagnostics settings.
func diagnosticsFromEnv(get func(env string) string) (Diagnostics, []error) {
	var d Diagnostics
	var errs []error
	d.ExternalLogURL = get("ONEKO_EXTERNAL_LOG_URL")
	if d.ExternalLogURL != "" {
		probe := strings.NewReplacer("{namespace}", "ns", "{pod}", "pod", "{container}", "c").Replace(d.ExternalLogURL)
		u, err := url.Parse(probe)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("ONEKO_EXTERNAL_LOG_URL: want an http(s) URL with {namespace}, {pod} and {container} placeholders"))
		}
	}
	for _, s := range []struct {
		name string
		dst  *int
	}{{"ONEKO_LOG_FOLLOWS_PER_USER", &d.FollowsPerUser}, {"ONEKO_LOG_FOLLOWS_TOTAL", &d.FollowsTotal}} {
		n, err := strconv.Atoi(get(s.name))
		if err != nil || n < 1 || n > 10000 {
			errs = append(errs, fmt.Errorf("%s: want a whole number from 1 to 10000", s.name))
			continue
		}
		*s.dst = n
	}
	return d, errs
}
