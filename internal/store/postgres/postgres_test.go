package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

// open returns a migrated store in a schema of its own.
func open(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := Open(t.Context(), pgtest.SchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

// Behind a pooler in transaction mode the package documentation says to
// add default_query_exec_mode=exec, which sends no named prepared
// statements; the store must work the same that way, and server settings
// in the URL must reach the server.
func TestSuiteWithoutPreparedStatements(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(t.Context(), pgtest.SchemaURL(t)+"&default_query_exec_mode=exec&statement_timeout=7s")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		conn, err := s.DB().Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var timeout string
		var prepared int
		if err := conn.QueryRowContext(t.Context(), `SELECT current_setting('statement_timeout') WHERE 1 = $1`, 1).Scan(&timeout); err != nil || timeout != "7s" {
			t.Errorf("statement_timeout = %q, %v; want the URL's 7s", timeout, err)
		}
		if err := conn.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pg_prepared_statements`).Scan(&prepared); err != nil || prepared != 0 {
			t.Errorf("%d statements prepared on the connection (%v), want none", prepared, err)
		}
		return s
	})
}

func countMigrations(t *testing.T, db *sql.DB) (rows, maxVersion int) {
	t.Helper()
	err := db.QueryRowContext(t.Context(), `SELECT COUNT(*), COALESCE(MAX(version), 0) FROM schema_migrations`).
		Scan(&rows, &maxVersion)
	if err != nil {
		t.Fatal(err)
	}
	return rows, maxVersion
}

func TestMigrationsRecordedOnce(t *testing.T) {
	ctx := t.Context()
	u := pgtest.SchemaURL(t)
	for range 2 {
		s, err := Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	db, err := OpenDB(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if n, v := countMigrations(t, db); n != len(ms) || v != len(ms) {
		t.Errorf("schema_migrations has %d rows up to %d, want %d", n, v, len(ms))
	}

	// A database from a newer program is refused, not written to.
	if _, err := db.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, u); err == nil || !strings.Contains(err.Error(), "999") {
		t.Errorf("Open of a newer schema: %v, want an error naming version 999", err)
	}
}

// Servers started together against an empty schema must each come up, with
// every migration applied once: without the advisory lock they race to
// create the same tables and all but one fail.
func TestConcurrentMigrations(t *testing.T) {
	ctx := t.Context()
	u := pgtest.SchemaURL(t)
	const servers = 6
	var wg sync.WaitGroup
	errs := make([]error, servers)
	for i := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, u)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("server %d: %v", i, err)
		}
	}
	db, err := OpenDB(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if n, v := countMigrations(t, db); n != len(ms) || v != len(ms) {
		t.Errorf("schema_migrations has %d rows up to %d, want %d", n, v, len(ms))
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := t.Context()
	db, err := OpenDB(ctx, pgtest.SchemaURL(t))
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
	var a, b bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('a') IS NOT NULL, to_regclass('b') IS NOT NULL`).Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	if !a || b {
		t.Errorf("after the failed migration: table a exists %v (want true), table b exists %v (want false)", a, b)
	}
	if rows, v := countMigrations(t, db); rows != 1 || v != 1 {
		t.Errorf("schema_migrations has %d rows up to %d, want only version 1", rows, v)
	}
}

// Text PostgreSQL cannot store (a NUL byte) is refused with an error naming
// the record, not stored cut short.
func TestUnstorableText(t *testing.T) {
	s := open(t)
	err := s.CreatePerson(t.Context(), &model.Person{Slug: "nul", Family: "A\x00B"})
	if err == nil {
		t.Fatal("a name with a NUL byte was stored")
	}
	if !strings.Contains(err.Error(), `"nul"`) {
		t.Errorf("error %q does not name the person", err)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want sqlstore.ErrorKind
	}{
		{&pgconn.PgError{Code: "23505"}, sqlstore.UniqueViolation},
		{fmt.Errorf("insert: %w", &pgconn.PgError{Code: "23503"}), sqlstore.ForeignKeyViolation},
		{&pgconn.PgError{Code: "23514"}, sqlstore.OtherError}, // check violation: a bug, not a conflict
		{&pgconn.PgError{Code: "40001"}, sqlstore.Transient},
		{fmt.Errorf("related %q: %w", "a", &pgconn.PgError{Code: "40P01"}), sqlstore.Transient},
		{&pgconn.PgError{Code: "57014"}, sqlstore.OtherError}, // canceled: not to be retried
		{errors.New("23505"), sqlstore.OtherError},
	}
	for _, tt := range tests {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("classify(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestPoolSettings(t *testing.T) {
	tests := []struct {
		in       string
		wantURL  string
		wantMax  int
		wantErr  string
		wantSame bool
	}{
		{in: "postgres://u@h/db?sslmode=disable", wantSame: true, wantMax: DefaultMaxConns},
		{in: "postgresql://u@h/db", wantSame: true, wantMax: DefaultMaxConns},
		{in: "postgres://u@h/db?pool_max_conns=4&search_path=s", wantURL: "postgres://u@h/db?search_path=s", wantMax: 4},
		{in: "postgres://u@h/db?pool_max_conns=0", wantErr: "pool_max_conns"},
		{in: "postgres://u@h/db?pool_max_conns=many", wantErr: "pool_max_conns"},
		{in: "mysql://u@h/db", wantErr: `scheme "mysql"`},
		{in: "postgres://u@h:port/db", wantErr: "not a URL"},
	}
	for _, tt := range tests {
		gotURL, gotMax, err := poolSettings(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("poolSettings(%q) error %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		want := tt.wantURL
		if tt.wantSame {
			want = tt.in
		}
		if err != nil || gotURL != want || gotMax != tt.wantMax {
			t.Errorf("poolSettings(%q) = %q, %d, %v; want %q, %d", tt.in, gotURL, gotMax, err, want, tt.wantMax)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://imprint:s3cret@db:5432/imprint", "postgres://imprint:xxxxx@db:5432/imprint"},
		{"postgres://imprint@db/imprint?sslmode=disable", "postgres://imprint@db/imprint?sslmode=disable"},
		{"postgres://db/imprint?password=s3cret&user=u", "postgres://db/imprint?password=xxxxx&user=u"},
		{"postgres://u:s3cret@db:port/x", "postgres://(unreadable)"},
		{"u:s3cret@db", "(unreadable database URL)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A server that cannot be reached is reported with the URL, without its
// password.
func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// Port 1 on loopback refuses at once.
	_, err := Open(ctx, "postgres://imprint:s3cret@127.0.0.1:1/imprint?connect_timeout=2")
	if err == nil {
		t.Fatal("Open of an unreachable server succeeded")
	}
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error %q: want the address and no password", err)
	}
}

// Two editors moving topics at once, A under B and B under A, must not
// both succeed: each move passes the cycle check alone, and on PostgreSQL's
// concurrent writers only the tree lock makes the second see the first.
// Before the lock about one round in ten made a cycle.
func TestConcurrentTreeMoves(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	const rounds = 100
	for i := range rounds {
		a := model.Topic{Slug: fmt.Sprintf("a%d", i), Name: "A"}
		b := model.Topic{Slug: fmt.Sprintf("b%d", i), Name: "B"}
		if err := s.CreateTopic(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateTopic(ctx, &b); err != nil {
			t.Fatal(err)
		}
		a.ParentID, b.ParentID = b.ID, a.ID
		var wg sync.WaitGroup
		var errA, errB error
		wg.Add(2)
		go func() { defer wg.Done(); errA = s.UpdateTopic(ctx, &a) }()
		go func() { defer wg.Done(); errB = s.UpdateTopic(ctx, &b) }()
		wg.Wait()
		if (errA == nil) == (errB == nil) {
			t.Fatalf("round %d: moving A under B: %v; B under A: %v; want exactly one refused", i, errA, errB)
		}
		var ve *model.ValidationError
		if err := cmp.Or(errA, errB); !errors.As(err, &ve) || !strings.Contains(err.Error(), "ParentID") {
			t.Fatalf("round %d: refused with %v, want a validation error on ParentID", i, err)
		}
	}
}

// Deleting a publication while another is saved with an override pointing
// to it takes the same rows' locks in opposite orders; PostgreSQL aborts
// one of the two (one round in ten to twenty did, each costing the
// server's deadlock_timeout), and the store must run it again rather than
// fail an editor's save. Each round must end as if the
// two had run one after the other.
func TestConcurrentDeleteAndOverride(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	for i := range 100 {
		a := &model.Publication{Slug: fmt.Sprintf("a%d", i), Type: model.TypeReport, Title: "A", Status: model.StatusPublished}
		if err := s.CreatePublication(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := &model.Publication{Slug: fmt.Sprintf("b%d", i), Type: model.TypeReport, Title: "B", Status: model.StatusPublished,
			Related: []model.Ref{{ID: a.ID}}}
		if err := s.CreatePublication(ctx, b); err != nil {
			t.Fatal(err)
		}
		b.Title = "B, revised"
		var wg sync.WaitGroup
		var errDelete, errUpdate error
		wg.Add(2)
		go func() { defer wg.Done(); errDelete = s.DeletePublication(ctx, a.ID) }()
		go func() { defer wg.Done(); errUpdate = s.UpdatePublication(ctx, b) }()
		wg.Wait()
		if errDelete != nil {
			t.Fatalf("round %d: delete: %v", i, errDelete)
		}
		// Saved first, the override went with the delete; saved second,
		// the save is refused for naming a deleted publication.
		var ve *model.ValidationError
		if errUpdate != nil && !errors.Is(errUpdate, store.ErrConflict) && !errors.As(errUpdate, &ve) {
			t.Fatalf("round %d: update: %v, want success, a conflict or a validation error", i, errUpdate)
		}
		got, err := s.Publication(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Related) != 0 || (errUpdate == nil) != (got.Title == "B, revised") {
			t.Fatalf("round %d: after delete and save (%v): %q with related %v", i, errUpdate, got.Title, got.Related)
		}
	}
}

// TestAnalyze: after a bulk write, Analyze leaves the planner an estimate
// of the publications that counts them (reltuples is -1 before a table is
// first analysed), and their pages marked all-visible, so that index-only
// scans need not read them.
func TestAnalyze(t *testing.T) {
	ctx := t.Context()
	s := open(t)
	for i := range 40 {
		p := &model.Publication{Slug: fmt.Sprintf("p-%d", i), Type: model.TypeReport, Title: "T", Status: model.StatusPublished}
		if err := s.CreatePublication(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	var rows float64
	if err := s.DB().QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'publications'::regclass`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 40 {
		t.Errorf("the planner estimates %v publications after Analyze, want 40", rows)
	}
	var pages, visible int
	if err := s.DB().QueryRowContext(ctx, `SELECT relpages, relallvisible FROM pg_class WHERE oid = 'publications'::regclass`).Scan(&pages, &visible); err != nil {
		t.Fatal(err)
	}
	if pages == 0 || visible != pages {
		t.Errorf("after Analyze %d of the publications' %d pages are marked all-visible, want all", visible, pages)
	}
}
