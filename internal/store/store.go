// Package store keeps oneko's documents in MongoDB (or the embedded FerretDB of local mode)
// through the official v2 driver. Secrets are encrypted before they are written and decrypted
// when read; callers see plain model types.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/oneko/oneko/internal/secret"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrNotFound: no document has that id.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate: a unique field (a name, a tag of a project) is taken.
	ErrDuplicate = errors.New("already exists")
	// ErrConflict: the document changed since it was read; read it again and retry.
	ErrConflict = errors.New("changed by someone else")
	// ErrInUse: the document is still referenced and cannot be deleted.
	ErrInUse = errors.New("in use")
)

// Collection names.
const (
	colProjects         = "projects"
	colVersions         = "versions"
	colDockerRegistries = "dockerRegistries"
	colHelmRegistries   = "helmRegistries"
	colNamespaces       = "namespaces"
	colUsers            = "users"
	colTokens           = "tokens"
	colSessions         = "sessions"
	colActivities       = "activities"
	colCounters         = "counters"
)

// Store is the MongoDB-backed document store.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	box    *secret.Box
	now    func() time.Time
	log    *slog.Logger
	cache  *listCache
	// locks serialises writes to one document in this process (see docLocks).
	locks docLocks
	// countLocks serialises the updates of one project's version count (see addVersionCount).
	countLocks docLocks
	// catalogueLocks serialises the updates of one project's catalogue document (catalogue.go).
	catalogueLocks docLocks
	// idLookupsOnly says that the server finds documents without a scan only by _id (FerretDB,
	// which also scans for {_id: {$in: …}}): versions are then read by _id one at a time.
	idLookupsOnly bool
	// pointOnly is Options.SoleWriter: conditional writes of versions read by _id and check
	// their conditions here (see guard).
	pointOnly bool
}

// Options configure Open.
type Options struct {
	// Database is the database name; default "oneko".
	Database string
	// Box encrypts registry secrets; required.
	Box *secret.Box
	// Now is the clock; default time.Now. The list cache measures its TTL with it too.
	Now func() time.Time
	// Logger receives what the store cannot return, such as a failed cache invalidation
	// after a successful write; default: discarded.
	Logger *slog.Logger
	// CacheTTL bounds how long a cached list is served without being rebuilt, even when its
	// counter did not move (a safety net against a lost counter bump); default 30s.
	CacheTTL time.Duration
	// VersionCacheSize is how many projects' version lists are cached (least recently used
	// are dropped first); default 256.
	VersionCacheSize int
	// SoleWriter says that this Store is the only writer of the database and that the server
	// finds documents without a scan only by _id: the embedded FerretDB of local mode, in one
	// process. Conditional writes of a version then read it by _id, check their conditions
	// under the version's lock and write by _id (see guard), instead of a filter FerretDB
	// would answer by scanning every version. Never set it when other processes write (oneko
	// store serves FerretDB to several: their conditional writes must stay one command).
	SoleWriter bool
}

