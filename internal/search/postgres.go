package search

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// postgresWeights are ts_rank's weights of D, C, B and A: full text,
// subtitle and summary, contributor names, title (see 0003_search.sql).
const postgresWeights = `'{0.1, 0.3, 0.5, 1.0}'`

// postgresConfigs are every text search configuration the migration's
// search_config function can give a publication; the two must agree.
var postgresConfigs = []string{"english", "french", "german", "spanish", "italian", "portuguese", "dutch",
	"russian", "swedish", "danish", "finnish", "norwegian", "simple"}

// NewPostgres returns the Index over an Imprint PostgreSQL database.
func NewPostgres(db *sql.DB) Index { return &index{db: db, d: postgresDialect{}} }

type postgresDialect struct {
	// configs are the text search configurations of the documents, nil
	// until forQuery reads them: then every configuration is assumed.
	configs []string
	// last is the highest publication ID in the index, which stands for
	// the catalogue's size; 0 until forQuery reads it.
	last int64
	// pairs is the test of the index's pairs of neighbouring words for
	// the query's phrases (0010_search_pairs.sql), "" when none applies;
	// paired marks the phrases of two words it answers exactly, which
	// document is then not asked for.
	pairs  string
	paired map[int]bool
}

func (postgresDialect) name() string   { return "postgres" }
func (postgresDialect) numbered() bool { return true }

// tsquery writes parsed clauses in to_tsquery syntax: every word a quoted
// lexeme (quotes doubled, though words hold none), a phrase its words
// joined by <->, a prefix :* after the last word, clauses joined by &.
// to_tsquery then analyses each word with the configuration it is given,
// as the documents were.
func tsquery(p Parsed) string { return tsqueryPaired(p, nil) }

