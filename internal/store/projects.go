package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/oneko/oneko/internal/model"
)

// CreateProject stores a new project and sets its id, times and revision.
func (s *Store) CreateProject(ctx context.Context, p *model.Project) error {
	now := s.now().UTC()
	p.ID, p.CreatedAt, p.UpdatedAt, p.Revision = newID(), now, now, 1
	_, err := s.c(colProjects).InsertOne(ctx, p)
	if err != nil {
		return mapWriteErr("create project", err)
	}
	s.touch(ctx, counterProjects)
	return nil
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
	defer s.locks.lock(p.ID)()
	rev := p.Revision
	p.UpdatedAt, p.Revision = s.now().UTC(), rev+1
	if err := replaceRevision(ctx, s.c(colProjects), p.ID, rev, p, "project"); err != nil {
		p.Revision = rev
		return err
	}
	s.touch(ctx, counterProjects)
	return nil
}

// DeleteProject removes a project and all its versions.
func (s *Store) DeleteProject(ctx context.Context, id string) error {
	if err := deleteByID(ctx, s.c(colProjects), id, "project"); err != nil {
		return err
	}
	err := s.deleteVersionsOf(ctx, id)
	// The project is gone even when its versions could not all be deleted.
	if ierr := s.removeProjectIndexes(ctx, id); ierr != nil {
		s.log.WarnContext(ctx, "a deleted project may stay in the version indexes", "err", ierr)
	}
	s.touch(ctx, counterProjects, counterStatus, versionsCounter(id))
	if err != nil {
		return fmt.Errorf("delete versions of project %s: %w", id, err)
	}
	return nil
}

// deleteVersionsOf deletes every version of a project. Where the store is the sole writer of a
// server that finds documents without a scan only by _id (Options.SoleWriter), the catalogue
// names them all and each is deleted by _id; elsewhere one DeleteMany filters by project.
func (s *Store) deleteVersionsOf(ctx context.Context, projectID string) error {
	var ids []string
	if s.pointOnly {
		var err error
		if ids, err = s.projectVersionIDs(ctx, projectID); err != nil {
			return err
		}
	}
	unlock := s.locks.lockAll()
	defer unlock()
	if !s.pointOnly {
		_, err := s.c(colVersions).DeleteMany(ctx, bson.D{{Key: "projectId", Value: projectID}})
		return err
	}
	for _, id := range ids {
		if _, err := s.c(colVersions).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
			return err
		}
	}
	return nil
}

// ListProjects returns a page of projects sorted by name, with their aggregated status;
// q, when not empty, filters by a case-insensitive substring of the name. It answers from a
// cache that is checked against two counters by _id on every call (see listCache), so it sees
// every write made through any Store on the same database.
func (s *Store) ListProjects(ctx context.Context, q string, page Page) ([]model.Project, int64, error) {
	all, err := s.projects(ctx)
	if err != nil {
		return nil, 0, err
	}
	st, err := s.statuses(ctx)
	if err != nil {
		return nil, 0, err
	}
	idx, total := pick(all.lower, q, page)
	items := make([]model.Project, len(idx))
	for i, j := range idx {
		items[i] = cloneProject(all.items[j])
		items[i].Status = st.of(items[i].ID)
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

// ProjectStatus sets p.Status to the aggregated deployment status of the project's versions:
// Error > Pending > Ok, and NotDeployed when no version is deployed. It answers from the same
// cache as ListProjects.
func (s *Store) ProjectStatus(ctx context.Context, p *model.Project) error {
	st, err := s.statuses(ctx)
	if err != nil {
		return err
	}
	p.Status = st.of(p.ID)
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

// worse returns the more alarming of two statuses.
func worse(a, b model.ProjectStatus) model.ProjectStatus {
	if statusRank(b) > statusRank(a) {
		return b
	}
	return a
}

func statusRank(s model.ProjectStatus) int {
	switch s {
	case model.ProjectNotDeployed:
		return 1
	case model.ProjectOk:
		return 2
	case model.ProjectPending:
		return 3
	case model.ProjectError:
		return 4
	}
	return 0
}
