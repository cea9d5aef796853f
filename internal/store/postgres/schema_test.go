package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

// The shared SQL relies on both schemas having the same tables, columns,
// keys, indexes and delete rules; a migration added to one dialect and not
// the other, or written differently, fails here. Each schema is described
// as sorted lines in one vocabulary and the two descriptions compared.
func TestSchemaMatchesSQLite(t *testing.T) {
	ctx := t.Context()
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := open(t)

	want, err := describeSQLite(ctx, lite.DB())
	if err != nil {
		t.Fatalf("describe SQLite schema: %v", err)
	}
	got, err := describePostgres(ctx, pg.DB())
	if err != nil {
		t.Fatalf("describe PostgreSQL schema: %v", err)
	}
	want, got = withoutSearchTables(want), withoutSearchTables(got)
	if len(want) < 40 {
		t.Fatalf("SQLite schema described in only %d lines; the description is broken:\n%s", len(want), strings.Join(want, "\n"))
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			t.Errorf("PostgreSQL schema lacks: %s", l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			t.Errorf("PostgreSQL schema has, SQLite not: %s", l)
		}
	}
}

// searchTable reports whether table belongs to the full-text index, which
// each engine keeps in a structure of its own (0003_search.sql): SQLite an
// FTS5 virtual table, publication_search, with the shadow tables FTS5
// creates beside it (publication_search_data, _idx, _content, _docsize,
// _config); PostgreSQL a table of weighted tsvectors under a GIN index. The
// shared SQL never reads them: only internal/search does, with SQL of each
// dialect, and its shared test suite checks that both answer alike.
func searchTable(table string) bool {
	return table == "publication_search" || strings.HasPrefix(table, "publication_search_")
}

// withoutSearchTables drops the description lines of searchTable tables.
func withoutSearchTables(lines []string) []string {
	var out []string
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			out = append(out, l)
			continue
		}
		var table string
		switch f[0] {
		case "table":
			table = f[1]
		case "column", "foreign":
			name := f[1]
			if f[0] == "foreign" {
				name = f[2]
			}
			table, _, _ = strings.Cut(name, ".")
		case "primary", "unique":
			if f[0] == "primary" {
				table = f[2]
			} else {
				table = f[1]
			}
		case "index":
			if len(f) > 3 {
				table = f[3]
			}
		}
		if !searchTable(table) {
			out = append(out, l)
		}
	}
	return out
}

// typeClass maps a declared column type to what the shared SQL can tell
// apart.
func typeClass(typ string) string {
	switch strings.ToLower(typ) {
	case "integer", "bigint", "smallint":
		return "integer"
	case "text":
		return "text"
	}
	return "other:" + strings.ToLower(typ)
}

// deleteRule reads SQLite's on_delete or PostgreSQL's confdeltype code.
func deleteRule(rule string) string {
	switch rule {
	case "CASCADE", "c":
		return "cascade"
	case "NO ACTION", "RESTRICT", "a", "r":
		// Both refuse the delete while a row refers to the row deleted,
		// which is what the store's ErrConflict reports.
		return "refuse"
	case "SET NULL", "n":
		return "set null"
	}
	return "other:" + rule
}

