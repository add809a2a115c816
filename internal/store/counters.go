package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Counters say when a cached list is out of date. Each is one small document of the counters
// collection, read and written only by its _id, which every backend answers from its primary
// key (FerretDB's SQLite backend pushes down nothing else). A writer bumps the counters of what
// it changed after the write; a reader compares the counter with the one its cached list was
// built from, and rebuilds on a difference.
//
// A bump sets a fresh unique stamp rather than relying on $inc alone: FerretDB applies updates
// as read-modify-write, so two concurrent $inc can yield the same number, and a number that
// comes back would make an old cached list look current again. A stamp is never written twice.
// n still counts bumps, for people reading the collection.
const (
	// counterProjects moves with every create, update and delete of a project.
	counterProjects = "projects"
	// counterStatus moves with every change of a version's deployment status (and so of
	// the aggregated status of its project).
	counterStatus = "status"
	// counterVersionsPrefix + project id moves with every write to a version of that project.
	counterVersionsPrefix = "versions:"
)

// versionsCounter is the counter of one project's versions.
func versionsCounter(projectID string) string { return counterVersionsPrefix + projectID }

// counterDoc is a counter as stored.
type counterDoc struct {
	ID    string `bson:"_id"`
	N     int64  `bson:"n"`
	Stamp string `bson:"stamp"`
}

// stamp reads a counter's current stamp; "" when it was never bumped.
func (s *Store) stamp(ctx context.Context, key string) (string, error) {
	var d counterDoc
	err := s.c(colCounters).FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read counter %s: %w", key, err)
	}
	return d.Stamp, nil
}

// bump moves one counter on: a new stamp and n+1, creating the counter when missing.
func (s *Store) bump(ctx context.Context, key string) error {
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "stamp", Value: newID()}}},
		{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}},
	}
	opts := options.UpdateOne().SetUpsert(true)
	_, err := s.c(colCounters).UpdateOne(ctx, bson.D{{Key: "_id", Value: key}}, update, opts)
	if mongo.IsDuplicateKeyError(err) {
		// Two first bumps raced to insert the counter; the other one created it, so the
		// update now finds it.
		_, err = s.c(colCounters).UpdateOne(ctx, bson.D{{Key: "_id", Value: key}}, update, opts)
	}
	if err != nil {
		return fmt.Errorf("bump counter %s: %w", key, err)
	}
	return nil
}

// bumpAll bumps every key, even after one fails, and returns the failures joined.
func (s *Store) bumpAll(ctx context.Context, keys ...string) error {
	var errs []error
	for _, k := range keys {
		errs = append(errs, s.bump(ctx, k))
	}
	return errors.Join(errs...)
}

// touch is bumpAll after a write that already succeeded: the write is not undone by a failed
// bump, so the failure is logged rather than returned, and the cache TTL bounds how long other
// replicas may serve the old list. It runs even when the caller's context has just ended.
func (s *Store) touch(ctx context.Context, keys ...string) {
	if err := s.bumpAll(context.WithoutCancel(ctx), keys...); err != nil {
		s.log.WarnContext(ctx, "cached lists may stay stale until their TTL", "err", err)
	}
}

// TouchVersions says that versions of a project were written by code outside this package's
// write methods (for example a recorded deployment): it moves the project's version counter and,
// when statusChanged, the status counter, so that every replica rebuilds the lists concerned.
// Call it after the write; RecordDeployment, for one, must. The write methods of Store do this
// themselves.
//
// It also brings the project's entries in the version indexes (indexes.go) in line, from one
// query of the project's versions.
func (s *Store) TouchVersions(ctx context.Context, projectID string, statusChanged bool) error {
	if err := s.reindexProject(ctx, projectID); err != nil {
		return fmt.Errorf("touch versions of project %s: %w", projectID, err)
	}
	keys := []string{versionsCounter(projectID), counterVersionCounts}
	if statusChanged {
		keys = append(keys, counterStatus)
	}
	if err := s.bumpAll(ctx, keys...); err != nil {
		return fmt.Errorf("touch versions of project %s: %w", projectID, err)
	}
	return nil
}
