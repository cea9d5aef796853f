package search

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
)

// dialect is what the SQLite and PostgreSQL indexes do their own way; the
// filters, facets and paging around it are shared SQL.
type dialect interface {
	// name identifies the engine in errors.
	name() string
	// forQuery returns the dialect to run one search with, which may
	// depend on the index's contents.
	forQuery(ctx context.Context, db *sql.DB, p Parsed) (dialect, error)
	// numbered reports whether placeholders are $1, $2… rather than ?.
	numbered() bool
	// match returns the FROM and WHERE of the matches in the index, as
	// s, every row a match, with its arguments: the reader's words, and
	// the index tokens of the query's filters (facetTerms) in the facets
	// column. The index holds only what readers may see, published and
	// out of the trash, so no publication is read to find the matches.
	// walk is another FROM and WHERE of the same matches with the same
	// arguments, for reading them newest first and stopping early, ""
	// when from does that as well.
	match(p Parsed, terms []string) (from, walk string, args []any)
	// matchID is the expression of a matching row's publication ID on s,
	// which the filters test before reading the publication.
	matchID() string
	// window returns a query of the matches in from, or in walk when
	// not narrow (match's FROMs and WHEREs with the filters, args their
	// arguments), as rows of ID, type, issued_sort and relevance (higher
	// first), the most recently added, with a last placeholder for how
	// many to read; the publications of those rows alone are read, for
	// their type and date. Reading them in the index's own order lets the
	// engine stop after that many rather than rank every match.
	window(p Parsed, from, walk string, args []any, narrow bool) (string, []any)
	// narrow reports whether the matches in from (filters included: a
	// common word by one expert is narrow) are few enough that finding
	// them all and sorting costs less than walking the index newest
	// first until a window of them is met; false where the engine
	// always walks its matches newest first.
	// filtered says that from tests filters in the index's facets too;
	// est is estimate's for from.
	narrow(ctx context.Context, x *index, rd querier, p Parsed, from string, args []any, filtered bool, est estimated) (bool, error)
	// estimate returns the engine's estimate of how many rows from gives,
	// read once per search for both narrow and count; not ok where the
	// engine has none worth using.
	estimate(ctx context.Context, x *index, rd querier, from string, args []any) (estimated, error)
	// snippets returns the query of the engine's summary and body
	// passages for the given publications, as rows of ID, summary
	// passage, body passage, matches marked with markStart and markEnd.
	snippets(p Parsed, ids []int64) (query string, args []any)
	// readerSetup is a statement that starts the read transaction of
	// the queries that find matches, "" to run them without one.
	readerSetup() string
	// planEach returns the arguments to put before a statement's own
	// that make the engine plan it for its argument values every time,
	// rather than reuse a plan made for other values.
	planEach() []any
	// idList returns a query of one column, id, holding ids, and the one
	// argument it takes.
	idList(ids []int64) (string, any)
	// rebuild indexes every publication again.
	rebuild(ctx context.Context, db *sql.DB) error
}

// index is an Index on one database with one dialect.
type index struct {
	db *sql.DB
	d  dialect
}

// Rebuild implements Index.
func (x *index) Rebuild(ctx context.Context) error {
	if err := x.d.rebuild(ctx, x.db); err != nil {
		return fmt.Errorf("search %s: rebuild: %w", x.d.name(), err)
	}
	return nil
}

// Search implements Index.
//
// A query's cost is bounded whatever it matches. Its matches are read in
// the index's own order, newest added first, and at most RankWindow of
// them are ranked, listed and counted by facet; the total is counted up to
// MaxCounted. A query matching fewer than RankWindow publications, as most
// do, is thus ranked and faceted over every match; a word in most of the
// catalogue ranks its RankWindow most recently added matches, which the
// Result reports (Ranked, TotalCapped) so that pages can say so.
func (x *index) Search(ctx context.Context, q Query) (*Result, error) {
	q = q.normalize()
	parsed := Parse(q.Text)
	d, err := x.d.forQuery(ctx, x.db, parsed)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", x.d.name(), err)
	}
	return (&index{db: x.db, d: d}).search(ctx, q, parsed)
}

