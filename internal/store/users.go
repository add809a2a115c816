package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
)

// userDoc is a user as stored: the user and the unique key of its e-mail address.
type userDoc struct {
	model.User `bson:",inline"`
	// EmailKey is the e-mail address in lower case, or "none:<id>" for a user without one. A
	// unique index on it keeps addresses unique whatever their case (FerretDB has no
	// case-insensitive collation, MongoDB's would not be portable).
	EmailKey string `bson:"emailKey"`
}

// emailKey is the stored key of a user's e-mail address.
func emailKey(u *model.User) string {
	if u.Email == "" {
		return "none:" + u.ID
	}
	return strings.ToLower(u.Email)
}

// ErrEmailTaken: another user has the e-mail address (in any case). It is also ErrDuplicate.
var ErrEmailTaken = fmt.Errorf("the e-mail address is used by another user: %w", ErrDuplicate)

// ErrUsernameTaken: another user has the username. It is also ErrDuplicate.
var ErrUsernameTaken = fmt.Errorf("the username is taken: %w", ErrDuplicate)

// userWriteErr tells which unique field of u a write collided on. FerretDB's duplicate key
// error does not name the index, so it asks: another user with the username, else the e-mail.
func (s *Store) userWriteErr(ctx context.Context, op string, u *model.User, err error) error {
	if err == nil {
		return nil
	}
	if !isDuplicate(err) && !errors.Is(err, ErrDuplicate) {
		return fmt.Errorf("%s: %w", op, err)
	}
	n, cerr := s.c(colUsers).CountDocuments(ctx, bson.D{{Key: "username", Value: u.Username}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: u.ID}}}})
	if cerr == nil && n == 0 {
		return fmt.Errorf("%s: %w", op, ErrEmailTaken)
	}
	return fmt.Errorf("%s: %w", op, ErrUsernameTaken)
}

// CreateUser stores a new user; ErrUsernameTaken or ErrEmailTaken (both ErrDuplicate) when
// another user has the username or the e-mail address.
func (s *Store) CreateUser(ctx context.Context, u *model.User) error {
	now := s.now().UTC()
	u.ID, u.CreatedAt, u.UpdatedAt, u.Revision = newID(), now, now, 1
	_, err := s.c(colUsers).InsertOne(ctx, userDoc{User: *u, EmailKey: emailKey(u)})
	return s.userWriteErr(ctx, "create user", u, err)
}

// GetUser reads a user.
func (s *Store) GetUser(ctx context.Context, id string) (*model.User, error) {
	return findOne[model.User](ctx, s.c(colUsers), bson.D{{Key: "_id", Value: id}}, "user")
}

// UserByLogin reads a user by login name: a name with an @ is an e-mail address (in any case;
// addresses are unique), one without a username. A username with an @ from before usernames
// lost it is found when no user has it as e-mail address.
func (s *Store) UserByLogin(ctx context.Context, login string) (*model.User, error) {
	if !strings.Contains(login, "@") {
		return s.UserByUsername(ctx, login)
	}
	u, err := s.UserByEmail(ctx, login)
	if errors.Is(err, ErrNotFound) {
		return s.UserByUsername(ctx, login)
	}
	return u, err
}

// UserByEmail reads the user with an e-mail address, compared without case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	return findOne[model.User](ctx, s.c(colUsers), bson.D{{Key: "emailKey", Value: strings.ToLower(email)}}, "user")
}

// UserByUsername reads a user by username.
func (s *Store) UserByUsername(ctx context.Context, username string) (*model.User, error) {
	return findOne[model.User](ctx, s.c(colUsers), bson.D{{Key: "username", Value: username}}, "user")
}

// ListUsers returns a page of users sorted by username.
func (s *Store) ListUsers(ctx context.Context, page Page) ([]model.User, int64, error) {
	return findPage[model.User](ctx, s.c(colUsers), bson.D{}, bson.D{{Key: "username", Value: 1}}, page)
}

// CountUsers counts all users.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	n, err := s.c(colUsers).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CountAdmins counts the users with role ADMIN.
func (s *Store) CountAdmins(ctx context.Context) (int64, error) {
	return s.CountAdminsExcept(ctx, "")
}

