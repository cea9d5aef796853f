// Package sqlstore implements store.Store over database/sql with
// hand-written SQL that SQLite and PostgreSQL both accept. A backend
// package (internal/store/sqlite, and later one for PostgreSQL) opens the
// database, applies its own dialect's migrations and wraps the handle with
// New, passing a Dialect for what differs between engines: placeholders and
// how constraint violations are reported.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/imprintpub/imprint/internal/store"
)

// ErrorKind classifies a driver error.
type ErrorKind int

// Kinds of driver errors the store translates into store errors.
const (
	OtherError ErrorKind = iota
	UniqueViolation
	ForeignKeyViolation
	// Transient: the engine aborted the transaction to break a deadlock
	// or to keep transactions serializable; run again, it may succeed.
	Transient
)

// Dialect is what one database engine needs done its own way.
type Dialect struct {
	// Name identifies the engine in error messages ("sqlite").
	Name string
	// Numbered rewrites "?" placeholders as "$1", "$2"… (PostgreSQL).
	Numbered bool
	// Classify reports whether err is a unique or foreign-key violation.
	Classify func(err error) ErrorKind
	// ReadTx are the options of the transactions that load a record and
	// its links together, so that they come from one snapshot.
	ReadTx sql.TxOptions
	// MigrationLock, when not empty, is run first in every migration
	// transaction and must wait until no other process is migrating the
	// same schema (PostgreSQL: pg_advisory_xact_lock), so that servers
	// starting together apply each migration once. SQLite needs none: its
	// write transactions already exclude each other.
	MigrationLock string
	// TreeLock, when not empty, is run first in a transaction that gives
	// a topic or region a parent, with %s standing for the table. It must
	// wait until no other such transaction on the table is running:
	// otherwise two moves that each pass the cycle check (A under B, B
	// under A) can commit together. SQLite needs none: its write
	// transactions already exclude each other.
	TreeLock string
	// BeforeCommit are statements run, in order, at the end of every
	// write transaction, just before it commits: work the engine's
	// triggers noted during the transaction and that is cheaper done
	// once for all its rows (SQLite re-indexes the publications noted
	// in publication_search_pending).
	BeforeCommit []string
	// Analyze refreshes the statistics the engine's planner chooses its
	// plans from (SQLite: PRAGMA optimize; PostgreSQL: VACUUM ANALYZE),
	// for Store.Analyze. With AnalyzeTables, a query of the store's table
	// names, it is a format run once for each, with the name for %s.
	Analyze       string
	AnalyzeTables string
}

// Finish runs the BeforeCommit statements in tx: what the store does at
// the end of each of its writes, and what a bulk copy that writes past
// the store (internal/store/transfer) must do before it commits.
func (d Dialect) Finish(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range d.BeforeCommit {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: before commit: %w", d.Name, err)
		}
	}
	return nil
}

// Analyze refreshes the planner's statistics, after a bulk write (a
// generated catalogue, an import) that changed them much: until then a
// planner that believes a table still small or empty chooses plans that
// read every row. Engines that keep statistics current on their own do it
// sooner or later; this does it now.
func (s *Store) Analyze(ctx context.Context) error {
	if s.dialect.Analyze == "" {
		return nil
	}
	stmts := []string{s.dialect.Analyze}
	if s.dialect.AnalyzeTables != "" {
		rows, err := s.db.QueryContext(ctx, s.dialect.AnalyzeTables)
		if err != nil {
			return fmt.Errorf("%s: refresh planner statistics: list tables: %w", s.dialect.Name, err)
		}
		stmts = stmts[:0]
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return fmt.Errorf("%s: refresh planner statistics: list tables: %w", s.dialect.Name, err)
			}
			stmts = append(stmts, fmt.Sprintf(s.dialect.Analyze, name))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: refresh planner statistics: list tables: %w", s.dialect.Name, err)
		}
	}
	for _, stmt := range stmts {
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: refresh planner statistics: %s: %w", s.dialect.Name, stmt, err)
		}
	}
	return nil
}

// Store is a store.Store on one database handle.
type Store struct {
	db      *sql.DB
	dialect Dialect
	queries sync.Map // query text as written → as the driver wants it
	// tx is set on the Store that WithTx hands to its function: every
	// read and write of that Store joins the one transaction.
	tx *sql.Tx
}

