package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// TestEmailAddressesUnique: creating or changing a user to an e-mail address another user has,
// in any case, fails with ErrEmailTaken (a username with ErrUsernameTaken); users without an
// address never collide; UserByLogin takes a name with an @ for an address in any case.
func TestEmailAddressesUnique(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := &model.User{Username: "a", Email: "Ann@Example.com", Role: model.RoleDoer}
	b := &model.User{Username: "b", Email: "b@example.com", Role: model.RoleDoer}
	for _, u := range []*model.User{a, b, {Username: "c"}, {Username: "d"}} {
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateUser(ctx, &model.User{Username: "e", Email: "ann@EXAMPLE.com"}); !errors.Is(err, store.ErrEmailTaken) {
		t.Fatalf("create with a taken address = %v", err)
	}
	if err := s.CreateUser(ctx, &model.User{Username: "a", Email: "new@example.com"}); !errors.Is(err, store.ErrUsernameTaken) {
		t.Fatalf("create with a taken username = %v", err)
	}
	b.Email = "ANN@example.com"
	if err := s.UpdateUser(ctx, b); !errors.Is(err, store.ErrEmailTaken) {
		t.Fatalf("update to a taken address = %v", err)
	}
	u, err := s.UserByLogin(ctx, "aNN@example.COM")
	if err != nil || u.ID != a.ID {
		t.Fatalf("login by address = %+v, %v", u, err)
	}
	// A project renamed to a taken name is a duplicate too (FerretDB reports it differently).
	p, q := newProject("one"), newProject("two")
	for _, x := range []*model.Project{p, q} {
		if err := s.CreateProject(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	q.Name = "one"
	if err := s.UpdateProject(ctx, q); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("rename to a taken name = %v", err)
	}
}

// TestEmailKeysBackfilled: users stored before addresses were unique get their key when a
// store opens the database; of two sharing an address the older one keeps it for sign-in, and
// the store opens.
func TestEmailKeysBackfilled(t *testing.T) {
	ctx := context.Background()
	db := shared.Mongo.NewDatabaseName()
	client, err := mongo.Connect(options.Client().ApplyURI(shared.Mongo.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	users := client.Database(db).Collection("users")
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, u := range []bson.D{
		{{Key: "_id", Value: "u1"}, {Key: "username", Value: "old"}, {Key: "email", Value: "Same@example.com"}, {Key: "role", Value: "ADMIN"}, {Key: "createdAt", Value: old}, {Key: "revision", Value: 1}},
		{{Key: "_id", Value: "u2"}, {Key: "username", Value: "new"}, {Key: "email", Value: "same@example.com"}, {Key: "role", Value: "DOER"}, {Key: "createdAt", Value: old.Add(time.Hour)}, {Key: "revision", Value: 1}},
		{{Key: "_id", Value: "u3"}, {Key: "username", Value: "none1"}, {Key: "role", Value: "DOER"}, {Key: "createdAt", Value: old}, {Key: "revision", Value: 1}},
		{{Key: "_id", Value: "u4"}, {Key: "username", Value: "none2"}, {Key: "role", Value: "DOER"}, {Key: "createdAt", Value: old}, {Key: "revision", Value: 1}},
	} {
		if _, err := users.InsertOne(ctx, u); err != nil {
			t.Fatal(i, err)
		}
	}
	s := shared.Mongo.Store(t, store.Options{Database: db})
	if u, err := s.UserByLogin(ctx, "SAME@example.com"); err != nil || u.Username != "old" {
		t.Fatalf("sign-in by the shared address = %+v, %v; want the older user", u, err)
	}
	if err := s.CreateUser(ctx, &model.User{Username: "x", Email: "same@EXAMPLE.com"}); !errors.Is(err, store.ErrEmailTaken) {
		t.Fatalf("new user with the legacy address = %v", err)
	}
	if err := s.CreateUser(ctx, &model.User{Username: "y"}); err != nil {
		t.Fatalf("another user without address: %v", err)
	}
}
