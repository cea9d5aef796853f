package web

import (
	"math"
	"sort"

	"github.com/imprintpub/imprint/internal/store"
)

// Facet weights: a shared contributor says more than a shared topic, which
// says more than a shared region.
const (
	weightPerson = 3.0
	weightTopic  = 2.0
	weightRegion = 1.0
	// commonCutoff ignores terms carried by more than this share of all
	// published publications: on an Asia institute's site "Asia" relates
	// nothing. It applies from commonMinTotal publications up, below which
	// shares say little.
	commonCutoff   = 0.5
	commonMinTotal = 8
)

// rankRelated returns up to n publication IDs related to set.Self: the
// hand-picked overrides first, in the editor's order, then the candidates
// ranked by the terms they share with Self, each weighted by how rare it is
// (1 + ln(total/count)), ties going to the newer publication. Candidates
// that share only over-common terms are left out: a short list is better
// than an arbitrary one.
func rankRelated(set *store.RelatedSet, n int) []int64 {
	out := make([]int64, 0, n)
	seen := map[int64]bool{set.Self.ID: true}
	for _, id := range set.Overrides {
		if len(out) == n {
			return out
		}
		if !seen[id] {
			out = append(out, id)
			seen[id] = true
		}
	}

	total := float64(max(set.Total, 1))
	weight := func(base float64, count int) float64 {
		c := float64(max(count, 1))
		if set.Total >= commonMinTotal && c/total > commonCutoff {
			return 0
		}
		return base * (1 + math.Log(total/c))
	}
	topics := termWeights(set.Self.Topics, set.TopicCount, weightTopic, weight)
	regions := termWeights(set.Self.Regions, set.RegionCount, weightRegion, weight)
	people := termWeights(set.Self.People, set.PersonCount, weightPerson, weight)

	type scored struct {
		f     store.Facets
		score float64
	}
	var cands []scored
	for _, f := range set.Candidates {
		if seen[f.ID] {
			continue
		}
		sc := sum(f.Topics, topics) + sum(f.Regions, regions) + sum(f.People, people)
		if sc > 0 {
			cands = append(cands, scored{f, sc})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.f.SortKey != b.f.SortKey {
			return a.f.SortKey > b.f.SortKey
		}
		return a.f.ID > b.f.ID
	})
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, c.f.ID)
	}
	return out
}

func termWeights(ids []int64, counts map[int64]int, base float64, weight func(float64, int) float64) map[int64]float64 {
	m := make(map[int64]float64, len(ids))
	for _, id := range ids {
		m[id] = weight(base, counts[id])
	}
	return m
}

// sum adds the weights of ids, counting each term once.
func sum(ids []int64, w map[int64]float64) float64 {
	var s float64
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			s += w[id]
		}
	}
	return s
}
