package cli

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
)

// TestServeReadsFromReplica serves with a primary and a "replica" that
// differ in one title: public reads must show the replica's.
func TestServeReadsFromReplica(t *testing.T) {
	ctx := t.Context()
	primaryURL, replicaURL := pgtest.SchemaURL(t), pgtest.SchemaURL(t)
	for _, u := range []string{primaryURL, replicaURL} {
		st, err := postgres.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		if u == replicaURL {
			if _, err := st.DB().ExecContext(ctx, `UPDATE publications SET title = 'As the Replica Has It' WHERE slug = $1`, demo.SeedSlug); err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
	}
	site, err := openSite(ctx, siteConfig{location: primaryURL, replica: replicaURL, adminEmail: "librarian@example.org", log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	for _, path := range []string{"/publications/" + demo.SeedSlug, "/api/v1/publications/" + demo.SeedSlug, "/feed.atom"} {
		rec := httptest.NewRecorder()
		site.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != http.StatusOK || !strings.Contains(string(body), "As the Replica Has It") {
			t.Errorf("%s: %d, replica's title missing", path, rec.Code)
		}
	}
}

func TestServeReplicaRefused(t *testing.T) {
	ctx := t.Context()
	log := slog.New(slog.DiscardHandler)
	sqlitePath := filepath.Join(t.TempDir(), "imprint.db")
	if _, err := openSite(ctx, siteConfig{location: sqlitePath, replica: pgtest.SchemaURL(t), adminEmail: "librarian@example.org", log: log}); err == nil ||
		!strings.Contains(err.Error(), "needs PostgreSQL") {
		t.Errorf("SQLite primary with a replica: %v, want a refusal", err)
	}
	// A replica that has not caught up with the primary's migrations.
	primaryURL, replicaURL := pgtest.SchemaURL(t), pgtest.SchemaURL(t)
	for _, u := range []string{primaryURL, replicaURL} {
		st, err := postgres.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if u == replicaURL {
			if _, err := st.DB().ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`); err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
	}
	if _, err := openSite(ctx, siteConfig{location: primaryURL, replica: replicaURL, adminEmail: "librarian@example.org", log: log}); err == nil ||
		!strings.Contains(err.Error(), "schema version") {
		t.Errorf("lagging replica: %v, want an error naming the schema version", err)
	}
}
