package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

var _ store.Lifecycle = (*Store)(nil)

// The SQL store is everything the editors' admin needs.
var _ store.Admin = (*Store)(nil)

// TrashPublication implements store.Lifecycle. Only deleted_at (and
// updated_at) change: status, links and related lists stay as they were,
// and every public read leaves the publication out by its deleted_at
// (the visible condition). A published one leaves a tombstone, in the
// same transaction, so that harvesters learn it is gone. The UPDATE comes
// first and only changes a publication outside the trash: of two editors
// trashing it at once, the second waits for the first's row lock and then
// finds nothing to do, rather than writing a second tombstone.
func (s *Store) TrashPublication(ctx context.Context, id int64, at time.Time) error {
	what := fmt.Sprintf("trash publication %d", id)
	if at.IsZero() {
		return fmt.Errorf("%s: %w: no time given", what, store.ErrInvalid)
	}
	at = fromMicros(micros(at))
	err := s.write(ctx, func(tx *sql.Tx) error {
		var slug, typ, status string
		err := tx.QueryRowContext(ctx, s.q(`UPDATE publications SET deleted_at = ?, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL RETURNING slug, type, status`),
			micros(at), micros(s.timestamp()), id).Scan(&slug, &typ, &status)
		if isNoRows(err) {
			return s.mustExist(ctx, tx, id) // already in the trash, or missing
		}
		if err != nil {
			return err
		}
		if model.Status(status) != model.StatusPublished {
			return nil // no harvester has seen it
		}
		return s.entomb(ctx, tx, id, slug, typ, at)
	})
	return s.classify(err, what)
}

// RestorePublication implements store.Lifecycle. A publication that was
// published comes back published, as re-publishing does: its tombstone
// goes and its datestamp moves, so that harvesters fetch it again.
// Restoring one that is not in the trash changes nothing.
func (s *Store) RestorePublication(ctx context.Context, id int64) error {
	what := fmt.Sprintf("restore publication %d", id)
	err := s.write(ctx, func(tx *sql.Tx) error {
		var slug, status string
		err := tx.QueryRowContext(ctx, s.q(`UPDATE publications SET deleted_at = NULL, updated_at = ?
			WHERE id = ? AND deleted_at IS NOT NULL RETURNING slug, status`), micros(s.timestamp()), id).Scan(&slug, &status)
		if isNoRows(err) {
			return s.mustExist(ctx, tx, id) // not in the trash, or missing
		}
		if err != nil {
			return err
		}
		if model.Status(status) == model.StatusPublished {
			return s.unbury(ctx, tx, slug)
		}
		return nil
	})
	return s.classify(err, what)
}

// mustExist reports ErrNotFound unless the publication exists.
func (s *Store) mustExist(ctx context.Context, tx *sql.Tx, id int64) error {
	err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM publications WHERE id = ?`), id).Scan(new(int))
	if isNoRows(err) {
		return notFound("publication %d", id)
	}
	return err
}

// PublishDue implements store.Lifecycle with one UPDATE … RETURNING: on
// PostgreSQL a second server running it at the same time waits for the
// first one's row locks and then finds those rows no longer scheduled; on
// SQLite writers take turns. So each publication is published, and its
// ID returned, once. Publications in the trash wait until they are
// restored. A tombstone left under the slug by an earlier unpublish goes
// in the same transaction; the search index follows by its triggers.
func (s *Store) PublishDue(ctx context.Context, now time.Time) ([]int64, error) {
	var ids []int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		ids = ids[:0] // a retried run starts again
		rows, err := tx.QueryContext(ctx, s.q(`UPDATE publications
			SET status = 'published', published_at = publish_at, publish_at = NULL, updated_at = ?
			WHERE status = 'scheduled' AND publish_at <= ? AND deleted_at IS NULL
			RETURNING id, slug`), micros(s.timestamp()), micros(now))
		if err != nil {
			return err
		}
		var slugs []string
		for rows.Next() {
			var id int64
			var slug string
			if err := rows.Scan(&id, &slug); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			slugs = append(slugs, slug)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, slug := range slugs {
			if err := s.unbury(ctx, tx, slug); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publish publications due at %s: %w", now.UTC().Format(time.RFC3339), err)
	}
	slices.Sort(ids)
	return ids, nil
}
