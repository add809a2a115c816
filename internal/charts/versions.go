package charts

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// entry is one version of a chart with what is needed to fetch it.
type entry struct {
	ChartVersion
	// parsed is the version as semver, nil when it is not one.
	parsed *semver.Version
	// urls are where a classic repository serves the archive; empty for OCI.
	urls []string
	// digest is the archive's hex SHA-256 from a classic index; empty when unknown.
	digest string
}

// newEntry parses v's version.
func newEntry(v ChartVersion, urls []string, digest string) entry {
	e := entry{ChartVersion: v, urls: urls, digest: digest}
	if p, err := semver.NewVersion(v.Version); err == nil {
		e.parsed = p
	}
	return e
}

// sortNewestFirst orders versions from the highest semantic version down; versions that are
// not semantic versions go last, in reverse lexical order.
func sortNewestFirst(es []entry) {
	slices.SortStableFunc(es, func(a, b entry) int {
		switch {
		case a.parsed != nil && b.parsed != nil:
			if c := b.parsed.Compare(a.parsed); c != 0 {
				return c
			}
			return strings.Compare(b.Version, a.Version)
		case a.parsed != nil:
			return -1
		case b.parsed != nil:
			return 1
		}
		return strings.Compare(b.Version, a.Version)
	})
}

// errNoMatch is resolve's answer when no version matches; callers wrap it with ErrChartNotFound.
var errNoMatch = errors.New("no version matches")

// resolve picks the version a constraint asks for from versions sorted newest first.
// An empty constraint means the newest stable version (as helm install without --devel);
// a version that is listed verbatim matches exactly; anything else is a semver range
// ("~1.2", ">=1.0 <2", "1.2.x").
func resolve(versions []entry, constraint string) (entry, error) {
	constraint = strings.TrimSpace(constraint)
	if constraint == "" {
		constraint = "*"
	} else {
		for _, e := range versions {
			if e.Version == constraint {
				return e, nil
			}
		}
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return entry{}, fmt.Errorf("%w %q: %w", ErrInvalidConstraint, constraint, err)
	}
	for _, e := range versions {
		if e.parsed != nil && c.Check(e.parsed) {
			return e, nil
		}
	}
	return entry{}, errNoMatch
}

// exactVersion reports the version a constraint names when it names exactly one
// (a strict semantic version such as "1.2.3"), so that a stored chart can be answered
// without asking the registry.
func exactVersion(constraint string) (string, bool) {
	constraint = strings.TrimSpace(constraint)
	if _, err := semver.StrictNewVersion(constraint); err != nil {
		return "", false
	}
	return constraint, true
}

// publicVersions drops the fetch details.
func publicVersions(es []entry) []ChartVersion {
	out := make([]ChartVersion, len(es))
	for i, e := range es {
		out[i] = e.ChartVersion
	}
	return out
}
