package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migration is one schema change, applied once, in order.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads the files "NNNN_name.sql" at the top of fsys in
// version order. Versions must be unique and start at 1 without gaps, so
// that a missing or misnumbered file fails loudly instead of being
// skipped.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migrations: %s: want a name like 0001_init.sql", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		ms = append(ms, Migration{Version: v, Name: rest, SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations: expected version %d, found %04d_%s.sql", i+1, m.Version, m.Name)
		}
	}
	return ms, nil
}

// Migrate applies every migration the database has not recorded, each in
// its own transaction together with its record in schema_migrations, and
// returns how many it applied. A database recording a version this binary
// does not know is refused: an older binary must not write to a newer
// schema.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, ms []Migration) (int, error) {
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at BIGINT NOT NULL
	)`
	// BeforeCommit is written for the schema the migrations end in, not
	// for one half migrated.
	d.BeforeCommit = nil
	s := &Store{db: db, dialect: d}
	// Created under the lock too: two PostgreSQL sessions creating the
	// same table at once can fail even with IF NOT EXISTS.
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.migrationLock(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, create)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s: create schema_migrations: %w", d.Name, err)
	}
	var latest int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&latest); err != nil {
		return 0, fmt.Errorf("%s: read schema version: %w", d.Name, err)
	}
	if latest > len(ms) {
		return 0, fmt.Errorf("%s: database schema is at version %d, newer than this program's %d; upgrade the program", d.Name, latest, len(ms))
	}
	applied := 0
	for _, m := range ms {
		err := s.write(ctx, func(tx *sql.Tx) error {
			if err := s.migrationLock(ctx, tx); err != nil {
				return err
			}
			// Checked again inside the transaction: another process may
			// have applied it since.
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				m.Version, m.Name, time.Now().UnixMicro()); err != nil {
				return err
			}
			applied++
			return nil
		})
		if err != nil {
			return applied, fmt.Errorf("%s: migration %04d_%s: %w", d.Name, m.Version, m.Name, err)
		}
	}
	return applied, nil
}

// migrationLock waits for the dialect's migration lock inside tx; the lock
// is released when tx ends.
func (s *Store) migrationLock(ctx context.Context, tx *sql.Tx) error {
	if s.dialect.MigrationLock == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.dialect.MigrationLock); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	return nil
}
