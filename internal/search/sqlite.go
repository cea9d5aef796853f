package search

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Column weights of bm25 over the FTS5 table's columns (title, subtitle,
// contributors, summary, body): the same proportions as PostgreSQL's
// A/B/C/D weights (see postgresWeights), so that both engines rank a title
// match over a contributor's name, that over the summary, and the summary
// over the full text.
// The sixth column, facets, holds filter tokens and weighs nothing.
const sqliteRank = `bm25(publication_search, 10.0, 3.0, 5.0, 3.0, 1.0, 0.0)`

// NewSQLite returns the Index over an Imprint SQLite database.
func NewSQLite(db *sql.DB) Index { return &index{db: db, d: sqliteDialect{}} }

type sqliteDialect struct{}

// forQuery: one analysis for every document.
func (d sqliteDialect) forQuery(context.Context, *sql.DB, Parsed) (dialect, error) { return d, nil }

func (sqliteDialect) name() string   { return "sqlite" }
func (sqliteDialect) numbered() bool { return false }

// matchExpr builds the FTS5 MATCH expression from parsed clauses: every
// word is a double-quoted string, so that nothing a reader types is read
// as FTS5 syntax (column filters, NEAR, AND/OR/NOT, ^); a phrase is one
// string of its words, and a prefix adds the * after the closing quote.
// Clauses side by side must all match.
func matchExpr(p Parsed) string {
	parts := make([]string, 0, len(p.Clauses))
	for _, c := range p.Clauses {
		s := `"` + strings.ReplaceAll(strings.Join(c.Words, " "), `"`, `""`) + `"`
		if c.Prefix {
			s += "*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// textColumns are the columns of publication_search a reader's words are
// looked for in: all but facets.
const textColumns = `{title subtitle contributors summary body}`

// indexMatch is the MATCH expression of a search: the reader's words in
// the text columns and each filter's token in facets.
func indexMatch(p Parsed, terms []string) string {
	e := textColumns + ` : (` + matchExpr(p) + `)`
	for _, t := range terms {
		e += ` AND facets : "` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return e
}

func (sqliteDialect) match(p Parsed, terms []string) (string, string, []any) {
	return ` FROM publication_search s WHERE publication_search MATCH ?`, "", []any{indexMatch(p, terms)}
}

// matchID is the rowid behind a unary +: a bare s.rowid in a condition
// (the date filter's look-up of the publication) would be handed to FTS5
// as a rowid to look up, and SQLite would run the MATCH once per row.
func (sqliteDialect) matchID() string { return "+s.rowid" }

// window reads the matches in rowid order, newest first, which FTS5
// walks without sorting: bm25 is then computed for the rows read only.
func (sqliteDialect) window(_ Parsed, from, _ string, args []any, _ bool) (string, []any) {
	return `SELECT p.id, p.type, p.issued_sort, w.score
		FROM (SELECT s.rowid AS id, -` + sqliteRank + ` AS score` + from + ` ORDER BY s.rowid DESC LIMIT ?) w
		CROSS JOIN publications p WHERE p.id = w.id ORDER BY w.id DESC`, slices.Clone(args)
}

// narrow: FTS5 reads its matches in rowid order whatever their number.
func (sqliteDialect) narrow(context.Context, *index, querier, Parsed, string, []any, bool, estimated) (bool, error) {
	return false, nil
}

// estimate: FTS5 counts its matches from the index alone, without
// reading the documents, so the total is always counted.
func (sqliteDialect) estimate(context.Context, *index, querier, string, []any) (estimated, error) {
	return estimated{}, nil
}

// readerSetup: no transaction, which would take the write lock
// (connections begin IMMEDIATE transactions).
func (sqliteDialect) readerSetup() string { return "" }

// planEach: SQLite plans every statement it prepares, which
// database/sql does for each query.
func (sqliteDialect) planEach() []any { return nil }

func (sqliteDialect) idList(ids []int64) (string, any) {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return `SELECT value AS id FROM json_each(?)`, string(append(b, ']'))
}

// snippetTokens is how many tokens an FTS5 snippet spans.
const snippetTokens = 28

// snippets walks the matches between the lowest and highest of ids, in
// one pass, and keeps the ids: a rowid IN (…) handed to FTS5 would run
// the match once per id, and a prefix query builds the merged list of
// every word it stands for each time.
func (sqliteDialect) snippets(p Parsed, ids []int64) (string, []any) {
	lo, hi := slices.Min(ids), slices.Max(ids)
	args := []any{markStart, markEnd, markStart, markEnd, indexMatch(p, nil), lo, hi}
	args = append(args, int64Args(ids)...)
	return fmt.Sprintf(`SELECT rowid,
			snippet(publication_search, 3, ?, ?, '…', %[1]d),
			snippet(publication_search, 4, ?, ?, '…', %[1]d)
		FROM publication_search WHERE publication_search MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN (%[2]s)`,
		snippetTokens, marks(len(ids))), args
}

func (sqliteDialect) rebuild(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	for _, stmt := range []string{
		`DELETE FROM publication_search`,
		// What writes noted for the index is in the rewrite.
		`DELETE FROM publication_search_pending`,
		`INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body, facets)
			SELECT id, title, subtitle, contributors, summary, body, facets FROM publication_search_source`,
		// Merge the index's segments into one, which the rewrite left many of.
		`INSERT INTO publication_search (publication_search) VALUES ('optimize')`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Commit()
}