// Open connects to the MongoDB at uri, checks that it answers and creates the indexes.
func Open(ctx context.Context, uri string, opts Options) (*Store, error) {
	if opts.Box == nil {
		return nil, errors.New("store: a secret box is required")
	}
	if opts.Database == "" {
		opts.Database = "oneko"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.CacheTTL <= 0 {
		opts.CacheTTL = 30 * time.Second
	}
	if opts.VersionCacheSize <= 0 {
		opts.VersionCacheSize = 256
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(30 * time.Second))
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	s := &Store{
		client: client, db: client.Database(opts.Database), box: opts.Box, now: opts.Now, log: opts.Logger,
		cache: newListCache(opts.CacheTTL, opts.VersionCacheSize),
	}
	if err := s.Ping(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	s.pointOnly = opts.SoleWriter
	if s.idLookupsOnly, err = s.isFerretDB(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.buildIndexes(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}

// isFerretDB reports whether the server is FerretDB, which names its version in buildInfo.
func (s *Store) isFerretDB(ctx context.Context) (bool, error) {
	var info bson.M
	if err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return false, fmt.Errorf("ask the server what it is: %w", err)
	}
	_, ok := info["ferretdbVersion"]
	return ok, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("ping MongoDB: %w", err)
	}
	return nil
}

// Close disconnects.
func (s *Store) Close(ctx context.Context) error {
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("disconnect MongoDB: %w", err)
	}
	return nil
}

func (s *Store) c(name string) *mongo.Collection { return s.db.Collection(name) }

type index struct {
	keys   bson.D
	unique bool
	name   string
}

func (s *Store) ensureIndexes(ctx context.Context) error {
	all := map[string][]index{
		colProjects: {
			{keys: bson.D{{Key: "name", Value: 1}}, unique: true, name: "name_unique"},
			{keys: bson.D{{Key: "dockerRegistryId", Value: 1}, {Key: "imageName", Value: 1}}, name: "registry_image"},
		},
		colVersions: {
			{keys: bson.D{{Key: "projectId", Value: 1}, {Key: "name", Value: 1}}, unique: true, name: "project_tag_unique"},
			{keys: bson.D{{Key: "projectId", Value: 1}, {Key: "imageUpdatedAt", Value: -1}}, name: "project_updated"},
			{keys: bson.D{{Key: "desiredState", Value: 1}}, name: "desired_state"},
			{keys: bson.D{{Key: "deployment.status", Value: 1}}, name: "deployment_status"},
		},
		colDockerRegistries: {{keys: bson.D{{Key: "name", Value: 1}}, unique: true, name: "name_unique"}},
		colHelmRegistries:   {{keys: bson.D{{Key: "name", Value: 1}}, unique: true, name: "name_unique"}},
		colNamespaces:       {{keys: bson.D{{Key: "kubeName", Value: 1}}, unique: true, name: "kube_name_unique"}},
		colUsers: {
			{keys: bson.D{{Key: "username", Value: 1}}, unique: true, name: "username_unique"},
			{keys: bson.D{{Key: "email", Value: 1}}, name: "email"},
			{keys: bson.D{{Key: "emailKey", Value: 1}}, unique: true, name: emailKeyIndex},
		},
		colTokens: {
			{keys: bson.D{{Key: "secretHash", Value: 1}}, unique: true, name: "secret_hash_unique"},
			{keys: bson.D{{Key: "userId", Value: 1}}, name: "user"},
		},
		colSessions: {{keys: bson.D{{Key: "userId", Value: 1}}, name: "user"}},
		// Creating the index creates the collection, so that its table exists from the start
		// (see localstack.IndexIDs); versionCounts is only ever read whole or by _id.
		colActive:        {{keys: bson.D{{Key: "projectId", Value: 1}}, name: "project"}},
		colVersionCounts: {},
		// projectVersions is only ever read whole or by _id.
		colProjectVersions: {},
		colActivities:      {{keys: bson.D{{Key: "time", Value: -1}}, name: "time"}},
	}
	if err := s.backfillEmailKeys(ctx); err != nil {
		return err
	}
	// One index per command: FerretDB v1.24 panics on a createIndexes that lists two or more
	// indexes that all exist already (validateIndexesForCreation deletes from the slice it
	// indexes), which is what every Open after the first one on a database sends.
	for col, idxs := range all {
		if len(idxs) == 0 {
			err := s.db.CreateCollection(ctx, col)
			var ce mongo.CommandError
			if err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // 48: NamespaceExists
				return fmt.Errorf("create collection %s: %w", col, err)
			}
		}
		for _, ix := range idxs {
			o := options.Index().SetName(ix.name)
			if ix.unique {
				o.SetUnique(true)
			}
			if _, err := s.c(col).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: ix.keys, Options: o}); err != nil {
				return fmt.Errorf("create index %s of %s: %w", ix.name, col, err)
			}
		}
	}
	return nil
}

// newID returns a fresh document id.
func newID() string { return NewID() }

// NewID returns a fresh id (a MongoDB ObjectID in hex) for a document or for an embedded
// document whose id the caller chooses (a template, a variable): only this package names the
// MongoDB driver.
func NewID() string { return bson.NewObjectID().Hex() }

