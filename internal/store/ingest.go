package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/oneko/oneko/internal/model"
)

// RecordDigest records what the registry answered at `at` (when it was asked) for the tag of
// a version. An answer obtained before the one last recorded is ignored, so two workers that
// asked at different times leave the later answer, whatever order they write in; an answer
// equal to the stored digest only moves the check time. A new digest of a deployed version that
// is not redeployed automatically marks it outdated (image). It reports whether the digest changed.
func (s *Store) RecordDigest(ctx context.Context, id, digest string, at time.Time) (bool, error) {
	defer s.locks.lock(id)()
	at = at.UTC()
	cur, err := s.GetVersionByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record digest: %w", err)
	}
	older := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "digestCheckedAt", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "digestCheckedAt", Value: bson.D{{Key: "$lt", Value: at}}}},
	}}}
	filter := bson.D{{Key: "_id", Value: id}, {Key: "digest", Value: cur.Digest}, {Key: "$and", Value: bson.A{older}}}
	set := bson.D{{Key: "digestCheckedAt", Value: at}}
	changed := digest != "" && digest != cur.Digest
	if changed {
		set = append(set, bson.E{Key: "digest", Value: digest}, bson.E{Key: "imageUpdatedAt", Value: at})
	}
	update := bson.D{{Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}}}
	if changed && cur.DesiredState == model.Deployed && cur.DeploymentBehaviour != model.BehaviourAutomatically {
		// Deployed and not redeployed by itself: what runs is an older image now.
		set = append(set, bson.E{Key: "outdated", Value: true})
		update = append(update, bson.E{Key: "$addToSet", Value: bson.D{{Key: "outdatedReasons", Value: model.OutdatedReason{Kind: model.ChangedImage}}}})
	}
	update = append(update, bson.E{Key: "$set", Value: set})
	var prev versionKey
	err = s.c(colVersions).FindOneAndUpdate(ctx, filter, update).Decode(&prev)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil // a later answer was recorded meanwhile
	}
	if err != nil {
		return false, fmt.Errorf("record digest: %w", err)
	}
	if changed {
		cur.ImageUpdatedAt = at
		s.relist(ctx, cur)
		s.touchVersions(ctx, prev.ProjectID, false)
	}
	return changed, nil
}

// ClearRemoved clears the removed mark of a version whose tag is back in the registry. It
// reports whether the version was marked.
func (s *Store) ClearRemoved(ctx context.Context, id string) (bool, error) {
	defer s.locks.lock(id)()
	var prev versionKey
	err := s.c(colVersions).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "removed", Value: true}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "removed", Value: ""}}}, {Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}}}).Decode(&prev)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("clear removed mark: %w", err)
	}
	s.touchVersions(ctx, prev.ProjectID, false)
	return true, nil
}

// DeleteRemovedVersion deletes a version only while it is marked removed: a tag pushed again
// after its version was marked keeps the version. It reports whether it deleted.
func (s *Store) DeleteRemovedVersion(ctx context.Context, id string) (bool, error) {
	defer s.locks.lock(id)()
	var prev versionKey
	err := s.c(colVersions).FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: id}, {Key: "removed", Value: true}}).Decode(&prev)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("delete removed version: %w", err)
	}
	s.settleActive(ctx, id, prev.ProjectID, false)
	s.unlistVersion(ctx, prev.ProjectID, id)
	s.addVersionCount(ctx, prev.ProjectID, -1)
	s.touchVersions(ctx, prev.ProjectID, prev.status() != model.StatusNotDeployed)
	return true, nil
}
