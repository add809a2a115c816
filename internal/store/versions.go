package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
)

// CreateVersion stores a new version; ErrDuplicate when the project already has that tag.
func (s *Store) CreateVersion(ctx context.Context, v *model.Version) error {
	if v.ID == "" {
		v.ID = VersionID(v.ProjectID, v.Name)
	}
	v.Revision = 1
	if v.CreatedAt.IsZero() {
		v.CreatedAt = s.now().UTC()
	}
	v.Normalize()
	active := versionActive(v)
	if active {
		if err := s.markActive(ctx, v.ID, v.ProjectID); err != nil {
			return fmt.Errorf("create version: %w", err)
		}
	}
	// Into the catalogue before the insert, and again after it (see catalogue.go).
	if err := s.listVersions(ctx, v.ProjectID, v); err != nil {
		if active {
			s.settleActive(ctx, v.ID, v.ProjectID, false)
		}
		return fmt.Errorf("create version: %w", err)
	}
	if _, err := s.c(colVersions).InsertOne(ctx, v); err != nil {
		if active {
			s.settleActive(ctx, v.ID, v.ProjectID, false)
		}
		s.unlistVersion(ctx, v.ProjectID, v.ID)
		return mapWriteErr("create version", err)
	}
	s.relist(ctx, v)
	s.addVersionCount(ctx, v.ProjectID, 1)
	s.touchVersions(ctx, v.ProjectID, v.Deployment.Status != model.StatusNotDeployed)
	return nil
}

// InsertVersions stores many new versions of projects at once (seeding a store for a
// benchmark, an import of many tags), with ids derived as by CreateVersion. It stops at the
// first duplicate; the versions inserted before it stay.
func (s *Store) InsertVersions(ctx context.Context, vs []*model.Version) error {
	if len(vs) == 0 {
		return nil
	}
	docs := make([]any, len(vs))
	byProject := map[string][]*model.Version{}
	for i, v := range vs {
		if v.ID == "" {
			v.ID = VersionID(v.ProjectID, v.Name)
		}
		v.Revision = 1
		if v.CreatedAt.IsZero() {
			v.CreatedAt = s.now().UTC()
		}
		v.Normalize()
		if versionActive(v) {
			if err := s.markActive(ctx, v.ID, v.ProjectID); err != nil {
				return fmt.Errorf("insert versions: %w", err)
			}
		}
		byProject[v.ProjectID] = append(byProject[v.ProjectID], v)
		docs[i] = v
	}
	// Into the catalogue before the insert, and again after it (see catalogue.go).
	for p, pvs := range byProject {
		if err := s.listVersions(ctx, p, pvs...); err != nil {
			for _, v := range vs {
				s.unlistVersion(ctx, v.ProjectID, v.ID)
				if versionActive(v) {
					s.settleActive(ctx, v.ID, v.ProjectID, false)
				}
			}
			return fmt.Errorf("insert versions: %w", err)
		}
	}
	res, err := s.c(colVersions).InsertMany(ctx, docs)
	inserted := 0
	if res != nil {
		inserted = len(res.InsertedIDs)
	}
	if err != nil && inserted == len(vs) {
		inserted = 0 // nothing says which were written: count them when the indexes are rebuilt
	}
	counts := map[string]int64{}
	statusChanged := map[string]bool{}
	written := map[string][]*model.Version{}
	for i, v := range vs {
		if i < inserted {
			counts[v.ProjectID]++
			statusChanged[v.ProjectID] = statusChanged[v.ProjectID] || v.Deployment.Status != model.StatusNotDeployed
			written[v.ProjectID] = append(written[v.ProjectID], v)
			continue
		}
		if versionActive(v) {
			s.settleActive(ctx, v.ID, v.ProjectID, false)
		}
		s.unlistVersion(ctx, v.ProjectID, v.ID)
	}
	for p, pvs := range written {
		if lerr := s.listVersions(context.WithoutCancel(ctx), p, pvs...); lerr != nil {
			s.log.WarnContext(ctx, "the version catalogue may miss new versions", "project", p, "err", lerr)
		}
	}
	for p, n := range counts {
		s.addVersionCount(ctx, p, n)
		s.touchVersions(ctx, p, statusChanged[p])
	}
	if err != nil {
		return mapWriteErr("insert versions", err)
	}
	return nil
}

