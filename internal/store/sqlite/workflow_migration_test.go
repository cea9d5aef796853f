package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// A database written by a program at schema version 4, with rows in every
// table, migrates to the workflow schema (0006), whose CHECK on
// publications.status is changed by editing the stored CREATE TABLE: the
// rows, links, foreign keys, indexes and triggers survive, the new statuses
// are accepted by every connection, including one opened before the
// migration, and the search index keeps only published publications.
func TestWorkflowMigrationKeepsVersion4Data(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "imprint.db")
	db, err := OpenDB(ctx, path)
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
	exec := func(db *sql.DB, query string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	now := time.Now().UnixMicro()
	exec(db, `INSERT INTO people (id, slug, given, family, created_at, updated_at) VALUES (1, 'sheila-a-smith', 'Sheila A.', 'Smith', ?, ?)`, now, now)
	exec(db, `INSERT INTO topics (id, slug, name) VALUES (1, 'security', 'Security')`)
	exec(db, `INSERT INTO regions (id, slug, name) VALUES (1, 'japan', 'Japan')`)
	for _, p := range []struct {
		id           int
		slug, status string
	}{{1, "published-one", "published"}, {2, "draft-one", "draft"}, {3, "published-two", "published"}} {
		var published any
		if p.status == "published" {
			published = now
		}
		exec(db, `INSERT INTO publications (id, slug, type, title, summary, issued, issued_sort, status, created_at, updated_at, published_at)
			VALUES (?, ?, 'report', ?, 'Alliances in Asia.', '2020', 20200000, ?, ?, ?, ?)`,
			p.id, p.slug, "Title of "+p.slug, p.status, now, now, published)
		exec(db, `INSERT INTO contributions (publication_id, position, person_id, role) VALUES (?, 0, 1, 'author')`, p.id)
		exec(db, `INSERT INTO publication_topics (publication_id, topic_id, position) VALUES (?, 1, 0)`, p.id)
		exec(db, `INSERT INTO publication_regions (publication_id, region_id, position) VALUES (?, 1, 0)`, p.id)
	}
	exec(db, `INSERT INTO related_overrides (publication_id, related_id, position) VALUES (1, 3, 0)`)
	exec(db, `INSERT INTO related_ranked (publication_id, computed_at) VALUES (1, ?)`, now)
	exec(db, `INSERT INTO related_lists (publication_id, rank, related_id, score, reasons) VALUES (1, 1, 3, 500000, 'topic')`)
	exec(db, `INSERT INTO publication_tombstones (slug, publication_id, type, deleted_at) VALUES ('gone', 9, 'report', ?)`, now)

	schemaObjects := func(kind string) []string {
		t.Helper()
		rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`, kind)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			out = append(out, name)
		}
		return out
	}
	indexesBefore, triggersBefore := schemaObjects("index"), schemaObjects("trigger")

	// A connection of another process, opened and used before the
	// migration, must see the new CHECK afterwards.
	other, err := OpenDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetMaxOpenConns(1)
	var n int
	if err := other.QueryRowContext(ctx, `SELECT COUNT(*) FROM publications`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("publications before migrating: %d, %v", n, err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("migrating a version 4 database: %v", err)
	}
	defer s.Close()

	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
	rows, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("foreign_key_check reports violations after the migration")
	}
	rows.Close()
	for _, idx := range indexesBefore {
		if !slices.Contains(schemaObjects("index"), idx) {
			t.Errorf("index %s lost in the migration", idx)
		}
	}
	// Later migrations add triggers of their own (0007: site_changes_*;
	// 0008: publication_search_topic_* and _region_*), and rewrite some
	// of these, but lose none.
	got := schemaObjects("trigger")
	for _, tr := range triggersBefore {
		if !slices.Contains(got, tr) {
			t.Errorf("trigger %s lost in the migration; triggers now %v", tr, got)
		}
	}

	p, err := s.Publication(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != model.StatusPublished || len(p.Contributions) != 1 || len(p.Topics) != 1 || len(p.Regions) != 1 ||
		len(p.Related) != 1 || p.Related[0].Slug != "published-two" || !p.DeletedAt.IsZero() || p.CreatedBy != 0 {
		t.Errorf("publication after the migration: %+v", p)
	}
	list, ok, err := s.RelatedList(ctx, 1)
	if err != nil || !ok || len(list) != 1 || list[0].ID != 3 {
		t.Errorf("stored related list after the migration: %v, %v, %v", list, ok, err)
	}
	if _, err := s.Tombstone(ctx, "gone"); err != nil {
		t.Errorf("tombstone after the migration: %v", err)
	}

	// Only published publications stay in the search index.
	var indexed []int64
	rows, err = db.QueryContext(ctx, `SELECT rowid FROM publication_search ORDER BY rowid`)
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
	if !slices.Equal(indexed, []int64{1, 3}) {
		t.Errorf("search index holds %v, want the published 1 and 3", indexed)
	}

	// The new statuses are accepted, by the old connection too, and an
	// unknown one is still refused.
	for i, st := range []string{"review", "scheduled"} {
		exec(other, `INSERT INTO publications (slug, type, title, status, created_at, updated_at) VALUES (?, 'report', 'T', ?, 0, 0)`,
			"new-"+st, st)
		if i == 0 {
			exec(db, `UPDATE publications SET status = ? WHERE id = 2`, st)
		}
	}
	if _, err := other.ExecContext(ctx, `INSERT INTO publications (slug, type, title, status, created_at, updated_at) VALUES ('bad', 'report', 'T', 'bogus', 0, 0)`); err == nil ||
		!strings.Contains(err.Error(), "CHECK") {
		t.Errorf("status 'bogus' accepted or refused for another reason: %v", err)
	}

	// Deleting still cascades to the links.
	if err := s.DeletePublication(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM contributions WHERE publication_id = 3`).Scan(&n); err != nil || n != 0 {
		t.Errorf("contributions of a deleted publication: %d, %v", n, err)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM related_lists`).Scan(&n); err != nil || n != 0 {
		t.Errorf("related list entries naming a deleted publication: %d, %v", n, err)
	}
	page, err := s.ListPublications(ctx, store.PublicationQuery{})
	if err != nil || page.Total != 4 {
		t.Errorf("ListPublications after the migration: %+v, %v", page, err)
	}
}