// CountAdminsExcept counts the users with role ADMIN other than the user with id except.
// Changes that may take the role from that user call it while they hold LockAdmins.
func (s *Store) CountAdminsExcept(ctx context.Context, except string) (int64, error) {
	filter := bson.D{{Key: "role", Value: model.RoleAdmin}}
	if except != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: except}}})
	}
	n, err := s.c(colUsers).CountDocuments(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

// UpdateUser replaces a user if unchanged since it was read.
func (s *Store) UpdateUser(ctx context.Context, u *model.User) error {
	defer s.locks.lock(u.ID)()
	rev := u.Revision
	u.UpdatedAt, u.Revision = s.now().UTC(), rev+1
	if err := replaceRevision(ctx, s.c(colUsers), u.ID, rev, userDoc{User: *u, EmailKey: emailKey(u)}, "user"); err != nil {
		u.Revision = rev
		if errors.Is(err, ErrDuplicate) {
			return s.userWriteErr(ctx, "update user", u, err)
		}
		return err
	}
	return nil
}

// DeleteUser removes a user with their tokens and sessions.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	if err := deleteByID(ctx, s.c(colUsers), id, "user"); err != nil {
		return err
	}
	if _, err := s.c(colTokens).DeleteMany(ctx, bson.D{{Key: "userId", Value: id}}); err != nil {
		return fmt.Errorf("delete tokens of user: %w", err)
	}
	return s.DeleteSessionsOfUser(ctx, id)
}

// CreateToken stores a token (its secret hash, never its secret).
func (s *Store) CreateToken(ctx context.Context, t *model.Token) error {
	t.ID, t.CreatedAt = newID(), s.now().UTC()
	_, err := s.c(colTokens).InsertOne(ctx, t)
	return mapWriteErr("create token", err)
}

// TokenByHash reads the token whose secret hashes to hash.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*model.Token, error) {
	return findOne[model.Token](ctx, s.c(colTokens), bson.D{{Key: "secretHash", Value: hash}}, "token")
}

// GetToken reads a token by id.
func (s *Store) GetToken(ctx context.Context, id string) (*model.Token, error) {
	return findOne[model.Token](ctx, s.c(colTokens), bson.D{{Key: "_id", Value: id}}, "token")
}

// ListTokens returns a page of a user's tokens, newest first.
func (s *Store) ListTokens(ctx context.Context, userID string, page Page) ([]model.Token, int64, error) {
	return findPage[model.Token](ctx, s.c(colTokens), bson.D{{Key: "userId", Value: userID}}, bson.D{{Key: "createdAt", Value: -1}}, page)
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, id string) error {
	return deleteByID(ctx, s.c(colTokens), id, "token")
}

// TouchToken records when a token was last used.
func (s *Store) TouchToken(ctx context.Context, id string, at time.Time) error {
	_, err := s.c(colTokens).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "lastUsedAt", Value: at.UTC()}}}})
	if err != nil {
		return fmt.Errorf("touch token: %w", err)
	}
	return nil
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, sess *model.Session) error {
	_, err := s.c(colSessions).InsertOne(ctx, sess)
	return mapWriteErr("create session", err)
}

// GetSession reads a session that has not expired.
func (s *Store) GetSession(ctx context.Context, id string) (*model.Session, error) {
	return findOne[model.Session](ctx, s.c(colSessions), bson.D{
		{Key: "_id", Value: id}, {Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: s.now().UTC()}}},
	}, "session")
}

// DeleteSession ends a session; an unknown session is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.c(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessionsOfUser ends every session of a user (after a password change or deletion).
func (s *Store) DeleteSessionsOfUser(ctx context.Context, userID string) error {
	if _, err := s.c(colSessions).DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}}); err != nil {
		return fmt.Errorf("delete sessions of user: %w", err)
	}
	return nil
}

