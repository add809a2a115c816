package registry

type acrPayload struct {
	ID     string `json:"id"`
	Action string `json:"action"`
	Target *struct {
		MediaType  string `json:"mediaType"`
		Digest     string `json:"digest"`
		Repository string `json:"repository"`
		Tag        string `json:"tag"`
	} `json:"target"`
	Request struct {
		Host string `json:"host"`
	} `json:"request"`
}

// parseACR reads an Azure Container Registry webhook: one event per delivery. "push" of a tag
// is a push and "delete" naming a tag a delete; ACR's manifest and repository deletes name no
// tag and are ignored (polling notices them), as are chart_push, chart_delete and quarantine.
// The delivery id is the event id.
func parseACR(body []byte) (ParseResult, error) {
	var p acrPayload
	if err := decode(body, &p); err != nil {
		return ParseResult{}, err
	}
	if p.Target == nil || p.Action == "" {
		return ParseResult{}, malformed("not an ACR payload: no action or target")
	}
	c := newCollector(FormatACR)
	var action Action
	switch p.Action {
	case "push":
		action = ActionPush
	case "delete":
		action = ActionDelete
	default:
		c.skip("ACR action " + p.Action + " needs no action")
		return c.result(), nil
	}
	if p.Target.Tag == "" {
		c.skip(p.Action + " without a tag")
		return c.result(), nil
	}
	err := c.add(Event{
		Action:     action,
		Host:       senderHost(p.Request.Host),
		Repository: p.Target.Repository,
		Tag:        p.Target.Tag,
		Digest:     p.Target.Digest,
		DeliveryID: p.ID,
	})
	if err != nil {
		return ParseResult{}, err
	}
	return c.result(), nil
}
