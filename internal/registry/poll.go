package registry

import (
	"context"
	"errors"
	"fmt"
)

// Known is what oneko knows of one tag of a repository.
type Known struct {
	// Tag is the version's name.
	Tag string
	// Digest is the digest last seen, "" if never resolved.
	Digest string
	// DigestMatters is true when a change of digest must be noticed: the version is deployed
	// with behaviour "automatically". Only these tags cost a HEAD per poll.
	DigestMatters bool
}

// PollPlan is the comparison of what oneko knows with the tag list of the registry, before any
// digest is asked for.
type PollPlan struct {
	// New are the registry's tags oneko does not know, in registry order.
	New []string
	// Check are the known tags still in the registry whose digest matters.
	Check []string
	// Removed are the known tags the registry no longer lists.
	Removed []string
}

// Plan compares known with the tags a registry lists. It is pure: no I/O, no clock.
func Plan(known []Known, tags []string) PollPlan {
	inRegistry := make(map[string]bool, len(tags))
	for _, t := range tags {
		inRegistry[t] = true
	}
	var plan PollPlan
	isKnown := make(map[string]bool, len(known))
	for _, k := range known {
		if isKnown[k.Tag] {
			continue
		}
		isKnown[k.Tag] = true
		switch {
		case !inRegistry[k.Tag]:
			plan.Removed = append(plan.Removed, k.Tag)
		case k.DigestMatters:
			plan.Check = append(plan.Check, k.Tag)
		}
	}
	listed := make(map[string]bool, len(tags))
	for _, t := range tags {
		if !isKnown[t] && !listed[t] {
			plan.New = append(plan.New, t)
		}
		listed[t] = true
	}
	return plan
}

// TagDigest is a tag and its digest ("" when it was not asked for or could not be fetched).
type TagDigest struct {
	Tag    string
	Digest string
}

// DigestChange is a known tag that now points at another manifest.
type DigestChange struct {
	Tag      string
	Previous string
	Digest   string
}

// Changes is what a poll found.
type Changes struct {
	// New are tags oneko does not know yet.
	New []TagDigest
	// Changed are known tags whose digest matters and changed.
	Changed []DigestChange
	// Removed are known tags the registry no longer has.
	Removed []string
	// Failed holds the tags whose digest could not be resolved, with the reason. They appear
	// in New with an empty digest, or are left out of Changed; the next poll tries again.
	Failed map[string]error
	// Requests is the number of requests the poll was planned to make: the tag-list pages
	// plus one HEAD per digest asked for (a HEAD answered without a digest costs a GET more).
	Requests int
}

// Poll lists the tags of repository and compares them with known. It sends one request per
// page of the tag list, then one HEAD per known tag the list lacks (it is removed only when the
// HEAD answers 404), per known tag whose digest matters (DigestMatters) and per new tag for
// which digestNeeded returns true — nothing else. A new tag's digest is
// thus fetched only when the caller needs it at once (typically: an auto-deploy rule matches
// the tag and the deploy pins the image by digest); otherwise the worker resolves it when it
// deploys the version. digestNeeded may be nil (no new tag needs a digest).
//
// A tag that vanishes between the list and its HEAD counts as removed (or is not new). Other
// digest failures are reported per tag in Changes.Failed; failures of the list itself, a
// cancelled ctx or an exhausted rate limit fail the whole poll. A repository the registry does
// not know fails with ErrNotFound: the caller decides whether that means "every tag removed".
func Poll(ctx context.Context, c *Client, repository string, known []Known, digestNeeded func(tag string) bool) (Changes, error) {
	tags, pages, err := c.listTags(ctx, repository)
	if err != nil {
		return Changes{}, fmt.Errorf("poll %s: %w", repository, err)
	}
	plan := Plan(known, tags)
	ch := Changes{Requests: pages}
	fail := func(tag string, err error) {
		if ch.Failed == nil {
			ch.Failed = map[string]error{}
		}
		ch.Failed[tag] = err
	}
	previous := make(map[string]string, len(known))
	for _, k := range known {
		previous[k.Tag] = k.Digest
	}
	// A tag missing from the list is removed only when its manifest is gone too: lists can be
	// stale or cut short, and a removal stops and deletes a version.
	for _, tag := range plan.Removed {
		ch.Requests++
		_, err := c.Digest(ctx, repository, tag)
		switch {
		case errors.Is(err, ErrNotFound):
			ch.Removed = append(ch.Removed, tag)
		case fatalPollError(ctx, err):
			return Changes{}, fmt.Errorf("poll %s: %w", repository, err)
		case err != nil:
			fail(tag, err)
		}
	}
	for _, tag := range plan.Check {
		ch.Requests++
		digest, err := c.Digest(ctx, repository, tag)
		switch {
		case errors.Is(err, ErrNotFound):
			ch.Removed = append(ch.Removed, tag)
		case fatalPollError(ctx, err):
			return Changes{}, fmt.Errorf("poll %s: %w", repository, err)
		case err != nil:
			fail(tag, err)
		case digest != previous[tag]:
			ch.Changed = append(ch.Changed, DigestChange{Tag: tag, Previous: previous[tag], Digest: digest})
		}
	}
	for _, tag := range plan.New {
		if digestNeeded == nil || !digestNeeded(tag) {
			ch.New = append(ch.New, TagDigest{Tag: tag})
			continue
		}
		ch.Requests++
		digest, err := c.Digest(ctx, repository, tag)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case fatalPollError(ctx, err):
			return Changes{}, fmt.Errorf("poll %s: %w", repository, err)
		case err != nil:
			fail(tag, err)
		}
		ch.New = append(ch.New, TagDigest{Tag: tag, Digest: digest})
	}
	return ch, nil
}

// fatalPollError reports whether err should stop the whole poll rather than one tag.
func fatalPollError(ctx context.Context, err error) bool {
	return err != nil && (ctx.Err() != nil || errors.Is(err, ErrRateLimited) || errors.Is(err, ErrUnauthorized))
}