// search runs q, normalized, and parsed as parsed, with x's dialect for it.
func (x *index) search(ctx context.Context, q Query, parsed Parsed) (*Result, error) {
	res := &Result{Parsed: parsed, Page: q.Page, PerPage: q.PerPage}

	var from, walkFrom, countFrom string
	var args, countArgs []any
	var filtered bool
	// Published and not in the trash: what readers may see.
	if parsed.Empty() {
		from = ` FROM publications p WHERE p.status = 'published' AND p.deleted_at IS NULL`
		where, fargs := filters(q, false)
		countFrom, countArgs = from+where, fargs
		walk, err := x.broadFilters(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", x.d.name(), err)
		}
		if walk {
			where, fargs = filters(q, true)
		}
		from += where
		args = fargs
	} else {
		// The type, topic, region and expert are tokens of the index;
		// dates are tested on the publication.
		terms, err := x.facetTerms(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", x.d.name(), err)
		}
		filtered = len(terms) > 0
		m, walk, margs := x.d.match(parsed, terms)
		where, fargs := issuedFilters(q, `(SELECT fd.issued_sort FROM publications fd WHERE fd.id = `+x.d.matchID()+`)`)
		from, args = m+where, append(margs, fargs...)
		walkFrom = from
		if walk != "" {
			walkFrom = walk + where
		}
		countFrom, countArgs = from, args
	}

	// Counting the matches past the window reads up to MaxCounted of
	// them, the longest read of a broad query; it starts now, on a
	// connection of its own, beside the window's, and its result is
	// dropped when the window turns out to hold every match. It is left
	// to finish then, which costs no more than the window did: cancelling
	// a PostgreSQL query costs a connection.
	rd, done, err := x.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("search %s: %q: %w", x.d.name(), q.Text, err)
	}
	defer done()
	est, err := x.d.estimate(ctx, x, rd, countFrom, countArgs)
	if err != nil {
		return nil, fmt.Errorf("search %s: %q: %w", x.d.name(), q.Text, err)
	}
	counted := make(chan countResult, 1)
	go func() { counted <- x.count(ctx, countFrom, countArgs, est) }()

	var ws []windowRow
	if parsed.Empty() {
		ws, err = x.newest(ctx, rd, from, args)
	} else {
		ws, err = x.ranked(ctx, rd, parsed, from, walkFrom, args, filtered, est)
	}
	done()
	if err != nil {
		return nil, fmt.Errorf("search %s: %q: %w", x.d.name(), q.Text, err)
	}
	res.Ranked = min(len(ws), rankWindow)
	windowed := len(ws) > rankWindow
	if windowed {
		ws = ws[:rankWindow]
	} else {
		res.Total = len(ws)
	}

	facetErr := x.facets(ctx, ws, res)
	if windowed {
		c := <-counted
		if c.err != nil {
			return nil, fmt.Errorf("search %s: count %q: %w", x.d.name(), q.Text, c.err)
		}
		// The count reads its own snapshot, which may predate a
		// publication the window saw: more than a window matched.
		res.Total, res.TotalCapped, res.TotalEstimated = max(c.total, min(rankWindow+1, maxCounted)), c.capped, c.estimated
	}
	if facetErr != nil {
		return nil, fmt.Errorf("search %s: facets of %q: %w", x.d.name(), q.Text, facetErr)
	}

	first := (q.Page - 1) * q.PerPage
	for i := first; i < len(ws) && i < first+q.PerPage; i++ {
		res.Hits = append(res.Hits, Hit{ID: ws[i].id, Score: ws[i].score})
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	if err := x.snippets(ctx, parsed, ids, res.Hits); err != nil {
		return nil, fmt.Errorf("search %s: snippets for %q: %w", x.d.name(), q.Text, err)
	}
	return res, nil
}

