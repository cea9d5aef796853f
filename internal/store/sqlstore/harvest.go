package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

var _ store.Harvester = (*Store)(nil)

// bury records, inside tx, that the publication with the given ID stops
// being visible under its current slug: when it is published, outside the
// trash, and newSlug is "" (deleted, unpublished or trashed) or another
// slug, its slug, type, topics and regions are kept as a tombstone dated
// at. A draft leaves nothing: no harvester has seen it; nor does a
// publication in the trash, which left its tombstone when it went there.
func (s *Store) bury(ctx context.Context, tx *sql.Tx, id int64, newSlug string, at time.Time) error {
	var slug, typ, status string
	var deleted sql.NullInt64
	err := tx.QueryRowContext(ctx, s.q(`SELECT slug, type, status, deleted_at FROM publications WHERE id = ?`), id).
		Scan(&slug, &typ, &status, &deleted)
	if isNoRows(err) {
		return nil // the caller reports the missing publication
	}
	if err != nil {
		return fmt.Errorf("tombstone of publication %d: %w", id, err)
	}
	if status != string(model.StatusPublished) || deleted.Valid || slug == newSlug {
		return nil
	}
	return s.entomb(ctx, tx, id, slug, typ, at)
}

// entomb writes, inside tx, the tombstone of the publication with the
// given ID, slug and type, dated at, with the slugs of its topics and
// regions, replacing any tombstone under slug.
func (s *Store) entomb(ctx context.Context, tx *sql.Tx, id int64, slug, typ string, at time.Time) error {
	var sets [2]string
	for i, k := range []struct{ table, link, column string }{
		{"topics", "publication_topics", "topic_id"},
		{"regions", "publication_regions", "region_id"},
	} {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT t.slug FROM `+k.link+` l JOIN `+k.table+` t ON t.id = l.`+k.column+`
			WHERE l.publication_id = ? ORDER BY l.position`), id)
		if err != nil {
			return fmt.Errorf("tombstone of publication %d: %s: %w", id, k.table, err)
		}
		var slugs []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return fmt.Errorf("tombstone of publication %d: %s: %w", id, k.table, err)
			}
			slugs = append(slugs, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("tombstone of publication %d: %s: %w", id, k.table, err)
		}
		sets[i] = joinSlugs(slugs)
	}
	if err := s.unbury(ctx, tx, slug); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO publication_tombstones (slug, publication_id, type, topics, regions, deleted_at)
		VALUES (?, ?, ?, ?, ?, ?)`), slug, id, typ, sets[0], sets[1], micros(at))
	if err != nil {
		return fmt.Errorf("tombstone of publication %d (%q): %w", id, slug, err)
	}
	return nil
}

// unbury removes the tombstone under slug, because a publication is
// published under it again.
func (s *Store) unbury(ctx context.Context, tx *sql.Tx, slug string) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM publication_tombstones WHERE slug = ?`), slug); err != nil {
		return fmt.Errorf("remove tombstone %q: %w", slug, err)
	}
	return nil
}

// joinSlugs stores slugs between spaces, so that LIKE '% slug %' finds
// one without matching a longer slug that contains it.
func joinSlugs(slugs []string) string {
	if len(slugs) == 0 {
		return ""
	}
	return " " + strings.Join(slugs, " ") + " "
}

func splitSlugs(s string) []string { return strings.Fields(s) }

// Tombstone implements store.Harvester.
func (s *Store) Tombstone(ctx context.Context, slug string) (*store.Tombstone, error) {
	var t store.Tombstone
	var typ, topics, regions string
	var at int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT slug, publication_id, type, topics, regions, deleted_at
		FROM publication_tombstones WHERE slug = ?`), slug).Scan(&t.Slug, &t.PublicationID, &typ, &topics, &regions, &at)
	if isNoRows(err) {
		return nil, notFound("tombstone %q", slug)
	}
	if err != nil {
		return nil, fmt.Errorf("read tombstone %q: %w", slug, err)
	}
	t.Type, t.Topics, t.Regions, t.DeletedAt = model.Type(typ), splitSlugs(topics), splitSlugs(regions), fromMicros(at)
	return &t, nil
}

