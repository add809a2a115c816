package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// BootstrapStore is what EnsureAdmin needs.
type BootstrapStore interface {
	CountUsers(ctx context.Context) (int64, error)
	CreateUser(ctx context.Context, u *model.User) error
}

// EnsureAdmin creates the user "admin" with role ADMIN when there are no users yet. Replicas
// starting at once may all call it: the unique username lets one create the user, the others
// return "" and no error. The
// password is the given one or, when empty, a generated one that is returned so that it can be
// printed once. It returns "" when users already exist.
func EnsureAdmin(ctx context.Context, s BootstrapStore, password string) (generated string, err error) {
	n, err := s.CountUsers(ctx)
	if err != nil {
		return "", fmt.Errorf("bootstrap admin: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	pw := password
	if pw == "" {
		if pw, err = NewPassword(); err != nil {
			return "", err
		}
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return "", err
	}
	err = s.CreateUser(ctx, &model.User{Username: "admin", Role: model.RoleAdmin, FirstName: "Admin", PasswordHash: hash})
	if errors.Is(err, store.ErrDuplicate) {
		return "", nil // another replica starting at the same time created it
	}
	if err != nil {
		return "", fmt.Errorf("bootstrap admin: %w", err)
	}
	if password == "" {
		return pw, nil
	}
	return "", nil
}
