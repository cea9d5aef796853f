package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

var _ store.RelatedLists = (*Store)(nil)

// scoreScale stores scores as integers in millionths, which both engines
// keep exactly.
const scoreScale = 1e6

// RelatedList implements store.RelatedLists with one read by primary key:
// the page's cost does not grow with the catalogue.
func (s *Store) RelatedList(ctx context.Context, id int64) ([]store.RelatedEntry, bool, error) {
	var out []store.RelatedEntry
	found := false
	err := s.read(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM related_ranked WHERE publication_id = ?`), id).Scan(new(int))
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		rows, err := tx.QueryContext(ctx, s.q(`SELECT l.related_id, l.score, l.reasons
			FROM related_lists l JOIN publications p ON p.id = l.related_id
			WHERE l.publication_id = ? AND `+visible+`
			ORDER BY l.rank`), id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.RelatedEntry
			var score int64
			if err := rows.Scan(&e.ID, &score, &e.Reasons); err != nil {
				return err
			}
			e.Score = float64(score) / scoreScale
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, false, fmt.Errorf("related list of publication %d: %w", id, err)
	}
	return out, found, nil
}

// SetRelatedList implements store.RelatedLists.
func (s *Store) SetRelatedList(ctx context.Context, id int64, list store.RankedList) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		w := s.listWriter(tx)
		defer w.close()
		ok, err := w.set(ctx, id, list)
		if err == nil && !ok {
			err = notFound("publication %d", id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("store related list of publication %d: %w", id, err)
	}
	return nil
}

// SetRelatedLists implements store.RelatedLists.
func (s *Store) SetRelatedLists(ctx context.Context, lists map[int64]store.RankedList) error {
	ids := make([]int64, 0, len(lists))
	for id := range lists {
		ids = append(ids, id)
	}
	// One order for every writer, so that two refreshes cannot deadlock.
	slices.Sort(ids)
	err := s.write(ctx, func(tx *sql.Tx) error {
		w := s.listWriter(tx)
		defer w.close()
		for _, id := range ids {
			if _, err := w.set(ctx, id, lists[id]); err != nil {
				return fmt.Errorf("publication %d: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store %d related lists: %w", len(lists), err)
	}
	return nil
}

// listWriter stores lists in one transaction with statements prepared
// once: a rebuild stores one list per publication of the catalogue.
type listWriter struct {
	s     *Store
	tx    *sql.Tx
	stmts map[string]*sql.Stmt // by query text
}

func (s *Store) listWriter(tx *sql.Tx) *listWriter {
	return &listWriter{s: s, tx: tx, stmts: map[string]*sql.Stmt{}}
}

func (w *listWriter) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(ctx, w.s.q(query))
	if err != nil {
		return nil, err
	}
	w.stmts[query] = st
	return st, nil
}

func (w *listWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// set replaces the list of publication id, and reports false, storing
// nothing, when the publication does not exist.
func (w *listWriter) set(ctx context.Context, id int64, list store.RankedList) (bool, error) {
	// The upsert writes the ranked row only when the publication exists;
	// its triggers tell other servers the site changed.
	rank, err := w.stmt(ctx, `INSERT INTO related_ranked (publication_id, computed_at, floor)
		SELECT id, ?, ? FROM publications WHERE id = ?
		ON CONFLICT (publication_id) DO UPDATE SET computed_at = excluded.computed_at, floor = excluded.floor`)
	if err != nil {
		return false, err
	}
	entries := list.Entries
	res, err := rank.ExecContext(ctx, micros(w.s.timestamp()), scaled(list.Floor), id)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	del, err := w.stmt(ctx, `DELETE FROM related_lists WHERE publication_id = ?`)
	if err != nil {
		return false, err
	}
	if _, err := del.ExecContext(ctx, id); err != nil {
		return false, err
	}
	for start := 0; start < len(entries); start += maxEntriesPerInsert {
		chunk := entries[start:min(len(entries), start+maxEntriesPerInsert)]
		ins, err := w.stmt(ctx, `INSERT INTO related_lists (publication_id, rank, related_id, score, reasons) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", len(chunk)), ", "))
		if err != nil {
			return false, err
		}
		args := make([]any, 0, 5*len(chunk))
		for i, e := range chunk {
			args = append(args, id, start+i+1, e.ID, scaled(e.Score), e.Reasons)
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return false, w.s.classify(err, w.culprit(ctx, start, chunk))
		}
	}
	return true, nil
}