// tsqueryPaired is tsquery without the phrases that paired marks: the
// pairs test finds those alone, and asking document for their words too
// would only mislead the planner, which takes the two tests as
// independent. "" when nothing is left.
func tsqueryPaired(p Parsed, paired map[int]bool) string {
	parts := make([]string, 0, len(p.Clauses))
	for ci, c := range p.Clauses {
		if paired[ci] {
			continue
		}
		words := make([]string, len(c.Words))
		for i, w := range c.Words {
			words[i] = `'` + strings.ReplaceAll(w, `'`, `''`) + `'`
		}
		if c.Prefix {
			words[len(words)-1] += ":*"
		}
		s := strings.Join(words, " <-> ")
		if len(words) > 1 {
			s = "(" + s + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " & ")
}

// forQuery returns the dialect for one search: the configurations the
// documents are analysed with, read from the index (a probe of its
// search_config index for each), and the catalogue's size, for narrow.
// Most catalogues use one or two configurations, and with one the match
// is exact: no row needs testing against its own configuration; then
// the phrases are looked up in the index's pairs (see phrasePairs).
func (d postgresDialect) forQuery(ctx context.Context, db *sql.DB, p Parsed) (dialect, error) {
	// The names are one string, which database/sql can scan: none holds
	// a space.
	var configs string
	err := db.QueryRowContext(ctx, `SELECT
		array_to_string(ARRAY(SELECT c FROM unnest($1::text[]) c
			WHERE EXISTS (SELECT 1 FROM publication_search WHERE search_config = c::regconfig)), ' '),
		(SELECT COALESCE(MAX(publication_id), 0) FROM publication_search)`, postgresConfigs).Scan(&configs, &d.last)
	if err != nil {
		return nil, fmt.Errorf("configurations in use: %w", err)
	}
	d.configs = strings.Fields(configs)
	if len(d.configs) == 0 {
		// An empty index matches nothing whatever the analysis.
		d.configs = []string{"simple"}
	}
	if d.exact() {
		if err := d.phrasePairs(ctx, db, p); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// phrasePairs sets pairs and paired for the phrases of p, analysed with
// the one configuration in use: each phrase of words that the analysis
// keeps side by side is tested against the index's pairs, and one of
// exactly two words needs no other test of their order.
func (d *postgresDialect) phrasePairs(ctx context.Context, db *sql.DB, p Parsed) error {
	var phrases []string
	var clauses []int
	for i, c := range p.Clauses {
		if c.Phrase && len(c.Words) > 1 && !c.Prefix {
			phrases = append(phrases, strings.Join(c.Words, " "))
			clauses = append(clauses, i)
		}
	}
	if len(phrases) == 0 {
		return nil
	}
	rows, err := db.QueryContext(ctx, `SELECT t.i, search_pairs_query($1::regconfig, t.phrase),
			(SELECT COUNT(*) FROM unnest(to_tsvector($1::regconfig, t.phrase)) u, unnest(u.positions))
		FROM unnest($2::text[]) WITH ORDINALITY AS t (phrase, i)`, d.configs[0], phrases)
	if err != nil {
		return fmt.Errorf("pairs of the phrases: %w", err)
	}
	defer rows.Close()
	var tests []string
	d.paired = map[int]bool{}
	for rows.Next() {
		var i, words int
		var test sql.NullString
		if err := rows.Scan(&i, &test, &words); err != nil {
			return fmt.Errorf("pairs of the phrases: %w", err)
		}
		if !test.Valid {
			continue
		}
		tests = append(tests, "("+test.String+")")
		if words == 2 {
			d.paired[clauses[i-1]] = true
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pairs of the phrases: %w", err)
	}
	d.pairs = strings.Join(tests, " & ")
	return nil
}

// lossy reports whether a phrase of p is left for document's index to
// find by its words, each match then read to test their order.
func (d postgresDialect) lossy(p Parsed) bool {
	for i, c := range p.Clauses {
		if c.Phrase && len(c.Words) > 1 && !d.paired[i] {
			return true
		}
	}
	return false
}

// inUse returns the configurations to analyse a query with: those of
// forQuery, or every one.
func (d postgresDialect) inUse() []string {
	if d.configs == nil {
		return postgresConfigs
	}
	return d.configs
}

// exact reports whether every document is analysed with one
// configuration, which the match then uses alone.
func (d postgresDialect) exact() bool { return len(d.inUse()) == 1 }

// anyConfig is the query analysed with every configuration in use, ORed:
// what the GIN index can look up; it takes one argument per
// configuration, each the tsquery text. Unless exact, each row is then
// checked against the query analysed with its own configuration, so that
// an English document does not match through a French stem.
func (d postgresDialect) anyConfig() (string, int) {
	cs := d.inUse()
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("to_tsquery('%s', ?)", c)
	}
	return "(" + strings.Join(parts, " || ") + ")", len(cs)
}

// ownConfigOf is the query analysed with the configuration of the search
// row named alias, and how many arguments it takes, each the tsquery
// text. Each configuration is named as a constant, so that the planner
// computes each tsquery once rather than once per row, as
// to_tsquery(s.search_config, …) would.
func (d postgresDialect) ownConfigOf(alias string) (string, int) {
	cs := d.inUse()
	if len(cs) == 1 {
		return fmt.Sprintf("to_tsquery('%s', ?)", cs[0]), 1
	}
	var b strings.Builder
	b.WriteString("CASE " + alias + ".search_config")
	for _, c := range cs {
		fmt.Fprintf(&b, " WHEN '%[1]s'::regconfig THEN to_tsquery('%[1]s', ?)", c)
	}
	b.WriteString(" ELSE to_tsquery(" + alias + ".search_config, ?) END")
	return b.String(), len(cs) + 1
}

// repeat returns n copies of v.
func repeat(v any, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// match finds the documents with the words in any configuration, which
// the GIN index looks up and the planner can estimate; recheck then
// keeps those that have them in their own language's analysis, in the
// queries around the match, after their LIMIT, so that the planner sees
// how many rows the match gives and, for a word in most documents, walks
// the newest first and stops, rather than find every match and sort.
func (d postgresDialect) match(p Parsed, terms []string) (string, []any) {
	f, fargs := facetsMatch(terms)
	var conds []string
	var args []any
	if q := tsqueryPaired(p, d.paired); q != "" {
		anyq, n := d.anyConfig()
		conds, args = append(conds, `s.document @@ `+anyq), repeat(q, n)
	}
	if d.pairs != "" {
		conds, args = append(conds, `s.pairs @@ ?::tsquery`), append(args, d.pairs)
	}
	return ` FROM publication_search s WHERE ` + strings.Join(conds, " AND ") + f, append(args, fargs...)
}

// facetsMatch is the test of the filters' lexemes in s.facets (see
// 0008_search_pending.sql), which its GIN index answers.
func facetsMatch(terms []string) (string, []any) {
	if len(terms) == 0 {
		return "", nil
	}
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = `'` + strings.ReplaceAll(t, `'`, `''`) + `'`
	}
	return ` AND s.facets @@ ?::tsquery`, []any{strings.Join(q, " & ")}
}

func (d postgresDialect) recheck(p Parsed, alias string) (string, string, []any) {
	if d.exact() {
		return "", "", nil
	}
	own, n := d.ownConfigOf(alias)
	return alias + `.document @@ ` + own, `s.document, s.search_config`, repeat(tsquery(p), n)
}

func (postgresDialect) matchID() string { return "s.publication_id" }

// window ranks in an outer query, so that ts_rank reads the documents of
// the rows kept only, however the planner finds the matches. For a narrow
// query, ordering by an expression stops the planner from walking the
// primary key backwards in the hope of meeting matches soon: its estimate
// of how many documents have a word in some configuration is far above
// the truth for most words, and the walk would read most of the table.
func (d postgresDialect) window(p Parsed, from string, args []any, narrow bool) (string, []any) {
	q := tsquery(p)
	order := `s.publication_id DESC`
	if narrow {
		order = `s.publication_id + 0 DESC`
	}
	own, n := d.ownConfigOf("w")
	pass, m := `true`, 0
	if !d.exact() {
		pass, m = `w.document @@ `+own, n
	}
	return `SELECT w.id, p.type, p.issued_sort, ts_rank(` + postgresWeights + `, w.document, ` + own + `), ` + pass + `
		FROM (SELECT s.publication_id AS id, s.document, s.search_config` + from + `
		ORDER BY ` + order + ` LIMIT ?) w JOIN publications p ON p.id = w.id ORDER BY w.id DESC`, append(repeat(q, n+m), args...)
}

// walkShare: a query is narrow when fewer than one document in walkShare
// matches it; walking the newest documents would then read more than
// walkShare times the window, each document's vector read and tested.
const walkShare = 5

// narrow asks the planner how many documents match, which it estimates
// from the statistics of the lexemes in the index (most common elements)
// and, unlike a count, without reading them: counting even a few
// thousand matches visits as many rows of the table.
//
// A phrase the index's pairs do not answer exactly is the exception (see
// phrasePairs): the planner takes its words as independent, and words
// that make phrases are not ("supply" and "chains"), so its estimate can
// be a tenth of the truth; and each document with every word is read to
// test their order, which costs more per match than walking the newest
// documents does per document. So such a phrase counts its matches among
// the newest phraseSample documents instead, which a walk would read
// first anyway, and is narrow when fewer than one in phraseWalkShare of
// them match.
func (d postgresDialect) narrow(ctx context.Context, x *index, rd querier, p Parsed, from string, args []any) (bool, error) {
	if d.lossy(p) {
		var n int
		err := x.queryRow(ctx, rd, x.sql(`SELECT COUNT(*)`+from+` AND s.publication_id > ?`),
			append(slices.Clone(args), d.last-phraseSample)...).Scan(&n)
		if err != nil {
			return false, fmt.Errorf("sample the matches: %w", err)
		}
		return n*phraseWalkShare < min(phraseSample, int(d.last)), nil
	}
	var plan []byte
	if err := x.queryRow(ctx, rd, x.sql(`EXPLAIN (FORMAT JSON) SELECT 1`+from), args...).Scan(&plan); err != nil {
		return false, fmt.Errorf("estimate the matches: %w", err)
	}
	var est []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal(plan, &est); err != nil || len(est) == 0 {
		return false, fmt.Errorf("estimate the matches: read the plan: %v", err)
	}
	return est[0].Plan.Rows*walkShare < float64(d.last), nil
}

// phraseSample and phraseWalkShare: see narrow.
const (
	phraseSample    = 2000
	phraseWalkShare = 20
)

// readerSetup keeps the planner from reading the whole search table:
// every match query has an index to use (GIN for the words, the primary
// key for newest first), and the planner's estimate of how many
// documents have a word in some configuration is often many times the
// truth, which makes a sequential scan that "will soon find enough" look
// cheap when it reads the table to its end.
//
// Parallel workers cost more to start than a search's reads take.
func (postgresDialect) readerSetup() string {
	return `SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0`
}

// planEach runs a statement unprepared, as an unnamed statement that
// PostgreSQL plans with the values bound: a prepared statement soon gets
// one generic plan, which cannot know that "policy" is in most documents
// and "abductions" in few, and finds both the way that suits only one.
func (postgresDialect) planEach() []any { return []any{pgx.QueryExecModeExec} }

func (postgresDialect) idList(ids []int64) (string, any) {
	return `SELECT unnest(?::bigint[]) AS id`, ids
}

// headlineOptions ask ts_headline for one passage of about the length of
// an FTS5 snippet, marked as highlight expects.
const headlineOptions = `StartSel=` + markStart + `, StopSel=` + markEnd + `, MaxWords=28, MinWords=12, ShortWord=0, MaxFragments=1, FragmentDelimiter=" … "`

func (postgresDialect) snippets(p Parsed, ids []int64) (string, []any) {
	args := []any{tsquery(p), headlineOptions}
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ph[i] = fmt.Sprintf("$%d", i+3)
	}
	return `SELECT p.id,
			ts_headline(s.search_config, p.summary, to_tsquery(s.search_config, $1), $2),
			ts_headline(s.search_config, p.full_text, to_tsquery(s.search_config, $1), $2)
		FROM publication_search s JOIN publications p ON p.id = s.publication_id
		WHERE p.id IN (` + strings.Join(ph, ", ") + `)`, args
}

func (postgresDialect) rebuild(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	if _, err := tx.ExecContext(ctx, `SELECT publication_search_refresh(id) FROM publications`); err != nil {
		return err
	}
	return tx.Commit()
}
