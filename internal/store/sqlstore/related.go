package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// candidatesCTE names the published publications other than the one bound
// to its three parameters that share a topic, region or contributor with
// it. It is written without lists of IDs so that a popular topic cannot
// exceed the engines' limits on bound parameters.
const candidatesCTE = `WITH candidate (id) AS (
	SELECT l.publication_id FROM publication_topics l
		JOIN publication_topics m ON m.topic_id = l.topic_id AND m.publication_id = ?
	UNION SELECT l.publication_id FROM publication_regions l
		JOIN publication_regions m ON m.region_id = l.region_id AND m.publication_id = ?
	UNION SELECT l.publication_id FROM contributions l
		JOIN contributions m ON m.person_id = l.person_id AND m.publication_id = ?
), cand (id) AS (
	SELECT p.id FROM publications p JOIN candidate c ON c.id = p.id
	WHERE p.status = 'published' AND p.id <> ?
) `

// RelatedCandidates implements store.Store.
func (s *Store) RelatedCandidates(ctx context.Context, id int64) (*store.RelatedSet, error) {
	set := &store.RelatedSet{
		TopicCount:  map[int64]int{},
		RegionCount: map[int64]int{},
		PersonCount: map[int64]int{},
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var typ string
		err := tx.QueryRowContext(ctx, s.q(`SELECT id, slug, type, issued_sort FROM publications WHERE id = ?`), id).
			Scan(&set.Self.ID, &set.Self.Slug, &typ, &set.Self.SortKey)
		if isNoRows(err) {
			return notFound("publication %d", id)
		}
		if err != nil {
			return err
		}
		set.Self.Type = model.Type(typ)

		selfIDs := map[int64]*store.Facets{id: &set.Self}
		if err := s.loadFacetTerms(ctx, tx, "", `SELECT CAST(? AS BIGINT) AS id`, []any{id}, selfIDs); err != nil {
			return err
		}

		rows, err := tx.QueryContext(ctx, s.q(`SELECT r.related_id FROM related_overrides r
			JOIN publications p ON p.id = r.related_id
			WHERE r.publication_id = ? AND p.status = 'published' ORDER BY r.position`), id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				rows.Close()
				return err
			}
			set.Overrides = append(set.Overrides, rid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM publications WHERE status = 'published'`).Scan(&set.Total); err != nil {
			return err
		}
		for _, c := range []struct {
			query  string
			counts map[int64]int
		}{
			{`SELECT l.topic_id, COUNT(*) FROM publication_topics l JOIN publications p ON p.id = l.publication_id
				WHERE p.status = 'published' AND l.topic_id IN (SELECT topic_id FROM publication_topics WHERE publication_id = ?)
				GROUP BY l.topic_id`, set.TopicCount},
			{`SELECT l.region_id, COUNT(*) FROM publication_regions l JOIN publications p ON p.id = l.publication_id
				WHERE p.status = 'published' AND l.region_id IN (SELECT region_id FROM publication_regions WHERE publication_id = ?)
				GROUP BY l.region_id`, set.RegionCount},
			{`SELECT l.person_id, COUNT(DISTINCT l.publication_id) FROM contributions l JOIN publications p ON p.id = l.publication_id
				WHERE p.status = 'published' AND l.person_id IN (SELECT person_id FROM contributions WHERE publication_id = ?)
				GROUP BY l.person_id`, set.PersonCount},
		} {
			if err := scanCounts(ctx, tx, s.q(c.query), id, c.counts); err != nil {
				return err
			}
		}

		args := []any{id, id, id, id}
		rows, err = tx.QueryContext(ctx, s.q(candidatesCTE+`SELECT p.id, p.slug, p.type, p.issued_sort
			FROM publications p JOIN cand ON cand.id = p.id ORDER BY p.id`), args...)
		if err != nil {
			return err
		}
		var cands []*store.Facets
		byID := map[int64]*store.Facets{}
		for rows.Next() {
			f := new(store.Facets)
			var typ string
			if err := rows.Scan(&f.ID, &f.Slug, &typ, &f.SortKey); err != nil {
				rows.Close()
				return err
			}
			f.Type = model.Type(typ)
			cands = append(cands, f)
			byID[f.ID] = f
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := s.loadFacetTerms(ctx, tx, candidatesCTE, `SELECT id FROM cand`, args, byID); err != nil {
			return err
		}
		set.Candidates = make([]store.Facets, len(cands))
		for i, f := range cands {
			set.Candidates[i] = *f
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("related candidates of publication %d: %w", id, err)
	}
	return set, nil
}

// loadFacetTerms fills the topics, regions and people of the facets in
// byID; idsQuery selects their IDs, after the common table expressions in
// with.
func (s *Store) loadFacetTerms(ctx context.Context, tx *sql.Tx, with, idsQuery string, args []any, byID map[int64]*store.Facets) error {
	for _, k := range []struct {
		query string
		add   func(f *store.Facets, id int64)
	}{
		{`SELECT publication_id, topic_id FROM publication_topics WHERE publication_id IN (` + idsQuery + `) ORDER BY publication_id, position`,
			func(f *store.Facets, id int64) { f.Topics = append(f.Topics, id) }},
		{`SELECT publication_id, region_id FROM publication_regions WHERE publication_id IN (` + idsQuery + `) ORDER BY publication_id, position`,
			func(f *store.Facets, id int64) { f.Regions = append(f.Regions, id) }},
		{`SELECT publication_id, person_id FROM contributions WHERE publication_id IN (` + idsQuery + `) ORDER BY publication_id, position`,
			func(f *store.Facets, id int64) {
				for _, p := range f.People {
					if p == id {
						return
					}
				}
				f.People = append(f.People, id)
			}},
	} {
		rows, err := tx.QueryContext(ctx, s.q(with+k.query), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var pubID, termID int64
			if err := rows.Scan(&pubID, &termID); err != nil {
				rows.Close()
				return err
			}
			if f := byID[pubID]; f != nil {
				k.add(f, termID)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func scanCounts(ctx context.Context, tx *sql.Tx, query string, id int64, into map[int64]int) error {
	rows, err := tx.QueryContext(ctx, query, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k int64
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		into[k] = n
	}
	return rows.Err()
}
