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

	"github.com/oneko/oneko/internal/model"
)

// RecordDeployment writes the outcome of a deploy or stop task — the deployment status, its
// releases, pod counts, message, deploy time and URLs, and outdated=false without reasons — but only while the
// version's generation is still generation: a result computed for an older request is dropped.
// The deployment's expiry is kept as it is. It reports whether the write happened; a version
// that is gone or has moved on is not an error. A fence above 0 (see ClaimFence) also requires
// that no later lease holder claimed the version since: a stale worker cannot record.
func (s *Store) RecordDeployment(ctx context.Context, versionID string, generation, fence int64, d model.Deployment, urls []string) (bool, error) {
	if d.Releases == nil {
		d.Releases = []model.Release{}
	}
	if urls == nil {
		urls = []string{}
	}
	set := bson.D{
		{Key: "deployment.status", Value: d.Status},
		{Key: "deployment.message", Value: d.Message},
		{Key: "deployment.deployedAt", Value: utcPtr(d.DeployedAt)},
		{Key: "deployment.readyPods", Value: d.ReadyPods},
		{Key: "deployment.desiredPods", Value: d.DesiredPods},
		{Key: "deployment.restarts", Value: d.Restarts},
		{Key: "deployment.releases", Value: d.Releases},
		{Key: "urls", Value: urls},
		{Key: "outdated", Value: false},
		{Key: "outdatedReasons", Value: bson.A{}},
	}
	return s.setIfGeneration(ctx, versionID, generation, fence, set, "record deployment")
}

// RecordObservedStatus writes what a status refresh saw of a deployed version — status,
// message, releases, pod counts and restarts — while its generation is still generation. The deploy
// time, expiry, URLs and the outdated flag are left alone. It reports whether it wrote. fence
// is checked as by RecordDeployment.
func (s *Store) RecordObservedStatus(ctx context.Context, versionID string, generation, fence int64, d model.Deployment) (bool, error) {
	if d.Releases == nil {
		d.Releases = []model.Release{}
	}
	set := bson.D{
		{Key: "deployment.status", Value: d.Status},
		{Key: "deployment.message", Value: d.Message},
		{Key: "deployment.readyPods", Value: d.ReadyPods},
		{Key: "deployment.desiredPods", Value: d.DesiredPods},
		{Key: "deployment.restarts", Value: d.Restarts},
		{Key: "deployment.releases", Value: d.Releases},
	}
	return s.setIfGeneration(ctx, versionID, generation, fence, set, "record observed status")
}

// RecordStatusMessage writes only the message of a version's deployment — the warning that
// explains a pending or failed deployment — while its generation is generation, its status is
// still status and (fence above 0) its lease fence is fence: it never overwrites the outcome a
// deploy recorded meanwhile. It reports whether it wrote.
func (s *Store) RecordStatusMessage(ctx context.Context, versionID string, generation, fence int64, status model.DeploymentStatus, message string) (bool, error) {
	set := bson.D{{Key: "deployment.message", Value: message}}
	return s.setIfGeneration(ctx, versionID, generation, fence, set, "record status message",
		bson.E{Key: "deployment.status", Value: string(status)})
}

// ClaimFence advances the version's fencing token and returns it. A worker calls it once it
// holds the version's lease, before it changes the cluster: every earlier holder's token is
// then stale, and RecordDeployment refuses what such a holder computed (its lease was lost,
// it may not have noticed yet).
func (s *Store) ClaimFence(ctx context.Context, versionID string) (int64, error) {
	defer s.locks.lock(versionID)()
	var after struct {
		ProjectID  string `bson:"projectId"`
		LeaseFence int64  `bson:"leaseFence"`
	}
	err := s.c(colVersions).FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: versionID}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "leaseFence", Value: int64(1)}, {Key: "revision", Value: int64(1)}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&after)
	if err != nil {
		return 0, mapFindErr("claim the lease fence of version "+versionID, err)
	}
	s.touchVersions(ctx, after.ProjectID, false)
	return after.LeaseFence, nil
}

