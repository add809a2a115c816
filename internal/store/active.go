package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/oneko/oneko/internal/model"
)

// ActiveVersions returns the versions the dashboard's home page lists, across projects: those
// whose desired state is Deployed and those whose deployment is still Pending, Running or
// Failed (a stop in progress), ordered by project and tag. projectIDs, when not empty,
// restricts them to those projects.
func (s *Store) ActiveVersions(ctx context.Context, projectIDs []string) ([]model.Version, error) {
	// Read through the index of active versions (indexes.go): a few entries and a point read
	// each, rather than a filter over every version.
	items, err := s.indexedVersions(ctx, projectIDs, func(v *model.Version) bool {
		st := v.Deployment.Status
		return v.DesiredState == model.Deployed || st == model.StatusPending || st == model.StatusRunning || st == model.StatusFailed
	})
	if err != nil {
		return nil, fmt.Errorf("list active versions: %w", err)
	}
	slices.SortFunc(items, func(a, b model.Version) int {
		return cmp.Or(cmp.Compare(a.ProjectID, b.ProjectID), cmp.Compare(a.Name, b.Name))
	})
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
