package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
)

// The store keeps two small collections beside the versions, read and written by _id, so that
// the questions the home page and the worker ask most do not scan every version. MongoDB would
// answer them from its secondary indexes, but the embedded FerretDB of local mode finds
// documents only by _id and scans the whole collection for any other filter: at 50,000
// versions one scan takes seconds.
//
//   - activeVersions: one entry {_id: version id, projectId} for every version whose desired
//     state is Deployed, whose deployment status is not NotDeployed or whose deployment record
//     lists releases (a superset of what the home page lists, and every version the reconcile
//     may have to stop). Readers read the few entries, then each version by _id, and check the
//     version itself; an entry whose version is gone or no longer active costs one point read
//     and is dropped.
//   - versionCounts: {_id: project id, n} — how many versions a project has.
//   - projectVersions: every version of a project by id, tag and image time (catalogue.go).
//
// An entry is written before a write that can make its version active and again after it, and
// removed only after a write that left the version inactive, followed by a read of the version
// that puts it back if a concurrent write activated it meanwhile: whatever the interleaving of
// writers (also across replicas), an active version keeps its entry. A database written before
// these collections existed gets them from one scan when Open first sees it (indexesBuilt).
const (
	colActive        = "activeVersions"
	colVersionCounts = "versionCounts"
	// counterVersionCounts moves with every change of a versionCounts entry.
	counterVersionCounts = "versionCounts"
	// indexesMarker is the counters document that says the collections above are built.
	indexesMarker = "indexes"
	// v2: projectVersions, and activeVersions with the versions that only have releases.
	indexesBuilt = "v2"
	// pointReads bounds the parallel reads by _id of one list.
	pointReads = 8
)

// activeEntry is one entry of activeVersions.
type activeEntry struct {
	ID        string `bson:"_id"`
	ProjectID string `bson:"projectId"`
}

// indexedState is what decides whether a version belongs in activeVersions, and its entry in
// the catalogue.
type indexedState struct {
	ID             string             `bson:"_id"`
	ProjectID      string             `bson:"projectId"`
	Name           string             `bson:"name"`
	ImageUpdatedAt time.Time          `bson:"imageUpdatedAt"`
	DesiredState   model.DesiredState `bson:"desiredState"`
	Deployment     struct {
		Status   model.DeploymentStatus `bson:"status"`
		Releases []struct{}             `bson:"releases"`
	} `bson:"deployment"`
}

// indexedProjection reads an indexedState.
var indexedProjection = bson.D{{Key: "projectId", Value: 1}, {Key: "name", Value: 1}, {Key: "imageUpdatedAt", Value: 1},
	{Key: "desiredState", Value: 1}, {Key: "deployment.status", Value: 1}, {Key: "deployment.releases", Value: 1}}

func (st *indexedState) active() bool {
	return indexedActive(st.DesiredState, st.Deployment.Status, len(st.Deployment.Releases))
}

func (st *indexedState) entry() catalogueEntry {
	return catalogueEntry{ID: st.ID, Name: st.Name, At: st.ImageUpdatedAt.UTC()}
}

// indexedActive says whether a version with this desired state, status and number of recorded
// releases has an entry.
func indexedActive(desired model.DesiredState, status model.DeploymentStatus, releases int) bool {
	return desired == model.Deployed || (status != "" && status != model.StatusNotDeployed) || releases > 0
}

// versionActive is indexedActive of a version.
func versionActive(v *model.Version) bool {
	return indexedActive(v.DesiredState, v.Deployment.Status, len(v.Deployment.Releases))
}

// markActive writes the entry of a version (before and after a write that may activate it).
func (s *Store) markActive(ctx context.Context, id, projectID string) error {
	_, err := s.c(colActive).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "projectId", Value: projectID}}}}, options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return nil // a concurrent upsert created it
	}
	if err != nil {
		return fmt.Errorf("index active version %s: %w", id, err)
	}
	return nil
}

// settleActive brings the entry of a version in line with what a write left: kept when active,
// otherwise removed and, should the version have become active again meanwhile, written back.
// It runs after the write succeeded, so failures are logged, not returned.
func (s *Store) settleActive(ctx context.Context, id, projectID string, active bool) {
	ctx = context.WithoutCancel(ctx)
	if err := s.settleActiveErr(ctx, id, projectID, active); err != nil {
		s.log.WarnContext(ctx, "the index of active versions may miss a version", "version", id, "err", err)
	}
}

func (s *Store) settleActiveErr(ctx context.Context, id, projectID string, active bool) error {
	if active {
		return s.markActive(ctx, id, projectID)
	}
	if _, err := s.c(colActive).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("unindex version %s: %w", id, err)
	}
	var st indexedState
	err := s.c(colVersions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&st)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read version %s again: %w", id, err)
	}
	if st.active() {
		return s.markActive(ctx, id, st.ProjectID)
	}
	return nil
}

