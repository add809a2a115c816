package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/oneko/oneko/internal/model"
)

// The version catalogue: one projectVersions document per project that names every version of
// the project — {_id: project id, v: {<key of version id>: {id, n: tag, at: imageUpdatedAt}}}
// — read and written by _id. A project's versions are then read by _id (see versionsByID)
// instead of with a filter on projectId, which the embedded FerretDB of local mode answers by
// reading every version (seconds at 50,000); the search reads the tags of every project from
// these documents, not from the versions.
//
// An entry is written before the version is inserted and removed after it is deleted, then
// written back should the version exist again (a tag pushed again meanwhile): a version always
// has its entry, while an entry whose version is gone (a crash between the two writes) is
// skipped by readers. The entries of one project are updated under that project's lock
// (catalogueLocks), since FerretDB applies an update as read, modify, write; processes that
// share one FerretDB do so through `oneko store`, whose front makes each update atomic, and
// with MongoDB each $set or $unset of one entry is atomic by itself. TouchVersions rebuilds a
// project's document from its versions.
const (
	colProjectVersions = "projectVersions"
	// counterCatalogue moves with every change of an entry (a version created or deleted, a
	// new image time): the search's cached catalogue is rebuilt when it moved.
	counterCatalogue = "catalogue"
	// idBatch bounds the ids of one $in read where the server has secondary indexes.
	idBatch = 500
)

// catalogueEntry is one version in its project's document.
type catalogueEntry struct {
	ID   string    `bson:"id"`
	Name string    `bson:"n"`
	At   time.Time `bson:"at"`
}

// projectVersionsDoc is one project's document.
type projectVersionsDoc struct {
	ID string                    `bson:"_id"`
	V  map[string]catalogueEntry `bson:"v"`
}

// entryOf is a version's entry.
func entryOf(v *model.Version) catalogueEntry {
	return catalogueEntry{ID: v.ID, Name: v.Name, At: v.ImageUpdatedAt.UTC()}
}

// entryKey is the field name of a version's entry: its id, with what a MongoDB field name
// cannot hold escaped ('.' anywhere, '$' first). Derived ids (VersionID) need no escaping.
func entryKey(id string) string {
	if !strings.ContainsAny(id, ".%") && !strings.HasPrefix(id, "$") {
		return id
	}
	r := strings.NewReplacer("%", "%25", ".", "%2E", "$", "%24")
	return r.Replace(id)
}

// listVersions writes the entries of versions of one project.
func (s *Store) listVersions(ctx context.Context, projectID string, vs ...*model.Version) error {
	if len(vs) == 0 {
		return nil
	}
	set := make(bson.D, 0, len(vs))
	for _, v := range vs {
		set = append(set, bson.E{Key: "v." + entryKey(v.ID), Value: entryOf(v)})
	}
	unlock := s.catalogueLocks.lock(projectID)
	_, err := s.c(colProjectVersions).UpdateOne(ctx, bson.D{{Key: "_id", Value: projectID}},
		bson.D{{Key: "$set", Value: set}}, options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// Another process's upsert created the document first; it is there now.
		_, err = s.c(colProjectVersions).UpdateOne(ctx, bson.D{{Key: "_id", Value: projectID}}, bson.D{{Key: "$set", Value: set}})
	}
	unlock()
	if err != nil {
		return fmt.Errorf("list versions of project %s: %w", projectID, err)
	}
	s.touch(ctx, counterCatalogue)
	return nil
}

// relist writes the entry of a version after a write that changed its tag or image time; it
// runs after the write succeeded, so a failure is logged.
func (s *Store) relist(ctx context.Context, v *model.Version) {
	if err := s.listVersions(context.WithoutCancel(ctx), v.ProjectID, v); err != nil {
		s.log.WarnContext(ctx, "the version catalogue may show an old image time", "version", v.ID, "err", err)
	}
}

// unlistVersion removes the entry of a deleted version and, should the version exist again
// (written meanwhile), writes it back. It runs after the delete succeeded, so failures are
// logged.
func (s *Store) unlistVersion(ctx context.Context, projectID, id string) {
	ctx = context.WithoutCancel(ctx)
	if err := s.unlistVersionErr(ctx, projectID, id); err != nil {
		s.log.WarnContext(ctx, "the version catalogue may name a deleted version", "version", id, "err", err)
	}
}

func (s *Store) unlistVersionErr(ctx context.Context, projectID, id string) error {
	unlock := s.catalogueLocks.lock(projectID)
	_, err := s.c(colProjectVersions).UpdateOne(ctx, bson.D{{Key: "_id", Value: projectID}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "v." + entryKey(id), Value: ""}}}})
	unlock()
	if err != nil {
		return fmt.Errorf("unlist version %s: %w", id, err)
	}
	s.touch(ctx, counterCatalogue)
	v, err := s.GetVersionByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read version %s again: %w", id, err)
	}
	return s.listVersions(ctx, v.ProjectID, v)
}

