package storeopen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Target
		wantStr string
		wantErr string
	}{
		{in: "postgres://u:pw@db:5432/imprint?sslmode=disable",
			want:    Target{Backend: PostgreSQL, URL: "postgres://u:pw@db:5432/imprint?sslmode=disable"},
			wantStr: "postgres://u:xxxxx@db:5432/imprint?sslmode=disable"},
		{in: "PostgreSQL://db/imprint", want: Target{Backend: PostgreSQL, URL: "PostgreSQL://db/imprint"}},
		{in: "sqlite:///var/lib/imprint/imprint.db", want: Target{Backend: SQLite, Path: "/var/lib/imprint/imprint.db"},
			wantStr: "sqlite:///var/lib/imprint/imprint.db"},
		{in: "sqlite://data/imprint.db", want: Target{Backend: SQLite, Path: "data/imprint.db"}},
		{in: "sqlite:data/imprint.db", want: Target{Backend: SQLite, Path: "data/imprint.db"}},
		{in: "./imprint-data/imprint.db", want: Target{Backend: SQLite, Path: "./imprint-data/imprint.db"}},
		{in: `C:\imprint\imprint.db`, want: Target{Backend: SQLite, Path: `C:\imprint\imprint.db`}},
		{in: "data/postgres://x", want: Target{Backend: SQLite, Path: "data/postgres://x"}},
		{in: "", wantErr: "no location"},
		{in: "sqlite://", wantErr: "no file path"},
		{in: "sqlite:", wantErr: "no file path"},
		{in: "mysql://u:pw@db/imprint", wantErr: `unknown scheme "mysql"`},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%q) error %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "pw") {
				t.Errorf("Parse(%q) error %q shows the password", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if tt.wantStr != "" && got.String() != tt.wantStr {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got.String(), tt.wantStr)
		}
	}
}

// roundTrip writes a person through a store and reads it back, so that a
// test knows the store opened is a working one.
func roundTrip(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	p := &model.Person{Slug: "sheila-a-smith", Given: "Sheila A.", Family: "Smith"}
	if err := s.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	got, err := s.PersonBySlug(t.Context(), p.Slug)
	if err != nil || got.ID != p.ID || got.Family != "Smith" {
		t.Errorf("read back %+v, %v; want %+v", got, err, p)
	}
}

func TestOpenSQLite(t *testing.T) {
	for _, form := range []string{"%s", "sqlite://%s", "sqlite:%s"} {
		path := filepath.Join(t.TempDir(), "imprint.db")
		location := strings.Replace(form, "%s", path, 1)
		s, err := Open(t.Context(), location)
		if err != nil {
			t.Fatalf("Open(%q): %v", location, err)
		}
		roundTrip(t, s)
		if err := s.Close(); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("Open(%q) did not create %s: %v", location, path, err)
		}
	}
}

func TestOpenPostgreSQL(t *testing.T) {
	s, err := Open(t.Context(), pgtest.SchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	roundTrip(t, s)
	// The row went to PostgreSQL, in the test's schema.
	var n int
	if err := s.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM people WHERE current_schema() LIKE 'imprint_test_%'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("people in the PostgreSQL test schema: %d, %v; want 1", n, err)
	}
}

func TestOpenUnknown(t *testing.T) {
	if _, err := Open(t.Context(), "redis://u:pw@127.0.0.1:6379"); err == nil || strings.Contains(err.Error(), "pw") {
		t.Errorf("Open of an unknown scheme: %v, want an error without the password", err)
	}
}
