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
	// configs are the text search configurations of the documents, as
	// forQuery read them: ["simple"] when the index is empty.
	configs []string
	// branches are the configurations of configs whose analysis of the
	// query leaves a word, in the order of postgresConfigs; the documents
	// of the others match nothing, as to_tsquery of only stop words does.
	branches []branch
	// last is the highest publication ID in the index, which stands for
	// the catalogue's size; 0 until forQuery reads it.
	last int64
}

// branch is the query as one configuration analyses it.
type branch struct {
	config string
	// empty marks the clauses this analysis leaves no word of (stop
	// words): left out of the document test, so that a query whose other
	// clauses the pairs answer does not ask document for an empty query,
	// which no row matches.
	empty map[int]bool
	// pairs is the test of the index's pairs of neighbouring words for
	// the query's phrases (0010_search_pairs.sql), "" when none applies;
	// paired marks the phrases of two words it answers exactly, which
	// document is then not asked for.
	pairs  string
	paired map[int]bool
	// lossy: a phrase is left for document's index to find by its words,
	// each match then read to test their order.
	lossy bool
}

func (postgresDialect) name() string   { return "postgres" }
func (postgresDialect) numbered() bool { return true }

// clauseQuery writes a clause in to_tsquery syntax: every word a quoted
// lexeme (quotes doubled, though words hold none), a phrase its words
// joined by <->, a prefix :* after the last word. to_tsquery then analyses
// each word with the configuration it is given, as the documents were.
func clauseQuery(c Clause) string {
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
	return s
}

// tsquery writes every clause of p in to_tsquery syntax, joined by &.
func tsquery(p Parsed) string { return tsqueryWithout(p, nil) }

// tsqueryWithout is tsquery without the clauses skip reports; "" when
// nothing is left.
func tsqueryWithout(p Parsed, skip func(int) bool) string {
	parts := make([]string, 0, len(p.Clauses))
	for i, c := range p.Clauses {
		if skip == nil || !skip(i) {
			parts = append(parts, clauseQuery(c))
		}
	}
	return strings.Join(parts, " & ")
}

// document is the query of b's document test: p without the clauses its
// analysis drops and the phrases the pairs test finds alone, for asking
// document for those too would only mislead the planner, which takes the
// two tests as independent. "" when nothing is left.
func (b branch) document(p Parsed) string {
	return tsqueryWithout(p, func(i int) bool { return b.empty[i] || b.paired[i] })
}

// postgresAnalysis reads, in one round trip, what forQuery needs: the
// highest publication ID, then for each configuration in use (a probe of
// the search_config index each; 'simple' when none is) and each clause
// of the query, in order, whether the configuration's analysis leaves a
// word of the clause and, for a phrase, its pairs test (NULL when none
// applies) and how many words the analysis keeps. A query without
// clauses gives one row per configuration, with clause 0.
const postgresAnalysis = `WITH used AS (
		SELECT u.c, u.o FROM unnest($1::text[]) WITH ORDINALITY AS u (c, o)
		WHERE EXISTS (SELECT 1 FROM publication_search WHERE search_config = u.c::regconfig)),
	cfg AS (SELECT c, o FROM used UNION ALL SELECT 'simple', 0 WHERE NOT EXISTS (SELECT 1 FROM used))
SELECT (SELECT COALESCE(MAX(publication_id), 0) FROM publication_search), cfg.c, COALESCE(q.i, 0),
	COALESCE(numnode(to_tsquery(cfg.c::regconfig, q.t)) > 0, false),
	CASE WHEN q.phrase <> '' THEN search_pairs_query(cfg.c::regconfig, q.phrase) END,
	CASE WHEN q.phrase <> '' THEN (SELECT COUNT(*) FROM unnest(to_tsvector(cfg.c::regconfig, q.phrase)) u, unnest(u.positions)) ELSE 0 END
FROM cfg LEFT JOIN unnest($2::text[], $3::text[]) WITH ORDINALITY AS q (t, phrase, i) ON true
ORDER BY cfg.o, q.i`