// projectEntries reads the entries of one project's versions (none for an unknown project).
func (s *Store) projectEntries(ctx context.Context, projectID string) ([]catalogueEntry, error) {
	var d projectVersionsDoc
	err := s.c(colProjectVersions).FindOne(ctx, bson.D{{Key: "_id", Value: projectID}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the versions of project %s: %w", projectID, err)
	}
	out := make([]catalogueEntry, 0, len(d.V))
	for _, e := range d.V {
		if e.ID != "" {
			out = append(out, e)
		}
	}
	return out, nil
}

// projectVersionIDs reads the ids of one project's versions.
func (s *Store) projectVersionIDs(ctx context.Context, projectID string) ([]string, error) {
	entries, err := s.projectEntries(ctx, projectID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return ids, nil
}

// versionsByID reads the versions with these ids, in that order, leaving out those that are
// gone. Where the server finds documents without a scan only by _id (FerretDB), each is one
// point read, a few in parallel; elsewhere a batch is one $in query on _id.
func (s *Store) versionsByID(ctx context.Context, ids []string) ([]model.Version, error) {
	found := make([]*model.Version, len(ids))
	if s.idLookupsOnly {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(pointReads)
		for i, id := range ids {
			g.Go(func() error {
				v, err := s.GetVersionByID(gctx, id)
				if errors.Is(err, ErrNotFound) {
					return nil
				}
				found[i] = v
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, fmt.Errorf("read versions by id: %w", err)
		}
	} else {
		at := make(map[string]int, len(ids))
		for i, id := range ids {
			at[id] = i
		}
		for chunk := range slices.Chunk(ids, idBatch) {
			vs, err := findAll[model.Version](ctx, s.c(colVersions), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: chunk}}}})
			if err != nil {
				return nil, fmt.Errorf("read versions by id: %w", err)
			}
			for i := range vs {
				vs[i].Normalize()
				found[at[vs[i].ID]] = &vs[i]
			}
		}
	}
	out := make([]model.Version, 0, len(found))
	for _, v := range found {
		if v != nil {
			out = append(out, *v)
		}
	}
	return out, nil
}

// catalogue is every version's entry, newest image first, as cached for the search.
type catalogue struct {
	entries []catalogueEntry
	lower   []string // lower-case tags, for q
}

// loadCatalogue returns the cached catalogue, rebuilt from the projects' documents (one small
// document per project) when an entry changed.
func (s *Store) loadCatalogue(ctx context.Context) (catalogue, error) {
	return cached(ctx, s, s.cache.catalogue, counterCatalogue, func(ctx context.Context) (catalogue, error) {
		docs, err := findAll[projectVersionsDoc](ctx, s.c(colProjectVersions), bson.D{})
		if err != nil {
			return catalogue{}, fmt.Errorf("load the version catalogue: %w", err)
		}
		var c catalogue
		for _, d := range docs {
			for _, e := range d.V {
				if e.ID != "" {
					c.entries = append(c.entries, e)
				}
			}
		}
		slices.SortFunc(c.entries, func(a, b catalogueEntry) int { return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.ID, a.ID)) })
		c.lower = make([]string, len(c.entries))
		for i, e := range c.entries {
			c.lower[i] = strings.ToLower(e.Name)
		}
		return c, nil
	})
}

// VersionIDs returns the id of every version, of all projects, from the version catalogue
// (the reconcile tells a release's version from an orphan by them).
func (s *Store) VersionIDs(ctx context.Context) ([]string, error) {
	c, err := s.loadCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(c.entries))
	for i, e := range c.entries {
		ids[i] = e.ID
	}
	return ids, nil
}

// catalogueOf builds a project's document from its versions.
func catalogueOf(projectID string, vs []catalogueEntry) projectVersionsDoc {
	d := projectVersionsDoc{ID: projectID, V: make(map[string]catalogueEntry, len(vs))}
	for _, e := range vs {
		d.V[entryKey(e.ID)] = e
	}
	return d
}

// writeCatalogue replaces a project's document (when it is built from the versions).
func (s *Store) writeCatalogue(ctx context.Context, d projectVersionsDoc) error {
	unlock := s.catalogueLocks.lock(d.ID)
	_, err := s.c(colProjectVersions).ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
	unlock()
	if err != nil {
		return fmt.Errorf("write the version catalogue of project %s: %w", d.ID, err)
	}
	s.touch(ctx, counterCatalogue)
	return nil
}
