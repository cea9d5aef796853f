package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/imprintpub/imprint/internal/store"
)

// PublicationTexts implements store.Texts: the wording related-content
// ranking compares, without the links a full record carries.
func (s *Store) PublicationTexts(ctx context.Context, ids []int64) ([]store.Text, error) {
	out := make([]store.Text, 0, len(ids))
	err := s.read(ctx, func(tx *sql.Tx) error {
		out = out[:0] // a retried read starts over
		for _, chunk := range chunks(ids, 500) {
			rows, err := tx.QueryContext(ctx, s.q(`SELECT id, title, subtitle, summary FROM publications WHERE id IN (`+placeholders(len(chunk))+`)`), int64Args(chunk)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var t store.Text
				if err := rows.Scan(&t.ID, &t.Title, &t.Subtitle, &t.Summary); err != nil {
					rows.Close()
					return err
				}
				out = append(out, t)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read publication texts: %w", err)
	}
	return out, nil
}
