// Package searchbench is the search benchmark both database engines run
// (internal/store/sqlite and internal/store/postgres), on a catalogue
// that demo.Generate wrote, so that their numbers compare.
package searchbench

import (
	"context"
	"database/sql"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/search"
)

// Class is one kind of query a reader types: each costs differently.
type Class struct {
	Name string
	// Query returns the i-th query of the class; they rotate through a
	// few variants so that no single cached page decides the numbers.
	Query func(i int) search.Query
}

func rotate(i int, s ...string) string { return s[i%len(s)] }

// Classes returns the realistic query mix over a generated catalogue.
// experts are slugs of people of the catalogue, for the expert filter,
// and names their family names, as readers type them.
func Classes(experts, names []string) []Class {
	return []Class{
		// Words of the vocabulary's tail: in 2–3 % of publications, a few
		// thousand matches at 100,000.
		{"rare", func(i int) search.Query {
			return search.Query{Text: rotate(i, "abductions", "reunification", "denuclearization", "verification", "enrichment", "apologies")}
		}},
		// A contributor's family name.
		{"contributor", func(i int) search.Query {
			return search.Query{Text: names[i%len(names)]}
		}},
		// Words in most publications, page 1.
		{"broad", func(i int) search.Query {
			return search.Query{Text: rotate(i, "policy", "security", "trade", "regional")}
		}},
		// The same, deep: page 40 of 20.
		{"broad-page-40", func(i int) search.Query {
			return search.Query{Text: rotate(i, "policy", "security", "trade", "regional"), Page: 40}
		}},
		// Two common words, both required.
		{"broad-pair", func(i int) search.Query {
			return search.Query{Text: rotate(i, "policy security", "trade strategy", "economic growth")}
		}},
		// Prefixes, one of them of a place in a fifth of the catalogue.
		{"prefix", func(i int) search.Query { return search.Query{Text: rotate(i, "jap*", "sanc*", "chin*", "nucl*")} }},
		{"phrase", func(i int) search.Query {
			return search.Query{Text: rotate(i, `"supply chains"`, `"regional security"`, `"export controls"`, `"south korea"`)}
		}},
		// A common word narrowed by topic and region, then by type.
		{"broad-topic-region", func(i int) search.Query {
			return search.Query{Text: rotate(i, "policy", "security"), Topic: rotate(i/2, "security", "economics", "trade"),
				Region: rotate(i/3, "japan", "china", "asia")}
		}},
		{"broad-type", func(i int) search.Query {
			return search.Query{Text: rotate(i, "trade", "policy"), Type: "report"}
		}},
		// A common word by one expert: a very selective filter.
		{"broad-expert", func(i int) search.Query { return search.Query{Text: "policy", Expert: experts[i%len(experts)]} }},
		// No words: a topic listed newest first, with facets.
		{"filters-only", func(i int) search.Query {
			return search.Query{Topic: rotate(i, "trade", "security", "energy", "alliances")}
		}},
	}
}

// Run benchmarks every class on idx and reports, beside the mean, the
// median and 95th percentile of one query's latency and the CPU time per
// query, in milliseconds: the machine may be shared, and the CPU time
// says what a query costs when it has a core to itself (every connection
// of a query counted, since they run in this process for SQLite; for
// PostgreSQL the server's share is not in it).
func Run(b *testing.B, idx search.Index, experts, names []string) {
	for _, c := range Classes(experts, names) {
		b.Run(c.Name, func(b *testing.B) {
			ctx := context.Background()
			var took []time.Duration
			cpu0 := cpuTime()
			for i := 0; b.Loop(); i++ {
				q := c.Query(i)
				start := time.Now()
				r, err := idx.Search(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				if r.Total == 0 {
					b.Fatalf("%+v matched nothing", q)
				}
			}
			cpu := cpuTime() - cpu0
			slices.Sort(took)
			b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
			b.ReportMetric(ms(took[len(took)*95/100]), "p95-ms")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(took)), "cpu-ms/op")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// cpuTime returns the CPU time, user and system, the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Contributors returns the slugs and family names of the 20 people with
// the most contributions in db, the experts and names Classes takes; the
// query is the same on both engines.
func Contributors(ctx context.Context, db *sql.DB) (experts, names []string, err error) {
	rows, err := db.QueryContext(ctx, `SELECT pe.slug, pe.family FROM contributions c JOIN people pe ON pe.id = c.person_id
		WHERE pe.family <> '' GROUP BY pe.slug, pe.family ORDER BY COUNT(*) DESC, pe.slug LIMIT 20`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var slug, family string
		if err := rows.Scan(&slug, &family); err != nil {
			return nil, nil, err
		}
		experts, names = append(experts, slug), append(names, family)
	}
	return experts, names, rows.Err()
}
