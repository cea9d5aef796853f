package sqlite

import (
	"context"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/search"
)

// BenchmarkSearch runs full-text queries on the generated catalogue
// (-bench.publications, 10,000 by default) and reports, beside the mean,
// the 95th percentile of one query's latency and the CPU time per query,
// in milliseconds. The
// catalogue's text is generated, so the queries span the cases that cost
// differently: a word one publication has, a rare word beside one
// every publication has, a contributor's name, a word every
// publication has (every match ranked, counted and faceted), a phrase, a
// prefix, and filters.
func BenchmarkSearch(b *testing.B) {
	s, _ := benchSetup(b)
	idx := search.NewSQLite(s.DB())
	n := *benchN
	queries := []struct {
		name string
		q    func(i int) search.Query
	}{
		{"selective", func(i int) search.Query { return search.Query{Text: fmt.Sprintf("%d", i%n)} }},
		{"rare", func(i int) search.Query { return search.Query{Text: fmt.Sprintf("publication %d", i%n)} }},
		{"contributor", func(i int) search.Query { return search.Query{Text: fmt.Sprintf("family%d", i%300)} }},
		{"common", func(int) search.Query { return search.Query{Text: "summary"} }},
		{"common-page-5", func(int) search.Query { return search.Query{Text: "summary", Page: 5} }},
		{"phrase", func(int) search.Query { return search.Query{Text: `"realistic length"`} }},
		{"prefix", func(i int) search.Query { return search.Query{Text: fmt.Sprintf("famil* family%d", i%300)} }},
		{"common-filtered", func(i int) search.Query {
			return search.Query{Text: "summary", Topic: fmt.Sprintf("topic-%d", i%30), Region: fmt.Sprintf("region-%d", i%15)}
		}},
		{"filters-only", func(i int) search.Query { return search.Query{Topic: fmt.Sprintf("topic-%d", i%30)} }},
	}
	for _, qq := range queries {
		b.Run(qq.name, func(b *testing.B) {
			ctx := context.Background()
			var took []time.Duration
			cpu0 := cpuTime()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				r, err := idx.Search(ctx, qq.q(i))
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				if r.Total == 0 {
					b.Fatalf("%+v matched nothing", qq.q(i))
				}
			}
			cpu := cpuTime() - cpu0
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
			// The machine may be shared: the process's CPU time per query
			// says what a query costs when it has a core to itself (both
			// connections of a query counted).
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(took)), "cpu-ms/op")
		})
	}
}

// cpuTime returns the CPU time, user and system, the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
