package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
)

// ErrNotDeployed is returned when a change needs a version whose desired state is Deployed.
var ErrNotDeployed = errors.New("the version is not deployed")

// ExtendLifetime sets when a deployed version's lifetime ends (nil: never) and, when lifetime
// is not nil, the version's own lifetime behaviour, in one write that applies only while the
// version is desired Deployed (else ErrNotDeployed). It returns the version as written.
func (s *Store) ExtendLifetime(ctx context.Context, projectID, id string, lifetime *model.Lifetime, expiresAt *time.Time) (*model.Version, error) {
	defer s.locks.lock(id)()
	if _, err := s.GetVersion(ctx, projectID, id); err != nil {
		return nil, fmt.Errorf("extend lifetime: %w", err)
	}
	set := bson.D{{Key: "deployment.expiresAt", Value: expiresAt}}
	if lifetime != nil {
		set = append(set, bson.E{Key: "lifetimeBehaviour", Value: lifetime})
	}
	var v model.Version
	err := s.c(colVersions).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "projectId", Value: projectID}, {Key: "desiredState", Value: model.Deployed}},
		bson.D{{Key: "$set", Value: set}, {Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("extend lifetime of version %s: %w", id, ErrNotDeployed)
	}
	if err != nil {
		return nil, fmt.Errorf("extend lifetime of version %s: %w", id, err)
	}
	s.touchVersions(ctx, projectID, false)
	v.Normalize()
	return &v, nil
}
