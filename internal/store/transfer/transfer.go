// Package transfer copies a whole Imprint database into an empty
// PostgreSQL one: what an institute does once, when one machine with
// SQLite is no longer enough. Rows keep their IDs and timestamps, so
// links, revisions, harvest datestamps and resumption tokens stay valid.
//
// The copy runs in one transaction on the target: it lands entirely or
// not at all. Afterwards every table is verified by row count and by a
// digest of its rows in primary-key order, read back from both databases.
package transfer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/store/postgres"
)

// derived are tables the target rebuilds itself (its search index is kept
// by triggers as rows arrive) or that belong to one engine.
var derived = map[string]bool{
	"schema_migrations":  true,
	"publication_search": true,
	// Publications the target's triggers noted for its search index,
	// which the copy refreshes before it commits.
	"publication_search_pending": true,
	// The site generation (0007_changes.sql): each database counts its
	// own changes, and the copy raises the target's as it writes.
	"site_changes": true,
}

// Table is what was copied of one table.
type Table struct {
	Name   string
	Rows   int
	Digest string // hex SHA-256 of the rows in primary-key order, equal on both sides
}

// Report says what Copy did.
type Report struct {
	Tables   []Table
	Duration time.Duration
}

// Rows returns the number of rows copied in all tables.
func (r *Report) Rows() int {
	n := 0
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// Options tunes Copy.
type Options struct {
	// Progress, when set, is called after each table is copied.
	Progress func(t Table)
	// BatchRows is the number of rows per INSERT; 0 means 500.
	BatchRows int
}

// Copy copies every table of src (SQLite or PostgreSQL, migrated to the
// same schema version) into dst, a migrated PostgreSQL database that must
// hold no content yet, then verifies the copy. Tables are taken from dst's
// schema in foreign-key order; columns are copied by name.
func Copy(ctx context.Context, src, dst *sql.DB, opt Options) (*Report, error) {
	start := time.Now()
	if opt.BatchRows <= 0 {
		opt.BatchRows = 500
	}
	if err := sameVersion(ctx, src, dst); err != nil {
		return nil, err
	}
	tables, err := targetTables(ctx, dst)
	if err != nil {
		return nil, err
	}
	srcSQLite := isSQLite(ctx, src)
	rep := &Report{}
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("transfer: begin on the target: %w", err)
	}
	defer tx.Rollback()
	for _, t := range tables {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quote(t.name)).Scan(&n); err != nil {
			return nil, fmt.Errorf("transfer: count %s on the target: %w", t.name, err)
		}
		if n > 0 {
			return nil, fmt.Errorf("transfer: the target already holds %d rows in %s; copy into a new, empty database", n, t.name)
		}
	}
	for _, t := range tables {
		n, err := copyTable(ctx, src, tx, t, opt.BatchRows)
		if err != nil {
			return nil, err
		}
		if t.identity {
			// Rows kept their IDs; new rows must start past them.
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) FROM `+quote(t.name), t.name); err != nil {
				return nil, fmt.Errorf("transfer: move the identity of %s past the copied IDs: %w", t.name, err)
			}
		}
		rep.Tables = append(rep.Tables, Table{Name: t.name, Rows: n})
	}
	// What the store does at the end of each of its writes: index the
	// copied publications for search.
	if err := postgres.Dialect.Finish(ctx, tx); err != nil {
		return nil, fmt.Errorf("transfer: index the copy for search: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("transfer: commit on the target: %w", err)
	}
	for i := range rep.Tables {
		t := tables[i]
		srcN, srcDigest, err := digest(ctx, src, t, srcSQLite)
		if err != nil {
			return rep, fmt.Errorf("transfer: verify %s on the source: %w", t.name, err)
		}
		dstN, dstDigest, err := digest(ctx, dst, t, false)
		if err != nil {
			return rep, fmt.Errorf("transfer: verify %s on the target: %w", t.name, err)
		}
		if srcN != dstN || srcDigest != dstDigest {
			return rep, fmt.Errorf("transfer: %s differs after the copy: %d rows (digest %.12s) on the source, %d (digest %.12s) on the target",
				t.name, srcN, srcDigest, dstN, dstDigest)
		}
		rep.Tables[i].Digest = dstDigest
		if opt.Progress != nil {
			opt.Progress(rep.Tables[i])
		}
	}
	rep.Duration = time.Since(start)
	return rep, nil
}

// table is one table of the target schema.
type table struct {
	name     string
	columns  []string
	types    []string // PostgreSQL data types, by column
	key      []string // primary key columns, or every column when there is none
	identity bool     // has an identity column "id"
}

// targetTables lists the target's tables that hold data, parents before
// the tables whose foreign keys point at them.
func targetTables(ctx context.Context, db *sql.DB) ([]table, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name, c.column_name, c.data_type, c.is_identity
		FROM information_schema.columns c JOIN information_schema.tables t
			ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("transfer: read the target schema: %w", err)
	}
	byName := map[string]*table{}
	var names []string
	for rows.Next() {
		var tname, col, typ, ident string
		if err := rows.Scan(&tname, &col, &typ, &ident); err != nil {
			rows.Close()
			return nil, fmt.Errorf("transfer: read the target schema: %w", err)
		}
		if derived[tname] {
			continue
		}
		t := byName[tname]
		if t == nil {
			t = &table{name: tname}
			byName[tname] = t
			names = append(names, tname)
		}
		t.columns = append(t.columns, col)
		t.types = append(t.types, typ)
		if col == "id" && ident == "YES" {
			t.identity = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("transfer: read the target schema: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("transfer: the target has no tables; open it with imprint once to create its schema")
	}
	keys, err := db.QueryContext(ctx, `SELECT tc.table_name, kcu.column_name
		FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu
			ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
		WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY'
		ORDER BY tc.table_name, kcu.ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("transfer: read the target's primary keys: %w", err)
	}
	for keys.Next() {
		var tname, col string
		if err := keys.Scan(&tname, &col); err != nil {
			keys.Close()
			return nil, fmt.Errorf("transfer: read the target's primary keys: %w", err)
		}
		if t := byName[tname]; t != nil {
			t.key = append(t.key, col)
		}
	}
	keys.Close()
	if err := keys.Err(); err != nil {
		return nil, fmt.Errorf("transfer: read the target's primary keys: %w", err)
	}
	deps := map[string][]string{}
	fks, err := db.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("transfer: read the target's foreign keys: %w", err)
	}
	for fks.Next() {
		var child, parent string
		if err := fks.Scan(&child, &parent); err != nil {
			fks.Close()
			return nil, fmt.Errorf("transfer: read the target's foreign keys: %w", err)
		}
		child, parent = unqualify(child), unqualify(parent)
		if child != parent {
			deps[child] = append(deps[child], parent)
		}
	}
	fks.Close()
	if err := fks.Err(); err != nil {
		return nil, fmt.Errorf("transfer: read the target's foreign keys: %w", err)
	}
	// Depth-first order: a table comes after every table it refers to.
	var ordered []table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string) error
	visit = func(name string) error {
		switch state[name] {
		case 1:
			return fmt.Errorf("transfer: foreign keys form a cycle through %s", name)
		case 2:
			return nil
		}
		state[name] = 1
		for _, p := range deps[name] {
			if byName[p] != nil {
				if err := visit(p); err != nil {
					return err
				}
			}
		}
		state[name] = 2
		ordered = append(ordered, *byName[name])
		return nil
	}
	slices.Sort(names)
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	for i := range ordered {
		if len(ordered[i].key) == 0 {
			ordered[i].key = ordered[i].columns
		}
	}
	return ordered, nil
}

