package pgtest

import (
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func schemaExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func TestSchemaURL(t *testing.T) {
	base := ServerURL(t)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// A schema a killed run left a day ago goes; one a run still going
	// made a minute ago stays.
	abandoned := fmt.Sprintf("%s%d_0badc0ffee00", schemaPrefix, time.Now().Add(-24*time.Hour).Unix())
	running := fmt.Sprintf("%s%d_0badc0ffee01", schemaPrefix, time.Now().Add(-time.Minute).Unix())
	for _, name := range []string{abandoned, running} {
		if _, err := db.ExecContext(t.Context(), `CREATE SCHEMA `+name); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { db.ExecContext(t.Context(), `DROP SCHEMA IF EXISTS `+running) })

	var schema string
	t.Run("inner", func(t *testing.T) {
		u, err := url.Parse(SchemaURL(t))
		if err != nil {
			t.Fatal(err)
		}
		schema = u.Query().Get("search_path")
		if !strings.HasPrefix(schema, schemaPrefix) || !schemaExists(t, db, schema) {
			t.Errorf("SchemaURL gave search_path %q, which does not exist", schema)
		}
	})
	if schemaExists(t, db, schema) {
		t.Errorf("schema %s outlived its test", schema)
	}
	if schemaExists(t, db, abandoned) || !schemaExists(t, db, running) {
		t.Errorf("after SchemaURL: abandoned schema exists %v (want false), recent one exists %v (want true)",
			schemaExists(t, db, abandoned), schemaExists(t, db, running))
	}
}
