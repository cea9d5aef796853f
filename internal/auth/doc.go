// Package auth is the editors' admin's security: argon2id password hashes,
// server-side sessions, CSRF tokens, login throttling and roles.
package auth
