package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

const seedSlug = demo.SeedSlug

// readGolden returns a file from testdata/ without its final newline.
func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(string(b), "\n")
}

// newHandler returns the site over st, failing the test on a start-up
// error. Request logs go to the test log only with -v.
func newHandler(t *testing.T, st Store) http.Handler {
	t.Helper()
	var w io.Writer = io.Discard
	if testing.Verbose() {
		w = testWriter{t}
	}
	h, err := New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(w, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// newMemDemo returns an in-memory store holding the demo content.
func newMemDemo(t *testing.T) *memStore {
	t.Helper()
	st := &memStore{}
	if _, err := demo.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

// newSQLiteDemo returns an SQLite store in a temporary directory holding
// the demo content, as `imprint serve --demo` builds it.
func newSQLiteDemo(t *testing.T) Store { return newSQLiteDemoB(t) }

// newSQLiteDemoB is newSQLiteDemo for tests and benchmarks alike.
func newSQLiteDemoB(tb testing.TB) Store {
	tb.Helper()
	st, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "imprint.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := demo.Load(tb.Context(), st); err != nil {
		tb.Fatal(err)
	}
	return st
}

// newPostgresDemo returns a PostgreSQL store in a schema of its own holding
// the demo content. Without IMPRINT_TEST_POSTGRES it skips, or fails on CI.
func newPostgresDemo(t *testing.T) Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), pgtest.SchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

// eachStore runs test against the demo content in every backend and in the
// in-memory store.
func eachStore(t *testing.T, test func(t *testing.T, st Store)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newSQLiteDemo(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, newPostgresDemo(t)) })
	t.Run("memory", func(t *testing.T) { test(t, newMemDemo(t)) })
}

// newDemoServer starts the site on a random port over SQLite with the demo
// content.
func newDemoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(newHandler(t, newSQLiteDemo(t)))
	t.Cleanup(srv.Close)
	return srv
}
