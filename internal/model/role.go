package model

import "fmt"

// Role is what a user or token may do. Each role includes the ones below it.
type Role string

// The roles, lowest first.
const (
	RoleViewer Role = "VIEWER"
	RoleDoer   Role = "DOER"
	RoleAdmin  Role = "ADMIN"
)

// rank orders the roles; an unknown role ranks below every known one.
func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleDoer:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r includes other.
func (r Role) AtLeast(other Role) bool { return r.Valid() && r.rank() >= other.rank() }

// Min returns the lower of two roles.
func (r Role) Min(other Role) Role {
	if other.rank() < r.rank() {
		return other
	}
	return r
}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", fmt.Errorf("role must be VIEWER, DOER or ADMIN, not %q", s)
	}
	return r, nil
}