func describeSQLite(ctx context.Context, db *sql.DB) ([]string, error) {
	tables, err := storetest.Column(ctx, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, table := range tables {
		out = append(out, "table "+table)
		rows, err := db.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value IS NOT NULL, pk FROM pragma_table_info(?) ORDER BY cid`, table)
		if err != nil {
			return nil, err
		}
		var pk []string
		pkPos := map[string]int{}
		for rows.Next() {
			var name, typ string
			var notNull, hasDefault bool
			var pkN int
			if err := rows.Scan(&name, &typ, &notNull, &hasDefault, &pkN); err != nil {
				rows.Close()
				return nil, err
			}
			// SQLite lets a primary key column hold NULL unless told
			// otherwise, but an INTEGER PRIMARY KEY is the rowid and
			// never does.
			if pkN > 0 {
				notNull = true
				pk = append(pk, name)
				pkPos[name] = pkN
			}
			out = append(out, fmt.Sprintf("column %s.%s %s notnull=%v default=%v", table, name, typeClass(typ), notNull, hasDefault))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		slices.SortFunc(pk, func(a, b string) int { return pkPos[a] - pkPos[b] })
		if len(pk) > 0 {
			out = append(out, fmt.Sprintf("primary key %s (%s)", table, strings.Join(pk, ", ")))
		}

		rows, err = db.QueryContext(ctx, `SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)`, table)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var ref, from, to, onDelete string
			if err := rows.Scan(&ref, &from, &to, &onDelete); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, fmt.Sprintf("foreign key %s.%s -> %s.%s on delete %s", table, from, ref, to, deleteRule(onDelete)))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}

		rows, err = db.QueryContext(ctx, `SELECT name, origin FROM pragma_index_list(?) WHERE origin IN ('c', 'u')`, table)
		if err != nil {
			return nil, err
		}
		type index struct{ name, origin string }
		var indexes []index
		for rows.Next() {
			var ix index
			if err := rows.Scan(&ix.name, &ix.origin); err != nil {
				rows.Close()
				return nil, err
			}
			indexes = append(indexes, ix)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, ix := range indexes {
			cols, err := storetest.Column(ctx, db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix.name)
			if err != nil {
				return nil, err
			}
			if ix.origin == "u" {
				// Unique constraints are named by the engine.
				out = append(out, fmt.Sprintf("unique %s (%s)", table, strings.Join(cols, ", ")))
			} else {
				out = append(out, fmt.Sprintf("index %s on %s (%s)", ix.name, table, strings.Join(cols, ", ")))
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

func describePostgres(ctx context.Context, db *sql.DB) ([]string, error) {
	var out []string
	tables, err := storetest.Column(ctx, db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		out = append(out, "table "+t)
	}

	// An identity column has no column_default, as SQLite's INTEGER
	// PRIMARY KEY reports none.
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable = 'NO',
			column_default IS NOT NULL, COALESCE(collation_name, '')
		FROM information_schema.columns WHERE table_schema = current_schema()`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, name, typ, collation string
		var notNull, hasDefault bool
		if err := rows.Scan(&table, &name, &typ, &notNull, &hasDefault, &collation); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, fmt.Sprintf("column %s.%s %s notnull=%v default=%v", table, name, typeClass(typ), notNull, hasDefault))
		// SQLite compares text as bytes; so must every text column here
		// (see 0001_init.sql) but the migrations' own record, which
		// sqlstore creates in SQL common to both engines and never sorts.
		if typeClass(typ) == "text" && collation != "C" && table != "schema_migrations" {
			out = append(out, fmt.Sprintf("column %s.%s compares by collation %q, not as bytes (COLLATE \"C\")", table, name, collation))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Constraints: primary keys, unique constraints and foreign keys, with
	// their columns in key order.
	rows, err = db.QueryContext(ctx, `SELECT c.contype, c.conrelid::regclass::text,
			ARRAY_TO_STRING(ARRAY(SELECT a.attname FROM UNNEST(c.conkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), ', '),
			COALESCE(c.confrelid::regclass::text, ''),
			COALESCE(ARRAY_TO_STRING(ARRAY(SELECT a.attname FROM UNNEST(c.confkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i), ', '), ''),
			c.confdeltype
		FROM pg_constraint c
		WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f')`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var kind, table, cols, ref, refCols, onDelete string
		if err := rows.Scan(&kind, &table, &cols, &ref, &refCols, &onDelete); err != nil {
			rows.Close()
			return nil, err
		}
		switch kind {
		case "p":
			out = append(out, fmt.Sprintf("primary key %s (%s)", table, cols))
		case "u":
			out = append(out, fmt.Sprintf("unique %s (%s)", table, cols))
		case "f":
			out = append(out, fmt.Sprintf("foreign key %s.%s -> %s.%s on delete %s", table, cols, ref, refCols, deleteRule(onDelete)))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Indexes of their own, not those behind a constraint.
	rows, err = db.QueryContext(ctx, `SELECT i.relname, x.indrelid::regclass::text,
			ARRAY_TO_STRING(ARRAY(SELECT PG_GET_INDEXDEF(x.indexrelid, k, true)
				FROM GENERATE_SERIES(1, x.indnkeyatts) k ORDER BY k), ', ')
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		WHERE i.relnamespace = current_schema()::regnamespace
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name, table, cols string
		if err := rows.Scan(&name, &table, &cols); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, fmt.Sprintf("index %s on %s (%s)", name, table, cols))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}
