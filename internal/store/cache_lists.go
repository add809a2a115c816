package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
)

// projectList is every project sorted by name, as cached; Status is not filled.
type projectList struct {
	items []model.Project
	lower []string // lower-case names, for q
}

// versionList is every version of one project, newest image first, as cached.
type versionList struct {
	items []model.Version
	lower []string // lower-case tags, for q
}

// statusMap is the aggregated status of every project that has a version that is not
// NotDeployed; the others are NotDeployed.
type statusMap map[string]model.ProjectStatus

// of returns a project's status.
func (m statusMap) of(projectID string) model.ProjectStatus {
	if st, ok := m[projectID]; ok {
		return st
	}
	return model.ProjectNotDeployed
}

// projects returns the cached project list, rebuilt with one scan when it is out of date.
func (s *Store) projects(ctx context.Context) (projectList, error) {
	return cached(ctx, s, s.cache.projects, counterProjects, func(ctx context.Context) (projectList, error) {
		items, err := findAll[model.Project](ctx, s.c(colProjects), bson.D{}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
		if err != nil {
			return projectList{}, fmt.Errorf("load project list: %w", err)
		}
		l := projectList{items: items, lower: make([]string, len(items))}
		for i := range items {
			items[i].Normalize()
			l.lower[i] = strings.ToLower(items[i].Name)
		}
		return l, nil
	})
}

// statuses returns the cached project statuses, rebuilt when out of date from the versions of
// the index of active versions (indexes.go).
func (s *Store) statuses(ctx context.Context) (statusMap, error) {
	return cached(ctx, s, s.cache.status, counterStatus, func(ctx context.Context) (statusMap, error) {
		// Every version that is not NotDeployed has an entry in the index of active versions.
		rows, err := s.indexedVersions(ctx, nil, func(v *model.Version) bool { return v.Deployment.Status != model.StatusNotDeployed })
		if err != nil {
			return nil, fmt.Errorf("load project statuses: %w", err)
		}
		m := make(statusMap)
		for _, r := range rows {
			m[r.ProjectID] = worse(m.of(r.ProjectID), statusOf(r.Deployment.Status))
		}
		return m, nil
	})
}

// versions returns the cached version list of a project, rebuilt when it is out of date from
// the project's catalogue document (catalogue.go) and a read of each version by _id.
func (s *Store) versions(ctx context.Context, projectID string) (versionList, error) {
	return cached(ctx, s, s.cache.versions, versionsCounter(projectID), func(ctx context.Context) (versionList, error) {
		items, err := s.VersionsOfProject(ctx, projectID)
		if err != nil {
			return versionList{}, fmt.Errorf("load versions of project %s: %w", projectID, err)
		}
		slices.SortFunc(items, func(a, b model.Version) int {
			return cmp.Or(b.ImageUpdatedAt.Compare(a.ImageUpdatedAt), cmp.Compare(b.ID, a.ID))
		})
		l := versionList{items: items, lower: make([]string, len(items))}
		for i := range items {
			l.lower[i] = strings.ToLower(items[i].Name)
		}
		return l, nil
	})
}

// pick returns the indexes of the page of the names that contain q (case-insensitively, all
// names when q is empty) and how many names match in all.
func pick(lower []string, q string, page Page) ([]int, int64) {
	page = page.Normalize()
	q = strings.ToLower(q)
	idx := make([]int, 0, min(page.Limit, len(lower)))
	var total int64
	for i, name := range lower {
		if q != "" && !strings.Contains(name, q) {
			continue
		}
		if total >= int64(page.Offset) && len(idx) < page.Limit {
			idx = append(idx, i)
		}
		total++
	}
	return idx, total
}
