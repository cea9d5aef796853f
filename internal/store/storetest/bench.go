package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// BenchData names records of a generated catalogue that the benchmarks look
// up. Backends generate catalogues whose slugs follow one scheme:
// publications "pub-N" (N counting from 0, in the order of Pubs), people
// "person-N" and topics "topic-N".
type BenchData struct {
	Pubs          []int64
	Topic, Person int64
}

// Bench runs the read and write benchmarks every backend reports, so that
// their numbers compare like for like. setup returns the store and its
// catalogue; it is called by each sub-benchmark and should generate the
// catalogue once.
func Bench(b *testing.B, setup func(b *testing.B) (store.Store, BenchData)) {
	ctx := context.Background()
	b.Run("PublicationBySlug", func(b *testing.B) {
		s, d := setup(b)
		for i := 0; b.Loop(); i++ {
			if _, err := s.PublicationBySlug(ctx, fmt.Sprintf("pub-%d", i%len(d.Pubs))); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Concurrent readers, as several app servers' requests are: the store
	// is one pool shared by goroutines.
	b.Run("PublicationBySlugParallel", func(b *testing.B) {
		s, d := setup(b)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := s.PublicationBySlug(ctx, fmt.Sprintf("pub-%d", i%len(d.Pubs))); err != nil {
					b.Error(err)
					return
				}
				i += 7
			}
		})
	})
	list := func(name string, q func(d BenchData) store.PublicationQuery) {
		b.Run(name, func(b *testing.B) {
			s, d := setup(b)
			query := q(d)
			for b.Loop() {
				if _, err := s.ListPublications(ctx, query); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	list("ListNewest", func(BenchData) store.PublicationQuery {
		return store.PublicationQuery{Status: model.StatusPublished}
	})
	list("ListTopic", func(d BenchData) store.PublicationQuery {
		return store.PublicationQuery{Status: model.StatusPublished, TopicID: d.Topic, Subtree: true}
	})
	list("ListExpert", func(d BenchData) store.PublicationQuery {
		return store.PublicationQuery{Status: model.StatusPublished, PersonID: d.Person}
	})
	b.Run("RelatedCandidates", func(b *testing.B) {
		s, d := setup(b)
		for i := 0; b.Loop(); i++ {
			if _, err := s.RelatedCandidates(ctx, d.Pubs[i%len(d.Pubs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CreatePublication", func(b *testing.B) {
		s, _ := setup(b)
		run := time.Now().UnixNano() // a kept catalogue may hold earlier runs' records
		for i := 0; b.Loop(); i++ {
			p := &model.Publication{Slug: fmt.Sprintf("new-%d-%d", run, i), Type: model.TypeReport, Title: "New", Status: model.StatusPublished,
				Contributions: []model.Contribution{{Person: model.Person{Slug: "person-1"}, Role: model.RoleAuthor}},
				Topics:        []model.Topic{{Slug: "topic-1"}}}
			if err := s.CreatePublication(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
