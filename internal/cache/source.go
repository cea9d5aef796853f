package cache

import (
	"context"
	"database/sql"
	"fmt"
)

// TableSource reads the generation from the site_changes table that
// migration 0007_changes creates in both SQLite and PostgreSQL databases.
func TableSource(db *sql.DB) Source { return tableSource{db} }

type tableSource struct{ db *sql.DB }

func (s tableSource) Generation(ctx context.Context) (int64, error) {
	var g int64
	if err := s.db.QueryRowContext(ctx, `SELECT generation FROM site_changes WHERE id = 1`).Scan(&g); err != nil {
		return 0, fmt.Errorf("cache: read site generation: %w", err)
	}
	return g, nil
}
