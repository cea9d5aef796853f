package sqlite

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/search/searchbench"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// searchDBEnv names a database file kept between benchmark runs, as
// -bench.searchdb does: generating 100,000 publications takes minutes,
// so one run writes the file and later runs read it.
const searchDBEnv = "IMPRINT_BENCH_SEARCH_DB"

var searchDB = flag.String("bench.searchdb", "", "database file for BenchmarkSearch, kept and reused between runs (default $"+searchDBEnv+", else a temporary file); filled by demo.Generate with -bench.publications publications")

var (
	searchOnce    sync.Once
	searchStore   *sqlstore.Store
	searchExperts []string
	searchNames   []string
	searchErr     error
)

// searchSetup opens the benchmark catalogue, generating it when the file
// is new: -bench.publications publications of demo.Generate's seed 1.
func searchSetup(b *testing.B) (*sqlstore.Store, []string, []string) {
	b.Helper()
	searchOnce.Do(func() {
		ctx := context.Background()
		path := *searchDB
		if path == "" {
			path = os.Getenv(searchDBEnv)
		}
		if path == "" {
			dir, err := mkBenchDir()
			if err != nil {
				searchErr = err
				return
			}
			path = filepath.Join(dir, "search.db")
		}
		searchStore, searchErr = Open(ctx, path)
		if searchErr != nil {
			return
		}
		searchExperts, searchNames, searchErr = fillSearch(ctx, b, searchStore, path, *benchN)
		if searchErr == nil {
			searchErr = searchStore.Analyze(ctx)
		}
	})
	if searchErr != nil {
		b.Fatal(searchErr)
	}
	return searchStore, searchExperts, searchNames
}

// fillSearch generates n publications into an empty database, or checks
// that a kept one holds n, and returns the slugs of the most prolific
// experts with their family names.
func fillSearch(ctx context.Context, b *testing.B, s *sqlstore.Store, path string, n int) (experts, names []string, err error) {
	var count int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM publications`).Scan(&count); err != nil {
		return nil, nil, err
	}
	switch {
	case count == 0:
		start := time.Now()
		if _, err := demo.Generate(ctx, s, demo.Options{Count: n, Seed: 1}); err != nil {
			return nil, nil, err
		}
		b.Logf("generated %d publications into %s in %v", n, path, time.Since(start).Round(time.Second))
	case count != n:
		return nil, nil, fmt.Errorf("benchmark database %s holds %d publications, not %d (-bench.publications)", path, count, n)
	}
	return searchbench.Contributors(ctx, s.DB())
}

// BenchmarkSearch runs the realistic query mix of searchbench (rare
// words, names, words in most publications on page 1 and page 40,
// prefixes, phrases, filters) on a catalogue from demo.Generate, and
// reports the median and 95th percentile latency of each class. At
// 100,000 publications, generate the file once and keep it:
//
//	go test -run '^$' -bench Search -benchtime 200x ./internal/store/sqlite/ \
//		-bench.publications 100000 -bench.searchdb /tmp/search-100k.db
func BenchmarkSearch(b *testing.B) {
	s, experts, names := searchSetup(b)
	searchbench.Run(b, search.NewSQLite(s.DB()), experts, names)
}
