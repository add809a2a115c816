package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/model"
)

// TestEmailsUniqueAndUsernamesWithoutAt: no two users share an e-mail address, whatever its
// case (409 naming the field, also for concurrent creations); usernames have no @ (422); a
// login name with an @ signs in by e-mail address in any case.
func TestEmailsUniqueAndUsernamesWithoutAt(t *testing.T) {
	e := newEnv(t)
	admin := e.as(model.RoleAdmin)
	newUser := func(name, email string) map[string]any {
		return map[string]any{"username": name, "email": email, "role": "DOER", "password": "another-long-password"}
	}
	e.do("POST", "/api/v1/users", newUser("carol", "Carol@Example.com"), admin).must(t, 201)
	res := e.do("POST", "/api/v1/users", newUser("dave", "carol@example.COM"), admin).must(t, 409)
	if !strings.Contains(string(res.body), `"field":"email"`) {
		t.Fatalf("409 does not name the e-mail field: %s", res.body)
	}
	res = e.do("POST", "/api/v1/users", newUser("erin@corp", "erin@example.com"), admin).must(t, 422)
	if !strings.Contains(string(res.body), "must not contain @") {
		t.Fatalf("422 does not say why: %s", res.body)
	}
	doer := "/api/v1/users/" + e.users[model.RoleDoer].ID
	signedIn := basic("admin", testPassword) // tokens change no e-mail addresses or usernames
	e.do("PUT", doer, map[string]any{"username": "doer", "email": "CAROL@example.com"}, signedIn, e.fresh(doer)).must(t, 409)
	e.do("PUT", doer, map[string]any{"username": "doer@corp", "email": "doer@example.com"}, signedIn, e.fresh(doer)).must(t, 422)
	// Keeping one's own address in another case is no conflict.
	e.do("PUT", doer, map[string]any{"username": "doer", "email": "Doer@Example.com"}, signedIn, e.fresh(doer)).must(t, 200)

	// Users without an e-mail address do not collide with each other.
	for _, name := range []string{"frank", "grace"} {
		e.do("POST", "/api/v1/users", newUser(name, ""), admin).must(t, 201)
	}

	// Sign-in by e-mail address in any case finds carol; dave was never created.
	var u model.User
	e.do("POST", "/api/v1/session", map[string]string{"username": "CAROL@example.com", "password": "another-long-password"}, anonymous).must(t, 200).json(t, &u)
	if u.Username != "carol" {
		t.Fatalf("signed in as %q, want carol", u.Username)
	}
	e.do("POST", "/api/v1/session", map[string]string{"username": "dave", "password": "another-long-password"}, anonymous).must(t, 401)

	// Concurrent creations with one address: the unique index lets exactly one through.
	var wg sync.WaitGroup
	statuses := make([]int, 6)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			email := "Heidi@example.com"
			if i%2 == 1 {
				email = "heidi@EXAMPLE.com"
			}
			statuses[i] = e.do("POST", "/api/v1/users", newUser("heidi"+string(rune('a'+i)), email), admin).status
		}()
	}
	wg.Wait()
	created := 0
	for _, st := range statuses {
		switch st {
		case 201:
			created++
		case 409:
		default:
			t.Fatalf("statuses %v", statuses)
		}
	}
	if created != 1 {
		t.Fatalf("%d users created with one e-mail address: %v", created, statuses)
	}
}

// TestLastAdminIsKeptUnderConcurrency: two ADMINs demoting or deleting each other at the same
// moment never leave the installation without an ADMIN; the losing request answers 409.
func TestLastAdminIsKeptUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Only the two ADMINs of each round are ADMINs.
	if err := e.store.DeleteUser(ctx, e.users[model.RoleAdmin].ID); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword(testPassword)
	refused := 0
	for round := range 12 {
		var admins [2]*model.User
		for i := range admins {
			admins[i] = &model.User{Username: fmt.Sprintf("admin%d-%d", round, i), Role: model.RoleAdmin, PasswordHash: hash}
			if err := e.store.CreateUser(ctx, admins[i]); err != nil {
				t.Fatal(err)
			}
		}
		// Each takes the role from the other at once: by deletion or by demotion, by turns.
		action := func(target, caller *model.User) int {
			c := basic(caller.Username, testPassword) // tokens change no roles
			if round%2 == 0 {
				return e.do("DELETE", "/api/v1/users/"+target.ID, nil, c).status
			}
			return e.do("PUT", "/api/v1/users/"+target.ID, map[string]any{"username": target.Username, "role": "VIEWER", "revision": target.Revision}, c).status
		}
		var wg sync.WaitGroup
		var st [2]int
		for i := range admins {
			wg.Add(1)
			go func() { defer wg.Done(); st[i] = action(admins[1-i], admins[i]) }()
		}
		wg.Wait()
		n, err := e.store.CountAdmins(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("round %d: %d ADMINs left, want 1 (answers %v)", round, n, st)
		}
		for _, s := range st {
			switch s {
			case 409:
				refused++
			case 200, 204, 401, 403: // done; or the caller had lost the role (or the account) first
			default:
				t.Fatalf("round %d: answers %v", round, st)
			}
		}
		for _, u := range admins {
			_ = e.store.DeleteUser(ctx, u.ID)
		}
	}
	t.Logf("%d of 24 requests refused as the last ADMIN's", refused)
}
