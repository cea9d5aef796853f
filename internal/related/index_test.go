package related

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// randomCatalogue builds a catalogue of n publications over the given
// numbers of people, topics and regions. Few types and few years make
// ties in score common, so that the tie-breakers decide often.
func randomCatalogue(rng *rand.Rand, n, people, topics, regions int) *store.Catalogue {
	cat := &store.Catalogue{Published: map[int64]bool{}, Overrides: map[int64][]int64{}}
	types := []model.Type{model.TypeReport, model.TypeBook, model.TypeOpEd}
	pick := func(from, most int, base int64) []int64 {
		var out []int64
		for range rng.IntN(most + 1) {
			t := base + int64(rng.IntN(from))
			if !containsID(out, t) {
				out = append(out, t)
			}
		}
		return out
	}
	for i := range n {
		id := int64(i + 1)
		f := store.Facets{ID: id, Slug: fmt.Sprintf("p%d", id), Type: types[rng.IntN(len(types))],
			People: pick(people, 3, 1000), Topics: pick(topics, 3, 2000), Regions: pick(regions, 2, 3000)}
		if rng.IntN(10) > 0 {
			f.SortKey = (2000+rng.IntN(4))*10000 + 101
		}
		cat.Publications = append(cat.Publications, f)
		cat.Published[id] = rng.IntN(8) > 0
		if rng.IntN(50) == 0 {
			cat.Overrides[id] = []int64{1 + rng.Int64N(int64(n)), 1 + rng.Int64N(int64(n))}
		}
	}
	return cat
}

func containsID(s []int64, v int64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestIndexRankPrunes checks that the ranking which stops reading postings
// early gives exactly what ranking every candidate gives, on catalogues
// of several shapes, and that it does stop early.
func TestIndexRankPrunes(t *testing.T) {
	for _, shape := range []struct {
		name                       string
		n, people, topics, regions int
	}{
		{"many people", 1500, 200, 12, 8},
		{"few people", 1200, 10, 5, 3},
		{"broad terms only", 1000, 3, 4, 2},
		{"tiny", 12, 3, 3, 2},
	} {
		t.Run(shape.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(shape.n), uint64(shape.people)))
			cat := randomCatalogue(rng, shape.n, shape.people, shape.topics, shape.regions)
			x := NewIndex(cat)
			every := 0
			for _, p := range cat.Publications {
				set, err := x.Set(p.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range []int{1, 5, 30} {
					want := Rank(set, k, DefaultWeights)
					got, err := x.Rank(p.ID, k, DefaultWeights)
					if err != nil {
						t.Fatal(err)
					}
					if len(want) == 0 && len(got) == 0 {
						continue
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("Rank(%d, %d)\n got %+v\nwant %+v", p.ID, k, got, want)
					}
				}
				// What reading every counted term's postings costs.
				for _, terms := range []struct {
					ids      []int64
					postings map[int64][]int
				}{{p.People, x.people}, {p.Topics, x.topics}, {p.Regions, x.regions}} {
					for _, id := range terms.ids {
						if df := len(terms.postings[id]); x.total < DefaultWeights.MinForCutoff || float64(df)/float64(x.total) <= DefaultWeights.CommonCutoff {
							every += 3 * df
						}
					}
				}
			}
			t.Logf("postings read: %d of %d", x.walked, every)
			if shape.name == "many people" && x.walked*2 > every {
				t.Errorf("read %d postings of %d: ranking did not stop early", x.walked, every)
			}
		})
	}
}

// BenchmarkIndexRank ranks lists of a generated catalogue of
// -bench.publications (default 100,000) from memory, as a rebuild does,
// without the store: what the index itself costs per list.
func BenchmarkIndexRank(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cat := randomCatalogue(rng, 100000, 2000, 11, 11)
	x := NewIndex(cat)
	pool := textPool(ListSize)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := x.rankFacets(cat.Publications[(i*7919)%len(cat.Publications)].ID, pool, DefaultWeights); err != nil {
			b.Fatal(err)
		}
	}
}