// GetVersion reads a version of a project; ErrNotFound when either id is unknown
// or the version belongs to another project.
// It reads by _id alone (a point read even where the server cannot use secondary indexes, as
// the embedded FerretDB) and checks the project afterwards.
func (s *Store) GetVersion(ctx context.Context, projectID, id string) (*model.Version, error) {
	v, err := s.GetVersionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.ProjectID != projectID {
		return nil, fmt.Errorf("get version: %w", ErrNotFound)
	}
	return v, nil
}

// VersionID is the id of the version of a project's tag: the project id and 80 bits of the
// tag's SHA-256. Ids are derived so that a tag's version is found by _id (a point read) and a
// tag has one version per project; they are valid Kubernetes label values (≤ 63 characters of
// [a-z0-9-]), so releases can carry them.
func VersionID(projectID, tag string) string {
	sum := sha256.Sum256([]byte(tag))
	return projectID + "-" + hex.EncodeToString(sum[:10])
}

// GetVersionByID reads a version by its id alone (tasks carry only that).
func (s *Store) GetVersionByID(ctx context.Context, id string) (*model.Version, error) {
	v, err := findOne[model.Version](ctx, s.c(colVersions), bson.D{{Key: "_id", Value: id}}, "version")
	if err != nil {
		return nil, err
	}
	v.Normalize()
	return v, nil
}

// GetVersionByTag reads the version of a project with that tag.
func (s *Store) GetVersionByTag(ctx context.Context, projectID, tag string) (*model.Version, error) {
	v, err := s.GetVersionByID(ctx, VersionID(projectID, tag))
	if errors.Is(err, ErrNotFound) {
		// Versions written with other ids (imports, older data) are found in the project's
		// catalogue document, then by _id.
		v, err = s.versionByTag(ctx, projectID, tag)
	}
	if err != nil {
		return nil, err
	}
	if v.ProjectID != projectID || v.Name != tag {
		return nil, fmt.Errorf("get version: %w", ErrNotFound)
	}
	return v, nil
}

// versionByTag finds the version of a tag through the project's catalogue document.
func (s *Store) versionByTag(ctx context.Context, projectID, tag string) (*model.Version, error) {
	entries, err := s.projectEntries(ctx, projectID)
	if err != nil {
		return nil, fmt.Errorf("get version: %w", err)
	}
	for _, e := range entries {
		if e.Name == tag {
			return s.GetVersionByID(ctx, e.ID)
		}
	}
	return nil, fmt.Errorf("get version: %w", ErrNotFound)
}

// ListVersions returns a page of a project's versions, newest image first; q filters by a
// case-insensitive substring of the tag. It answers from a cache of the project's versions that
// is checked against the project's version counter by _id on every call (see listCache).
func (s *Store) ListVersions(ctx context.Context, projectID, q string, page Page) ([]model.Version, int64, error) {
	all, err := s.versions(ctx, projectID)
	if err != nil {
		return nil, 0, err
	}
	idx, total := pick(all.lower, q, page)
	items := make([]model.Version, len(idx))
	for i, j := range idx {
		items[i] = cloneVersion(all.items[j])
	}
	return items, total, nil
}

