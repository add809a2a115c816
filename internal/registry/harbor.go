package registry

// harborPayload covers Harbor's default payload (2.x PUSH_ARTIFACT and 1.x pushImage share the
// shape) and its CloudEvents payload, whose event_data moves to "data".
type harborPayload struct {
	Type        string           `json:"type"`
	EventData   *harborEventData `json:"event_data"`
	SpecVersion string           `json:"specversion"`
	ID          string           `json:"id"`
	Data        *harborEventData `json:"data"`
}

type harborEventData struct {
	Resources []struct {
		Digest      string `json:"digest"`
		Tag         string `json:"tag"`
		ResourceURL string `json:"resource_url"`
	} `json:"resources"`
	Repository struct {
		Name         string `json:"name"`
		Namespace    string `json:"namespace"`
		RepoFullName string `json:"repo_full_name"`
	} `json:"repository"`
}

// harborActions maps Harbor event types that change tags to an Action.
var harborActions = map[string]Action{
	"PUSH_ARTIFACT":           ActionPush,
	"pushImage":               ActionPush,
	"harbor.artifact.pushed":  ActionPush,
	"DELETE_ARTIFACT":         ActionDelete,
	"deleteImage":             ActionDelete,
	"harbor.artifact.deleted": ActionDelete,
}

func parseHarbor(body []byte) (ParseResult, error) {
	var p harborPayload
	if err := decode(body, &p); err != nil {
		return ParseResult{}, err
	}
	data, deliveryID := p.EventData, ""
	if p.SpecVersion != "" {
		data, deliveryID = p.Data, p.ID
	}
	if p.Type == "" || data == nil {
		return ParseResult{}, malformed("not a Harbor payload: no type or event data")
	}
	c := newCollector(FormatHarbor)
	action, ok := harborActions[p.Type]
	if !ok {
		c.skip("Harbor event " + p.Type + " needs no action")
		return c.result(), nil
	}
	repo := data.Repository.RepoFullName
	if repo == "" && data.Repository.Name != "" {
		repo = data.Repository.Namespace + "/" + data.Repository.Name
	}
	for _, r := range data.Resources {
		host, _ := splitHost(r.ResourceURL)
		err := c.add(Event{Action: action, Host: senderHost(host), Repository: repo, Tag: r.Tag, Digest: r.Digest, DeliveryID: deliveryID})
		if err != nil {
			return ParseResult{}, err
		}
	}
	return c.result(), nil
}
