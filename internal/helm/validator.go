package helm

import (
	"fmt"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/kube"
	"k8s.io/kubectl/pkg/validation"
)

// sharedValidatorFactory is the kube.Factory of one operation's Helm kube client with the
// Client's shared manifest validators.
//
// Helm asks its factory for a new validator every time it builds a manifest (twice or more
// per upgrade), and each new validator decides again, from the cluster's OpenAPI v3 document,
// whether the API server validates the fields of each kind itself: it parses the document of
// the kind's API group every time (most of a deploy's CPU time in this process). A shared
// validator decides that once per kind; it is rebuilt when the Client discovers the cluster
// again (Options.CapabilitiesTTL), so that kinds added since are judged afresh.
type sharedValidatorFactory struct {
	kube.Factory
	c *Client
}

// Validator returns the Client's validator of the directive, built by this factory the first
// time.
func (f sharedValidatorFactory) Validator(directive string) (validation.Schema, error) {
	f.c.capsMu.Lock()
	defer f.c.capsMu.Unlock()
	if v, ok := f.c.validators[directive]; ok {
		return v, nil
	}
	v, err := f.Factory.Validator(directive)
	if err != nil {
		return nil, fmt.Errorf("manifest validator: %w", err)
	}
	if f.c.validators == nil {
		f.c.validators = map[string]validation.Schema{}
	}
	f.c.validators[directive] = v
	return v, nil
}

// shareValidators makes the Helm kube client of cfg use the Client's shared validators.
func (c *Client) shareValidators(cfg *action.Configuration) {
	if kc, ok := cfg.KubeClient.(*kube.Client); ok {
		kc.Factory = sharedValidatorFactory{Factory: kc.Factory, c: c}
	}
}