// UpdateVersion replaces a version if nobody changed it since v.Revision was read.
func (s *Store) UpdateVersion(ctx context.Context, v *model.Version) error {
	defer s.locks.lock(v.ID)()
	rev := v.Revision
	active := versionActive(v)
	if active {
		if err := s.markActive(ctx, v.ID, v.ProjectID); err != nil {
			return fmt.Errorf("update version: %w", err)
		}
	}
	v.Revision = rev + 1
	var prev versionKey
	if err := s.replaceVersion(ctx, v, rev, &prev); err != nil {
		v.Revision = rev
		if active {
			s.settleActive(ctx, v.ID, v.ProjectID, false) // undo a needless entry
		}
		return err
	}
	s.settleActive(ctx, v.ID, v.ProjectID, active)
	switch {
	case v.ProjectID != prev.ProjectID:
		s.unlistVersion(ctx, prev.ProjectID, v.ID) // and listed in its new project
	case v.Name != prev.Name || !v.ImageUpdatedAt.Equal(prev.ImageUpdatedAt):
		s.relist(ctx, v)
	}
	s.touchVersions(ctx, prev.ProjectID, prev.status() != v.Deployment.Status)
	if v.ProjectID != prev.ProjectID {
		s.touchVersions(ctx, v.ProjectID, true)
	}
	return nil
}

// SetDesiredState records what users asked for and advances the version's generation, in one
// atomic write, so that the last request wins. It returns the version as written.
// expiresAt, when not nil, is when the deployment's lifetime ends.
func (s *Store) SetDesiredState(ctx context.Context, projectID, id string, state model.DesiredState, expiresAt *time.Time) (*model.Version, error) {
	return s.SetDesiredStateIf(ctx, projectID, id, state, expiresAt, 0)
}

// SetDesiredStateIf is SetDesiredState that, when generation is above 0, writes only while the
// version is still at that generation; otherwise it returns ErrConflict (a newer request came
// first, and wins).
func (s *Store) SetDesiredStateIf(ctx context.Context, projectID, id string, state model.DesiredState, expiresAt *time.Time, generation int64) (*model.Version, error) {
	defer s.locks.lock(id)()
	set := bson.D{{Key: "desiredState", Value: state}, {Key: "deployment.expiresAt", Value: expiresAt}}
	if state == model.Deployed {
		set = append(set, bson.E{Key: "deployment.status", Value: model.StatusPending}, bson.E{Key: "deployment.message", Value: ""})
	}
	update := bson.D{
		{Key: "$set", Value: set},
		{Key: "$inc", Value: bson.D{{Key: "generation", Value: 1}, {Key: "revision", Value: 1}}},
	}
	if _, err := s.GetVersion(ctx, projectID, id); err != nil {
		return nil, fmt.Errorf("set desired state: %w", err)
	}
	var v model.Version
	var conds bson.D
	if generation > 0 {
		conds = bson.D{{Key: "generation", Value: generation}}
	}
	filter, err := s.guard(ctx, id, conds)
	if err == nil && state == model.Deployed {
		// Into the index of active versions before the write (see indexes.go).
		err = s.markActive(ctx, id, projectID)
	}
	if err == nil {
		err = s.c(colVersions).FindOneAndUpdate(ctx, filter, update,
			options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&v)
	}
	if generation > 0 && errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("set desired state of version %s at generation %d: %w", id, generation, ErrConflict)
	}
	if err != nil {
		if state == model.Deployed {
			s.settleActive(ctx, id, projectID, false)
		}
		return nil, mapFindErr("set desired state", err)
	}
	s.settleActive(ctx, id, projectID, versionActive(&v))
	// Deploying sets the status to Pending; stopping leaves it to the recorded deployment.
	s.touchVersions(ctx, projectID, state == model.Deployed)
	v.Normalize()
	return &v, nil
}