// roundEstimate keeps two significant digits of n: an estimate's others
// mean nothing.
func roundEstimate(n int) int {
	unit := 1
	for n/unit >= 100 {
		unit *= 10
	}
	return (n + unit/2) / unit * unit
}

// rankWindow and maxCounted are RankWindow and MaxCounted, variables so
// that tests can reach them with a handful of publications; estimateAbove
// is EstimateAbove.
var rankWindow, maxCounted, estimateAbove = RankWindow, MaxCounted, EstimateAbove

// windowRow is one match of the window: what ranking and the type facet
// need.
type windowRow struct {
	id     int64
	typ    string
	issued int
	score  float64
}

// facetTerms returns the index tokens of q's type, topic, region and
// expert filters (see 0008_search_pending.sql): "ty" and the type without
// hyphens and a 0, "to", "re" or "pe" and the ID of the topic, region or
// person. A slug that names nothing gives ID 0, which no publication has.
func (x *index) facetTerms(ctx context.Context, q Query) ([]string, error) {
	terms := []string{}
	if q.Type != "" {
		terms = append(terms, "ty"+strings.ReplaceAll(string(q.Type), "-", "")+"0")
	}
	if q.Topic == "" && q.Region == "" && q.Expert == "" {
		return terms, nil
	}
	var topic, region, person sql.NullInt64
	err := x.db.QueryRowContext(ctx, x.sql(`SELECT (SELECT id FROM topics WHERE slug = ?),
		(SELECT id FROM regions WHERE slug = ?), (SELECT id FROM people WHERE slug = ?)`),
		q.Topic, q.Region, q.Expert).Scan(&topic, &region, &person)
	if err != nil {
		return nil, fmt.Errorf("look up topic %q, region %q, expert %q: %w", q.Topic, q.Region, q.Expert, err)
	}
	for _, f := range []struct {
		slug, prefix string
		id           sql.NullInt64
	}{{q.Topic, "to", topic}, {q.Region, "re", region}, {q.Expert, "pe", person}} {
		if f.slug != "" {
			terms = append(terms, f.prefix+strconv.FormatInt(f.id.Int64, 10))
		}
	}
	return terms, nil
}

// walkBudget is how many publications a query without words may walk,
// newest first, to find a window of those its topic and region keep.
const walkBudget = 25 * RankWindow

// broadFilters reports whether a query without words should walk the
// publications newest first and test each against its topic and region
// (see filters): whether the share of publications they keep, estimated
// from their sizes as if independent, fills a window within walkBudget.
// A narrow topic is read from its own list and sorted instead. The
// choice is made here for both engines: SQLite keeps no statistics of a
// topic's size, and PostgreSQL's planner, given the topic as a join,
// reads every published publication and sorts rather than walk
// publications_visible_newest (0009_related_writes.sql).
func (x *index) broadFilters(ctx context.Context, q Query) (bool, error) {
	if q.Expert != "" || (q.Topic == "" && q.Region == "") {
		return false, nil
	}
	var topic, region, last int
	err := x.db.QueryRowContext(ctx, x.sql(`SELECT
		(SELECT COUNT(*) FROM (SELECT 1 FROM publication_topics WHERE topic_id = (SELECT id FROM topics WHERE slug = ?) LIMIT ?) a),
		(SELECT COUNT(*) FROM (SELECT 1 FROM publication_regions WHERE region_id = (SELECT id FROM regions WHERE slug = ?) LIMIT ?) b),
		(SELECT COALESCE(MAX(id), 0) FROM publications)`), q.Topic, walkBudget, q.Region, walkBudget).Scan(&topic, &region, &last)
	if err != nil {
		return false, fmt.Errorf("size of topic %q, region %q: %w", q.Topic, q.Region, err)
	}
	if last == 0 {
		return false, nil
	}
	share := 1.0
	if q.Topic != "" {
		share *= float64(topic) / float64(last)
	}
	if q.Region != "" {
		share *= float64(region) / float64(last)
	}
	return share*walkBudget >= float64(rankWindow+1), nil
}

