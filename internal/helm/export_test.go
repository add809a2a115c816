package helm

import (
	"time"

	"helm.sh/helm/v3/pkg/kube"
	"k8s.io/kubectl/pkg/validation"
)

// ValidatorOf returns the manifest validator of the directive that an operation of c in
// namespace ns builds its manifests with.
func ValidatorOf(c *Client, ns, directive string) (validation.Schema, error) {
	cfg, _, err := c.config(ns)
	if err != nil {
		return nil, err
	}
	return cfg.KubeClient.(*kube.Client).Factory.Validator(directive)
}

// SetClock makes c read the time from now.
func SetClock(c *Client, now func() time.Time) { c.now = now }
