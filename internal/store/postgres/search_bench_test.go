package postgres

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/search/searchbench"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// searchPGEnv names a database kept between benchmark runs, as
// -bench.searchdb does: a postgres:// URL whose search_path is a schema
// of its own. Generating 100,000 publications takes minutes, so one run
// fills it and later runs read it.
const searchPGEnv = "IMPRINT_BENCH_SEARCH_POSTGRES"

var searchDB = flag.String("bench.searchdb", "", "postgres:// URL (with search_path=SCHEMA) of the database for BenchmarkSearch, kept and reused between runs (default $"+searchPGEnv+", else a schema of its own dropped after the run); filled by demo.Generate with -bench.publications publications")

var (
	searchOnce    sync.Once
	searchStore   *sqlstore.Store
	searchExperts []string
	searchNames   []string
	searchErr     error
	searchDrop    func(context.Context) error
)

// searchSetup opens the benchmark catalogue, generating it when the
// database is empty: -bench.publications publications of demo.Generate's
// seed 1, then VACUUM ANALYZE, as a server that has run a while has them.
func searchSetup(b *testing.B) (*sqlstore.Store, []string, []string) {
	b.Helper()
	u := *searchDB
	if u == "" {
		u = os.Getenv(searchPGEnv)
	}
	var base string
	if u == "" {
		base = pgtest.ServerURL(b)
	}
	searchOnce.Do(func() {
		ctx := context.Background()
		if u == "" {
			u, searchDrop, searchErr = pgtest.CreateSchema(ctx, base)
			if searchErr != nil {
				return
			}
		}
		searchStore, searchErr = Open(ctx, u)
		if searchErr != nil {
			return
		}
		searchExperts, searchNames, searchErr = fillSearch(ctx, b, searchStore, Redact(u), *benchN)
	})
	if searchErr != nil {
		b.Fatal(searchErr)
	}
	return searchStore, searchExperts, searchNames
}

// fillSearch generates n publications into an empty database, or checks
// that a kept one holds n, and returns the slugs of the most prolific
// experts with their family names.
func fillSearch(ctx context.Context, b *testing.B, s *sqlstore.Store, where string, n int) (experts, names []string, err error) {
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
		if _, err := s.DB().ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return nil, nil, err
		}
		b.Logf("generated %d publications into %s in %v", n, where, time.Since(start).Round(time.Second))
	case count != n:
		return nil, nil, fmt.Errorf("benchmark database %s holds %d publications, not %d (-bench.publications)", where, count, n)
	default:
		// A kept database may have been migrated since it was filled:
		// the planner needs statistics on the columns migrations added.
		if _, err := s.DB().ExecContext(ctx, `ANALYZE`); err != nil {
			return nil, nil, err
		}
	}
	return searchbench.Contributors(ctx, s.DB())
}

// BenchmarkSearch runs the realistic query mix of searchbench on a
// catalogue from demo.Generate, as the SQLite benchmark of the same name
// does, and reports the median and 95th percentile latency of each class.
// At 100,000 publications, fill a schema once and keep it:
//
//	IMPRINT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	IMPRINT_BENCH_SEARCH_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=imprint_bench_search' \
//	go test -run '^$' -bench Search -benchtime 200x ./internal/store/postgres/ -args -bench.publications=100000
//
// (the schema must exist: CREATE SCHEMA imprint_bench_search).
func BenchmarkSearch(b *testing.B) {
	s, experts, names := searchSetup(b)
	b.Cleanup(func() { searchTeardown(b) })
	searchbench.Run(b, search.NewPostgres(s.DB()), experts, names)
}

// searchTeardown closes the catalogue and drops it unless it is kept.
func searchTeardown(b *testing.B) {
	if searchStore != nil {
		searchStore.Close()
	}
	if searchDrop != nil {
		if err := searchDrop(context.Background()); err != nil {
			b.Error(err)
		}
	}
	searchStore, searchDrop, searchOnce = nil, nil, sync.Once{}
}
