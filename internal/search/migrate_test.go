package search_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// A database that holds publications when it gains the search index finds
// them at once: the migration indexes what is already there.
func TestMigrationIndexesExistingPublications(t *testing.T) {
	engines := []struct {
		name    string
		engine  string
		dialect sqlstore.Dialect
		open    func(t *testing.T) (*sql.DB, error)
		ms      func() ([]sqlstore.Migration, error)
	}{
		{"sqlite", search.SQLite, sqlite.Dialect, func(t *testing.T) (*sql.DB, error) {
			return sqlite.OpenDB(t.Context(), filepath.Join(t.TempDir(), "imprint.db"))
		}, sqlite.Migrations},
		{"postgres", search.Postgres, postgres.Dialect, func(t *testing.T) (*sql.DB, error) {
			return postgres.OpenDB(t.Context(), pgtest.SchemaURL(t))
		}, postgres.Migrations},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := e.open(t)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ms, err := e.ms()
			if err != nil {
				t.Fatal(err)
			}
			before := 0
			for before < len(ms) && ms[before].Version < 3 {
				before++
			}
			if before == 0 || before == len(ms) {
				t.Fatalf("no migration before or from 0003 among %d", len(ms))
			}
			if _, err := sqlstore.Migrate(ctx, db, e.dialect, ms[:before]); err != nil {
				t.Fatal(err)
			}
			// Rows as the program of that schema version wrote them: the
			// store of today writes columns that later migrations add.
			p := model.Publication{ID: 1}
			for _, stmt := range []string{
				`INSERT INTO people (id, slug, given, family, created_at, updated_at) VALUES (1, 'ana', 'Ana', 'Quillfeather', 0, 0)`,
				`INSERT INTO publications (id, slug, type, title, status, created_at, updated_at, published_at)
					VALUES (1, 'old', 'report', 'Tidewater Accounts', 'published', 0, 0, 0)`,
				`INSERT INTO contributions (publication_id, position, person_id, role) VALUES (1, 0, 1, 'author')`,
			} {
				if _, err := db.ExecContext(ctx, stmt); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := sqlstore.Migrate(ctx, db, e.dialect, ms); err != nil {
				t.Fatal(err)
			}
			idx, err := search.Open(db, e.engine)
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range []string{"tidewater", "quillfeather"} {
				r, err := idx.Search(ctx, search.Query{Text: text})
				if err != nil {
					t.Fatal(err)
				}
				if r.Total != 1 || len(r.Hits) != 1 || r.Hits[0].ID != p.ID {
					t.Errorf("%s: %d hits %+v, want publication %d", text, r.Total, r.Hits, p.ID)
				}
			}
		})
	}
}