// MarkOutdated flags every deployed version of a project whose configuration changed, adding
// reasons (what changed) to the ones each has.
func (s *Store) MarkOutdated(ctx context.Context, projectID string, reasons []model.OutdatedReason) (int64, error) {
	each := bson.A{}
	for _, r := range reasons {
		each = append(each, r)
	}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "outdated", Value: true}}},
		{Key: "$addToSet", Value: bson.D{{Key: "outdatedReasons", Value: bson.D{{Key: "$each", Value: each}}}}},
		{Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}}}
	var n int64
	var err error
	if s.pointOnly {
		n, err = s.markOutdatedByID(ctx, projectID, update)
	} else {
		unlock := s.locks.lockAll() // an UpdateMany must not interleave with a version's own write
		var res *mongo.UpdateResult
		res, err = s.c(colVersions).UpdateMany(ctx,
			bson.D{{Key: "projectId", Value: projectID}, {Key: "desiredState", Value: model.Deployed}}, update)
		unlock()
		if res != nil {
			n = res.ModifiedCount
		}
	}
	// Some versions may have changed even when the update failed half-way.
	s.touchVersions(ctx, projectID, false)
	if err != nil {
		return 0, fmt.Errorf("mark versions outdated: %w", err)
	}
	return n, nil
}

// markOutdatedByID is MarkOutdated where the store is the sole writer of a server that finds
// documents without a scan only by _id: the project's deployed versions come from the index of
// active versions, and each is checked (guard) and updated by _id while no other version write
// of this process runs.
func (s *Store) markOutdatedByID(ctx context.Context, projectID string, update bson.D) (int64, error) {
	deployed, err := s.DeployedVersions(ctx, projectID)
	if err != nil {
		return 0, err
	}
	unlock := s.locks.lockAll()
	defer unlock()
	var n int64
	for i := range deployed {
		filter, err := s.guard(ctx, deployed[i].ID, bson.D{{Key: "projectId", Value: projectID}, {Key: "desiredState", Value: string(model.Deployed)}})
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue // stopped or gone since
		}
		if err != nil {
			return n, err
		}
		res, err := s.c(colVersions).UpdateOne(ctx, filter, update)
		if err != nil {
			return n, err
		}
		n += res.ModifiedCount
	}
	return n, nil
}

// DeployedVersions returns the versions of a project whose desired state is Deployed.
// It reads through the index of active versions (indexes.go).
func (s *Store) DeployedVersions(ctx context.Context, projectID string) ([]model.Version, error) {
	return s.indexedVersions(ctx, []string{projectID}, func(v *model.Version) bool { return v.DesiredState == model.Deployed })
}

// DeleteVersion removes a version.
func (s *Store) DeleteVersion(ctx context.Context, id string) error {
	defer s.locks.lock(id)()
	var prev versionKey
	if err := s.c(colVersions).FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&prev); err != nil {
		return mapFindErr("delete version", err)
	}
	s.settleActive(ctx, id, prev.ProjectID, false)
	s.unlistVersion(ctx, prev.ProjectID, id)
	s.addVersionCount(ctx, prev.ProjectID, -1)
	s.touchVersions(ctx, prev.ProjectID, prev.status() != model.StatusNotDeployed)
	return nil
}

// SearchVersions returns a page of the versions whose tag contains q (case-insensitively),
// across projects, newest image first, and how many match in all. The tags are matched in the
// cached version catalogue (catalogue.go), rebuilt from one small document per project only
// when a version was created, deleted or got a new image; only the page's versions are read,
// by _id.
func (s *Store) SearchVersions(ctx context.Context, q string, page Page) ([]model.Version, int64, error) {
	c, err := s.loadCatalogue(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("search versions: %w", err)
	}
	idx, total := pick(c.lower, q, page)
	ids := make([]string, len(idx))
	for i, j := range idx {
		ids[i] = c.entries[j].ID
	}
	items, err := s.versionsByID(ctx, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("search versions: %w", err)
	}
	return items, total, nil
}

