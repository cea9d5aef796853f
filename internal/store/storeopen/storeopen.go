// Package storeopen opens the store a database location names, so that the
// commands need not know the backends: a PostgreSQL URL opens the shared
// PostgreSQL store, anything else the embedded SQLite file.
//
// Accepted locations:
//
//	postgres://user:password@host:5432/database?sslmode=require   (or postgresql://)
//	sqlite:///var/lib/imprint/imprint.db                           (absolute path)
//	sqlite://imprint-data/imprint.db                               (relative path)
//	sqlite:imprint-data/imprint.db
//	imprint-data/imprint.db                                        (a plain path is SQLite)
package storeopen

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// Backend names a database engine.
type Backend string

// The backends a location can name.
const (
	SQLite     Backend = "sqlite"
	PostgreSQL Backend = "postgres"
)

// Target is a database location, read.
type Target struct {
	Backend Backend
	// Path is the SQLite database file (SQLite only).
	Path string
	// URL is the connection URL, password included (PostgreSQL only).
	URL string
}

// String returns the location without its password, for logs and errors.
func (t Target) String() string {
	if t.Backend == PostgreSQL {
		return postgres.Redact(t.URL)
	}
	return "sqlite://" + t.Path
}

// schemeRE matches a URL scheme with its "//", which a file path does not
// start with (a Windows drive letter has no slashes after its colon).
var schemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://`)

// Parse reads a database location; see the package documentation.
func Parse(location string) (Target, error) {
	if strings.TrimSpace(location) == "" {
		return Target{}, errors.New("database: no location given (want a file path, sqlite://PATH or postgres://…)")
	}
	if m := schemeRE.FindStringSubmatch(location); m != nil {
		switch strings.ToLower(m[1]) {
		case "postgres", "postgresql":
			return Target{Backend: PostgreSQL, URL: location}, nil
		case "sqlite":
			path := location[len(m[0]):]
			if path == "" {
				return Target{}, errors.New("database sqlite://: no file path after the scheme")
			}
			return Target{Backend: SQLite, Path: path}, nil
		}
		return Target{}, fmt.Errorf("database %s://…: unknown scheme %q (want sqlite:// or postgres://)", m[1], m[1])
	}
	if rest, ok := cutPrefixFold(location, "sqlite:"); ok {
		if rest == "" {
			return Target{}, errors.New("database sqlite:: no file path after the scheme")
		}
		return Target{Backend: SQLite, Path: rest}, nil
	}
	return Target{Backend: SQLite, Path: location}, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// Open opens the store at t, applying the migrations it lacks.
func (t Target) Open(ctx context.Context) (*sqlstore.Store, error) {
	switch t.Backend {
	case PostgreSQL:
		return postgres.Open(ctx, t.URL)
	case SQLite:
		return sqlite.Open(ctx, t.Path)
	}
	return nil, fmt.Errorf("database: unknown backend %q", t.Backend)
}

// Open reads location and opens the store there, applying the migrations
// it lacks. Errors name the location without its password.
func Open(ctx context.Context, location string) (*sqlstore.Store, error) {
	t, err := Parse(location)
	if err != nil {
		return nil, err
	}
	return t.Open(ctx)
}