// EarliestDatestamp implements store.Harvester.
func (s *Store) EarliestDatestamp(ctx context.Context) (time.Time, error) {
	var a, b sql.NullInt64
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`SELECT MIN(p.updated_at) FROM publications p WHERE `+visible)).Scan(&a); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, s.q(`SELECT MIN(deleted_at) FROM publication_tombstones`)).Scan(&b)
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("earliest datestamp: %w", err)
	}
	switch {
	case a.Valid && b.Valid:
		return fromMicros(min(a.Int64, b.Int64)), nil
	case a.Valid:
		return fromMicros(a.Int64), nil
	case b.Valid:
		return fromMicros(b.Int64), nil
	}
	return time.Time{}, nil
}

// harvestBranch builds the WHERE clause of one side of the harvest union:
// the live publications or the tombstones. A page (withKey) tests a
// publication's topics and regions with EXISTS, so that the engine walks
// the change-time index and stops after a page of matches; a count lists
// the set's publications with IN instead, which is cheaper than testing
// every publication.
func harvestBranch(q store.HarvestQuery, tombstones bool, withKey bool) (string, []any) {
	ds, slug, typ := "p.updated_at", "p.slug", "p.type"
	var conds []string
	var args []any
	if tombstones {
		ds, slug, typ = "g.deleted_at", "g.slug", "g.type"
	} else {
		conds = append(conds, visible)
	}
	if !q.From.IsZero() {
		conds = append(conds, ds+" >= ?")
		args = append(args, micros(q.From))
	}
	if !q.Until.IsZero() {
		conds = append(conds, ds+" <= ?")
		args = append(args, micros(q.Until))
	}
	if q.Type != "" {
		conds = append(conds, typ+" = ?")
		args = append(args, string(q.Type))
	}
	for _, f := range []struct {
		slugs               []string
		table, link, column string
		stored              string
	}{
		{q.Topics, "topics", "publication_topics", "topic_id", "g.topics"},
		{q.Regions, "regions", "publication_regions", "region_id", "g.regions"},
	} {
		if f.slugs == nil {
			continue
		}
		if len(f.slugs) == 0 {
			conds = append(conds, "1 = 0")
			continue
		}
		if tombstones {
			var or []string
			for _, v := range f.slugs {
				or = append(or, f.stored+" LIKE ?")
				args = append(args, "% "+v+" %")
			}
			conds = append(conds, "("+strings.Join(or, " OR ")+")")
			continue
		}
		if withKey {
			conds = append(conds, `EXISTS (SELECT 1 FROM `+f.link+` l JOIN `+f.table+` t ON t.id = l.`+f.column+`
				WHERE l.publication_id = p.id AND t.slug IN (`+placeholders(len(f.slugs))+`))`)
		} else {
			conds = append(conds, `p.id IN (SELECT l.publication_id FROM `+f.link+` l JOIN `+f.table+` t ON t.id = l.`+f.column+`
				WHERE t.slug IN (`+placeholders(len(f.slugs))+`))`)
		}
		for _, v := range f.slugs {
			args = append(args, v)
		}
	}
	if withKey && q.After != nil {
		at := micros(q.After.Datestamp)
		conds = append(conds, "("+ds+" > ? OR ("+ds+" = ? AND "+slug+" > ?))")
		args = append(args, at, at, q.After.Slug)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Harvest implements store.Harvester. Both sides of the union are cut by
// the key and the limit before they are merged, so that a page costs an
// index range scan on each table, not a sort of everything.
func (s *Store) Harvest(ctx context.Context, q store.HarvestQuery) (*store.HarvestPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	limit = min(limit, store.MaxLimit)
	for _, v := range append(append([]string{}, q.Topics...), q.Regions...) {
		if !model.ValidSlug(v) {
			return nil, fmt.Errorf("harvest: set slug %q: %w", v, store.ErrInvalid)
		}
	}
	liveAll, liveAllArgs := harvestBranch(q, false, false)
	goneAll, goneAllArgs := harvestBranch(q, true, false)
	live, liveArgs := harvestBranch(q, false, true)
	gone, goneArgs := harvestBranch(q, true, true)

	page := &store.HarvestPage{}
	type row struct {
		key  store.HarvestKey
		id   int64
		gone bool
	}
	var rows []row
	err := s.read(ctx, func(tx *sql.Tx) error {
		if q.Count {
			var a, b int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM publications p`+liveAll), liveAllArgs...).Scan(&a); err != nil {
				return fmt.Errorf("count publications: %w", err)
			}
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM publication_tombstones g`+goneAll), goneAllArgs...).Scan(&b); err != nil {
				return fmt.Errorf("count tombstones: %w", err)
			}
			page.Total = a + b
		}
		args := append(append(append([]any{}, liveArgs...), limit+1), append(goneArgs, limit+1)...)
		args = append(args, limit+1)
		rs, err := tx.QueryContext(ctx, s.q(`SELECT ds, slug, id, gone FROM (
			SELECT * FROM (SELECT p.updated_at AS ds, p.slug AS slug, p.id AS id, 0 AS gone FROM publications p`+live+`
				ORDER BY p.updated_at, p.slug LIMIT ?) a
			UNION ALL
			SELECT * FROM (SELECT g.deleted_at AS ds, g.slug AS slug, g.publication_id AS id, 1 AS gone FROM publication_tombstones g`+gone+`
				ORDER BY g.deleted_at, g.slug LIMIT ?) b
		) h ORDER BY ds, slug LIMIT ?`), args...)
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		defer rs.Close()
		for rs.Next() {
			var r row
			var ds int64
			var gone int
			if err := rs.Scan(&ds, &r.key.Slug, &r.id, &gone); err != nil {
				return fmt.Errorf("list: %w", err)
			}
			r.key.Datestamp, r.gone = fromMicros(ds), gone != 0
			rows = append(rows, r)
		}
		if err := rs.Err(); err != nil {
			return fmt.Errorf("list: %w", err)
		}
		rs.Close()
		if len(rows) > limit {
			rows, page.More = rows[:limit], true
		}
		var ids []int64
		for _, r := range rows {
			if !r.gone {
				ids = append(ids, r.id)
			}
		}
		pubs := map[int64]*model.Publication{}
		for _, chunk := range chunks(ids, 500) {
			rs, err := tx.QueryContext(ctx, s.q(`SELECT `+pubColumns+` FROM publications p WHERE p.id IN (`+placeholders(len(chunk))+`)`), int64Args(chunk)...)
			if err != nil {
				return fmt.Errorf("read publications: %w", err)
			}
			var ps []*model.Publication
			for rs.Next() {
				p := new(model.Publication)
				if err := scanPublication(rs, p); err != nil {
					rs.Close()
					return fmt.Errorf("read publications: %w", err)
				}
				ps = append(ps, p)
				pubs[p.ID] = p
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return fmt.Errorf("read publications: %w", err)
			}
			if err := s.loadLinks(ctx, tx, ps); err != nil {
				return fmt.Errorf("read publications: %w", err)
			}
		}
		page.Items = make([]store.HarvestItem, 0, len(rows))
		for _, r := range rows {
			it := store.HarvestItem{Key: r.key}
			if r.gone {
				t := store.Tombstone{Slug: r.key.Slug, PublicationID: r.id, DeletedAt: r.key.Datestamp}
				var typ, topics, regions string
				if err := tx.QueryRowContext(ctx, s.q(`SELECT type, topics, regions FROM publication_tombstones WHERE slug = ?`), r.key.Slug).
					Scan(&typ, &topics, &regions); err != nil {
					return fmt.Errorf("read tombstone %q: %w", r.key.Slug, err)
				}
				t.Type, t.Topics, t.Regions = model.Type(typ), splitSlugs(topics), splitSlugs(regions)
				it.Tombstone = &t
			} else {
				it.Publication = pubs[r.id]
				if it.Publication == nil {
					return fmt.Errorf("publication %d vanished while read", r.id)
				}
			}
			page.Items = append(page.Items, it)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("harvest %+v: %w", q, err)
	}
	return page, nil
}

// Stamps implements store.Harvester.
func (s *Store) Stamps(ctx context.Context, after string, limit int) ([]store.Stamp, error) {
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	limit = min(limit, store.MaxStamps)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT p.slug, p.updated_at FROM publications p
		WHERE `+visible+` AND p.slug > ? ORDER BY p.slug LIMIT ?`), after, limit)
	if err != nil {
		return nil, fmt.Errorf("stamps after %q: %w", after, err)
	}
	defer rows.Close()
	var out []store.Stamp
	for rows.Next() {
		var st store.Stamp
		var at int64
		if err := rows.Scan(&st.Slug, &at); err != nil {
			return nil, fmt.Errorf("stamps after %q: %w", after, err)
		}
		st.UpdatedAt = fromMicros(at)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stamps after %q: %w", after, err)
	}
	return out, nil
}