// culprit names what in a chunk of entries failed to insert: the first
// entry naming a publication that does not exist when it can still ask
// (PostgreSQL refuses every statement after a failed one until the
// transaction ends), the chunk otherwise.
func (w *listWriter) culprit(ctx context.Context, start int, chunk []store.RelatedEntry) string {
	for i, e := range chunk {
		err := w.tx.QueryRowContext(ctx, w.s.q(`SELECT 1 FROM publications WHERE id = ?`), e.ID).Scan(new(int))
		if isNoRows(err) {
			return fmt.Sprintf("entry %d (publication %d)", start+i+1, e.ID)
		}
		if err != nil {
			break
		}
	}
	ids := make([]string, len(chunk))
	for i, e := range chunk {
		ids[i] = strconv.FormatInt(e.ID, 10)
	}
	return fmt.Sprintf("entries %d to %d (publications %s)", start+1, start+len(chunk), strings.Join(ids, ", "))
}

// scaled is a score as stored.
func scaled(score float64) int64 { return int64(math.Round(score * scoreScale)) }

// maxEntriesPerInsert keeps one INSERT's parameters well under SQLite's
// limit of 32,766.
const maxEntriesPerInsert = 100

// RelatedCatalogue implements store.RelatedLists with five scans, each in
// the order of its primary key or index.
func (s *Store) RelatedCatalogue(ctx context.Context) (*store.Catalogue, error) {
	cat := &store.Catalogue{Published: map[int64]bool{}, Overrides: map[int64][]int64{}}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, slug, type, issued_sort, status, deleted_at FROM publications ORDER BY id`)
		if err != nil {
			return err
		}
		index := map[int64]int{}
		for rows.Next() {
			var f store.Facets
			var typ, status string
			var deleted sql.NullInt64
			if err := rows.Scan(&f.ID, &f.Slug, &typ, &f.SortKey, &status, &deleted); err != nil {
				rows.Close()
				return err
			}
			f.Type = model.Type(typ)
			// In the trash is as good as unpublished to ranking.
			if model.Status(status) == model.StatusPublished && !deleted.Valid {
				cat.Published[f.ID] = true
			}
			index[f.ID] = len(cat.Publications)
			cat.Publications = append(cat.Publications, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range []struct {
			query string
			terms func(f *store.Facets) *[]int64
		}{
			{`SELECT publication_id, topic_id FROM publication_topics ORDER BY publication_id, position`, func(f *store.Facets) *[]int64 { return &f.Topics }},
			{`SELECT publication_id, region_id FROM publication_regions ORDER BY publication_id, position`, func(f *store.Facets) *[]int64 { return &f.Regions }},
			{`SELECT publication_id, person_id FROM contributions ORDER BY publication_id, position`, func(f *store.Facets) *[]int64 { return &f.People }},
			{`SELECT publication_id, related_id FROM related_overrides ORDER BY publication_id, position`, nil},
		} {
			rows, err := tx.QueryContext(ctx, k.query)
			if err != nil {
				return err
			}
			for rows.Next() {
				var pub, term int64
				if err := rows.Scan(&pub, &term); err != nil {
					rows.Close()
					return err
				}
				if k.terms == nil {
					cat.Overrides[pub] = append(cat.Overrides[pub], term)
					continue
				}
				i, ok := index[pub]
				if !ok {
					continue
				}
				if t := k.terms(&cat.Publications[i]); !slices.Contains(*t, term) {
					*t = append(*t, term)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("related catalogue: %w", err)
	}
	return cat, nil
}

// termTables are the link tables of the three kinds of terms.
var termTables = []struct{ table, column string }{
	{"publication_topics", "topic_id"},
	{"publication_regions", "region_id"},
	{"contributions", "person_id"},
}

// kinds returns the terms of t by kind, in termTables' order.
func kinds(t store.Terms) [][]int64 { return [][]int64{t.Topics, t.Regions, t.People} }

// RelatedTermCounts implements store.RelatedLists with one count per term,
// driven by the term column's index.
func (s *Store) RelatedTermCounts(ctx context.Context, terms store.Terms) (*store.TermCounts, error) {
	c := &store.TermCounts{Topics: map[int64]int{}, Regions: map[int64]int{}, People: map[int64]int{}}
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM publications p WHERE `+visible).Scan(&c.Total); err != nil {
			return err
		}
		into := []map[int64]int{c.Topics, c.Regions, c.People}
		for k, ids := range kinds(terms) {
			tt := termTables[k]
			count := `SELECT COUNT(DISTINCT l.publication_id) FROM ` + tt.table + ` l
				JOIN publications p ON p.id = l.publication_id
				WHERE l.` + tt.column + ` = ? AND ` + visible
			for _, t := range ids {
				var n int
				if err := tx.QueryRowContext(ctx, s.q(count), t).Scan(&n); err != nil {
					return fmt.Errorf("carriers of %s %d: %w", tt.column, t, err)
				}
				into[k][t] = n
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("related term counts: %w", err)
	}
	return c, nil
}