// setIfGeneration applies set to the version while its generation is generation (and, when
// fence is above 0, its lease fence is fence), and moves the counters of the version lists
// (see touchVersions) so that cached lists see the change. extra are further conditions.
func (s *Store) setIfGeneration(ctx context.Context, versionID string, generation, fence int64, set bson.D, op string, extra ...bson.E) (bool, error) {
	defer s.locks.lock(versionID)()
	var prev versionKey
	conds := bson.D{{Key: "generation", Value: generation}}
	if fence > 0 {
		conds = append(conds, bson.E{Key: "leaseFence", Value: fence})
	}
	conds = append(conds, extra...)
	filter, err := s.guard(ctx, versionID, conds)
	if err == nil {
		// A busy status or recorded releases put the version into the index of active
		// versions before it is written (see indexes.go); the write's outcome settles the entry.
		if st := statusIn(set); st != "" && indexedActive("", st, releasesIn(set)) {
			if err := s.markActive(ctx, versionID, projectOfVersionID(versionID)); err != nil {
				return false, fmt.Errorf("%s of version %s: %w", op, versionID, err)
			}
		}
		err = s.c(colVersions).FindOneAndUpdate(ctx, filter,
			bson.D{{Key: "$set", Value: set}, {Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}}}).Decode(&prev)
	}
	if errors.Is(err, mongo.ErrNoDocuments) {
		s.settleActive(ctx, versionID, "", false) // undo a needless entry
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s of version %s: %w", op, versionID, err)
	}
	if st := statusIn(set); st != "" {
		s.settleActive(ctx, versionID, prev.ProjectID, indexedActive(prev.DesiredState, st, releasesIn(set)))
	}
	s.touchVersions(ctx, prev.ProjectID, prev.status() != statusIn(set))
	return true, nil
}

// statusIn is the deployment status a $set writes.
func statusIn(set bson.D) model.DeploymentStatus {
	for _, e := range set {
		if e.Key == "deployment.status" {
			if st, ok := e.Value.(model.DeploymentStatus); ok {
				return st
			}
		}
	}
	return ""
}

// releasesIn is how many releases a $set records.
func releasesIn(set bson.D) int {
	for _, e := range set {
		if e.Key == "deployment.releases" {
			if rs, ok := e.Value.([]model.Release); ok {
				return len(rs)
			}
		}
	}
	return 0
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// VersionsByDesiredState returns every version, of all projects, whose desired state is state
// (the periodic status refresh walks the deployed ones), sorted by id.
// Deployed ones are read through the index of active versions (indexes.go); NotDeployed ones,
// nearly all versions, from one scan (the reconcile reads RecordedVersions and VersionIDs
// instead).
func (s *Store) VersionsByDesiredState(ctx context.Context, state model.DesiredState) ([]model.Version, error) {
	var vs []model.Version
	var err error
	if state == model.Deployed {
		vs, err = s.indexedVersions(ctx, nil, func(v *model.Version) bool { return v.DesiredState == model.Deployed })
		slices.SortFunc(vs, func(a, b model.Version) int { return cmp.Compare(a.ID, b.ID) })
	} else {
		vs, err = findAll[model.Version](ctx, s.c(colVersions), bson.D{{Key: "desiredState", Value: state}},
			options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	}
	if err != nil {
		return nil, fmt.Errorf("versions with desired state %s: %w", state, err)
	}
	for i := range vs {
		vs[i].Normalize()
	}
	return vs, nil
}

// RecordedVersions returns, sorted by id, every version that may have releases in the
// cluster by its record: desired Deployed, a deployment status other than NotDeployed, or
// releases in its deployment record. It reads through the index of active versions
// (indexes.go), a few entries and a read by _id each. A version that has releases only in the
// cluster (installed, never recorded) is not among them: the reconcile finds it by its
// releases' label.
func (s *Store) RecordedVersions(ctx context.Context) ([]model.Version, error) {
	vs, err := s.indexedVersions(ctx, nil, versionActive)
	if err != nil {
		return nil, fmt.Errorf("recorded versions: %w", err)
	}
	slices.SortFunc(vs, func(a, b model.Version) int { return cmp.Compare(a.ID, b.ID) })
	return vs, nil
}

// ExpiredVersions returns the versions whose desired state is Deployed and whose deployment
// expired before now.
func (s *Store) ExpiredVersions(ctx context.Context, now time.Time) ([]model.Version, error) {
	vs, err := s.indexedVersions(ctx, nil, func(v *model.Version) bool {
		return v.DesiredState == model.Deployed && v.Deployment.ExpiresAt != nil && v.Deployment.ExpiresAt.Before(now)
	})
	if err != nil {
		return nil, fmt.Errorf("expired versions: %w", err)
	}
	return vs, nil
}

// projectOfVersionID is the project id a version id derived by VersionID starts with; "" for
// other ids (the entry's project is then filled in when the write settles it).
func projectOfVersionID(id string) string {
	if i := strings.LastIndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return ""
}