// SetDigest records a tag's new digest and image time. It reports false when the stored digest
// already was that one (a redelivery, or a poll that saw no change).
func (s *Store) SetDigest(ctx context.Context, id, digest string, at time.Time) (bool, error) {
	defer s.locks.lock(id)()
	cur, err := s.GetVersionByID(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && cur.Digest == digest) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("set digest: %w", err)
	}
	var prev versionKey
	err = s.c(colVersions).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "digest", Value: digest}, {Key: "imageUpdatedAt", Value: at.UTC()}}},
			{Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}},
		}).Decode(&prev)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("set digest: %w", err)
	}
	cur.ImageUpdatedAt = at.UTC()
	s.relist(ctx, cur)
	s.touchVersions(ctx, prev.ProjectID, false)
	return true, nil
}

// VersionsOfProject returns every version of a project (tags and digests for polling), in no
// particular order: the ids from the project's catalogue document, then each version by _id.
func (s *Store) VersionsOfProject(ctx context.Context, projectID string) ([]model.Version, error) {
	ids, err := s.projectVersionIDs(ctx, projectID)
	if err != nil {
		return nil, err
	}
	vs, err := s.versionsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("versions of project %s: %w", projectID, err)
	}
	return slices.DeleteFunc(vs, func(v model.Version) bool { return v.ProjectID != projectID }), nil
}

// MarkRemoved flags a version whose tag is gone from the registry; it is deleted once its
// releases are uninstalled.
func (s *Store) MarkRemoved(ctx context.Context, id string) error {
	defer s.locks.lock(id)()
	var prev versionKey
	err := s.c(colVersions).FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "removed", Value: true}}}, {Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}}}).Decode(&prev)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mark version removed: %w", err)
	}
	s.touchVersions(ctx, prev.ProjectID, false)
	return nil
}

// versionKey is what a write needs to know of the version it changed to move the right counters.
// The writes decode it from the whole document: FerretDB v1 does not implement a projection
// ("fields") on findAndModify.
type versionKey struct {
	ProjectID      string             `bson:"projectId"`
	Name           string             `bson:"name"`
	ImageUpdatedAt time.Time          `bson:"imageUpdatedAt"`
	DesiredState   model.DesiredState `bson:"desiredState"`
	Deployment     struct {
		Status model.DeploymentStatus `bson:"status"`
	} `bson:"deployment"`
}

// status is the version's deployment status as Version.Normalize reads it.
func (k versionKey) status() model.DeploymentStatus {
	if k.Deployment.Status == "" {
		return model.StatusNotDeployed
	}
	return k.Deployment.Status
}

// touchVersions is TouchVersions after a write of this package: failures are logged (see touch).
func (s *Store) touchVersions(ctx context.Context, projectID string, statusChanged bool) {
	if statusChanged {
		s.touch(ctx, versionsCounter(projectID), counterStatus)
		return
	}
	s.touch(ctx, versionsCounter(projectID))
}

// replaceVersion replaces a version whose revision is rev and decodes the document as it was
// into prev; ErrNotFound or ErrConflict as replaceRevisionPrev. Where the server finds
// documents without a scan only by _id, the revision is checked by guard.
func (s *Store) replaceVersion(ctx context.Context, v *model.Version, rev int64, prev *versionKey) error {
	if !s.pointOnly {
		return replaceRevisionPrev(ctx, s.c(colVersions), v.ID, rev, v, prev, "version")
	}
	filter, err := s.guard(ctx, v.ID, bson.D{{Key: "revision", Value: rev}})
	if err == nil {
		err = s.c(colVersions).FindOneAndReplace(ctx, filter, v, options.FindOneAndReplace().SetReturnDocument(options.Before)).Decode(prev)
	}
	if errors.Is(err, mongo.ErrNoDocuments) {
		if _, gerr := s.GetVersionByID(ctx, v.ID); gerr != nil {
			return fmt.Errorf("update version: %w", gerr)
		}
		return fmt.Errorf("update version: %w", ErrConflict)
	}
	if err != nil {
		return mapWriteErr("update version", err)
	}
	return nil
}
