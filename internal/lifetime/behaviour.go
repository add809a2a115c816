package lifetime

import (
	"errors"
	"fmt"
)

// Lifetime types.
const (
	// UntilTonight expires at the end of the day of the deployment.
	UntilTonight = "UNTIL_TONIGHT"
	// UntilWeekend expires at the end of the next last working day.
	UntilWeekend = "UNTIL_WEEKEND"
	// Days expires Value days after the deployment, at that day's end.
	Days = "DAYS"
	// Infinite never expires.
	Infinite = "INFINITE"
	// Inherit, for a version, uses its project's behaviour.
	Inherit = "INHERIT"
)

// MaxDays is the largest Value a Days behaviour accepts.
const MaxDays = 365

// ErrInvalidBehaviour is wrapped by every error Validate returns.
var ErrInvalidBehaviour = errors.New("invalid lifetime behaviour")

// Behaviour is how long a deployment lives. Value is the number of days for Days and
// zero for every other type.
type Behaviour struct {
	Type  string `json:"type"`
	Value int    `json:"value"`
}

// Validate checks that the type is known and the value fits it: 1..365 for Days, 0 for
// the others. Inherit is valid; whether it is allowed (for a version, not for a project)
// is the caller's decision.
func (b Behaviour) Validate() error {
	switch b.Type {
	case Days:
		if b.Value < 1 || b.Value > MaxDays {
			return fmt.Errorf("%w: %s needs a value from 1 to %d, got %d", ErrInvalidBehaviour, Days, MaxDays, b.Value)
		}
	case UntilTonight, UntilWeekend, Infinite, Inherit:
		if b.Value != 0 {
			return fmt.Errorf("%w: %s takes no value, got %d", ErrInvalidBehaviour, b.Type, b.Value)
		}
	default:
		return fmt.Errorf("%w: unknown type %q (want %s, %s, %s, %s or %s)",
			ErrInvalidBehaviour, b.Type, UntilTonight, UntilWeekend, Days, Infinite, Inherit)
	}
	return nil
}

// Resolve returns the behaviour that applies to a version: its own, unless that is
// Inherit or unset (empty type), in which case the project's. A project behaviour that is
// itself Inherit or unset resolves to Infinite, as O-Neko never stops a deployment
// without a lifetime.
func Resolve(version, project Behaviour) Behaviour {
	if version.Type != Inherit && version.Type != "" {
		return version
	}
	if project.Type != Inherit && project.Type != "" {
		return project
	}
	return Behaviour{Type: Infinite}
}
