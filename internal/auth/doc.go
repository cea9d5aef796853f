// Package auth is the security of the editors' admin: password hashes,
// server-side sessions, CSRF tokens, login throttling, roles and the
// audit entries that go with them.
//
// Passwords are hashed with argon2id in PHC string form (HashPassword,
// CheckPassword); ValidatePassword says which passwords are accepted.
//
// A Manager keeps everything in the database (Store), so that any number
// of app servers share sessions and failure counts:
//
//   - Login checks a password and starts a session: 32 random bytes in the
//     HttpOnly, SameSite=Lax cookie imprint_session (Secure over HTTPS),
//     of which the store keeps only the SHA-256. A session ends after two
//     idle hours, seven days after login, at Logout, when the account is
//     disabled, and at LogoutEverywhere (password, role or status changes).
//   - Middleware loads the session's account into the request's context;
//     CurrentUser reads it.
//   - CSRFToken and VerifyCSRF guard state-changing requests: a logged-in
//     session's token is an HMAC of its secret, the same on every server;
//     before login a double-submit cookie (imprint_csrf) stands in.
//     Requests that say they come from another site are refused too.
//   - Failed logins are counted per account and address, per address and
//     per account (see Window and the limits beside it): guessing from one
//     place is refused, guessing spread over many places is slowed, and
//     the owner's right password from elsewhere still works.
//
// Roles nest (admin ⊃ editor ⊃ contributor); Can, CanEdit and Require
// are the server-side checks every admin action calls.
package auth
