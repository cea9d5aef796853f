package search

import (
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
	// numbered reports whether placeholders are $1, $2… rather than ?.
	numbered() bool
	// match returns the FROM and WHERE of the matching publications, as p
	// (publications) and s (the index), with its arguments.
	match(p Parsed) (string, []any)
	// rank is the relevance of a row of match, higher first.
	rank(p Parsed) (string, []any)
	// snippets returns the engine's summary and body passages for the
	// given publications, matches marked with markStart and markEnd.
	snippets(ctx context.Context, db *sql.DB, p Parsed, ids []int64) (map[int64][2]string, error)
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
func (x *index) Search(ctx context.Context, q Query) (*Result, error) {
	q = q.normalize()
	parsed := Parse(q.Text)
	res := &Result{Parsed: parsed, Page: q.Page, PerPage: q.PerPage}

	var from string
	var args []any
	// Published and not in the trash: what readers may see.
	if parsed.Empty() {
		from = ` FROM publications p WHERE p.status = 'published' AND p.deleted_at IS NULL`
	} else {
		from, args = x.d.match(parsed)
		from += ` AND p.status = 'published' AND p.deleted_at IS NULL`
	}
	where, fargs := filters(q)
	from += where
	args = append(args, fargs...)

	// The facets and the page of hits are independent reads: on separate
	// connections they run side by side, and a broad query waits for the
	// slower of the two rather than for both.
	facetErr := make(chan error, 1)
	var facets Result
	go func() { facetErr <- x.facets(ctx, from, args, &facets) }()
	hits, err := x.hits(ctx, parsed, q, from, args)
	if ferr := <-facetErr; ferr != nil {
		return nil, fmt.Errorf("search %s: facets of %q: %w", x.d.name(), q.Text, ferr)
	}
	if err != nil {
		return nil, err
	}
	res.Total, res.Facets, res.Hits = facets.Total, facets.Facets, hits
	return res, nil
}

// hits returns the page of hits of q, ranked, with snippets.
func (x *index) hits(ctx context.Context, parsed Parsed, q Query, from string, args []any) ([]Hit, error) {
	score, sargs := "0", []any(nil)
	if !parsed.Empty() {
		score, sargs = x.d.rank(parsed)
	}
	hitArgs := append(append(slices.Clone(sargs), args...), q.PerPage, (q.Page-1)*q.PerPage)
	rows, err := x.db.QueryContext(ctx, x.sql(`SELECT p.id, `+score+` AS score`+from+
		` ORDER BY score DESC, p.issued_sort DESC, p.id DESC LIMIT ? OFFSET ?`), hitArgs...)
	if err != nil {
		return nil, fmt.Errorf("search %s: %q: %w", x.d.name(), q.Text, err)
	}
	defer rows.Close()
	var hits []Hit
	var ids []int64
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.ID, &h.Score); err != nil {
			return nil, fmt.Errorf("search %s: %q: %w", x.d.name(), q.Text, err)
		}
		hits = append(hits, h)
		ids = append(ids, h.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %s: %q: %w", x.d.name(), q.Text, err)
	}
	rows.Close()
	if err := x.snippets(ctx, parsed, ids, hits); err != nil {
		return nil, fmt.Errorf("search %s: snippets for %q: %w", x.d.name(), q.Text, err)
	}
	return hits, nil
}

// snippetRunes is the length of a snippet cut from the start of a summary.
const snippetRunes = 220

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
		if passages, err = x.d.snippets(ctx, x.db, parsed, ids); err != nil {
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

// facets counts the matches in from by type, topic, region and expert, in
// one statement over the matches computed once.
func (x *index) facets(ctx context.Context, from string, args []any, res *Result) error {
	// Each facet is counted by ID over the link table's key first, and
	// only the few counted values are joined to their names: a third
	// fewer lookups per match than joining names row by row. CROSS JOIN
	// makes SQLite read the matches first and look up each one's links:
	// left to itself it may scan the whole link table in facet order
	// instead, which costs as much for one match as for every one.
	query := `WITH m AS MATERIALIZED (SELECT p.id, p.type` + from + `)
SELECT 'type', m.type, '', COUNT(*) FROM m GROUP BY m.type
UNION ALL
SELECT 'topic', t.slug, t.name, c.n FROM (SELECT pt.topic_id AS id, COUNT(*) AS n FROM m
	CROSS JOIN publication_topics pt WHERE pt.publication_id = m.id GROUP BY pt.topic_id) c JOIN topics t ON t.id = c.id
UNION ALL
SELECT 'region', g.slug, g.name, c.n FROM (SELECT pr.region_id AS id, COUNT(*) AS n FROM m
	CROSS JOIN publication_regions pr WHERE pr.publication_id = m.id GROUP BY pr.region_id) c JOIN regions g ON g.id = c.id
UNION ALL
SELECT 'expert', pe.slug, pe.given || '` + nameSep + `' || pe.dropping_particle || '` + nameSep + `' || pe.non_dropping_particle
		|| '` + nameSep + `' || pe.family || '` + nameSep + `' || pe.suffix || '` + nameSep + `' || pe.literal, c.n
	FROM (SELECT co.person_id AS id, COUNT(DISTINCT co.publication_id) AS n FROM m
	CROSS JOIN contributions co WHERE co.publication_id = m.id GROUP BY co.person_id) c JOIN people pe ON pe.id = c.id`
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
		if kind == "expert" {
			v.Name = displayName(v.Name)
		}
		switch kind {
		case "type":
			res.Total += v.Count
			res.Facets.Types = append(res.Facets.Types, v)
		case "topic":
			res.Facets.Topics = append(res.Facets.Topics, v)
		case "region":
			res.Facets.Regions = append(res.Facets.Regions, v)
		case "expert":
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
func filters(q Query) (string, []any) {
	var b strings.Builder
	var args []any
	if q.Type != "" {
		b.WriteString(` AND p.type = ?`)
		args = append(args, string(q.Type))
	}
	// IN over the link table's own index, rather than EXISTS per row:
	// without words, SQLite then reads a topic's publications from the
	// index instead of testing every publication.
	if q.Topic != "" {
		b.WriteString(` AND p.id IN (SELECT ft.publication_id FROM publication_topics ft JOIN topics t ON t.id = ft.topic_id
			WHERE t.slug = ?)`)
		args = append(args, q.Topic)
	}
	if q.Region != "" {
		b.WriteString(` AND p.id IN (SELECT fr.publication_id FROM publication_regions fr JOIN regions r ON r.id = fr.region_id
			WHERE r.slug = ?)`)
		args = append(args, q.Region)
	}
	if q.Expert != "" {
		b.WriteString(` AND p.id IN (SELECT fc.publication_id FROM contributions fc JOIN people fp ON fp.id = fc.person_id
			WHERE fp.slug = ?)`)
		args = append(args, q.Expert)
	}
	if q.From != 0 {
		b.WriteString(` AND p.issued_sort >= ?`)
		args = append(args, q.From)
	}
	if q.To != 0 {
		b.WriteString(` AND p.issued_sort <= ?`)
		args = append(args, q.To)
	}
	return b.String(), args
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
