package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

func open(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func TestMigrationsRecordedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "imprint.db")
	for range 2 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	db, err := OpenDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var n, maxVersion int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&n, &maxVersion); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || maxVersion != len(ms) {
		t.Errorf("schema_migrations has %d rows up to %d, want %d", n, maxVersion, len(ms))
	}
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}

	// A database from a newer program is refused, not written to.
	if _, err := db.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "999") {
		t.Errorf("Open of a newer schema: %v, want an error naming version 999", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	db, err := OpenDB(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms := []sqlstore.Migration{
		{Version: 1, Name: "good", SQL: `CREATE TABLE a (x INTEGER)`},
		{Version: 2, Name: "bad", SQL: `CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1)`},
	}
	n, err := sqlstore.Migrate(ctx, db, Dialect, ms)
	if err == nil || n != 1 || !strings.Contains(err.Error(), "0002_bad") {
		t.Fatalf("Migrate = %d, %v; want 1 applied and an error naming 0002_bad", n, err)
	}
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Error("table b of the failed migration exists")
	}
}

// A date written into the database by hand or by an older version that the
// model cannot read must not break reads.
func TestMalformedStoredDate(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	p := &model.Publication{Slug: "p", Type: model.TypeReport, Title: "P", Status: model.StatusPublished,
		Issued: model.Date{Start: model.DatePart{Year: 2013, Month: 9}}}
	if err := s.CreatePublication(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"2013-13-45", "September 31, 2013", "\x00\xff", "2013-09/2012"} {
		if _, err := s.DB().ExecContext(ctx, `UPDATE publications SET issued = ? WHERE id = ?`, bad, p.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.Publication(ctx, p.ID)
		if err != nil {
			t.Fatalf("reading a publication with stored date %q: %v", bad, err)
		}
		if got.Issued.Raw != bad {
			t.Errorf("stored date %q read as %+v, want it raw", bad, got.Issued)
		}
		if _, err := s.ListPublications(ctx, store.PublicationQuery{}); err != nil {
			t.Errorf("listing with stored date %q: %v", bad, err)
		}
	}
}

func TestMigrationNames(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Name != "init" {
		t.Errorf("migrations = %+v, want 0001_init first", ms)
	}
}

// TestAnalyze: after a bulk write, Analyze leaves statistics the planner
// reads (sqlite_stat1) for the publications and their links.
func TestAnalyze(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 40 {
		p := &model.Publication{Slug: "p" + strings.Repeat("x", i), Type: model.TypeReport, Title: "T", Status: model.StatusPublished}
		if err := s.CreatePublication(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	var stat string
	if err := s.DB().QueryRowContext(ctx, `SELECT stat FROM sqlite_stat1 WHERE tbl = 'publications' AND idx = 'publications_newest'`).Scan(&stat); err != nil {
		t.Fatalf("no statistics for publications after Analyze: %v", err)
	}
	if !strings.HasPrefix(stat, "40 ") {
		t.Errorf("publications_newest statistics %q, want them to count 40 rows", stat)
	}
}
