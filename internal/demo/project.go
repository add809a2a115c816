package demo

import (
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// ValuesTemplate is the configuration template of the demo project: the values of the demo
// chart, with the image pinned by digest when the version has one.
const ValuesTemplate = `replicas: {{REPLICAS}}
image:
  repository: "{{IMAGE}}"
  tag: "{{IMAGE_TAG}}"
  digest: "{{IMAGE_DIGEST}}"
`

// URLTemplate is the URL template of the demo project.
const URLTemplate = "http://{{DNS_VERSION_NAME}}.hello.local"

// NewProject returns the demo project (not yet stored) for the image ImageName of a docker
// registry, deploying the chart ChartName of a Helm registry into a namespace (its name in
// the cluster). New versions are redeployed automatically when their digest changes, and the
// dashboard offers 1, 2 or 3 replicas.
func NewProject(dockerRegistryID, helmRegistryID, namespace string) *model.Project {
	p := &model.Project{
		Name:                           ProjectName,
		DockerRegistryID:               dockerRegistryID,
		ImageName:                      ImageName,
		Namespace:                      namespace,
		NewVersionsDeploymentBehaviour: model.BehaviourAutomatically,
		URLTemplates:                   []string{URLTemplate},
		DefaultConfigurationTemplates: []model.ConfigurationTemplate{{
			ID:             store.NewID(),
			Name:           "hello",
			Description:    "The demo chart: a Deployment of the image and a Service",
			Content:        ValuesTemplate,
			ChartName:      ChartName,
			HelmRegistryID: helmRegistryID,
		}},
		TemplateVariables: []model.TemplateVariable{{
			ID:              store.NewID(),
			Name:            "REPLICAS",
			Label:           "Replicas",
			Values:          []string{"1", "2", "3"},
			UseValues:       true,
			DefaultValue:    "1",
			ShowOnDashboard: true,
		}},
		DefaultLifetimeBehaviour: model.Lifetime{Type: lifetime.UntilTonight},
	}
	p.Normalize()
	return p
}
