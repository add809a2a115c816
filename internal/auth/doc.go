// Package auth authenticates the callers of the API: browser sessions (a cookie), API tokens
// (bearer secrets stored hashed) and HTTP Basic with username or e-mail and password. It hashes
// passwords with argon2id (and verifies bcrypt hashes imported from O-Neko), slows down repeated
// failed logins, and creates the bootstrap admin. Authorization (who may call what) is package policy.
package auth
