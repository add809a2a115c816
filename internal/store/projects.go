package store

import (
	"context"
	"fmt"
	"regexp"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
)

// CreateProject stores a new project and sets its id, times and revision.
func (s *Store) CreateProject(ctx context.Context, p *model.Project) error {
	now := s.now().UTC()
	p.ID, p.CreatedAt, p.UpdatedAt, p.Revision = newID(), now, now, 1
	_, err := s.c(colProjects).InsertOne(ctx, p)
	return mapWriteErr("create project", err)
}

// GetProject reads a project.
func (s *Store) GetProject(ctx context.Context, id string) (*model.Project, error) {
	p, err := findOne[model.Project](ctx, s.c(colProjects), bson.D{{Key: "_id", Value: id}}, "project")
	if err != nil {
		return nil, err
	}
	p.Normalize()
	return p, nil
}

// UpdateProject replaces a project if nobody changed it since p.Revision was read.
func (s *Store) UpdateProject(ctx context.Context, p *model.Project) error {
	rev := p.Revision
	p.UpdatedAt, p.Revision = s.now().UTC(), rev+1
	if err := replaceRevision(ctx, s.c(colProjects), p.ID, rev, p, "project"); err != nil {
		p.Revision = rev
		return err
	}
	return nil
}

// DeleteProject removes a project and all its versions.
func (s *Store) DeleteProject(ctx context.Context, id string) error {
	if err := deleteByID(ctx, s.c(colProjects), id, "project"); err != nil {
		return err
	}
	if _, err := s.c(colVersions).DeleteMany(ctx, bson.D{{Key: "projectId", Value: id}}); err != nil {
		return fmt.Errorf("delete versions of project %s: %w", id, err)
	}
	return nil
}

// ListProjects returns a page of projects sorted by name, with their aggregated status;
// q, when not empty, filters by a case-insensitive substring of the name.
func (s *Store) ListProjects(ctx context.Context, q string, page Page) ([]model.Project, int64, error) {
	filter := bson.D{}
	if q != "" {
		filter = bson.D{{Key: "name", Value: bson.Regex{Pattern: regexp.QuoteMeta(q), Options: "i"}}}
	}
	items, total, err := findPage[model.Project](ctx, s.c(colProjects), filter, bson.D{{Key: "name", Value: 1}}, page)
	if err != nil {
		return nil, 0, err
	}
	if err := s.fillProjectStatus(ctx, items); err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

// ProjectsByImage returns the projects of a docker registry and image name.
func (s *Store) ProjectsByImage(ctx context.Context, registryID, imageName string) ([]model.Project, error) {
	items, err := findAll[model.Project](ctx, s.c(colProjects), bson.D{
		{Key: "dockerRegistryId", Value: registryID}, {Key: "imageName", Value: imageName},
	})
	for i := range items {
		items[i].Normalize()
	}
	return items, err
}

// CountProjectsUsingRegistry counts the projects that read images from a docker registry.
func (s *Store) CountProjectsUsingRegistry(ctx context.Context, registryID string) (int64, error) {
	n, err := s.c(colProjects).CountDocuments(ctx, bson.D{{Key: "dockerRegistryId", Value: registryID}})
	if err != nil {
		return 0, fmt.Errorf("count projects of registry: %w", err)
	}
	return n, nil
}

// CountTemplatesUsingHelmRegistry counts projects and versions whose templates use a Helm registry.
func (s *Store) CountTemplatesUsingHelmRegistry(ctx context.Context, helmRegistryID string) (int64, error) {
	n, err := s.c(colProjects).CountDocuments(ctx, bson.D{{Key: "defaultConfigurationTemplates.helmRegistryId", Value: helmRegistryID}})
	if err != nil {
		return 0, fmt.Errorf("count projects using Helm registry: %w", err)
	}
	m, err := s.c(colVersions).CountDocuments(ctx, bson.D{{Key: "configurationTemplates.helmRegistryId", Value: helmRegistryID}})
	if err != nil {
		return 0, fmt.Errorf("count versions using Helm registry: %w", err)
	}
	return n + m, nil
}

// CountProjectsUsingNamespace counts projects and versions that deploy into a namespace.
func (s *Store) CountProjectsUsingNamespace(ctx context.Context, kubeName string) (int64, error) {
	n, err := s.c(colProjects).CountDocuments(ctx, bson.D{{Key: "namespace", Value: kubeName}})
	if err != nil {
		return 0, fmt.Errorf("count projects using namespace: %w", err)
	}
	m, err := s.c(colVersions).CountDocuments(ctx, bson.D{{Key: "namespace", Value: kubeName}})
	if err != nil {
		return 0, fmt.Errorf("count versions using namespace: %w", err)
	}
	return n + m, nil
}

// fillProjectStatus aggregates the deployment status of the versions of the given projects:
// Error > Pending > Ok, and NotDeployed when no version is deployed. It reads only the
// versions that are not NotDeployed, which are few, in one query.
func (s *Store) fillProjectStatus(ctx context.Context, projects []model.Project) error {
	if len(projects) == 0 {
		return nil
	}
	ids := make([]string, len(projects))
	for i := range projects {
		ids[i] = projects[i].ID
		projects[i].Normalize()
		projects[i].Status = model.ProjectNotDeployed
	}
	type row struct {
		ProjectID  string `bson:"projectId"`
		Deployment struct {
			Status model.DeploymentStatus `bson:"status"`
		} `bson:"deployment"`
	}
	rows, err := findAll[row](ctx, s.c(colVersions), bson.D{
		{Key: "projectId", Value: bson.D{{Key: "$in", Value: ids}}},
		{Key: "deployment.status", Value: bson.D{{Key: "$ne", Value: model.StatusNotDeployed}}},
	}, options.Find().SetProjection(bson.D{{Key: "projectId", Value: 1}, {Key: "deployment.status", Value: 1}}))
	if err != nil {
		return fmt.Errorf("project status: %w", err)
	}
	byID := make(map[string]model.ProjectStatus, len(rows))
	for _, r := range rows {
		byID[r.ProjectID] = worse(byID[r.ProjectID], statusOf(r.Deployment.Status))
	}
	for i := range projects {
		if st, ok := byID[projects[i].ID]; ok {
			projects[i].Status = st
		}
	}
	return nil
}

// ProjectStatus computes one project's aggregated status.
func (s *Store) ProjectStatus(ctx context.Context, p *model.Project) error {
	one := []model.Project{*p}
	if err := s.fillProjectStatus(ctx, one); err != nil {
		return err
	}
	p.Status = one[0].Status
	return nil
}

func statusOf(d model.DeploymentStatus) model.ProjectStatus {
	switch d {
	case model.StatusFailed, model.StatusUnknown:
		return model.ProjectError
	case model.StatusPending:
		return model.ProjectPending
	case model.StatusRunning:
		return model.ProjectOk
	}
	return model.ProjectNotDeployed
}

func worse(a, b model.ProjectStatus) model.ProjectStatus {
	rank := map[model.ProjectStatus]int{"": 0, model.ProjectNotDeployed: 1, model.ProjectOk: 2, model.ProjectPending: 3, model.ProjectError: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
