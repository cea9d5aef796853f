package feed

import (
	"flag"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/imprintpub/imprint/internal/store/sqlite/sqlitetest"
)

var benchDB = flag.String("feed.db", "", "an existing SQLite database to benchmark on (such as the store benchmarks' -bench.db); default: 2,000 generated publications")

func benchHandler(b *testing.B) http.Handler {
	b.Helper()
	st := sqlitetest.Catalogue(b, *benchDB, 2000)
	h, err := New(st, Config{})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	for _, p := range Patterns {
		mux.Handle(p, h)
	}
	return mux
}

func benchGet(b *testing.B, path string) {
	h := benchHandler(b)
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://example.org"+path, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}

func BenchmarkSiteAtom(b *testing.B) { benchGet(b, "/feed.atom") }

func BenchmarkSiteJSON(b *testing.B) { benchGet(b, "/feed.json") }

func BenchmarkSitemap(b *testing.B) { benchGet(b, "/sitemap.xml") }
