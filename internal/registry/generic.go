package registry

import "strings"

type genericPayload struct {
	Image  string `json:"image"`
	Tag    string `json:"tag"`
	Digest string `json:"digest"`
	Action string `json:"action"`
}

// parseGeneric reads oneko's own format for CI scripts:
// {"image": "host/repo", "tag": "1.2.3", "digest": "sha256:…"}. The digest is optional, and so
// is "action" ("push", the default, or "delete"). For convenience the image may also carry the
// tag ("host/repo:1.2.3") or the digest ("host/repo@sha256:…"); they must then agree with the
// fields. Without a host ("team/app") Event.Host is "".
func parseGeneric(body []byte) (ParseResult, error) {
	var p genericPayload
	if err := decode(body, &p); err != nil {
		return ParseResult{}, err
	}
	if p.Image == "" {
		return ParseResult{}, malformed(`generic payload without "image"`)
	}
	var action Action
	switch strings.ToLower(p.Action) {
	case "", "push":
		action = ActionPush
	case "delete":
		action = ActionDelete
	default:
		return ParseResult{}, malformed("generic payload with unknown action %q", p.Action)
	}
	host, repo := splitHost(p.Image)
	tag, digest := p.Tag, p.Digest
	if before, d, ok := strings.Cut(repo, "@"); ok {
		if digest != "" && digest != d {
			return ParseResult{}, malformed("image digest %q disagrees with digest %q", d, digest)
		}
		repo, digest = before, d
	}
	if i := strings.LastIndexByte(repo, ':'); i >= 0 {
		t := repo[i+1:]
		if tag != "" && tag != t {
			return ParseResult{}, malformed("image tag %q disagrees with tag %q", t, tag)
		}
		repo, tag = repo[:i], t
	}
	if tag == "" {
		return ParseResult{}, malformed(`generic payload without "tag"`)
	}
	c := newCollector(FormatGeneric)
	err := c.add(Event{Action: action, Host: host, Repository: NormalizeRepository(host, repo), Tag: tag, Digest: digest})
	if err != nil {
		return ParseResult{}, err
	}
	return c.result(), nil
}
