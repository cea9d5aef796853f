package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// postings are, for each kind of term, the query listing every other
// visible publication (published, not in the trash) that carries one of
// the terms of publication ?,
// with the term: the inverted index read from the link tables. Each is
// driven by the index on the term column, so its cost follows how many
// publications share a term, not the size of the catalogue.
var postings = []struct {
	kind  string
	query string
}{
	{"topic", `SELECT l.publication_id, l.topic_id, p.slug, p.type, p.issued_sort
		FROM publication_topics l JOIN publications p ON p.id = l.publication_id
		WHERE l.topic_id IN (SELECT topic_id FROM publication_topics WHERE publication_id = ?)
		AND p.status = 'published' AND p.deleted_at IS NULL AND p.id <> ?
		ORDER BY l.publication_id, l.position`},
	{"region", `SELECT l.publication_id, l.region_id, p.slug, p.type, p.issued_sort
		FROM publication_regions l JOIN publications p ON p.id = l.publication_id
		WHERE l.region_id IN (SELECT region_id FROM publication_regions WHERE publication_id = ?)
		AND p.status = 'published' AND p.deleted_at IS NULL AND p.id <> ?
		ORDER BY l.publication_id, l.position`},
	{"person", `SELECT l.publication_id, l.person_id, p.slug, p.type, p.issued_sort
		FROM contributions l JOIN publications p ON p.id = l.publication_id
		WHERE l.person_id IN (SELECT person_id FROM contributions WHERE publication_id = ?)
		AND p.status = 'published' AND p.deleted_at IS NULL AND p.id <> ?
		ORDER BY l.publication_id, l.position`},
}

// RelatedCandidates implements store.Store. Each candidate's Topics,
// Regions and People hold only the terms it shares with the publication.
func (s *Store) RelatedCandidates(ctx context.Context, id int64) (*store.RelatedSet, error) {
	set := &store.RelatedSet{
		TopicCount:  map[int64]int{},
		RegionCount: map[int64]int{},
		PersonCount: map[int64]int{},
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var typ, status string
		var deleted sql.NullInt64
		err := tx.QueryRowContext(ctx, s.q(`SELECT id, slug, type, issued_sort, status, deleted_at FROM publications WHERE id = ?`), id).
			Scan(&set.Self.ID, &set.Self.Slug, &typ, &set.Self.SortKey, &status, &deleted)
		if isNoRows(err) {
			return notFound("publication %d", id)
		}
		if err != nil {
			return err
		}
		set.Self.Type = model.Type(typ)
		selfCounts := 0
		if model.Status(status) == model.StatusPublished && !deleted.Valid {
			selfCounts = 1
		}

		for _, k := range []struct {
			query  string
			terms  *[]int64
			counts map[int64]int
		}{
			{`SELECT topic_id FROM publication_topics WHERE publication_id = ? ORDER BY position`, &set.Self.Topics, set.TopicCount},
			{`SELECT region_id FROM publication_regions WHERE publication_id = ? ORDER BY position`, &set.Self.Regions, set.RegionCount},
			{`SELECT person_id FROM contributions WHERE publication_id = ? ORDER BY position`, &set.Self.People, set.PersonCount},
		} {
			terms, err := s.int64s(ctx, tx, k.query, id)
			if err != nil {
				return err
			}
			for _, t := range terms {
				if !slices.Contains(*k.terms, t) {
					*k.terms = append(*k.terms, t)
					k.counts[t] = selfCounts
				}
			}
		}

		set.Overrides, err = s.int64s(ctx, tx, `SELECT r.related_id FROM related_overrides r
			JOIN publications p ON p.id = r.related_id
			WHERE r.publication_id = ? AND `+visible+` ORDER BY r.position`, id)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM publications p WHERE `+visible).Scan(&set.Total); err != nil {
			return err
		}

		byID := map[int64]*store.Facets{}
		for _, p := range postings {
			rows, err := tx.QueryContext(ctx, s.q(p.query), id, id)
			if err != nil {
				return fmt.Errorf("%s postings: %w", p.kind, err)
			}
			for rows.Next() {
				var pubID, term int64
				var slug, typ string
				var sortKey int
				if err := rows.Scan(&pubID, &term, &slug, &typ, &sortKey); err != nil {
					rows.Close()
					return fmt.Errorf("%s postings: %w", p.kind, err)
				}
				f := byID[pubID]
				if f == nil {
					f = &store.Facets{ID: pubID, Slug: slug, Type: model.Type(typ), SortKey: sortKey}
					byID[pubID] = f
				}
				var terms *[]int64
				var counts map[int64]int
				switch p.kind {
				case "topic":
					terms, counts = &f.Topics, set.TopicCount
				case "region":
					terms, counts = &f.Regions, set.RegionCount
				default:
					terms, counts = &f.People, set.PersonCount
				}
				// A person may hold two roles in one publication; count
				// the publication once.
				if !slices.Contains(*terms, term) {
					*terms = append(*terms, term)
					counts[term]++
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("%s postings: %w", p.kind, err)
			}
		}
		set.Candidates = make([]store.Facets, 0, len(byID))
		for _, f := range byID {
			set.Candidates = append(set.Candidates, *f)
		}
		slices.SortFunc(set.Candidates, func(a, b store.Facets) int { return cmp.Compare(a.ID, b.ID) })
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("related candidates of publication %d: %w", id, err)
	}
	return set, nil
}

// int64s runs a query with one argument returning one integer column.
func (s *Store) int64s(ctx context.Context, tx *sql.Tx, query string, arg any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, s.q(query), arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