// EndOtherSessions ends every session of a user except keep (a session id, or "" for none) and
// says how many ended.
func (s *Store) EndOtherSessions(ctx context.Context, userID, keep string) (int64, error) {
	filter := bson.D{{Key: "userId", Value: userID}}
	if keep != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: keep}}})
	}
	res, err := s.c(colSessions).DeleteMany(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("end sessions of user: %w", err)
	}
	return res.DeletedCount, nil
}

// DeleteTokensOfUser revokes every API token of a user and says how many there were.
func (s *Store) DeleteTokensOfUser(ctx context.Context, userID string) (int64, error) {
	res, err := s.c(colTokens).DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}})
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of user: %w", err)
	}
	return res.DeletedCount, nil
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := s.c(colSessions).DeleteMany(ctx, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: s.now().UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.DeletedCount, nil
}

// AddActivity appends an entry to the activity log.
func (s *Store) AddActivity(ctx context.Context, a *model.Activity) error {
	a.ID = newID()
	if a.Time.IsZero() {
		a.Time = s.now().UTC()
	}
	_, err := s.c(colActivities).InsertOne(ctx, a)
	return mapWriteErr("add activity", err)
}

// ListActivities returns a page of activities, newest first; entityID filters when not empty.
func (s *Store) ListActivities(ctx context.Context, entityID string, page Page) ([]model.Activity, int64, error) {
	return s.ListActivitiesHiding(ctx, entityID, nil, page)
}

// ListActivitiesHiding is ListActivities without the activities about the entity types in
// hide (the total counts only what is shown).
func (s *Store) ListActivitiesHiding(ctx context.Context, entityID string, hide []string, page Page) ([]model.Activity, int64, error) {
	filter := bson.D{}
	if entityID != "" {
		filter = append(filter, bson.E{Key: "entityId", Value: entityID})
	}
	if len(hide) > 0 {
		filter = append(filter, bson.E{Key: "entityType", Value: bson.D{{Key: "$nin", Value: hide}}})
	}
	return findPage[model.Activity](ctx, s.c(colActivities), filter, bson.D{{Key: "time", Value: -1}, {Key: "_id", Value: -1}}, page)
}

// DeleteActivitiesBefore removes activities older than t (retention).
func (s *Store) DeleteActivitiesBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.c(colActivities).DeleteMany(ctx, bson.D{{Key: "time", Value: bson.D{{Key: "$lt", Value: t.UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("delete old activities: %w", err)
	}
	return res.DeletedCount, nil
}

// SearchProjects returns the first limit projects whose name contains q and how many match.
func (s *Store) SearchProjects(ctx context.Context, q string, limit int) ([]model.Project, int64, error) {
	return s.ListProjects(ctx, q, Page{Limit: limit})
}

// emailKeyIndex is the name of the unique index on users' e-mail keys.
const emailKeyIndex = "email_key_unique"

// backfillEmailKeys gives users stored before e-mail addresses were unique their emailKey, so
// that the unique index can be built. When two such users share an address (in any case), the
// oldest keeps it for sign-in and the others get a key of their own, with a warning in the log:
// an ADMIN gives them another address.
func (s *Store) backfillEmailKeys(ctx context.Context) error {
	col := s.c(colUsers)
	users, err := findAll[userDoc](ctx, col, bson.D{{Key: "emailKey", Value: bson.D{{Key: "$exists", Value: false}}}},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return fmt.Errorf("backfill e-mail keys: %w", err)
	}
	for _, u := range users {
		key := emailKey(&u.User)
		if u.Email != "" {
			n, err := col.CountDocuments(ctx, bson.D{{Key: "emailKey", Value: key}})
			if err != nil {
				return fmt.Errorf("backfill e-mail keys: %w", err)
			}
			if n > 0 {
				s.log.Warn("two users share an e-mail address: only the older one signs in with it; give the other one another address",
					"user", u.Username, "email", u.Email)
				key = "shared:" + u.ID
			}
		}
		if _, err := col.UpdateOne(ctx, bson.D{{Key: "_id", Value: u.ID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "emailKey", Value: key}}}}); err != nil {
			return fmt.Errorf("backfill e-mail key of user %s: %w", u.Username, err)
		}
	}
	return nil
}
