package cache_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/cache"
	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/store/storetest"
	"github.com/imprintpub/imprint/internal/web"
)

// server is one app server: the public site over st behind a cache.
type server struct {
	st    *sqlstore.Store
	cache *cache.Cache
	http  *httptest.Server
}

func newServer(t *testing.T, st *sqlstore.Store, cfg cache.Config) *server {
	t.Helper()
	site, err := web.New(web.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Source = cache.TableSource(st.DB())
	c, err := cache.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	srv := httptest.NewServer(c.Handler(site))
	t.Cleanup(srv.Close)
	return &server{st: st, cache: c, http: srv}
}

// get fetches path and returns the body and the X-Cache header.
func (s *server) get(t *testing.T, path string) (string, string) {
	t.Helper()
	resp, err := s.http.Client().Get(s.http.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	return string(b), resp.Header.Get("X-Cache")
}

// warm fetches path until it comes from the cache.
func (s *server) warm(t *testing.T, path string) {
	t.Helper()
	for range 3 {
		if _, state := s.get(t, path); state == "hit" {
			return
		}
	}
	t.Fatalf("GET %s never came from the cache", path)
}

// waitForPage fetches path until its body contains want, and returns how
// long that took.
func (s *server) waitForPage(t *testing.T, path, want string, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		body, _ := s.get(t, path)
		if strings.Contains(body, want) {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("GET %s did not show %q within %v", path, want, limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func openSQLite(t *testing.T) *sqlstore.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

const seedPath = "/publications/" + demo.SeedSlug

// An edit through the store, as the admin or the import command makes it,
// shows on the cached page within the polling interval.
func TestSQLiteEditRefreshesPage(t *testing.T) {
	st := openSQLite(t)
	s := newServer(t, st, cache.Config{})
	ctx := t.Context()
	p, err := st.PublicationBySlug(ctx, demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	expertPath := "/experts/" + p.Contributions[0].Person.Slug
	s.warm(t, seedPath)
	s.warm(t, expertPath)
	p.Title = "A Title Changed Through the Store"
	if err := st.UpdatePublication(ctx, p); err != nil {
		t.Fatal(err)
	}
	d := s.waitForPage(t, seedPath, p.Title, 2*time.Second)
	// Polling every 100 ms: the change shows within one interval and the
	// time one request takes.
	if d > 500*time.Millisecond {
		t.Errorf("the edit took %v to show, want within about one 100 ms poll", d)
	}
	// Every page built from the publication changes, not only its own.
	s.waitForPage(t, expertPath, p.Title, time.Second)
	s.warm(t, seedPath)

	// A second process writing the same file (imprint import) counts too.
	other, err := sqlite.Open(ctx, dbPath(t, st))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	p.Title = "Changed by Another Process"
	if err := other.UpdatePublication(ctx, p); err != nil {
		t.Fatal(err)
	}
	s.waitForPage(t, seedPath, p.Title, time.Second)
}

func dbPath(t *testing.T, st *sqlstore.Store) string {
	t.Helper()
	var file string
	if err := st.DB().QueryRowContext(t.Context(), `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
		t.Fatal(err)
	}
	return file
}

// contentTables are the tables public responses are built from: every
// write to them must raise the generation. Every other table must be
// listed in otherTables with the reason it does not count, so that a new
// table is classified by whoever adds it.
var contentTables = []string{
	"publications", "contributions", "people", "topics", "regions",
	"publication_topics", "publication_regions", "related_overrides", "related_ranked", "related_lists",
}

var otherTables = map[string]string{
	"schema_migrations":      "the migrations' record",
	"site_changes":           "the generation itself",
	"publication_tombstones": "read by OAI-PMH only, which is not cached",
	"publication_search":     "derived from content tables by their own triggers",
	"users":                  "editors' accounts, shown in the admin only",
	"sessions":               "editors' sessions",
	"throttle_keys":          "login throttling",
	"throttle_events":        "login throttling",
	"revisions":              "saved states of publications, shown in the admin only",
	"audit_log":              "shown in the admin only",
}

// otherTable reports whether table is known not to feed public pages.
func otherTable(table string) bool {
	if _, ok := otherTables[table]; ok {
		return true
	}
	// SQLite's FTS5 shadow tables of publication_search.
	return strings.HasPrefix(table, "publication_search_")
}

func TestSQLiteTriggersCoverContentTables(t *testing.T) {
	st := openSQLite(t)
	checkTriggers(t, st.DB(), "sqlite")
}

func checkTriggers(t *testing.T, db *sql.DB, engine string) {
	ctx := t.Context()
	var listTables, listTriggers string
	switch engine {
	case "sqlite":
		listTables = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
		// name, table and event of each trigger that raises the generation.
		listTriggers = `SELECT tbl_name, CASE WHEN sql LIKE '%AFTER INSERT%' THEN 'insert'
				WHEN sql LIKE '%AFTER UPDATE%' THEN 'update' WHEN sql LIKE '%AFTER DELETE%' THEN 'delete' END
			FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%UPDATE site_changes SET generation%'`
	case "postgres":
		listTables = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
		// tgtype bits: 4 insert, 8 delete, 16 update, 32 truncate. Row
		// events must come from a deferred constraint trigger (see
		// 0007_changes.sql).
		listTriggers = `SELECT c.relname, e.event FROM pg_trigger tg
			JOIN pg_class c ON c.oid = tg.tgrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
			JOIN pg_proc p ON p.oid = tg.tgfoid AND p.proname = 'site_changed'
			CROSS JOIN (VALUES (4, 'insert'), (8, 'delete'), (16, 'update'), (32, 'truncate')) e (bit, event)
			WHERE tg.tgtype & e.bit <> 0 AND (e.bit = 32 OR (tg.tgdeferrable AND tg.tginitdeferred))`
	}
	tables, err := storetest.Column(ctx, db, listTables)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		if !slices.Contains(contentTables, table) && !otherTable(table) {
			t.Errorf("table %s is neither a content table (whose writes must raise site_changes.generation; "+
				"add triggers as in 0007_changes.sql) nor listed as another table here", table)
		}
	}
	rows, err := db.QueryContext(ctx, listTriggers)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for rows.Next() {
		var table, event string
		if err := rows.Scan(&table, &event); err != nil {
			t.Fatal(err)
		}
		have[table+" "+event] = true
	}
	rows.Close()
	events := []string{"insert", "update", "delete"}
	if engine == "postgres" {
		events = append(events, "truncate")
	}
	for _, table := range contentTables {
		if !slices.Contains(tables, table) {
			t.Errorf("content table %s is missing from the schema", table)
		}
		for _, ev := range events {
			if !have[table+" "+ev] {
				t.Errorf("%s on %s does not raise the site generation", ev, table)
			}
		}
	}

	// And they work: an update of each content table's rows, in a
	// transaction rolled back afterwards, raises the generation. The demo
	// content has no related lists; give it one.
	if err := fillRelated(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, table := range contentTables {
		t.Run(table, func(t *testing.T) {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			before, err := generation(ctx, tx, engine)
			if err != nil {
				t.Fatal(err)
			}
			var col string
			if err := tx.QueryRowContext(ctx, firstColumn(engine), table).Scan(&col); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET %s = %s`, table, col, col)); err != nil {
				t.Fatal(err)
			}
			after, err := generation(ctx, tx, engine)
			if err != nil {
				t.Fatal(err)
			}
			if after <= before {
				t.Errorf("UPDATE %s: generation %d before, %d after", table, before, after)
			}
		})
	}
}

func firstColumn(engine string) string {
	if engine == "sqlite" {
		return `SELECT name FROM pragma_table_info(?) ORDER BY cid LIMIT 1`
	}
	return `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position LIMIT 1`
}

// generation reads the generation inside tx; on PostgreSQL it first fires
// the deferred triggers, as the commit would.
func generation(ctx context.Context, tx *sql.Tx, engine string) (int64, error) {
	if engine == "postgres" {
		if _, err := tx.ExecContext(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
			return 0, err
		}
	}
	var g int64
	err := tx.QueryRowContext(ctx, `SELECT generation FROM site_changes WHERE id = 1`).Scan(&g)
	return g, err
}

// fillRelated gives the related tables a row each: the first publication
// related to the last.
func fillRelated(ctx context.Context, db *sql.DB) error {
	var a, b int64
	if err := db.QueryRowContext(ctx, `SELECT MIN(id), MAX(id) FROM publications`).Scan(&a, &b); err != nil {
		return err
	}
	for _, q := range []string{
		`INSERT INTO related_overrides (publication_id, related_id, position) VALUES (%[1]d, %[2]d, 0) ON CONFLICT DO NOTHING`,
		`INSERT INTO related_ranked (publication_id, computed_at) VALUES (%[1]d, 0) ON CONFLICT DO NOTHING`,
		`INSERT INTO related_lists (publication_id, rank, related_id, score) VALUES (%[1]d, 0, %[2]d, 1) ON CONFLICT DO NOTHING`,
	} {
		if _, err := db.ExecContext(ctx, fmt.Sprintf(q, a, b)); err != nil {
			return err
		}
	}
	return nil
}

func openPostgres(t *testing.T, url string) *sqlstore.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestPostgresTriggersCoverContentTables(t *testing.T) {
	st := openPostgres(t, pgtest.SchemaURL(t))
	if _, err := demo.Load(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	checkTriggers(t, st.DB(), "postgres")
}

// Two app servers on one PostgreSQL database: a publish and an edit made
// on A show on B's cached pages within a second. B polls only once a
// minute, so only the notification can make it that fast.
func TestPostgresTwoServers(t *testing.T) {
	url := pgtest.SchemaURL(t)
	stA := openPostgres(t, url)
	stB := openPostgres(t, url)
	ctx := t.Context()
	if _, err := demo.Load(ctx, stA); err != nil {
		t.Fatal(err)
	}
	listener, err := postgres.NewChangeListener(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := newServer(t, stB, cache.Config{Notifier: listener, ListeningPollInterval: time.Minute})
	waitListening(t, b)
	b.warm(t, "/")
	b.warm(t, seedPath)

	// Publish on A: B's cached home page lists it within a second.
	seed, err := stA.PublicationBySlug(ctx, demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	issued, err := model.ParseDate("2099-01-01")
	if err != nil {
		t.Fatal(err)
	}
	p := &model.Publication{
		Slug: "published-on-server-a", Type: model.TypeReport, Title: "Published on Server A",
		Issued: issued, Status: model.StatusPublished, Contributions: seed.Contributions, Topics: seed.Topics,
	}
	start := time.Now()
	if err := stA.CreatePublication(ctx, p); err != nil {
		t.Fatal(err)
	}
	committed := time.Since(start)
	if d := b.waitForPage(t, "/", p.Title, 3*time.Second); d > time.Second {
		t.Errorf("the publication on A took %v to show on B's home page, want within 1 s", d)
	} else {
		t.Logf("published on A (commit %v); on B's home page after %v", committed, d)
	}

	// Edit on A: B's cached publication page changes within a second.
	b.warm(t, seedPath)
	seed.Title = "Edited on Server A"
	if err := stA.UpdatePublication(ctx, seed); err != nil {
		t.Fatal(err)
	}
	if d := b.waitForPage(t, seedPath, seed.Title, 3*time.Second); d > time.Second {
		t.Errorf("the edit on A took %v to show on B, want within 1 s", d)
	} else {
		t.Logf("edited on A; on B's cached page after %v", d)
	}
	if s := b.cache.Stats(); s.Hits == 0 {
		t.Errorf("B never answered from its cache: %+v", s)
	}
}

// waitListening waits until s's cache listens for notifications.
func waitListening(t *testing.T, s *server) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !s.cache.Stats().Listening {
		if time.Now().After(deadline) {
			t.Fatal("the change listener did not start listening within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// When the listening connection is lost, the listener reconnects and the
// cache reads the generation again, so a change made meanwhile shows.
func TestPostgresListenerReconnects(t *testing.T) {
	url := pgtest.SchemaURL(t)
	st := openPostgres(t, url)
	ctx := t.Context()
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	app := fmt.Sprintf("imprint-cache-test-%d", time.Now().UnixNano())
	listener, err := postgres.NewChangeListener(url+"&application_name="+app, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, st, cache.Config{Notifier: listener, ListeningPollInterval: time.Minute})
	waitListening(t, s)
	s.warm(t, seedPath)

	var killed int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1`, app).Scan(&killed); err != nil || killed != 1 {
		t.Fatalf("terminated %d listening connections (%v), want 1", killed, err)
	}
	// While it reconnects, the cache polls fast; either way the edit shows
	// within a second.
	p, err := st.PublicationBySlug(ctx, demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	p.Title = "Edited While the Listener Reconnected"
	if err := st.UpdatePublication(ctx, p); err != nil {
		t.Fatal(err)
	}
	if d := s.waitForPage(t, seedPath, p.Title, 3*time.Second); d > time.Second {
		t.Errorf("the edit took %v to show, want within 1 s", d)
	}
	waitListening(t, s)
	// Listening again: a further edit is announced.
	s.warm(t, seedPath)
	p.Title = "Edited After the Listener Came Back"
	if err := st.UpdatePublication(ctx, p); err != nil {
		t.Fatal(err)
	}
	if d := s.waitForPage(t, seedPath, p.Title, 3*time.Second); d > time.Second {
		t.Errorf("the edit took %v to show after reconnecting, want within 1 s", d)
	}
}

// On PostgreSQL a transaction raises the generation once however many rows
// of however many tables it writes, at commit; a rolled-back one, or a
// rolled-back savepoint, not at all.
func TestPostgresGenerationOncePerTransaction(t *testing.T) {
	st := openPostgres(t, pgtest.SchemaURL(t))
	ctx := t.Context()
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	db := st.DB()
	read := func() int64 {
		t.Helper()
		g, err := cache.TableSource(db).Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	tests := []struct {
		name   string
		stmts  []string
		commit bool
		want   int64
	}{
		{"many rows, two tables", []string{`UPDATE publications SET title = title`, `UPDATE people SET given = given`}, true, 1},
		{"rolled back", []string{`UPDATE publications SET title = title`}, false, 0},
		{"savepoint rolled back", []string{`SAVEPOINT s`, `UPDATE publications SET title = title`, `ROLLBACK TO SAVEPOINT s`}, true, 0},
		{"savepoint rolled back, then a write", []string{`SAVEPOINT s`, `UPDATE topics SET name = name`,
			`ROLLBACK TO SAVEPOINT s`, `UPDATE regions SET name = name`}, true, 1},
		{"no content written", []string{`SELECT COUNT(*) FROM publications`}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := read()
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.stmts {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					tx.Rollback()
					t.Fatalf("%s: %v", s, err)
				}
			}
			if tt.commit {
				err = tx.Commit()
			} else {
				err = tx.Rollback()
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := read() - before; got != tt.want {
				t.Errorf("generation rose by %d, want %d", got, tt.want)
			}
		})
	}
}
