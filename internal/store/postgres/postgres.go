// Package postgres opens Imprint's store on a PostgreSQL server, for
// installations that run several app servers on one shared database. It
// talks to the server through jackc/pgx behind database/sql, so that the
// SQL in internal/store/sqlstore serves both this backend and SQLite.
//
// The database is named by a URL such as
//
//	postgres://imprint:secret@db.example.org:5432/imprint?sslmode=require
//
// with pgx's parameters (sslmode, connect_timeout, application_name…); any
// other parameter is a server setting for every connection, such as
// search_path=imprint to keep Imprint's tables in their own schema or
// statement_timeout=5s. One more parameter is read here and not sent to
// the server: pool_max_conns, the most connections this process opens
// (default DefaultMaxConns). Behind a pooler in transaction mode that
// cannot keep prepared statements, add default_query_exec_mode=exec.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the PostgreSQL schema migrations in order.
func Migrations() ([]sqlstore.Migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return sqlstore.LoadMigrations(sub)
}

// migrationLockClass is the first key of the advisory lock that migrations
// hold, chosen to be unlikely to clash with another application's; the
// second key is the schema, so that stores in different schemas of one
// database migrate independently.
const migrationLockClass = 0x1397_0007

// treeLockClass is the first key of the advisory lock that moving a topic
// or region holds; the second is the schema and table.
const treeLockClass = 0x1397_0008

// Dialect is how PostgreSQL differs from the SQL the store writes.
var Dialect = sqlstore.Dialect{
	Name:     "postgres",
	Numbered: true,
	Classify: classify,
	// Under PostgreSQL's default READ COMMITTED every statement sees its
	// own snapshot, so a publication and its links read by separate
	// statements could disagree; REPEATABLE READ keeps one snapshot for the
	// transaction, and read-only ones never fail to serialize.
	ReadTx: sql.TxOptions{Isolation: sql.LevelRepeatableRead},
	MigrationLock: `SELECT pg_advisory_xact_lock(` + strconv.Itoa(migrationLockClass) +
		`, hashtext(COALESCE(current_schema(), '')))`,
	// An advisory lock rather than LOCK TABLE: moves of topics (or
	// regions) in one schema wait for each other, while publications
	// filed under them are written undisturbed.
	TreeLock: `SELECT pg_advisory_xact_lock(` + strconv.Itoa(treeLockClass) +
		`, hashtext(COALESCE(current_schema(), '') || '.%s'))`,
	// Autovacuum analyses a table after enough of it changed, but not at
	// once (and not at all where it is switched off): right after a bulk
	// load the planner may still think the publications few and join them
	// row by row. VACUUM as well, table by table of the store's schema
	// only: it marks the pages whose rows every transaction sees, so that
	// the per-row probes of the link tables (a topic's publications, a
	// search's facets) read their indexes alone, and it frees the room
	// of rows a bulk write replaced.
	Analyze:       `VACUUM (ANALYZE) %s`,
	AnalyzeTables: `SELECT quote_ident(current_schema()) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
	// See migrations/0008_search_pending.sql.
	BeforeCommit: []string{
		`SELECT publication_search_refresh(publication_id) FROM publication_search_pending`,
		`DELETE FROM publication_search_pending`,
	},
}

// SQLSTATE codes of the errors the store translates
// (PostgreSQL documentation, appendix A).
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

func classify(err error) sqlstore.ErrorKind {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return sqlstore.OtherError
	}
	switch pe.Code {
	case codeUniqueViolation:
		return sqlstore.UniqueViolation
	case codeForeignKeyViolation:
		return sqlstore.ForeignKeyViolation
	case codeSerializationFailure, codeDeadlockDetected:
		// Deleting a publication while another is saved with an override
		// pointing to it locks the same rows in opposite orders; the
		// server aborts one, which the store runs again.
		return sqlstore.Transient
	}
	return sqlstore.OtherError
}

// DefaultMaxConns is how many connections one process opens at most unless
// the URL sets pool_max_conns. PostgreSQL allows 100 by default across all
// clients, which leaves room for several app servers and maintenance.
const DefaultMaxConns = 16

// Open connects to the database at rawURL, applies the migrations it lacks
// and returns the store. Servers starting together take turns: each
// migration runs in a transaction holding an advisory lock on the schema.
func Open(ctx context.Context, rawURL string) (*sqlstore.Store, error) {
	db, err := OpenDB(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	ms, err := Migrations()
	if err != nil {
		db.Close()
		return nil, err
	}
	if _, err := sqlstore.Migrate(ctx, db, Dialect, ms); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres %s: %w", Redact(rawURL), err)
	}
	return sqlstore.New(db, Dialect), nil
}

// OpenReplica connects to a read-only replica of an Imprint database. It
// migrates nothing (a hot standby refuses writes); it checks instead that
// the replica's schema is the one this program was built for, so that a
// replica lagging behind a migration is reported at start-up rather than
// as failing queries.
func OpenReplica(ctx context.Context, rawURL string) (*sqlstore.Store, error) {
	db, err := OpenDB(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	ms, err := Migrations()
	if err != nil {
		db.Close()
		return nil, err
	}
	want := ms[len(ms)-1].Version
	var have int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres replica %s: read its schema version: %w", Redact(rawURL), err)
	}
	if have != want {
		db.Close()
		return nil, fmt.Errorf("postgres replica %s: schema version %d, this program needs %d; start a server on the primary first so that it migrates, and let the replica catch up", Redact(rawURL), have, want)
	}
	return sqlstore.New(db, Dialect), nil
}

// OpenDB connects to the database at rawURL with Imprint's pool settings,
// without migrating it, and checks that the server answers.
func OpenDB(ctx context.Context, rawURL string) (*sql.DB, error) {
	where := Redact(rawURL)
	connURL, maxConns, err := poolSettings(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %w", where, err)
	}
	cfg, err := pgx.ParseConfig(connURL)
	if err != nil {
		// pgx's parse errors leave out the password.
		return nil, fmt.Errorf("postgres %s: %w", where, err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	// Idle connections are closed after a while so that a quiet server
	// gives its share of the database's connections back.
	db.SetConnMaxIdleTime(5 * time.Minute)
	// Connections are renewed now and then so that, behind a pooler or
	// after a failover, they spread over the servers now answering.
	db.SetConnMaxLifetime(30 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres %s: %w", where, err)
	}
	return db, nil
}

// poolSettings takes the parameters read by this package out of rawURL,
// which pgx would otherwise send to the server as settings it does not
// know.
func poolSettings(rawURL string) (connURL string, maxConns int, err error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", 0, errors.New("not a URL (want postgres://user@host:port/database)")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", 0, fmt.Errorf("scheme %q: want postgres://", u.Scheme)
	}
	q := u.Query()
	maxConns = DefaultMaxConns
	if v := q.Get("pool_max_conns"); v != "" {
		maxConns, err = strconv.Atoi(v)
		if err != nil || maxConns < 1 {
			return "", 0, fmt.Errorf("pool_max_conns=%q: want a whole number of at least 1", v)
		}
		q.Del("pool_max_conns")
		u.RawQuery = q.Encode()
	}
	return u.String(), maxConns, nil
}

// Redact returns rawURL with any password replaced, for logs and errors.
// Text that is not a URL is returned as its scheme alone, since where a
// password sits in it cannot be known.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Opaque != "" {
		scheme, _, ok := strings.Cut(rawURL, "://")
		if !ok {
			return "(unreadable database URL)"
		}
		return scheme + "://(unreadable)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
