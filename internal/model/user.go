package model

import (
	"net/mail"
	"time"
)

// User is a person who signs in to oneko.
type User struct {
	ID        string    `json:"id" bson:"_id"`
	Username  string    `json:"username" bson:"username"`
	Email     string    `json:"email" bson:"email"`
	FirstName string    `json:"firstName" bson:"firstName"`
	LastName  string    `json:"lastName" bson:"lastName"`
	Role      Role      `json:"role" bson:"role"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
	// PasswordHash is an argon2id or bcrypt hash; it never leaves the server.
	PasswordHash string `json:"-" bson:"passwordHash"`
	// Revision increases with every write; a PUT names the revision it was made from.
	Revision int64 `json:"revision" bson:"revision"`
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Validate checks the user's fields (not the password, which is checked before hashing).
func (u *User) Validate() error {
	var pr problems
	pr.addErr("username", ValidateUsername(u.Username))
	if u.Email != "" {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
			pr.add("email", "%q is not an e-mail address", u.Email)
		}
	}
	if len(u.FirstName) > MaxNameLength {
		pr.add("firstName", "must be at most %d characters", MaxNameLength)
	}
	if len(u.LastName) > MaxNameLength {
		pr.add("lastName", "must be at most %d characters", MaxNameLength)
	}
	if !u.Role.Valid() {
		pr.add("role", "must be VIEWER, DOER or ADMIN")
	}
	return pr.err()
}

// ValidatePassword checks a new password before it is hashed.
func ValidatePassword(pw string) error {
	var pr problems
	if len(pw) < MinPasswordLength {
		pr.add("password", "must be at least %d characters", MinPasswordLength)
	}
	if len(pw) > 1024 {
		pr.add("password", "must be at most 1024 characters")
	}
	return pr.err()
}

// Token is an API token for bots and CI. Its secret is shown once and stored hashed.
type Token struct {
	ID         string     `json:"id" bson:"_id"`
	Name       string     `json:"name" bson:"name"`
	Role       Role       `json:"role" bson:"role"`
	UserID     string     `json:"userId" bson:"userId"`
	ExpiresAt  *time.Time `json:"expiresAt,omitempty" bson:"expiresAt,omitempty"`
	CreatedAt  time.Time  `json:"createdAt" bson:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty" bson:"lastUsedAt,omitempty"`
	// Secret is set only in the answer that creates the token.
	Secret string `json:"secret,omitempty" bson:"-"`
	// SecretHash is the SHA-256 of the secret; secrets are long random strings, so a fast hash suffices.
	SecretHash string `json:"-" bson:"secretHash"`
}

// Session is a signed-in browser.
type Session struct {
	// ID is the SHA-256 of the cookie value.
	ID        string    `bson:"_id"`
	UserID    string    `bson:"userId"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}
