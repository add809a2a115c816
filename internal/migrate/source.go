// Package migrate moves an O-Neko installation into oneko: it reads O-Neko over its REST
// API (Source), compares what it finds with the oneko store and makes a Plan (what will be
// created, what already exists, what needs attention), and applies the plan with the same
// validation and store calls the oneko API uses. Applying twice changes nothing the second
// time: every document is matched by name first.
package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/oneko/oneko/internal/onekoformat"
)

// ErrSource reports that O-Neko could not be read; nothing was written.
var ErrSource = errors.New("cannot read O-Neko")

// Installation is what was read from O-Neko.
type Installation struct {
	DockerRegistries []onekoformat.DockerRegistry
	HelmRegistries   []onekoformat.HelmRegistry
	Namespaces       []onekoformat.Namespace
	Users            []onekoformat.User
	Projects         []onekoformat.Project
}

// Source reads a running O-Neko over its REST API with HTTP Basic authentication.
type Source struct {
	base     *url.URL
	user     string
	password string
	client   *http.Client
}

// NewSource returns a Source for the O-Neko at base (such as https://oneko.example.org).
func NewSource(base, user, password string, client *http.Client) (*Source, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: --from %q: want the URL of O-Neko, such as https://oneko.example.org", ErrSource, base)
	}
	if user == "" {
		return nil, fmt.Errorf("%w: --user is required", ErrSource)
	}
	if client == nil {
		client = http.DefaultClient
	}
	return &Source{base: u, user: user, password: password, client: client}, nil
}

// Read reads everything the migration needs. It first checks the session, so a wrong
// password, a user who is not an ADMIN or a server that is not O-Neko ends with a clear
// error before anything else is read.
func (s *Source) Read(ctx context.Context) (*Installation, error) {
	var me onekoformat.User
	if err := s.get(ctx, "/api/session", &me); err != nil {
		return nil, err
	}
	if me.Username == "" || me.Role == "" {
		return nil, fmt.Errorf("%w: %s/api/session did not answer an O-Neko user: is this O-Neko?", ErrSource, s.base)
	}
	if me.Role != "ADMIN" {
		return nil, fmt.Errorf("%w: user %q has role %s; the migration reads users and registries and needs an ADMIN", ErrSource, me.Username, me.Role)
	}
	in := &Installation{}
	for _, r := range []struct {
		path string
		into any
	}{
		{"/api/dockerRegistry", &in.DockerRegistries},
		{"/api/helm/registries", &in.HelmRegistries},
		{"/api/namespace", &in.Namespaces},
		{"/api/user", &in.Users},
		{"/api/project", &in.Projects},
	} {
		if err := s.get(ctx, r.path, r.into); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// get reads one JSON document.
func (s *Source) get(ctx context.Context, path string, into any) error {
	u := *s.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSource, err)
	}
	req.SetBasicAuth(s.user, s.password)
	req.Header.Set("Accept", "application/json")
	res, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s is unreachable: %w", ErrSource, s.base, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%w: read %s: %w", ErrSource, u.Path, err)
	}
	switch {
	case res.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%w: O-Neko refused user %q: wrong user or password (HTTP 401)", ErrSource, s.user)
	case res.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%w: user %q may not read %s (HTTP 403): use an ADMIN", ErrSource, s.user, u.Path)
	case res.StatusCode != http.StatusOK:
		return fmt.Errorf("%w: GET %s answered HTTP %d: is %s an O-Neko?", ErrSource, u.Path, res.StatusCode, s.base)
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("%w: GET %s did not answer O-Neko's JSON (%w): is %s an O-Neko?", ErrSource, u.Path, err, s.base)
	}
	return nil
}