// indexedVersions reads every version of activeVersions (of these projects, when projectIDs is
// not empty) by _id, and answers those keep tells to keep, in no particular order. Entries whose
// version is gone are removed.
func (s *Store) indexedVersions(ctx context.Context, projectIDs []string, keep func(*model.Version) bool) ([]model.Version, error) {
	entries, err := findAll[activeEntry](ctx, s.c(colActive), bson.D{})
	if err != nil {
		return nil, fmt.Errorf("read the index of active versions: %w", err)
	}
	var want map[string]bool
	if len(projectIDs) > 0 {
		want = make(map[string]bool, len(projectIDs))
		for _, id := range projectIDs {
			want[id] = true
		}
		kept := entries[:0]
		for _, e := range entries {
			if want[e.ProjectID] {
				kept = append(kept, e)
			}
		}
		entries = kept
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	vs, err := s.versionsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read active versions: %w", err)
	}
	if len(vs) < len(entries) {
		// Entries whose version is gone are dropped (see settleActive).
		seen := make(map[string]bool, len(vs))
		for i := range vs {
			seen[vs[i].ID] = true
		}
		for _, e := range entries {
			if !seen[e.ID] {
				s.settleActive(ctx, e.ID, e.ProjectID, false)
			}
		}
	}
	out := make([]model.Version, 0, len(vs))
	for i := range vs {
		if (want == nil || want[vs[i].ProjectID]) && keep(&vs[i]) {
			out = append(out, vs[i])
		}
	}
	return out, nil
}

// addVersionCount moves a project's version count by delta.
func (s *Store) addVersionCount(ctx context.Context, projectID string, delta int64) {
	if delta == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	// FerretDB applies $inc as read, modify, write: serialise the updates of one count here.
	unlock := s.countLocks.lock(projectID)
	_, err := s.c(colVersionCounts).UpdateOne(ctx, bson.D{{Key: "_id", Value: projectID}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: delta}}}}, options.UpdateOne().SetUpsert(true))
	unlock()
	if err != nil {
		s.log.WarnContext(ctx, "a project's version count may be off", "project", projectID, "err", err)
	}
	s.touch(ctx, counterVersionCounts)
}

// versionCountMap is every project's version count.
type versionCountMap map[string]int64

// versionCounts returns the cached version counts, rebuilt from versionCounts (one small entry
// per project) when out of date.
func (s *Store) versionCounts(ctx context.Context) (versionCountMap, error) {
	return cached(ctx, s, s.cache.counts, counterVersionCounts, func(ctx context.Context) (versionCountMap, error) {
		type row struct {
			ID string `bson:"_id"`
			N  int64  `bson:"n"`
		}
		rows, err := findAll[row](ctx, s.c(colVersionCounts), bson.D{})
		if err != nil {
			return nil, fmt.Errorf("load version counts: %w", err)
		}
		m := make(versionCountMap, len(rows))
		for _, r := range rows {
			m[r.ID] = max(0, r.N)
		}
		return m, nil
	})
}

// VersionCounts returns how many versions each of these projects has (0 for unknown ids),
// from a cache of the stored per-project counts.
func (s *Store) VersionCounts(ctx context.Context, projectIDs []string) (map[string]int64, error) {
	all, err := s.versionCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(projectIDs))
	for _, id := range projectIDs {
		out[id] = all[id]
	}
	return out, nil
}

// buildIndexes fills activeVersions and versionCounts from one scan of the versions, when the
// database has not got them yet (it was written by an older oneko).
func (s *Store) buildIndexes(ctx context.Context) error {
	var marker counterDoc
	err := s.c(colCounters).FindOne(ctx, bson.D{{Key: "_id", Value: indexesMarker}}).Decode(&marker)
	if err == nil && marker.Stamp == indexesBuilt {
		return nil
	}
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("read the index marker: %w", err)
	}
	rows, err := findAll[indexedState](ctx, s.c(colVersions), bson.D{}, options.Find().SetProjection(indexedProjection))
	if err != nil {
		return fmt.Errorf("build version indexes: %w", err)
	}
	counts := map[string]int64{}
	entries := map[string][]catalogueEntry{}
	for _, r := range rows {
		counts[r.ProjectID]++
		entries[r.ProjectID] = append(entries[r.ProjectID], r.entry())
		if r.active() {
			if err := s.markActive(ctx, r.ID, r.ProjectID); err != nil {
				return err
			}
		}
	}
	for id, es := range entries {
		if err := s.writeCatalogue(ctx, catalogueOf(id, es)); err != nil {
			return fmt.Errorf("build the version catalogue: %w", err)
		}
	}
	for id, n := range counts {
		if _, err := s.c(colVersionCounts).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: n}}}}, options.UpdateOne().SetUpsert(true)); err != nil {
			return fmt.Errorf("build version counts: %w", err)
		}
	}
	if _, err := s.c(colCounters).UpdateOne(ctx, bson.D{{Key: "_id", Value: indexesMarker}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "stamp", Value: indexesBuilt}}}}, options.UpdateOne().SetUpsert(true)); err != nil {
		return fmt.Errorf("mark version indexes built: %w", err)
	}
	if len(rows) > 0 {
		s.log.InfoContext(ctx, "built the indexes of active versions, version counts and the version catalogue", "versions", len(rows))
	}
	return nil
}

