package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
func (s *Store) SetRelatedList(ctx context.Context, id int64, entries []store.RelatedEntry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM publications WHERE id = ?`), id).Scan(new(int))
		if isNoRows(err) {
			return notFound("publication %d", id)
		}
		if err != nil {
			return err
		}
		return s.setRelatedList(ctx, tx, id, entries)
	})
	if err != nil {
		return fmt.Errorf("store related list of publication %d: %w", id, err)
	}
	return nil
}

// SetRelatedLists implements store.RelatedLists.
func (s *Store) SetRelatedLists(ctx context.Context, lists map[int64][]store.RelatedEntry) error {
	ids := make([]int64, 0, len(lists))
	for id := range lists {
		ids = append(ids, id)
	}
	// One order for every writer, so that two refreshes cannot deadlock.
	slices.Sort(ids)
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM publications WHERE id = ?`), id).Scan(new(int))
			if isNoRows(err) {
				continue
			}
			if err != nil {
				return err
			}
			if err := s.setRelatedList(ctx, tx, id, lists[id]); err != nil {
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

func (s *Store) setRelatedList(ctx context.Context, tx *sql.Tx, id int64, entries []store.RelatedEntry) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM related_lists WHERE publication_id = ?`), id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM related_ranked WHERE publication_id = ?`), id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO related_ranked (publication_id, computed_at) VALUES (?, ?)`),
		id, micros(s.timestamp())); err != nil {
		return err
	}
	for i, e := range entries {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO related_lists (publication_id, rank, related_id, score, reasons)
			VALUES (?, ?, ?, ?, ?)`), id, i+1, e.ID, int64(e.Score*scoreScale+0.5), e.Reasons); err != nil {
			return s.classify(err, fmt.Sprintf("entry %d (publication %d)", i+1, e.ID))
		}
	}
	return nil
}

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

// RelatedNeighbours implements store.RelatedLists. Each term costs one
// count and one scan of its postings, driven by the term column's index.
func (s *Store) RelatedNeighbours(ctx context.Context, ids []int64, terms store.Terms, maxCarriers int) ([]int64, error) {
	seen := map[int64]bool{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		for _, k := range []struct {
			table, column string
			terms         []int64
		}{
			{"publication_topics", "topic_id", terms.Topics},
			{"publication_regions", "region_id", terms.Regions},
			{"contributions", "person_id", terms.People},
		} {
			count := `SELECT COUNT(DISTINCT l.publication_id) FROM ` + k.table + ` l
				JOIN publications p ON p.id = l.publication_id
				WHERE l.` + k.column + ` = ? AND ` + visible
			carriers := `SELECT DISTINCT publication_id FROM ` + k.table + ` WHERE ` + k.column + ` = ?`
			for _, t := range k.terms {
				var n int
				if err := tx.QueryRowContext(ctx, s.q(count), t).Scan(&n); err != nil {
					return fmt.Errorf("carriers of %s %d: %w", k.column, t, err)
				}
				if n > maxCarriers {
					continue
				}
				if err := s.collect(ctx, tx, seen, carriers, t); err != nil {
					return fmt.Errorf("carriers of %s %d: %w", k.column, t, err)
				}
			}
		}
		if len(ids) == 0 {
			return nil
		}
		in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
		args := make([]any, len(ids))
		for i, id := range ids {
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
		return nil, fmt.Errorf("related neighbours of publications %v: %w", ids, err)
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

// PublicationIDs implements store.RelatedLists.
func (s *Store) PublicationIDs(ctx context.Context) ([]int64, error) {
	var out []int64
	err := s.read(ctx, func(tx *sql.Tx) error {
		seen := map[int64]bool{}
		if err := s.collect(ctx, tx, seen, `SELECT id FROM publications`); err != nil {
			return err
		}
		for id := range seen {
			out = append(out, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publication IDs: %w", err)
	}
	slices.Sort(out)
	return out, nil
}
