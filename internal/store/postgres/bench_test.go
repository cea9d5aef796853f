package postgres

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

var benchN = flag.Int("bench.publications", 10000, "number of generated publications the benchmarks run on")

// benchFill writes, in one statement per table, a catalogue of the shape
// the SQLite benchmarks generate through the store: n published
// publications over 300 people, 30 topics and 15 regions, one to three
// contributors and topics and one or two regions each, dates over twenty
// years. Writing it with SQL rather than through the store makes 100,000
// publications a matter of seconds; the random choices are seeded, so
// every run reads the same data. VACUUM leaves the tables as autovacuum
// keeps them on a server that has been running a while, with index-only
// scans possible.
const benchFill = `
SELECT setseed(0.42);
INSERT INTO people (slug, given, family, created_at, updated_at)
	SELECT 'person-' || i, 'Given', 'Family' || i, 0, 0 FROM generate_series(0, 299) i;
INSERT INTO topics (slug, name) SELECT 'topic-' || i, 'Topic ' || i FROM generate_series(0, 29) i;
INSERT INTO regions (slug, name) SELECT 'region-' || i, 'Region ' || i FROM generate_series(0, 14) i;
INSERT INTO publications (slug, type, title, issued, issued_sort, summary, status, created_at, updated_at, published_at)
	SELECT 'pub-' || i, t, 'Publication ' || i, to_char(d, 'YYYY-MM-DD'),
		EXTRACT(YEAR FROM d) * 10000 + EXTRACT(MONTH FROM d) * 100 + EXTRACT(DAY FROM d),
		'A summary of a realistic length for a list card, a sentence or two long.', 'published', 0, 0, 0
	FROM (SELECT i,
		(ARRAY['report', 'article-journal', 'op-ed', 'podcast', 'book', 'event'])[1 + floor(random() * 6)::int] AS t,
		DATE '2005-01-01' + floor(random() * 7300)::int AS d
		FROM generate_series(0, $1 - 1) i) g;
INSERT INTO contributions (publication_id, position, person_id, role)
	SELECT p.id, row_number() OVER (PARTITION BY p.id) - 1, pe.id, 'author'
	FROM publications p CROSS JOIN LATERAL (
		SELECT id FROM people ORDER BY random() + p.id * 0 LIMIT 1 + floor(random() * 3)::int) pe;
INSERT INTO publication_topics (publication_id, topic_id, position)
	SELECT p.id, t.id, row_number() OVER (PARTITION BY p.id) - 1
	FROM publications p CROSS JOIN LATERAL (
		SELECT id FROM topics ORDER BY random() + p.id * 0 LIMIT 1 + floor(random() * 3)::int) t;
INSERT INTO publication_regions (publication_id, region_id, position)
	SELECT p.id, r.id, row_number() OVER (PARTITION BY p.id) - 1
	FROM publications p CROSS JOIN LATERAL (
		SELECT id FROM regions ORDER BY random() + p.id * 0 LIMIT 1 + floor(random() * 2)::int) r;
VACUUM ANALYZE;
`

type benchData struct {
	pubs          []int64
	topic, person int64
}

// The generated catalogue is shared by the benchmarks of one run, in a
// schema that TestMain drops.
var (
	benchOnce   sync.Once
	benchStore  *sqlstore.Store
	benchIDs    benchData
	benchErr    error
	benchDrop   func(context.Context) error
	benchFilled time.Duration
)

func benchSetup(b *testing.B) (*sqlstore.Store, benchData) {
	b.Helper()
	base := pgtest.ServerURL(b)
	benchOnce.Do(func() {
		ctx := context.Background()
		var u string
		u, benchDrop, benchErr = pgtest.CreateSchema(ctx, base)
		if benchErr != nil {
			return
		}
		benchStore, benchErr = Open(ctx, u)
		if benchErr != nil {
			return
		}
		start := time.Now()
		benchIDs, benchErr = fill(ctx, benchStore, *benchN)
		benchFilled = time.Since(start)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	b.Logf("%d publications, generated in %v", len(benchIDs.pubs), benchFilled.Round(time.Millisecond))
	return benchStore, benchIDs
}

func fill(ctx context.Context, s *sqlstore.Store, n int) (benchData, error) {
	var d benchData
	// The statements run one by one: the simple protocol that runs several
	// at once takes no parameters.
	for _, stmt := range splitStatements(benchFill) {
		var args []any
		if strings.Contains(stmt, "$1") {
			args = append(args, n)
		}
		if _, err := s.DB().ExecContext(ctx, stmt, args...); err != nil {
			return d, fmt.Errorf("generate benchmark data: %w\n%s", err, stmt)
		}
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT id FROM publications ORDER BY id`)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return d, err
		}
		d.pubs = append(d.pubs, id)
	}
	if err := rows.Err(); err != nil {
		return d, err
	}
	if len(d.pubs) != n {
		return d, fmt.Errorf("generated %d publications, want %d", len(d.pubs), n)
	}
	err = s.DB().QueryRowContext(ctx, `SELECT (SELECT id FROM topics WHERE slug = 'topic-0'), (SELECT id FROM people WHERE slug = 'person-0')`).
		Scan(&d.topic, &d.person)
	return d, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDrop != nil {
		if err := benchDrop(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = max(code, 1)
		}
	}
	os.Exit(code)
}

func splitStatements(script string) []string {
	var out []string
	for _, stmt := range strings.Split(script, ";\n") {
		if trimmed := strings.TrimSpace(stmt); trimmed != "" {
			out = append(out, trimmed)
		}
	}
	return out
}

// BenchmarkStore runs the benchmarks every backend reports (storetest.Bench).
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) (store.Store, storetest.BenchData) {
		s, d := benchSetup(b)
		return s, storetest.BenchData{Pubs: d.pubs, Topic: d.topic, Person: d.person}
	})
}
