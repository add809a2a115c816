// Package policy decides who may call which route. The Casbin model and policy are embedded
// files (model.conf, policy.csv) so that the whole access matrix can be reviewed in one place.
// It knows routes and roles only: it imports no HTTP framework.
package policy

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/casbin/casbin/v2"
	casbinmodel "github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Anonymous is the role of a caller without credentials.
const Anonymous = "ANONYMOUS"

// Roles lists the roles from lowest to highest.
var roles = []string{Anonymous, "VIEWER", "DOER", "ADMIN"}

// Authorizer answers whether a role may call a route. Decisions are cached: the policy is
// static, so (role, route, method) always gets the same answer.
type Authorizer struct {
	enforcer *casbin.SyncedCachedEnforcer
}

// New loads the embedded model and policy.
func New() (*Authorizer, error) {
	m, err := casbinmodel.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("load access model: %w", err)
	}
	e, err := casbin.NewSyncedCachedEnforcer(m, stringadapter.NewAdapter(policyText))
	if err != nil {
		return nil, fmt.Errorf("load access policy: %w", err)
	}
	return &Authorizer{enforcer: e}, nil
}

// Allowed reports whether role may call method on the route pattern (as the router declares it,
// e.g. /api/v1/projects/:id). An error in evaluation denies.
func (a *Authorizer) Allowed(role, route, method string) bool {
	ok, err := a.enforcer.Enforce(role, route, method)
	return err == nil && ok
}

// MinimumRole returns the lowest role that may call the route, and false when no role may:
// the route has no policy.
func (a *Authorizer) MinimumRole(route, method string) (string, bool) {
	for _, r := range roles {
		if a.Allowed(r, route, method) {
			return r, true
		}
	}
	return "", false
}

// Rule is one permission of the policy file.
type Rule struct {
	Role, Route, Method string
}

// Rules returns every permission written in the policy file.
func (a *Authorizer) Rules() ([]Rule, error) {
	ps, err := a.enforcer.GetPolicy()
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	out := make([]Rule, 0, len(ps))
	for _, p := range ps {
		if len(p) != 3 {
			return nil, fmt.Errorf("policy line %s: want 3 fields", strings.Join(p, ", "))
		}
		out = append(out, Rule{Role: p[0], Route: p[1], Method: p[2]})
	}
	return out, nil
}
