package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// A database at schema version 4 with rows migrates to the workflow
// schema (0006): the rows and links survive, the status CHECK admits the
// new statuses and still refuses others, and the search index keeps only
// published publications.
func TestWorkflowMigrationKeepsVersion4Data(t *testing.T) {
	ctx := context.Background()
	url := pgtest.SchemaURL(t)
	db, err := OpenDB(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlstore.Migrate(ctx, db, Dialect, ms[:4]); err != nil {
		t.Fatal(err)
	}
	exec := func(query string, args ...any) error {
		_, err := db.ExecContext(ctx, query, args...)
		return err
	}
	for _, stmt := range []string{
		`INSERT INTO people (id, slug, given, family, created_at, updated_at) VALUES (1, 'sheila-a-smith', 'Sheila A.', 'Smith', 0, 0)`,
		`INSERT INTO topics (id, slug, name) VALUES (1, 'security', 'Security')`,
		`INSERT INTO publications (id, slug, type, title, status, created_at, updated_at, published_at)
			VALUES (1, 'published-one', 'report', 'Zephyrine Accounts', 'published', 0, 0, 0),
			(2, 'draft-one', 'report', 'Zephyrine Drafts', 'draft', 0, 0, NULL)`,
		`INSERT INTO contributions (publication_id, position, person_id, role) VALUES (1, 0, 1, 'author'), (2, 0, 1, 'author')`,
		`INSERT INTO publication_topics (publication_id, topic_id, position) VALUES (1, 1, 0), (2, 1, 0)`,
		`INSERT INTO related_overrides (publication_id, related_id, position) VALUES (2, 1, 0)`,
	} {
		if err := exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}

	s, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("migrating a version 4 database: %v", err)
	}
	defer s.Close()
	p, err := s.Publication(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != model.StatusDraft || len(p.Contributions) != 1 || len(p.Topics) != 1 || len(p.Related) != 1 ||
		!p.DeletedAt.IsZero() || !p.PublishAt.IsZero() || p.CreatedBy != 0 || p.FullTextPDF != "" {
		t.Errorf("publication after the migration: %+v", p)
	}
	var indexed []int64
	rows, err := db.QueryContext(ctx, `SELECT publication_id FROM publication_search ORDER BY publication_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		indexed = append(indexed, id)
	}
	rows.Close()
	if len(indexed) != 1 || indexed[0] != 1 {
		t.Errorf("search index holds %v, want the published 1", indexed)
	}
	for _, st := range []string{"review", "scheduled"} {
		if err := exec(`UPDATE publications SET status = $1 WHERE id = 2`, st); err != nil {
			t.Errorf("status %s refused: %v", st, err)
		}
	}
	if err := exec(`UPDATE publications SET status = 'bogus' WHERE id = 2`); err == nil || !strings.Contains(err.Error(), "publications_status_check") {
		t.Errorf("status 'bogus': %v, want the CHECK to refuse it", err)
	}
	page, err := s.ListPublications(ctx, store.PublicationQuery{})
	if err != nil || page.Total != 2 {
		t.Errorf("ListPublications after the migration: %+v, %v", page, err)
	}
}
