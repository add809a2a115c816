package registry

// dockerHubHost is the host Docker Hub's webhooks refer to.
const dockerHubHost = "docker.io"

type dockerHubPayload struct {
	CallbackURL string `json:"callback_url"`
	PushData    *struct {
		Tag string `json:"tag"`
	} `json:"push_data"`
	Repository *struct {
		RepoName  string `json:"repo_name"`
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"repository"`
}

// parseDockerHub reads Docker Hub's push webhook. It carries no digest and no delivery id; the
// repository is normalised so that official images read "library/<name>".
func parseDockerHub(body []byte) (ParseResult, error) {
	var p dockerHubPayload
	if err := decode(body, &p); err != nil {
		return ParseResult{}, err
	}
	if p.PushData == nil || p.Repository == nil {
		return ParseResult{}, malformed("not a Docker Hub payload: no push_data or repository")
	}
	c := newCollector(FormatDockerHub)
	if p.PushData.Tag == "" {
		c.skip("push without a tag")
		return c.result(), nil
	}
	repo := p.Repository.RepoName
	if repo == "" && p.Repository.Name != "" {
		repo = p.Repository.Name
		if p.Repository.Namespace != "" {
			repo = p.Repository.Namespace + "/" + p.Repository.Name
		}
	}
	err := c.add(Event{
		Action:     ActionPush,
		Host:       dockerHubHost,
		Repository: NormalizeRepository(dockerHubHost, repo),
		Tag:        p.PushData.Tag,
	})
	if err != nil {
		return ParseResult{}, err
	}
	return c.result(), nil
}
