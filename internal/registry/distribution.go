package registry

import (
	"net/url"
	"strings"
)

// manifestMediaTypes are the media types of manifests and indexes; any other target of a
// Distribution event is a blob (a layer or a config).
var manifestMediaTypes = map[string]bool{
	"application/vnd.docker.distribution.manifest.v1+json":      true,
	"application/vnd.docker.distribution.manifest.v1+prettyjws": true,
	"application/vnd.docker.distribution.manifest.v2+json":      true,
	"application/vnd.docker.distribution.manifest.list.v2+json": true,
	"application/vnd.oci.image.manifest.v1+json":                true,
	"application/vnd.oci.image.index.v1+json":                   true,
	"application/vnd.oci.artifact.manifest.v1+json":             true,
}

// distributionEnvelope is the body CNCF Distribution and the GitLab container registry send.
type distributionEnvelope struct {
	Events *[]distributionEvent `json:"events"`
}

type distributionEvent struct {
	ID     string `json:"id"`
	Action string `json:"action"`
	Target struct {
		MediaType  string `json:"mediaType"`
		Digest     string `json:"digest"`
		Repository string `json:"repository"`
		URL        string `json:"url"`
		Tag        string `json:"tag"`
	} `json:"target"`
	Request struct {
		Host string `json:"host"`
	} `json:"request"`
}

// parseDistribution reads a notification envelope. Only manifest pushes that name a tag and
// deletes of a tag count; blob pushes and mounts, pulls, and manifest pushes or deletes by
// digest alone are ignored. The delivery id is the event id.
func parseDistribution(body []byte) (ParseResult, error) {
	var env distributionEnvelope
	if err := decode(body, &env); err != nil {
		return ParseResult{}, err
	}
	if env.Events == nil {
		return ParseResult{}, malformed(`not a Distribution envelope: no "events"`)
	}
	c := newCollector(FormatDistribution)
	for _, ev := range *env.Events {
		action, reason := distributionAction(ev)
		if reason != "" {
			c.skip(reason)
			continue
		}
		host := ev.Request.Host
		if host == "" {
			if u, err := url.Parse(ev.Target.URL); err == nil {
				host = u.Host
			}
		}
		err := c.add(Event{
			Action:     action,
			Host:       senderHost(host),
			Repository: ev.Target.Repository,
			Tag:        ev.Target.Tag,
			Digest:     ev.Target.Digest,
			DeliveryID: ev.ID,
		})
		if err != nil {
			return ParseResult{}, err
		}
	}
	return c.result(), nil
}

// distributionAction says what an event means, or why it is ignored.
func distributionAction(ev distributionEvent) (Action, string) {
	mediaType := strings.ToLower(strings.TrimSpace(ev.Target.MediaType))
	if i := strings.IndexByte(mediaType, ';'); i >= 0 {
		mediaType = strings.TrimSpace(mediaType[:i])
	}
	isManifest := mediaType == "" || manifestMediaTypes[mediaType]
	switch ev.Action {
	case "push":
		switch {
		case !isManifest:
			return "", "blob push"
		case ev.Target.Tag == "":
			return "", "manifest push without a tag"
		}
		return ActionPush, ""
	case "delete":
		if ev.Target.Tag == "" {
			return "", "delete without a tag"
		}
		return ActionDelete, ""
	case "pull":
		return "", "pull"
	case "mount":
		return "", "blob mount"
	}
	return "", "action " + ev.Action + " needs no action"
}
