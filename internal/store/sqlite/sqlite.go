// Package sqlite opens Imprint's embedded SQLite database: a single file in
// the data directory, written through the pure-Go modernc.org/sqlite
// driver, so that the binary needs no C toolchain and no database server.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the SQLite schema migrations in order.
func Migrations() ([]sqlstore.Migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return sqlstore.LoadMigrations(sub)
}

// Dialect is how SQLite differs from the SQL the store writes.
var Dialect = sqlstore.Dialect{
	Name:     "sqlite",
	Classify: classify,
	// See migrations/0008_search_pending.sql.
	BeforeCommit: []string{searchFlushDelete, searchFlushInsert, searchFlushDone},
	Analyze:      optimize,
}

// optimize gathers statistics for every table that lacks them or has
// changed much since (0x10002: all tables, not only those the connection
// used).
const optimize = `PRAGMA optimize=0x10002`

// The statements that re-index the publications a write transaction
// noted in publication_search_pending.
const (
	searchFlushDelete = `DELETE FROM publication_search WHERE rowid IN (SELECT publication_id FROM publication_search_pending)`
	searchFlushInsert = `INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body, facets)
		SELECT id, title, subtitle, contributors, summary, body, facets FROM publication_search_source
		WHERE id IN (SELECT publication_id FROM publication_search_pending)`
	searchFlushDone = `DELETE FROM publication_search_pending`
)

func classify(err error) sqlstore.ErrorKind {
	var se *msqlite.Error
	if !errors.As(err, &se) {
		return sqlstore.OtherError
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqlstore.UniqueViolation
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqlstore.ForeignKeyViolation
	}
	return sqlstore.OtherError
}

// Open opens (creating if needed) the database file at path, applies the
// migrations it lacks and returns the store. Every connection runs in WAL
// mode with foreign keys enforced and waits up to five seconds for a lock
// instead of failing at once; writes take the write lock when they begin,
// so that two writers queue rather than deadlock on a lock upgrade.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	db, err := OpenDB(ctx, path)
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
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	// Without table statistics SQLite reads a topic's or an expert's
	// publications by scanning every publication.
	s := sqlstore.New(db, Dialect)
	if err := s.Analyze(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	return s, nil
}

// OpenDB opens the database file at path with Imprint's connection
// settings, without migrating it. The file is read through a memory map
// (up to SQLite's limit of almost 2 GiB): a page then costs no system
// call and no copy into each connection's own cache.
func OpenDB(ctx context.Context, path string) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(5000)", "synchronous(NORMAL)", "mmap_size(2147418112)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	var fk int
	if err := db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		db.Close()
		return nil, fmt.Errorf("sqlite %s: foreign keys are not enforced (%v)", path, err)
	}
	return db, nil
}
