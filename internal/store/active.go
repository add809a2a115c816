package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
)

// ActiveVersions returns the versions the dashboard's home page lists, across projects: those
// whose desired state is Deployed and those whose deployment is still Pending, Running or
// Failed (a stop in progress), ordered by project and tag. projectIDs, when not empty,
// restricts them to those projects.
func (s *Store) ActiveVersions(ctx context.Context, projectIDs []string) ([]model.Version, error) {
	filter := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "desiredState", Value: model.Deployed}},
		bson.D{{Key: "deployment.status", Value: bson.D{{Key: "$in", Value: bson.A{model.StatusPending, model.StatusRunning, model.StatusFailed}}}}},
	}}}
	if len(projectIDs) > 0 {
		filter = append(filter, bson.E{Key: "projectId", Value: bson.D{{Key: "$in", Value: projectIDs}}})
	}
	items, err := findAll[model.Version](ctx, s.c(colVersions), filter,
		options.Find().SetSort(bson.D{{Key: "projectId", Value: 1}, {Key: "name", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list active versions: %w", err)
	}
	for i := range items {
		items[i].Normalize()
	}
	return items, nil
}

// ProjectsByID returns the projects with these ids, with their aggregated status, from the
// cached project list (no query per project); ids that name no project are left out.
func (s *Store) ProjectsByID(ctx context.Context, ids []string) ([]model.Project, error) {
	all, err := s.projects(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.statuses(ctx)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := make([]model.Project, 0, len(ids))
	for i := range all.items {
		if want[all.items[i].ID] {
			p := cloneProject(all.items[i])
			p.Status = st.of(p.ID)
			out = append(out, p)
		}
	}
	return out, nil
}