var _ store.Store = (*Store)(nil)

// New returns a Store over db, whose schema must already be migrated.
// Closing the Store closes db.
func New(db *sql.DB, d Dialect) *Store {
	return &Store{db: db, dialect: d}
}

// DB returns the underlying handle, for packages that keep their own
// tables in the same database (search, sessions).
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
// On the Store that WithTx hands out it does nothing: the database
// belongs to the Store WithTx was called on.
func (s *Store) Close() error {
	if s.tx != nil {
		return nil
	}
	return s.db.Close()
}

// timestamp returns the current time at the precision both engines keep.
func (s *Store) timestamp() time.Time {
	return time.Now().UTC().Truncate(time.Microsecond)
}

// q returns query in the form the driver wants.
func (s *Store) q(query string) string {
	if !s.dialect.Numbered {
		return query
	}
	if v, ok := s.queries.Load(query); ok {
		return v.(string)
	}
	out := numberPlaceholders(query)
	s.queries.Store(query, out)
	return out
}

// numberPlaceholders turns each "?" outside string literals into "$n".
func numberPlaceholders(query string) string {
	var b strings.Builder
	n, inString := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
		case c == '?' && !inString:
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeAttempts bounds how often write runs a transaction that the engine
// keeps aborting as Transient.
const writeAttempts = 4

// write runs fn in a transaction, committing when it returns nil. When fn
// fails because the engine aborted the transaction (PostgreSQL breaking a
// deadlock between two editors' writes), the whole transaction runs again
// after a short, jittered pause, so fn must not keep state from one run to
// the next. SQLite, whose writers take turns, never asks for this.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		// Inside WithTx, which commits, rolls back and retries as a whole.
		return fn(s.tx)
	}
	for attempt := 1; ; attempt++ {
		again, err := s.writeOnce(ctx, fn)
		if !again || attempt == writeAttempts {
			return err
		}
		pause := time.Duration(attempt*attempt)*5*time.Millisecond + rand.N(5*time.Millisecond)
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return err
		}
	}
}

// writeOnce runs fn in one transaction and reports whether a failure is
// worth another attempt. Only failures inside fn are: after a failed
// commit fn has already run to the end.
func (s *Store) writeOnce(ctx context.Context, fn func(tx *sql.Tx) error) (again bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("%s: begin: %w", s.dialect.Name, err)
	}
	err = fn(tx)
	if err == nil {
		err = s.dialect.Finish(ctx, tx)
	}
	if err != nil {
		_ = tx.Rollback() // the error from fn is the one worth reporting
		return s.dialect.Classify != nil && s.dialect.Classify(err) == Transient, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("%s: commit: %w", s.dialect.Name, err)
	}
	return false, nil
}

// read runs fn in a read-only transaction so that a record and its links
// are read from one snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		// Inside WithTx: read what the transaction has written so far.
		return fn(s.tx)
	}
	opts := s.dialect.ReadTx
	opts.ReadOnly = true
	tx, err := s.db.BeginTx(ctx, &opts)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", s.dialect.Name, err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to undo
	return fn(tx)
}

// classify translates a driver error from a write into the store's
// sentinels, with what was being written.
func (s *Store) classify(err error, what string) error {
	if err == nil {
		return nil
	}
	if s.dialect.Classify != nil {
		switch s.dialect.Classify(err) {
		case UniqueViolation:
			return fmt.Errorf("%s: %w: %v", what, store.ErrConflict, err)
		case ForeignKeyViolation:
			return fmt.Errorf("%s: %w: still in use or refers to a missing record: %v", what, store.ErrConflict, err)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// notFound wraps ErrNotFound with what was looked up.
func notFound(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), store.ErrNotFound)
}

// micros and fromMicros store times as microseconds since the Unix epoch,
// an integer both engines sort and compare exactly.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(t), Valid: true}
}

func fromNullMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMicros(n.Int64)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// chunks splits ids so that no statement exceeds the engines' limits on
// bound parameters.
func chunks(ids []int64, size int) [][]int64 {
	var out [][]int64
	for len(ids) > size {
		out = append(out, ids[:size])
		ids = ids[size:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// isNoRows reports whether err means a single-row query found nothing.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
