package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// adminLockDocID is the settings document that serialises changes which may take the ADMIN
// role from a user.
const adminLockDocID = "adminLock"

// adminLockTTL bounds how long a lock holder that died keeps others waiting.
const adminLockTTL = 10 * time.Second

// LockAdmins takes the installation-wide lock on changes that may leave no ADMIN (demoting or
// deleting one) and returns its unlock. Such a change counts the ADMINs and writes while it
// holds the lock, so two of them, in any api processes, never both count the other's ADMIN.
// The lock is a lease in the settings collection (an atomic conditional upsert of one
// document): a holder that dies frees it after adminLockTTL. LockAdmins waits for it until ctx
// ends.
func (s *Store) LockAdmins(ctx context.Context) (func(), error) {
	holder := newID()
	for {
		ok, err := s.tryAdminLock(ctx, holder)
		if err != nil {
			return nil, err
		}
		if ok {
			return func() { s.releaseAdminLock(context.WithoutCancel(ctx), holder) }, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for the lock on ADMIN changes: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// tryAdminLock takes the lock when nobody holds it or its holder's lease ran out.
func (s *Store) tryAdminLock(ctx context.Context, holder string) (bool, error) {
	defer s.locks.lock(adminLockDocID)() // FerretDB's upsert is a read and a write
	now := s.now().UTC()
	_, err := s.c(colSettings).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: adminLockDocID}, {Key: "until", Value: bson.D{{Key: "$lt", Value: now}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "holder", Value: holder}, {Key: "until", Value: now.Add(adminLockTTL)}}}},
		options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return false, nil // held: the upsert found no free lock and could not insert another
	}
	if err != nil {
		return false, fmt.Errorf("take the lock on ADMIN changes: %w", err)
	}
	return true, nil
}

// releaseAdminLock frees the lock if holder still has it.
func (s *Store) releaseAdminLock(ctx context.Context, holder string) {
	defer s.locks.lock(adminLockDocID)()
	_, err := s.c(colSettings).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: adminLockDocID}, {Key: "holder", Value: holder}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "holder", Value: ""}, {Key: "until", Value: time.Time{}}}}})
	if err != nil {
		s.log.Warn("cannot release the lock on ADMIN changes; it expires by itself", "ttl", adminLockTTL, "err", err)
	}
}
