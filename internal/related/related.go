// Package related ranks "More on This Topic": the publications an editor
// picked by hand come first, in their order, then the publications sharing
// the most telling contributors, topics and regions with the one on the
// page. A shared term counts more the rarer it is, and a term carried by
// most of the catalogue (the region "Asia" at an Asia institute) counts
// nothing.
package related

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Weights set how much each kind of shared term counts.
type Weights struct {
	Person float64 // a shared contributor
	Topic  float64
	Region float64
	// SameType is added once to a candidate of the same display type that
	// already shares a term: a report next to reports.
	SameType float64
	// Date is added, divided by one plus the years between the two
	// issued dates, to a candidate that already shares a term: of two
	// equally close publications the one from the same period ranks first.
	Date float64
	// Text is multiplied by the text similarity (0 to 1) of a candidate's
	// title, subtitle and summary to the publication's, for the best
	// candidates by shared terms, when their texts are at hand.
	Text float64
	// CommonCutoff drops terms carried by more than this share of all
	// published publications, once there are at least MinForCutoff.
	CommonCutoff float64
	MinForCutoff int
}

// DefaultWeights rank a shared expert above a shared topic above a shared
// region.
var DefaultWeights = Weights{Person: 3, Topic: 2, Region: 1, SameType: 0.25, Date: 0.25, Text: 1.5, CommonCutoff: 0.5, MinForCutoff: 10}

// Result is one ranked publication and why it was chosen.
type Result struct {
	ID       int64
	Slug     string
	Override bool    // picked by an editor
	Score    float64 // 0 for overrides
	// Shared lists the terms the score came from.
	Topics, Regions, People []int64
	// SameType and Years say whether the type and date facets added to
	// the score: Years is the distance between issued dates in years, -1
	// when either date is unknown or the date facet did not count.
	SameType bool
	Years    int
	// Text is the text similarity that added to the score, 0 when texts
	// were not compared.
	Text float64

	sortKey int // issued date, the tie-breaker
}

// Rank returns up to n results for set: overrides first, then candidates
// sharing at least one term that is not over-common, by score, then newer
// first, then by ID. When set.Texts holds the texts, the best candidates by
// shared terms are compared by text as well (see text.go).
func Rank(set *store.RelatedSet, n int, w Weights) []Result {
	if n <= 0 {
		return nil
	}
	if set.Texts == nil || w.Text == 0 {
		return rankFacets(set, n, w)
	}
	return rerankTexts(rankFacets(set, textPool(n), w), set.Self.ID, slices.Collect(maps.Values(set.Texts)), n, w)
}

// rerankTexts compares the pool rs of self's best candidates by shared
// terms by their texts, and returns the first n (see text.go).
func rerankTexts(rs []Result, self int64, texts []store.Text, n int, w Weights) []Result {
	x := newTextIndex()
	for _, t := range texts {
		x.add(t)
	}
	sim := x.similarity(self)
	if sim == nil {
		sim = func(int64) float64 { return 0 }
	}
	return rerank(rs, n, w, sim)
}

// rankFacets ranks by shared terms, type and date only.
func rankFacets(set *store.RelatedSet, n int, w Weights) []Result {
	out := make([]Result, 0, n)
	seen := map[int64]bool{set.Self.ID: true}
	for _, id := range set.Overrides {
		if len(out) == n {
			return out
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, Result{ID: id, Override: true})
		}
	}
	total := float64(set.Total)
	weigh := func(weight float64, counts map[int64]int, terms []int64) map[int64]float64 {
		m := map[int64]float64{}
		for _, t := range terms {
			df := float64(counts[t])
			if df <= 0 || total <= 0 {
				continue
			}
			if set.Total >= w.MinForCutoff && df/total > w.CommonCutoff {
				continue
			}
			m[t] = weight * (1 + math.Log(total/df))
		}
		return m
	}
	people := weigh(w.Person, set.PersonCount, set.Self.People)
	topics := weigh(w.Topic, set.TopicCount, set.Self.Topics)
	regions := weigh(w.Region, set.RegionCount, set.Self.Regions)

	var cands []Result
	for _, c := range set.Candidates {
		if seen[c.ID] {
			continue
		}
		r := Result{ID: c.ID, Slug: c.Slug, Years: -1, sortKey: c.SortKey}
		add := func(weights map[int64]float64, terms []int64, into *[]int64) {
			for _, t := range terms {
				if v, ok := weights[t]; ok {
					r.Score += v
					*into = append(*into, t)
				}
			}
		}
		add(people, c.People, &r.People)
		add(topics, c.Topics, &r.Topics)
		add(regions, c.Regions, &r.Regions)
		if r.Score == 0 {
			continue
		}
		if c.Type == set.Self.Type {
			r.Score += w.SameType
			r.SameType = true
		}
		// SortKey is year*10000+month*100+day; 0 when unknown.
		if a, b := set.Self.SortKey/10000, c.SortKey/10000; a > 0 && b > 0 && w.Date > 0 {
			r.Years = max(a-b, b-a)
			r.Score += w.Date / float64(1+r.Years)
		}
		cands = append(cands, r)
	}
	sort.Slice(cands, func(i, j int) bool { return before(&cands[i], &cands[j]) })
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, c)
	}
	return out
}

// Source is what Find reads; store.Store provides it.
type Source interface {
	RelatedCandidates(ctx context.Context, publicationID int64) (*store.RelatedSet, error)
	PublicationsByID(ctx context.Context, ids []int64) ([]model.Publication, error)
}

// rankLive ranks the list of n of a publication from the store: its
// candidates by shared terms and, when src hands over texts, the texts of
// the best of them, read once the pool is known. It returns the list's
// floor too (see floorOf).
func rankLive(ctx context.Context, src Source, publicationID int64, n int) ([]Result, float64, error) {
	set, err := src.RelatedCandidates(ctx, publicationID)
	if err != nil {
		return nil, 0, fmt.Errorf("related: %w", err)
	}
	texts, ok := src.(store.Texts)
	if !ok || DefaultWeights.Text == 0 || n <= 0 {
		rs := Rank(set, n, DefaultWeights)
		return rs, floorOf(rs, n), nil
	}
	pool := textPool(n)
	rs := rankFacets(set, pool, DefaultWeights)
	ids := []int64{publicationID}
	for _, r := range rs {
		if !r.Override {
			ids = append(ids, r.ID)
		}
	}
	ts, err := texts.PublicationTexts(ctx, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("related: %w", err)
	}
	return rerankTexts(rs, publicationID, ts, n, DefaultWeights), floorOf(rs, pool), nil
}

// Find returns up to n publications related to the publication with the
// given ID, ranked with DefaultWeights, as complete records.
func Find(ctx context.Context, src Source, publicationID int64, n int) ([]model.Publication, error) {
	rs, _, err := rankLive(ctx, src, publicationID, n)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	ps, err := src.PublicationsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("related to publication %d: %w", publicationID, err)
	}
	return ps, nil
}
