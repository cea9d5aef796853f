-- Imprint schema, version 5: what the editors' admin keeps so that several
-- app servers share it: accounts, server-side sessions and rate-limit
-- counters. Times are microseconds since the Unix epoch (UTC), as in every
-- other table.
--
-- users.email is stored lower-cased (model.NormalizeEmail) so that the
-- UNIQUE constraint makes one mailbox one account; password_hash is an
-- argon2id PHC string, never a password; disabled is 0 or 1.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'contributor')),
	password_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- A session row holds the hex SHA-256 of the cookie's token, never the
-- token. Deleting an account ends its sessions; expires_at is indexed for
-- the sweep of expired sessions, user_id for "log out everywhere".
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Rate limiting: one row per event, counted in a sliding window per key
-- ("login:editor@example.org", "login-addr:192.0.2.7"). throttle_keys has
-- one row per key that every Hit writes first: its row lock makes
-- concurrent Hits of one key take turns on PostgreSQL, so that each counts
-- the others' events (SQLite's writers take turns anyway). last_at is the
-- latest event, so that keys that went quiet can be swept with their
-- events.
CREATE TABLE throttle_keys (
	key TEXT PRIMARY KEY,
	last_at INTEGER NOT NULL
);
CREATE INDEX throttle_keys_last ON throttle_keys (last_at);

CREATE TABLE throttle_events (
	key TEXT NOT NULL REFERENCES throttle_keys (key) ON DELETE CASCADE,
	at INTEGER NOT NULL
);
CREATE INDEX throttle_events_key_at ON throttle_events (key, at);
