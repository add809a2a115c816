package registry

import (
	"encoding/json"
	"sort"
)

type quayPayload struct {
	Repository  string          `json:"repository"`
	Namespace   string          `json:"namespace"`
	Name        string          `json:"name"`
	DockerURL   string          `json:"docker_url"`
	UpdatedTags json.RawMessage `json:"updated_tags"`
	BuildID     string          `json:"build_id"`
}

// parseQuay reads Quay's "repository push" notification. Quay sends no digest and no delivery
// id. Other Quay notifications (builds, vulnerabilities) have no updated_tags and are ignored.
// updated_tags is a list of tags; very old Quay versions sent an object keyed by tag.
func parseQuay(body []byte) (ParseResult, error) {
	var p quayPayload
	if err := decode(body, &p); err != nil {
		return ParseResult{}, err
	}
	if p.Repository == "" && p.DockerURL == "" {
		return ParseResult{}, malformed("not a Quay payload: no repository or docker_url")
	}
	c := newCollector(FormatQuay)
	tags, err := quayTags(p.UpdatedTags)
	if err != nil {
		return ParseResult{}, err
	}
	if tags == nil {
		if p.BuildID != "" {
			c.skip("Quay build notification")
		} else {
			c.skip("Quay notification is not a repository push")
		}
		return c.result(), nil
	}
	host, path := splitHost(p.DockerURL)
	repo := p.Repository
	if repo == "" {
		repo = path
	}
	if len(tags) == 0 {
		c.skip("push without updated tags")
	}
	for _, tag := range tags {
		if err := c.add(Event{Action: ActionPush, Host: senderHost(host), Repository: repo, Tag: tag}); err != nil {
			return ParseResult{}, err
		}
	}
	return c.result(), nil
}

// quayTags reads updated_tags as a list or as an object keyed by tag (sorted); nil when the
// field is absent or null.
func quayTags(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		if list == nil {
			list = []string{}
		}
		return list, nil
	}
	var byTag map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byTag); err != nil {
		return nil, malformed("updated_tags is neither a list nor an object")
	}
	tags := make([]string, 0, len(byTag))
	for tag := range byTag {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	return tags, nil
}