// newest reads the first rankWindow+1 matches of a query without words,
// newest first, which is the order they are listed in.
func (x *index) newest(ctx context.Context, rd querier, from string, args []any) ([]windowRow, error) {
	rows, err := x.query(ctx, rd, x.sql(`SELECT p.id, p.type, p.issued_sort`+from+
		` ORDER BY p.issued_sort DESC, p.id DESC LIMIT ?`), append(slices.Clone(args), rankWindow+1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []windowRow
	for rows.Next() {
		var w windowRow
		if err := rows.Scan(&w.id, &w.typ, &w.issued); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// ranked reads up to rankWindow+1 matches, the most recently added first,
// with their relevance, and orders the first RankWindow of them by
// relevance, then newest first by issued date, then by ID. One more than
// the window is read to learn whether the window holds every match.
func (x *index) ranked(ctx context.Context, rd querier, parsed Parsed, from, walk string, args []any, filtered bool, est estimated) ([]windowRow, error) {
	narrow, err := x.d.narrow(ctx, x, rd, parsed, from, args, filtered, est)
	if err != nil {
		return nil, err
	}
	query, qargs := x.d.window(parsed, from, walk, args, narrow)
	rows, err := x.query(ctx, rd, x.sql(query), append(qargs, rankWindow+1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []windowRow
	read := 0
	for rows.Next() {
		var w windowRow
		if err := rows.Scan(&w.id, &w.typ, &w.issued, &w.score); err != nil {
			return nil, err
		}
		if read++; read <= rankWindow {
			out = append(out, w)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	window := out
	if read > rankWindow {
		// Say that there are more with a row past the window, which is
		// no candidate: the ranking does not depend on it.
		out = append(out, windowRow{})
	}
	slices.SortFunc(window, func(a, b windowRow) int {
		switch {
		case a.score != b.score:
			return cmp.Compare(b.score, a.score)
		case a.issued != b.issued:
			return cmp.Compare(b.issued, a.issued)
		}
		return cmp.Compare(b.id, a.id)
	})
	return out, nil
}

// countResult is what count found.
type countResult struct {
	total     int  // matches counted, at most maxCounted
	capped    bool // more than maxCounted matched
	estimated bool // total is the engine's estimate, rounded
	err       error
}

// estimated is an engine's estimate of how many rows a query gives,
// which it makes without reading them.
type estimated struct {
	rows float64
	ok   bool
}

// count counts the matches in from, at most maxCounted of them, or gives
// est, rounded, when that is above estimateAbove: the hits are the ranked
// window either way, and a reader told "about 9,800 results" learns what
// "9,787 results" would have told them.
func (x *index) count(ctx context.Context, from string, args []any, est estimated) countResult {
	if est.ok && est.rows > float64(estimateAbove) {
		return countResult{total: roundEstimate(int(est.rows)), estimated: true}
	}
	rd, done, err := x.reader(ctx)
	if err != nil {
		return countResult{err: err}
	}
	defer done()
	var n int
	query := `SELECT COUNT(*) FROM (SELECT 1` + from + ` LIMIT ?) m`
	if err := x.queryRow(ctx, rd, x.sql(query), append(slices.Clone(args), maxCounted+1)...).Scan(&n); err != nil {
		return countResult{err: err}
	}
	return countResult{total: min(n, maxCounted), capped: n > maxCounted}
}

// queryRow is query for a statement of one row.
func (x *index) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, query, append(x.d.planEach(), args...)...)
}

// snippetRunes is the length of a snippet cut from the start of a summary.
const snippetRunes = 220

// passages reads the engine's marked summary and body passages of ids.
func (x *index) passages(ctx context.Context, parsed Parsed, ids []int64) (map[int64][2]string, error) {
	query, args := x.d.snippets(parsed, ids)
	rows, err := x.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var s [2]string
		if err := rows.Scan(&id, &s[0], &s[1]); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}

func (x *index) snippets(ctx context.Context, parsed Parsed, ids []int64, hits []Hit) error {
	if len(ids) == 0 {
		return nil
	}
	summaries := map[int64]string{}
	rows, err := x.db.QueryContext(ctx, x.sql(`SELECT id, summary FROM publications WHERE id IN (`+marks(len(ids))+`)`), int64Args(ids)...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			rows.Close()
			return err
		}
		summaries[id] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var passages map[int64][2]string
	if !parsed.Empty() && len(ids) > 0 {
		if passages, err = x.passages(ctx, parsed, ids); err != nil {
			return err
		}
	}
	for i := range hits {
		p := passages[hits[i].ID]
		switch {
		case hasMark(p[0]):
			hits[i].Snippet = highlight(p[0])
		case hasMark(p[1]):
			hits[i].Snippet = highlight(p[1])
		case summaries[hits[i].ID] != "":
			hits[i].Snippet = leadSnippet(summaries[hits[i].ID], snippetRunes)
		default:
			hits[i].Snippet = leadSnippet(p[1], snippetRunes)
		}
	}
	return nil
}

// facets counts the window's matches by type, topic, region and expert.
// The types come with the window; the rest is one statement over the
// window's IDs, each facet counted by ID over the link table's key and
// only the counted values joined to their names.
func (x *index) facets(ctx context.Context, ws []windowRow, res *Result) error {
	if len(ws) == 0 {
		return nil
	}
	types := map[string]int{}
	ids := make([]int64, len(ws))
	for i, w := range ws {
		types[w.typ]++
		ids[i] = w.id
	}
	for t, n := range types {
		res.Facets.Types = append(res.Facets.Types, FacetValue{Value: t, Count: n})
	}
	// The IDs are one parameter, a list the engine unpacks: a statement
	// with a thousand placeholders costs more to parse than to run.
	in, list := x.d.idList(ids)
	query := `WITH w AS MATERIALIZED (` + in + `)
SELECT 'topic', t.slug, t.name, c.n FROM (SELECT pt.topic_id AS id, COUNT(*) AS n FROM w
	CROSS JOIN publication_topics pt WHERE pt.publication_id = w.id GROUP BY pt.topic_id) c JOIN topics t ON t.id = c.id
UNION ALL
SELECT 'region', g.slug, g.name, c.n FROM (SELECT pr.region_id AS id, COUNT(*) AS n FROM w
	CROSS JOIN publication_regions pr WHERE pr.publication_id = w.id GROUP BY pr.region_id) c JOIN regions g ON g.id = c.id
UNION ALL
SELECT 'expert', pe.slug, pe.given || '` + nameSep + `' || pe.dropping_particle || '` + nameSep + `' || pe.non_dropping_particle
		|| '` + nameSep + `' || pe.family || '` + nameSep + `' || pe.suffix || '` + nameSep + `' || pe.literal, c.n
	FROM (SELECT co.person_id AS id, COUNT(DISTINCT co.publication_id) AS n FROM w
	CROSS JOIN contributions co WHERE co.publication_id = w.id GROUP BY co.person_id) c JOIN people pe ON pe.id = c.id`
	args := []any{list}
	rows, err := x.db.QueryContext(ctx, x.sql(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var v FacetValue
		if err := rows.Scan(&kind, &v.Value, &v.Name, &v.Count); err != nil {
			return err
		}
		switch kind {
		case "topic":
			res.Facets.Topics = append(res.Facets.Topics, v)
		case "region":
			res.Facets.Regions = append(res.Facets.Regions, v)
		case "expert":
			v.Name = displayName(v.Name)
			res.Facets.Experts = append(res.Facets.Experts, v)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range []*[]FacetValue{&res.Facets.Types, &res.Facets.Topics, &res.Facets.Regions, &res.Facets.Experts} {
		// Most frequent first, then by value, which is unique: the same
		// order on both engines whatever order the rows came in.
		slices.SortFunc(*f, func(a, b FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if len(*f) > MaxFacetValues {
			*f = (*f)[:MaxFacetValues]
		}
	}
	return nil
}

// nameSep separates the parts of a person's name in the expert facet's
// rows, so that the name is shown as model.Person shows it everywhere.
const nameSep = "\x1f"

// displayName reads the parts of a name joined by nameSep.
func displayName(joined string) string {
	f := strings.Split(joined, nameSep)
	if len(f) != 6 {
		return strings.Join(strings.Fields(strings.ReplaceAll(joined, nameSep, " ")), " ")
	}
	p := model.Person{Given: f[0], DroppingParticle: f[1], NonDroppingParticle: f[2], Family: f[3], Suffix: f[4], Literal: f[5]}
	return p.DisplayName()
}

// filters returns the conditions on p for q's filters, each starting with
// AND, and their arguments.
//
// With walk, a topic or region is tested on each row by looking the pair
// up, rather than against the list of the topic's publications: the
// engine then walks the publications newest first and stops after a
// window of them, which costs less than sorting every publication of a
// broad topic (see broadFilters).
func filters(q Query, walk bool) (string, []any) {
	var b strings.Builder
	var args []any
	if q.Type != "" {
		b.WriteString(` AND p.type = ?`)
		args = append(args, string(q.Type))
	}
	// Without walk, IN over the link table's own index rather than
	// EXISTS per row: SQLite then reads a topic's publications from the
	// index instead of testing every publication.
	for _, f := range []struct{ slug, link, column, terms string }{
		{q.Topic, "publication_topics", "topic_id", "topics"},
		{q.Region, "publication_regions", "region_id", "regions"},
	} {
		switch {
		case f.slug == "":
			continue
		case walk:
			b.WriteString(` AND EXISTS (SELECT 1 FROM ` + f.link + ` fl WHERE fl.publication_id = p.id
			AND fl.` + f.column + ` = (SELECT ft.id FROM ` + f.terms + ` ft WHERE ft.slug = ?))`)
		default:
			b.WriteString(` AND p.id IN (SELECT fl.publication_id FROM ` + f.link + ` fl JOIN ` + f.terms + ` ft ON ft.id = fl.` + f.column + `
			WHERE ft.slug = ?)`)
		}
		args = append(args, f.slug)
	}
	if q.Expert != "" {
		b.WriteString(` AND p.id IN (SELECT fc.publication_id FROM contributions fc JOIN people fp ON fp.id = fc.person_id
			WHERE fp.slug = ?)`)
		args = append(args, q.Expert)
	}
	where, dargs := issuedFilters(q, "p.issued_sort")
	b.WriteString(where)
	return b.String(), append(args, dargs...)
}

// issuedFilters returns the conditions of q's date bounds on the issued
// date, the expression given, and their arguments.
func issuedFilters(q Query, issued string) (string, []any) {
	var b strings.Builder
	var args []any
	if q.From != 0 {
		b.WriteString(` AND ` + issued + ` >= ?`)
		args = append(args, q.From)
	}
	if q.To != 0 {
		b.WriteString(` AND ` + issued + ` <= ?`)
		args = append(args, q.To)
	}
	return b.String(), args
}

// query runs a statement whose plan depends on its arguments (how many
// publications a word is in decides how to find them), planned for the
// arguments at hand.
func (x *index) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, query, append(x.d.planEach(), args...)...)
}

// querier runs queries: the database, or a transaction of reader.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader returns where the queries that find matches run, with the
// dialect's settings for them, and the function that ends it.
func (x *index) reader(ctx context.Context) (querier, func(), error) {
	setup := x.d.readerSetup()
	if setup == "" {
		return x.db, func() {}, nil
	}
	tx, err := x.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	if _, err := tx.ExecContext(ctx, setup); err != nil {
		tx.Rollback() //nolint:errcheck // the error at hand says more
		return nil, nil, err
	}
	return tx, func() { tx.Rollback() }, nil //nolint:errcheck // read only: nothing to keep
}

// sql returns query with the dialect's placeholders.
func (x *index) sql(query string) string {
	if !x.d.numbered() {
		return query
	}
	var b strings.Builder
	n, inString := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
		case c == '?' && !inString:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
