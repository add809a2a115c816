package model

import "fmt"

// LifetimeType names how long a deployment lives.
type LifetimeType string

// The lifetime types.
const (
	LifetimeUntilTonight LifetimeType = "UNTIL_TONIGHT"
	LifetimeUntilWeekend LifetimeType = "UNTIL_WEEKEND"
	LifetimeDays         LifetimeType = "DAYS"
	LifetimeInfinite     LifetimeType = "INFINITE"
	// LifetimeInherit, on a version only, takes the project's lifetime.
	LifetimeInherit LifetimeType = "INHERIT"
)

// MaxLifetimeDays bounds a DAYS lifetime.
const MaxLifetimeDays = 365

// Lifetime is a lifetime type and, for DAYS, the number of days.
type Lifetime struct {
	Type  LifetimeType `json:"type" bson:"type"`
	Value int          `json:"value,omitempty" bson:"value,omitempty"`
}

// Validate checks the lifetime; inherit says whether INHERIT is allowed (versions only).
func (l Lifetime) Validate(inherit bool) error {
	switch l.Type {
	case LifetimeUntilTonight, LifetimeUntilWeekend, LifetimeInfinite:
		if l.Value != 0 {
			return fmt.Errorf("%s takes no value", l.Type)
		}
	case LifetimeDays:
		if l.Value < 1 || l.Value > MaxLifetimeDays {
			return fmt.Errorf("DAYS needs a value from 1 to %d", MaxLifetimeDays)
		}
	case LifetimeInherit:
		if !inherit {
			return fmt.Errorf("INHERIT is only for versions")
		}
	default:
		return fmt.Errorf("type must be UNTIL_TONIGHT, UNTIL_WEEKEND, DAYS or INFINITE, not %q", l.Type)
	}
	return nil
}

// Resolve returns the lifetime in force for a version: its own, or the project's when it inherits.
func (l *Lifetime) Resolve(project Lifetime) Lifetime {
	if l == nil || l.Type == "" || l.Type == LifetimeInherit {
		return project
	}
	return *l
}
