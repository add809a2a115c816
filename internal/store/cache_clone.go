package store

import (
	"maps"
	"slices"

	"github.com/oneko/oneko/internal/model"
)

// The cache hands out deep copies, so that a caller that changes what it got (a field, a map
// entry, an element of a slice) cannot change what other readers get.

func cloneProject(p model.Project) model.Project {
	if p.AutoDeploy != nil {
		a := *p.AutoDeploy
		p.AutoDeploy = &a
	}
	p.URLTemplates = slices.Clone(p.URLTemplates)
	p.DefaultConfigurationTemplates = slices.Clone(p.DefaultConfigurationTemplates)
	if p.TemplateVariables != nil {
		vars := make([]model.TemplateVariable, len(p.TemplateVariables))
		for i, v := range p.TemplateVariables {
			v.Values = slices.Clone(v.Values)
			vars[i] = v
		}
		p.TemplateVariables = vars
	}
	p.DeletingSince = clonePtr(p.DeletingSince)
	return p
}

func cloneVersion(v model.Version) model.Version {
	v.TemplateVariables = maps.Clone(v.TemplateVariables)
	v.URLTemplates = slices.Clone(v.URLTemplates)
	v.ConfigurationTemplates = slices.Clone(v.ConfigurationTemplates)
	v.LifetimeBehaviour = clonePtr(v.LifetimeBehaviour)
	v.URLs = slices.Clone(v.URLs)
	v.DigestCheckedAt = clonePtr(v.DigestCheckedAt)
	v.Deployment.DeployedAt = clonePtr(v.Deployment.DeployedAt)
	v.Deployment.ExpiresAt = clonePtr(v.Deployment.ExpiresAt)
	v.Deployment.Releases = slices.Clone(v.Deployment.Releases)
	return v
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