// mapWriteErr turns driver errors into the package's sentinels.
func mapWriteErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if isDuplicate(err) {
		return fmt.Errorf("%s: %w", op, ErrDuplicate)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// isDuplicate reports whether a write failed on a unique index. FerretDB v1 (SQLite) answers
// an update or replace that violates one with an InternalError naming SQLite's constraint
// instead of MongoDB's duplicate key error (an insert gets the right one).
func isDuplicate(err error) bool {
	return mongo.IsDuplicateKeyError(err) || strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// mapFindErr turns "no documents" into ErrNotFound.
func mapFindErr(op string, err error) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Page selects a slice of a collection.
type Page struct {
	Limit  int
	Offset int
}

// Normalize bounds a page: default 50, at most 500.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	if p.Limit > 500 {
		p.Limit = 500
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

// findPage runs a find with a page and a sort and returns the items and the total count.
func findPage[T any](ctx context.Context, col *mongo.Collection, filter any, sort bson.D, page Page) ([]T, int64, error) {
	page = page.Normalize()
	total, err := col.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", col.Name(), err)
	}
	opts := options.Find().SetSort(sort).SetSkip(int64(page.Offset)).SetLimit(int64(page.Limit))
	cur, err := col.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, fmt.Errorf("find %s: %w", col.Name(), err)
	}
	items := make([]T, 0, page.Limit)
	if err := cur.All(ctx, &items); err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", col.Name(), err)
	}
	return items, total, nil
}

// findAll reads every document that matches.
func findAll[T any](ctx context.Context, col *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := col.Find(ctx, filter, opts...)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", col.Name(), err)
	}
	var items []T
	if err := cur.All(ctx, &items); err != nil {
		return nil, fmt.Errorf("read %s: %w", col.Name(), err)
	}
	return items, nil
}

// findOne reads one document by filter.
func findOne[T any](ctx context.Context, col *mongo.Collection, filter any, what string) (*T, error) {
	var v T
	if err := col.FindOne(ctx, filter).Decode(&v); err != nil {
		return nil, mapFindErr("get "+what, err)
	}
	return &v, nil
}

// replaceRevision replaces the document with id whose revision is rev, increasing the revision.
// It returns ErrNotFound when the id is unknown and ErrConflict when the revision moved on.
func replaceRevision(ctx context.Context, col *mongo.Collection, id string, rev int64, doc any, what string) error {
	return replaceRevisionPrev(ctx, col, id, rev, doc, nil, what)
}

// replaceRevisionPrev is replaceRevision that, when prev is not nil, also decodes the document
// as it was before into prev.
func replaceRevisionPrev(ctx context.Context, col *mongo.Collection, id string, rev int64, doc, prev any, what string) error {
	filter := bson.D{{Key: "_id", Value: id}, {Key: "revision", Value: rev}}
	matched := true
	if prev == nil {
		res, err := col.ReplaceOne(ctx, filter, doc)
		if err != nil {
			return mapWriteErr("update "+what, err)
		}
		matched = res.MatchedCount > 0
	} else {
		err := col.FindOneAndReplace(ctx, filter, doc, options.FindOneAndReplace().SetReturnDocument(options.Before)).Decode(prev)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			matched = false
		case err != nil:
			return mapWriteErr("update "+what, err)
		}
	}
	if !matched {
		n, err := col.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
		if err != nil {
			return fmt.Errorf("update %s: %w", what, err)
		}
		if n == 0 {
			return fmt.Errorf("update %s: %w", what, ErrNotFound)
		}
		return fmt.Errorf("update %s: %w", what, ErrConflict)
	}
	return nil
}

// deleteByID removes one document and says ErrNotFound when there was none.
func deleteByID(ctx context.Context, col *mongo.Collection, id, what string) error {
	res, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("delete %s: %w", what, err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("delete %s: %w", what, ErrNotFound)
	}
	return nil
}

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

// DropDatabase removes the whole database without recreating indexes (tests clean up with it).
func (s *Store) DropDatabase(ctx context.Context) error {
	if err := s.db.Drop(ctx); err != nil {
		return fmt.Errorf("drop database: %w", err)
	}
	return nil
}

// RawDocument returns the stored BSON of one document as extended JSON, for tests that check
// what is really written (for example that secrets are encrypted).
func (s *Store) RawDocument(ctx context.Context, collection, id string) ([]byte, error) {
	raw, err := s.c(collection).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil {
		return nil, mapFindErr("raw document", err)
	}
	out, err := bson.MarshalExtJSON(raw, false, false)
	if err != nil {
		return nil, fmt.Errorf("raw document: %w", err)
	}
	return out, nil
}
