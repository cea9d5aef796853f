// Package sqlitetest opens SQLite stores for other packages' tests and
// benchmarks: a kept database given by a flag, or a fresh one filled with a
// small generated catalogue.
package sqlitetest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// Catalogue opens the SQLite database at path, or, when path is empty, a
// new one in a temporary directory holding n published reports with slugs
// "pub-0" to "pub-(n-1)". The store is closed when the test ends.
func Catalogue(tb testing.TB, path string, n int) *sqlstore.Store {
	tb.Helper()
	ctx := context.Background()
	fresh := path == ""
	if fresh {
		path = filepath.Join(tb.TempDir(), "imprint.db")
	}
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if !fresh {
		return st
	}
	for i := range n {
		p := &model.Publication{Slug: fmt.Sprintf("pub-%d", i), Type: model.TypeReport, Title: "Title",
			Summary: "A *summary*.", Status: model.StatusPublished}
		if err := st.CreatePublication(ctx, p); err != nil {
			tb.Fatal(err)
		}
	}
	return st
}