// copyTable copies one table in batches of multi-row INSERTs.
func copyTable(ctx context.Context, src *sql.DB, tx *sql.Tx, t table, batch int) (int, error) {
	cols := quoteAll(t.columns)
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+quote(t.name)+` ORDER BY `+strings.Join(quoteAll(t.key), ", "))
	if err != nil {
		return 0, fmt.Errorf("transfer: read %s from the source: %w", t.name, err)
	}
	defer rows.Close()
	n := 0
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		var b strings.Builder
		b.WriteString(`INSERT INTO ` + quote(t.name) + ` (` + strings.Join(cols, ", ") + `) VALUES `)
		for r := 0; r < len(args)/len(cols); r++ {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString("$" + strconv.Itoa(r*len(cols)+c+1))
			}
			b.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("transfer: write %s rows %d–%d to the target: %w", t.name, n-len(args)/len(cols)+1, n, err)
		}
		args = args[:0]
		return nil
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("transfer: read %s row %d from the source: %w", t.name, n+1, err)
		}
		for i, v := range vals {
			cv, err := convert(v, t.types[i])
			if err != nil {
				return n, fmt.Errorf("transfer: %s row %d, column %s: %w", t.name, n+1, t.columns[i], err)
			}
			args = append(args, cv)
		}
		n++
		if n%batch == 0 {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("transfer: read %s from the source: %w", t.name, err)
	}
	return n, flush()
}