// forQuery returns the dialect for one search: the configurations the
// documents are analysed with, the query as each analyses it, and the
// catalogue's size, for narrow (see postgresAnalysis).
//
// match then has one branch per configuration, which tests the documents
// of that configuration against the query in its analysis: exact, so no
// row needs testing again, and each branch answered by the GIN indexes,
// phrases by the pairs as that analysis has them (a phrase can be two
// words in English and three in 'simple'). Most catalogues use one
// configuration, whose branch then needs no test of it.
func (d postgresDialect) forQuery(ctx context.Context, db *sql.DB, p Parsed) (dialect, error) {
	texts := make([]string, len(p.Clauses))
	phrases := make([]string, len(p.Clauses))
	for i, c := range p.Clauses {
		texts[i] = clauseQuery(c)
		if c.Phrase && len(c.Words) > 1 && !c.Prefix {
			phrases[i] = strings.Join(c.Words, " ")
		}
	}
	rows, err := db.QueryContext(ctx, postgresAnalysis, postgresConfigs, texts, phrases)
	if err != nil {
		return nil, fmt.Errorf("analyse the query: %w", err)
	}
	defer rows.Close()
	d.configs, d.branches = nil, nil
	// The rows come configuration by configuration; cur is the branch of
	// the last one, kept once a clause leaves it a word.
	var cur *branch
	var live bool
	var tests []string
	keep := func() {
		if cur != nil && live {
			cur.pairs = strings.Join(tests, " & ")
			d.branches = append(d.branches, *cur)
		}
	}
	for rows.Next() {
		var config string
		var i, words int
		var left bool
		var test sql.NullString
		if err := rows.Scan(&d.last, &config, &i, &left, &test, &words); err != nil {
			return nil, fmt.Errorf("analyse the query: %w", err)
		}
		// The name is written into SQL: it must be one of ours.
		if !slices.Contains(postgresConfigs, config) {
			return nil, fmt.Errorf("analyse the query: unknown configuration %q", config)
		}
		if cur == nil || cur.config != config {
			keep()
			d.configs = append(d.configs, config)
			cur, live, tests = &branch{config: config, empty: map[int]bool{}, paired: map[int]bool{}}, false, nil
		}
		if i == 0 {
			continue
		}
		ci := i - 1
		if !left {
			cur.empty[ci] = true
			continue
		}
		live = true
		c := p.Clauses[ci]
		switch {
		case !c.Phrase || len(c.Words) < 2:
		case c.Prefix:
			cur.lossy = true
		case test.Valid:
			tests = append(tests, "("+test.String+")")
			if words == 2 {
				cur.paired[ci] = true
			} else {
				cur.lossy = true
			}
		case words > 1:
			// A stop word inside leaves a gap the pairs cannot answer.
			cur.lossy = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analyse the query: %w", err)
	}
	keep()
	if len(d.configs) == 0 {
		return nil, fmt.Errorf("analyse the query: no configuration read")
	}
	return d, nil
}

// lossy reports whether a branch leaves a phrase for document's index to
// find by its words, each match then read to test their order.
func (d postgresDialect) lossy() bool {
	for _, b := range d.branches {
		if b.lossy {
			return true
		}
	}
	return false
}

// ownConfigOf is the query analysed with the configuration of the search
// row named alias, and how many arguments it takes, each the tsquery
// text. Each configuration is named as a constant, so that the planner
// computes each tsquery once rather than once per row, as
// to_tsquery(s.search_config, …) would. The rows are matches, so each is
// of a branch's configuration: the last one needs no test.
func (d postgresDialect) ownConfigOf(alias string) (string, int) {
	cs := make([]string, len(d.branches))
	for i, b := range d.branches {
		cs[i] = b.config
	}
	if len(cs) == 0 {
		// Nothing matches; the query is never computed.
		cs = d.configs[:1]
	}
	if len(cs) == 1 {
		return fmt.Sprintf("to_tsquery('%s', ?)", cs[0]), 1
	}
	var b strings.Builder
	b.WriteString("CASE " + alias + ".search_config")
	for _, c := range cs[:len(cs)-1] {
		fmt.Fprintf(&b, " WHEN '%[1]s'::regconfig THEN to_tsquery('%[1]s', ?)", c)
	}
	fmt.Fprintf(&b, " ELSE to_tsquery('%s', ?) END", cs[len(cs)-1])
	return b.String(), len(cs)
}

// repeat returns n copies of v.
func repeat(v any, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// match finds the documents with the words: one branch per configuration
// in use, each testing the documents of its configuration against the
// query in its analysis, which the GIN indexes look up and the planner
// estimates; every row found is a match.
//
// With several branches, from reads each branch's matches apart, as
// branch i of a UNION ALL of the whole table: its leaves have no WHERE,
// so the planner pulls them up as children of one scan, pushes the
// conditions down to each and folds "s.branch = i" to true or false
// there, which leaves each child its own branch alone. Tested as one OR
// instead, every row the index finds would be tested again against the
// whole OR, each read and its vector decompressed, which triples the cost
// of a phrase in many documents. A walk newest first, though, tests each
// row it reads anyway, and across the children it would have to read
// every document of a configuration the words are not in before it
// could return a row: walk is then the OR over the table, read once.
func (d postgresDialect) match(p Parsed, terms []string) (string, string, []any) {
	f, fargs := facetsMatch(terms)
	var args []any
	tests := make([]string, len(d.branches))
	for i, b := range d.branches {
		var conds []string
		if len(d.configs) > 1 {
			conds = append(conds, fmt.Sprintf(`s.search_config = '%s'::regconfig`, b.config))
		}
		if q := b.document(p); q != "" {
			conds, args = append(conds, fmt.Sprintf(`s.document @@ to_tsquery('%s', ?)`, b.config)), append(args, q)
		}
		if b.pairs != "" {
			conds, args = append(conds, `s.pairs @@ ?::tsquery`), append(args, b.pairs)
		}
		tests[i] = strings.Join(conds, " AND ")
	}
	args = append(args, fargs...)
	const table = ` FROM publication_search s WHERE `
	switch len(tests) {
	case 0:
		// Only stop words, in every configuration.
		return table + `false` + f, "", args
	case 1:
		return table + tests[0] + f, "", args
	}
	const columns = `publication_id, search_config, document, pairs, facets FROM publication_search`
	leaves := make([]string, len(tests))
	branches := make([]string, len(tests))
	for i, t := range tests {
		leaves[i] = fmt.Sprintf(`SELECT %d AS branch, %s`, i, columns)
		branches[i] = fmt.Sprintf(`(s.branch = %d AND %s)`, i, t)
		tests[i] = `(` + t + `)`
	}
	from := ` FROM (` + strings.Join(leaves, ` UNION ALL `) + `) s WHERE (` + strings.Join(branches, ` OR `) + `)` + f
	return from, table + `(` + strings.Join(tests, ` OR `) + `)` + f, args
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

func (postgresDialect) matchID() string { return "s.publication_id" }

// window ranks in an outer query, so that ts_rank reads the documents of
// the rows kept only, however the planner finds the matches, each with the
// query in its own configuration's analysis. For a narrow query, ordering
// by an expression stops the planner from walking the primary key
// backwards in the hope of meeting matches soon: its estimate of how many
// documents have a word is often far above the truth, and the walk would
// read most of the table. A broad one walks match's walk.
func (d postgresDialect) window(p Parsed, from, walk string, args []any, narrow bool) (string, []any) {
	order := `s.publication_id DESC`
	if narrow {
		order = `s.publication_id + 0 DESC`
	} else if walk != "" {
		from = walk
	}
	own, n := d.ownConfigOf("w")
	return `SELECT w.id, p.type, p.issued_sort, ts_rank(` + postgresWeights + `, w.document, ` + own + `)
		FROM (SELECT s.publication_id AS id, s.document, s.search_config` + from + `
		ORDER BY ` + order + ` LIMIT ?) w JOIN publications p ON p.id = w.id ORDER BY w.id DESC`, append(repeat(tsquery(p), n), args...)
}

// walkCost and walkCostFiltered weigh reading one document newest first,
// testing it, against finding one match in the indexes, reading and
// sorting it (a bitmap heap scan), as measured at 100,000 publications:
// a walk of "policy & security" read 1,808 rows in 2.8 ms, finding the
// 23,603 matches of "economic & growth" took 25 ms; with facet filters a
// walk tests the short facets vector first, 14,400 rows in 17 ms, while
// finding 6,900 matches of a word in a topic and region took 30 ms.
const (
	walkCost         = 1.4
	walkCostFiltered = 0.3
)

// narrow decides by the planner's estimate of how many documents match
// (estimate), which, unlike a count, reads none of them: counting even a
// few thousand matches visits as many rows of the table.
//
// A phrase the index's pairs do not answer exactly is the exception (see
// forQuery): the planner takes its words as independent, and words
// that make phrases are not ("supply" and "chains"), so its estimate can
// be a tenth of the truth; and each document with every word is read to
// test their order, which costs more per match than walking the newest
// documents does per document. So such a phrase counts its matches among
// the newest phraseSample documents instead, which a walk would read
// first anyway, and is narrow when fewer than one in phraseWalkShare of
// them match.
func (d postgresDialect) narrow(ctx context.Context, x *index, rd querier, p Parsed, from string, args []any, filtered bool, est estimated) (bool, error) {
	if !est.ok {
		var n int
		err := x.queryRow(ctx, rd, x.sql(`SELECT COUNT(*)`+from+` AND s.publication_id > ?`),
			append(slices.Clone(args), d.last-phraseSample)...).Scan(&n)
		if err != nil {
			return false, fmt.Errorf("sample the matches: %w", err)
		}
		return n*phraseWalkShare < min(phraseSample, int(d.last)), nil
	}
	// Finding M matches costs about M; a walk reads window × N / M
	// documents to meet a window of them, so the two cross where M² is
	// window × N times a walk's relative cost: at 100,000 publications,
	// about 11,800 matches (5,500 with filters), at a million 37,000.
	cost := walkCost
	if filtered {
		cost = walkCostFiltered
	}
	return est.rows*est.rows < float64(rankWindow+1)*float64(d.last)*cost, nil
}

// estimate is the planner's estimate of how many rows from gives, which
// it makes from the statistics of the lexemes in the indexes (most common
// elements) without reading them. A phrase the pairs do not answer has
// none worth using (see narrow).
func (d postgresDialect) estimate(ctx context.Context, x *index, rd querier, from string, args []any) (estimated, error) {
	if d.lossy() {
		return estimated{}, nil
	}
	var plan []byte
	if err := x.queryRow(ctx, rd, x.sql(`EXPLAIN (FORMAT JSON) SELECT 1`+from), args...).Scan(&plan); err != nil {
		return estimated{}, fmt.Errorf("estimate the matches: %w", err)
	}
	var est []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal(plan, &est); err != nil || len(est) == 0 {
		return estimated{}, fmt.Errorf("estimate the matches: read the plan: %v", err)
	}
	return estimated{rows: est[0].Plan.Rows, ok: true}, nil
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