// RelatedNeighbours implements store.RelatedLists. Each term costs one
// scan of its postings, driven by the term column's index; a broad term's
// also reads each carrier's ranked row by key.
func (s *Store) RelatedNeighbours(ctx context.Context, q store.NeighbourQuery) ([]int64, error) {
	seen := map[int64]bool{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		for k, ids := range kinds(q.Terms) {
			tt := termTables[k]
			all := `SELECT DISTINCT publication_id FROM ` + tt.table + ` WHERE ` + tt.column + ` = ?`
			for _, t := range ids {
				if err := s.collect(ctx, tx, seen, all, t); err != nil {
					return fmt.Errorf("carriers of %s %d: %w", tt.column, t, err)
				}
			}
		}
		// The most each carrier of broad terms could score against the
		// changed publications, and its list's floor (-1: no list).
		type carrier struct {
			reach float64
			floor int64
		}
		carriers := map[int64]*carrier{}
		for _, b := range q.Broad {
			if int(b.Kind) >= len(termTables) || b.Kind < 0 {
				return fmt.Errorf("term %d of unknown kind %d", b.ID, b.Kind)
			}
			tt := termTables[b.Kind]
			rows, err := tx.QueryContext(ctx, s.q(`SELECT DISTINCT l.publication_id, COALESCE(r.floor, -1) FROM `+tt.table+` l
				LEFT JOIN related_ranked r ON r.publication_id = l.publication_id
				WHERE l.`+tt.column+` = ?`), b.ID)
			if err != nil {
				return fmt.Errorf("carriers of %s %d: %w", tt.column, b.ID, err)
			}
			for rows.Next() {
				var id, floor int64
				if err := rows.Scan(&id, &floor); err != nil {
					rows.Close()
					return fmt.Errorf("carriers of %s %d: %w", tt.column, b.ID, err)
				}
				c := carriers[id]
				if c == nil {
					c = &carrier{reach: q.Bonus, floor: floor}
					carriers[id] = c
				}
				c.reach += b.Weight
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("carriers of %s %d: %w", tt.column, b.ID, err)
			}
		}
		for id, c := range carriers {
			if c.floor < 0 || c.floor <= scaled(c.reach) {
				seen[id] = true
			}
		}
		if len(q.IDs) == 0 {
			return nil
		}
		in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(q.IDs)), ",") + ")"
		args := make([]any, len(q.IDs))
		for i, id := range q.IDs {
			args[i] = id
		}
		if err := s.collect(ctx, tx, seen, `SELECT DISTINCT publication_id FROM related_lists WHERE related_id IN `+in, args...); err != nil {
			return fmt.Errorf("lists naming them: %w", err)
		}
		if err := s.collect(ctx, tx, seen, `SELECT DISTINCT publication_id FROM related_overrides WHERE related_id IN `+in, args...); err != nil {
			return fmt.Errorf("overrides naming them: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("related neighbours of publications %v: %w", q.IDs, err)
	}
	out := make([]int64, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// collect adds the integers query returns to seen.
func (s *Store) collect(ctx context.Context, tx *sql.Tx, seen map[int64]bool, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		seen[id] = true
	}
	return rows.Err()
}
