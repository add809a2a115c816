package model

import (
	"fmt"

	"github.com/oneko/oneko/internal/lifetime"
)

// Lifetime is how long a deployment lives: UNTIL_TONIGHT, UNTIL_WEEKEND, DAYS (n), INFINITE,
// or INHERIT (versions only). Package lifetime computes when it ends.
type Lifetime = lifetime.Behaviour

// validateLifetime checks a lifetime; inherit says whether INHERIT is allowed (versions only).
func validateLifetime(l Lifetime, inherit bool) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if l.Type == lifetime.Inherit && !inherit {
		return fmt.Errorf("INHERIT is only for versions")
	}
	return nil
}