// convert turns a value read from the source into what the target column
// of type pgType takes. SQLite has no boolean type and keeps text as text
// or bytes as it was written.
func convert(v any, pgType string) (any, error) {
	switch pgType {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool, nil:
			return x, nil
		}
		return nil, fmt.Errorf("want a boolean, found %T", v)
	case "text", "character varying":
		if b, ok := v.([]byte); ok {
			return string(b), nil
		}
	}
	return v, nil
}

// digest reads a table in key order and hashes its values in a form both
// engines agree on.
func digest(ctx context.Context, db *sql.DB, t table, sqlite bool) (int, string, error) {
	// Text keys sort as bytes on both sides: SQLite's BINARY order is
	// PostgreSQL's "C" collation.
	order := quoteAll(t.key)
	for i, k := range t.key {
		if !sqlite && t.types[slices.Index(t.columns, k)] == "text" {
			order[i] += ` COLLATE "C"`
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT `+strings.Join(quoteAll(t.columns), ", ")+` FROM `+quote(t.name)+` ORDER BY `+strings.Join(order, ", "))
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	h := sha256.New()
	vals := make([]any, len(t.columns))
	ptrs := make([]any, len(t.columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, "", err
		}
		for _, v := range vals {
			writeValue(h, v)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// writeValue hashes one value with its kind, so that NULL, "" and 0 differ
// and booleans stored as integers match.
func writeValue(h hash.Hash, v any) {
	var s string
	switch x := v.(type) {
	case nil:
		s = "n"
	case bool:
		s = "i0"
		if x {
			s = "i1"
		}
	case int64:
		s = "i" + strconv.FormatInt(x, 10)
	case float64:
		s = "f" + strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		s = "s" + string(x)
	case string:
		s = "s" + x
	case time.Time:
		s = "t" + x.UTC().Format(time.RFC3339Nano)
	default:
		s = fmt.Sprintf("?%v", x)
	}
	fmt.Fprintf(h, "%d:%s", len(s), s)
}

// sameVersion refuses to copy between different schema versions: columns
// would not line up.
func sameVersion(ctx context.Context, src, dst *sql.DB) error {
	var sv, dv int
	if err := src.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&sv); err != nil {
		return fmt.Errorf("transfer: read the source's schema version: %w", err)
	}
	if err := dst.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&dv); err != nil {
		return fmt.Errorf("transfer: read the target's schema version: %w", err)
	}
	if sv != dv {
		return fmt.Errorf("transfer: the source is at schema version %d and the target at %d; open both with this version of imprint first", sv, dv)
	}
	return nil
}

func isSQLite(ctx context.Context, db *sql.DB) bool {
	var v string
	return db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v) == nil
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = quote(n)
	}
	return out
}

// unqualify drops a schema prefix that regclass adds for tables outside
// the search path's first schema.
func unqualify(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return strings.Trim(name, `"`)
}