// removeProjectIndexes drops the entries of a deleted project.
func (s *Store) removeProjectIndexes(ctx context.Context, projectID string) error {
	ctx = context.WithoutCancel(ctx)
	entries, err := findAll[activeEntry](ctx, s.c(colActive), bson.D{})
	if err != nil {
		return fmt.Errorf("read the index of active versions: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if e.ProjectID == projectID {
			if _, err := s.c(colActive).DeleteOne(ctx, bson.D{{Key: "_id", Value: e.ID}}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if _, err := s.c(colVersionCounts).DeleteOne(ctx, bson.D{{Key: "_id", Value: projectID}}); err != nil {
		errs = append(errs, err)
	}
	unlock := s.catalogueLocks.lock(projectID)
	if _, err := s.c(colProjectVersions).DeleteOne(ctx, bson.D{{Key: "_id", Value: projectID}}); err != nil {
		errs = append(errs, err)
	}
	unlock()
	s.touch(ctx, counterVersionCounts, counterCatalogue)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove the indexes of project %s: %w", projectID, err)
	}
	return nil
}

// guard narrows a conditional write of one version to its _id where the store is the sole
// writer of a server that finds documents without a scan only by _id (Options.SoleWriter):
// it reads the document
// by _id, checks conds (equalities of top-level fields) itself, and answers the filter to
// write with — {_id} — or mongo.ErrNoDocuments when the version is missing or does not match.
// The caller holds the version's lock (docLocks): FerretDB itself applies a conditional update
// as a read and a separate write, so this is as atomic as what it replaces. Elsewhere guard
// answers _id and conds as one filter, which MongoDB checks atomically.
func (s *Store) guard(ctx context.Context, id string, conds bson.D) (bson.D, error) {
	filter := bson.D{{Key: "_id", Value: id}}
	if !s.pointOnly || len(conds) == 0 {
		return append(filter, conds...), nil
	}
	raw, err := s.c(colVersions).FindOne(ctx, filter).Raw()
	if err != nil {
		return nil, err
	}
	for _, c := range conds {
		if !equalValue(raw.Lookup(strings.Split(c.Key, ".")...), c.Value) {
			return nil, mongo.ErrNoDocuments
		}
	}
	return filter, nil
}

// equalValue compares a stored value with an integer, string or boolean as a MongoDB
// equality filter would (numbers by value, whatever their BSON type).
func equalValue(rv bson.RawValue, want any) bool {
	switch w := want.(type) {
	case int64:
		n, ok := rv.AsInt64OK()
		return ok && n == w
	case int:
		n, ok := rv.AsInt64OK()
		return ok && n == int64(w)
	case int32:
		n, ok := rv.AsInt64OK()
		return ok && n == int64(w)
	case string:
		v, ok := rv.StringValueOK()
		return ok && v == w
	case bool:
		v, ok := rv.BooleanOK()
		return ok && v == w
	default:
		return false
	}
}

// reindexProject brings the index entries, the catalogue document and the version count of one
// project in line with its versions, from one query of them (after writes made outside this package's methods).
func (s *Store) reindexProject(ctx context.Context, projectID string) error {
	rows, err := findAll[indexedState](ctx, s.c(colVersions), bson.D{{Key: "projectId", Value: projectID}},
		options.Find().SetProjection(indexedProjection))
	if err != nil {
		return fmt.Errorf("reindex project %s: %w", projectID, err)
	}
	active := map[string]bool{}
	entries := make([]catalogueEntry, 0, len(rows))
	for _, r := range rows {
		entries = append(entries, r.entry())
		if r.active() {
			active[r.ID] = true
			if err := s.markActive(ctx, r.ID, projectID); err != nil {
				return err
			}
		}
	}
	entriesActive, err := findAll[activeEntry](ctx, s.c(colActive), bson.D{})
	if err != nil {
		return fmt.Errorf("reindex project %s: %w", projectID, err)
	}
	for _, e := range entriesActive {
		if e.ProjectID == projectID && !active[e.ID] {
			if err := s.settleActiveErr(ctx, e.ID, projectID, false); err != nil {
				return err
			}
		}
	}
	if err := s.writeCatalogue(ctx, catalogueOf(projectID, entries)); err != nil {
		return fmt.Errorf("reindex project %s: %w", projectID, err)
	}
	if _, err := s.c(colVersionCounts).UpdateOne(ctx, bson.D{{Key: "_id", Value: projectID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: int64(len(rows))}}}}, options.UpdateOne().SetUpsert(true)); err != nil {
		return fmt.Errorf("reindex project %s: %w", projectID, err)
	}
	return nil
}
