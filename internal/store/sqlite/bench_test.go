package sqlite

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

var (
	benchN  = flag.Int("bench.publications", 10000, "number of generated publications the benchmarks run on")
	benchDB = flag.String("bench.db", "", "database file for the benchmarks, kept and reused between runs (default: a temporary file)")
)

var (
	benchOnce  sync.Once
	benchStore *sqlstore.Store
	benchErr   error
	benchIDs   benchData
)

type benchData struct {
	pubs          []int64
	topic, person int64
}

// generate fills a store with n publications spread over 300 people, 30
// topics and 15 regions, with one to three of each per publication and
// dates over twenty years, a catalogue shaped like a mid-sized institute's.
func generate(ctx context.Context, s store.Store, n int) (benchData, error) {
	var d benchData
	r := rand.New(rand.NewPCG(1, 2))
	var people, topics, regions []string
	for i := range 300 {
		p := model.Person{Slug: fmt.Sprintf("person-%d", i), Given: "Given", Family: fmt.Sprintf("Family%d", i)}
		if err := s.CreatePerson(ctx, &p); err != nil {
			return d, err
		}
		people = append(people, p.Slug)
		if i == 0 {
			d.person = p.ID
		}
	}
	for i := range 30 {
		t := model.Topic{Slug: fmt.Sprintf("topic-%d", i), Name: fmt.Sprintf("Topic %d", i)}
		if err := s.CreateTopic(ctx, &t); err != nil {
			return d, err
		}
		topics = append(topics, t.Slug)
		if i == 0 {
			d.topic = t.ID
		}
	}
	for i := range 15 {
		g := model.Region{Slug: fmt.Sprintf("region-%d", i), Name: fmt.Sprintf("Region %d", i)}
		if err := s.CreateRegion(ctx, &g); err != nil {
			return d, err
		}
		regions = append(regions, g.Slug)
	}
	types := []model.Type{model.TypeReport, model.TypeArticleJournal, model.TypeOpEd, model.TypePodcast, model.TypeBook, model.TypeEvent}
	pick := func(from []string, max int) []string {
		k := 1 + r.IntN(max)
		out := map[string]bool{}
		for len(out) < k {
			out[from[r.IntN(len(from))]] = true
		}
		var s []string
		for v := range out {
			s = append(s, v)
		}
		return s
	}
	// Batches of 500 publications per transaction, as demo.Generate
	// writes them: the search index is brought up to date once per batch.
	var batch []*model.Publication
	flush := func() error {
		err := s.(store.Transactor).WithTx(ctx, func(tx store.Store) error {
			for _, p := range batch {
				if err := tx.CreatePublication(ctx, p); err != nil {
					return err
				}
			}
			return nil
		})
		for _, p := range batch {
			d.pubs = append(d.pubs, p.ID)
		}
		batch = batch[:0]
		return err
	}
	for i := range n {
		p := &model.Publication{
			Slug: fmt.Sprintf("pub-%d", i), Type: types[r.IntN(len(types))], Title: fmt.Sprintf("Publication %d", i),
			Issued:  model.Date{Start: model.DatePart{Year: 2005 + r.IntN(20), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}},
			Summary: "A summary of a realistic length for a list card, a sentence or two long.", Status: model.StatusPublished,
		}
		for _, slug := range pick(people, 3) {
			p.Contributions = append(p.Contributions, model.Contribution{Person: model.Person{Slug: slug}, Role: model.RoleAuthor})
		}
		for _, slug := range pick(topics, 3) {
			p.Topics = append(p.Topics, model.Topic{Slug: slug})
		}
		for _, slug := range pick(regions, 2) {
			p.Regions = append(p.Regions, model.Region{Slug: slug})
		}
		if batch = append(batch, p); len(batch) == 500 {
			if err := flush(); err != nil {
				return d, err
			}
		}
	}
	return d, flush()
}

func benchSetup(b *testing.B) (*sqlstore.Store, benchData) {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		path := *benchDB
		if path == "" {
			dir, err := mkBenchDir()
			if err != nil {
				benchErr = err
				return
			}
			path = filepath.Join(dir, "bench.db")
		}
		benchStore, benchErr = Open(ctx, path)
		if benchErr != nil {
			return
		}
		benchIDs, benchErr = reuse(ctx, benchStore, *benchN)
		if benchErr == nil && benchIDs.pubs == nil {
			benchIDs, benchErr = generate(ctx, benchStore, *benchN)
		}
		if benchErr == nil {
			benchErr = benchStore.Analyze(ctx)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore, benchIDs
}

// reuse returns the data of a kept benchmark database that already holds
// n generated publications, or an empty benchData for an empty database.
func reuse(ctx context.Context, s *sqlstore.Store, n int) (benchData, error) {
	var d benchData
	var count int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM publications WHERE slug LIKE 'pub-%'`).Scan(&count); err != nil {
		return d, err
	}
	switch {
	case count == 0:
		return d, nil
	case count != n:
		return d, fmt.Errorf("benchmark database holds %d generated publications, not %d", count, n)
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT id FROM publications WHERE slug LIKE 'pub-%' ORDER BY id`)
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
	err = s.DB().QueryRowContext(ctx, `SELECT (SELECT id FROM topics WHERE slug = 'topic-0'), (SELECT id FROM people WHERE slug = 'person-0')`).
		Scan(&d.topic, &d.person)
	return d, err
}

// BenchmarkStore runs the benchmarks every backend reports (storetest.Bench).
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) (store.Store, storetest.BenchData) {
		s, d := benchSetup(b)
		return s, storetest.BenchData{Pubs: d.pubs, Topic: d.topic, Person: d.person}
	})
}
