package sqlite

import (
	"context"
	"testing"

	"github.com/imprintpub/imprint/internal/related"
)

// relatedSample is how many publications the related-list benchmarks rank
// and store before reading: ranking one costs what RelatedCandidates does.
const relatedSample = 20

// BenchmarkRelatedListRead reads what a publication page shows of "More
// on This Topic": the stored list and its five records.
func BenchmarkRelatedListRead(b *testing.B) {
	s, d := benchSetup(b)
	ctx := context.Background()
	ids := d.pubs[:min(relatedSample, len(d.pubs))]
	for _, id := range ids {
		list, err := related.Compute(ctx, s, id)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.SetRelatedList(ctx, id, list); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ps, err := related.Lookup(ctx, s, ids[i%len(ids)], 5)
		if err != nil {
			b.Fatal(err)
		}
		if len(ps) == 0 {
			b.Fatal("empty related list")
		}
	}
}

// BenchmarkRelatedNeighbours measures how many lists one change makes
// Refresh rank again, reported as neighbours/op.
func BenchmarkRelatedNeighbours(b *testing.B) {
	s, d := benchSetup(b)
	ctx := context.Background()
	total := 0
	for i := 0; b.Loop(); i++ {
		id := d.pubs[i%len(d.pubs)]
		terms, err := related.Snapshot(ctx, s, id)
		if err != nil {
			b.Fatal(err)
		}
		n, err := related.Neighbours(ctx, s, id, terms)
		if err != nil {
			b.Fatal(err)
		}
		total += len(n)
	}
	b.ReportMetric(float64(total)/float64(b.N), "neighbours/op")
}

// BenchmarkRelatedRebuild ranks and stores the list of every publication;
// run it with -benchtime 1x and, at 100,000 publications, a -timeout of
// some minutes.
func BenchmarkRelatedRebuild(b *testing.B) {
	s, _ := benchSetup(b)
	ctx := context.Background()
	for b.Loop() {
		n, err := related.Rebuild(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "lists/op")
	}
}

// BenchmarkRelatedRefresh is what one edit costs: the publication's list
// and those of its neighbours ranked and stored again. Run it after
// BenchmarkRelatedRebuild on the same -bench.db: lists without a stored
// floor are always ranked again.
func BenchmarkRelatedRefresh(b *testing.B) {
	s, d := benchSetup(b)
	ctx := context.Background()
	total := 0
	for i := 0; b.Loop(); i++ {
		id := d.pubs[(i*7919)%len(d.pubs)]
		terms, err := related.Snapshot(ctx, s, id)
		if err != nil {
			b.Fatal(err)
		}
		n, err := related.Refresh(ctx, s, id, terms)
		if err != nil {
			b.Fatal(err)
		}
		total += n
	}
	b.ReportMetric(float64(total)/float64(b.N), "lists/op")
}

// BenchmarkRelatedCompute ranks one list from the store, as a page whose
// list was never stored does, and as Refresh does for a few neighbours.
func BenchmarkRelatedCompute(b *testing.B) {
	s, d := benchSetup(b)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if _, err := related.Compute(ctx, s, d.pubs[(i*7919)%len(d.pubs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRelatedCatalogue reads what ranking many lists from memory
// starts with: every publication's terms.
func BenchmarkRelatedCatalogue(b *testing.B) {
	s, _ := benchSetup(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.RelatedCatalogue(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
