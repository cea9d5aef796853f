package store

import (
	"context"
	"time"

	"github.com/imprintpub/imprint/internal/model"
)

// Accounts, Sessions, Throttle, Revisions, Audit and Lifecycle are what the
// editors' admin keeps beside the content. They are separate from Store,
// like Harvester, so that a store serving pages only need not implement
// them; the SQL backends implement all of them (see Admin). Everything an
// app server would otherwise hold in memory (sessions, rate-limit counters)
// lives here, so that several app servers behind a load balancer share it.

// Admin is everything the editors' admin needs of a store.
type Admin interface {
	Store
	Transactor
	Accounts
	Sessions
	Throttle
	Revisions
	Audit
	Lifecycle
}

// Accounts reads and writes the admin's user accounts.
type Accounts interface {
	// CreateUser validates and inserts u (Email normalized by the caller
	// with model.NormalizeEmail), setting u.ID and the timestamps;
	// ErrConflict when the e-mail address is taken.
	CreateUser(ctx context.Context, u *model.User) error
	// User returns the account with the given ID.
	User(ctx context.Context, id int64) (*model.User, error)
	// UserByEmail returns the account with the given (normalized) address.
	UserByEmail(ctx context.Context, email string) (*model.User, error)
	// ListUsers returns every account ordered by e-mail address.
	ListUsers(ctx context.Context) ([]model.User, error)
	// UpdateUser replaces the stored account u.ID with u (e-mail, name,
	// role, password hash, disabled) and sets u.UpdatedAt.
	UpdateUser(ctx context.Context, u *model.User) error
}

// Session is a logged-in browser. The store keeps only a hash of the
// token that the cookie carries, so that a leaked database does not leak
// live sessions.
type Session struct {
	TokenHash string // hex SHA-256 of the cookie's token; unique
	UserID    int64
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
	Address   string // client address at login
	UserAgent string
}

// Sessions keeps server-side sessions.
type Sessions interface {
	// CreateSession inserts s; ErrConflict when the hash exists.
	CreateSession(ctx context.Context, s *Session) error
	// Session returns the session with the given token hash that has not
	// expired at now; ErrNotFound otherwise.
	Session(ctx context.Context, tokenHash string, now time.Time) (*Session, error)
	// TouchSession records activity: LastSeen = seen and, when extend is
	// not zero, ExpiresAt = extend. ErrNotFound when the session is gone.
	TouchSession(ctx context.Context, tokenHash string, seen, extend time.Time) error
	// DeleteSession ends one session; deleting a missing one is not an
	// error.
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteUserSessions ends every session of a user (logout everywhere,
	// password change, disabled account) and returns how many ended.
	DeleteUserSessions(ctx context.Context, userID int64) (int, error)
	// DeleteExpiredSessions removes sessions expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// Throttle counts events per key in a sliding window, shared by every app
// server: failed logins per account and per client address.
type Throttle interface {
	// Hit records one event for key at time at and returns how many events
	// key has had in (at-window, at], this one included. Events older
	// than the window may be pruned.
	Hit(ctx context.Context, key string, at time.Time, window time.Duration) (int, error)
	// Hits returns how many events key has had in (at-window, at] without
	// recording one.
	Hits(ctx context.Context, key string, at time.Time, window time.Duration) (int, error)
	// ResetHits forgets every event of key.
	ResetHits(ctx context.Context, key string) error
}

// Revision is one saved state of a publication.
type Revision struct {
	ID            int64
	PublicationID int64
	UserID        int64  // 0 for imports and the command line
	UserName      string // the account's name or e-mail when it was made, kept if the account goes
	CreatedAt     time.Time
	// Note says what the save was: "created", "edited", "published",
	// "restored revision 3", "imported from refs.bib".
	Note string
	// Snapshot is the publication as saved, as JSON (encoding/json of
	// model.Publication).
	Snapshot []byte
}

// Revisions keeps every saved state of each publication.
type Revisions interface {
	// AddRevision inserts r, setting r.ID and, when zero, r.CreatedAt.
	AddRevision(ctx context.Context, r *Revision) error
	// Revisions lists a publication's revisions, newest first, without
	// their snapshots (Snapshot is nil).
	Revisions(ctx context.Context, publicationID int64) ([]Revision, error)
	// Revision returns one revision with its snapshot.
	Revision(ctx context.Context, id int64) (*Revision, error)
}

// AuditEntry is one event of the audit log.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64  // 0 when no one was logged in (a failed login)
	UserName string // as for Revision.UserName
	// Action names what happened: "login", "login.failed", "logout",
	// "user.create", "user.role", "user.password", "user.disable",
	// "publication.publish", "publication.unpublish",
	// "publication.schedule", "publication.trash",
	// "publication.restore", "publication.purge", "revision.restore".
	Action  string
	Target  string // what it happened to: "publication:42", "user:3"
	Address string // client address
	Detail  string // free text: "role editor → admin"
}

// AuditQuery selects audit entries, newest first. Zero fields do not
// filter.
type AuditQuery struct {
	UserID int64
	Action string
	Target string
	// Before continues a list below the entry with this ID.
	Before int64
	Limit  int // 0 means DefaultLimit, capped at MaxLimit
}

// Audit keeps the audit log. Entries are only ever added.
type Audit interface {
	// AddAudit inserts e, setting e.ID and, when zero, e.At.
	AddAudit(ctx context.Context, e *AuditEntry) error
	// ListAudit returns entries matching q, newest first.
	ListAudit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// Lifecycle moves publications through the trash and the schedule.
type Lifecycle interface {
	// TrashPublication soft-deletes a publication at time at: it leaves
	// every public list, feed and search, its public URL answers 410 Gone,
	// harvesters see it as deleted, and everything is kept so that
	// RestorePublication brings it back as it was. Trashing a trashed
	// publication is not an error.
	TrashPublication(ctx context.Context, id int64, at time.Time) error
	// RestorePublication takes a publication out of the trash.
	RestorePublication(ctx context.Context, id int64) error
	// PublishDue publishes every scheduled publication whose PublishAt is
	// at or before now (status published, PublishedAt = its PublishAt)
	// and returns their IDs. It is one statement, so that app servers
	// running it at the same time publish each publication once.
	PublishDue(ctx context.Context, now time.Time) ([]int64, error)
}
