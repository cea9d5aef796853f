package related

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/imprintpub/imprint/internal/store"
)

// Index answers what store.RelatedCandidates does, for any publication,
// from one store.Catalogue held in memory: the inverted index of published
// publications by term. A rebuild, or a change whose neighbourhood is
// large, ranks thousands of lists; one query each would cost the
// catalogue's size every time. An Index is not safe for concurrent use.
type Index struct {
	cat                     *store.Catalogue
	pos                     map[int64]int
	topics, regions, people map[int64][]int // published carriers, by position in cat, ascending
	total                   int
	mark                    []int // mark[i] == gen: already a candidate of the set being built
	gen                     int
	// text, when set, holds the texts loaded so far (see rankAll);
	// Rank compares its best candidates by text when it holds the
	// publication's own.
	text *textIndex
	// walked counts the postings rankFacets has read, for tests.
	walked int
}

// NewIndex indexes cat, which it keeps and must not be changed after.
func NewIndex(cat *store.Catalogue) *Index {
	x := &Index{
		cat: cat, pos: make(map[int64]int, len(cat.Publications)),
		topics: map[int64][]int{}, regions: map[int64][]int{}, people: map[int64][]int{},
		mark: make([]int, len(cat.Publications)),
	}
	for i, p := range cat.Publications {
		x.pos[p.ID] = i
		if !cat.Published[p.ID] {
			continue
		}
		x.total++
		for _, t := range p.Topics {
			x.topics[t] = append(x.topics[t], i)
		}
		for _, t := range p.Regions {
			x.regions[t] = append(x.regions[t], i)
		}
		for _, t := range p.People {
			x.people[t] = append(x.people[t], i)
		}
	}
	return x
}

// Set returns the ranking input of the publication with the given ID,
// equal to what store.RelatedCandidates returns for it; an error wrapping
// store.ErrNotFound when the catalogue does not hold it.
func (x *Index) Set(id int64) (*store.RelatedSet, error) {
	i, ok := x.pos[id]
	if !ok {
		return nil, fmt.Errorf("publication %d: %w", id, store.ErrNotFound)
	}
	self := x.cat.Publications[i]
	set := &store.RelatedSet{
		Self: store.Facets{ID: self.ID, Slug: self.Slug, Type: self.Type, SortKey: self.SortKey,
			Topics: slices.Clone(self.Topics), Regions: slices.Clone(self.Regions), People: slices.Clone(self.People)},
		Total:       x.total,
		TopicCount:  map[int64]int{},
		RegionCount: map[int64]int{},
		PersonCount: map[int64]int{},
	}
	for _, o := range x.cat.Overrides[id] {
		if x.cat.Published[o] {
			set.Overrides = append(set.Overrides, o)
		}
	}
	x.gen++
	var cands []int
	for _, k := range []struct {
		terms    []int64
		postings map[int64][]int
		counts   map[int64]int
	}{
		{self.Topics, x.topics, set.TopicCount},
		{self.Regions, x.regions, set.RegionCount},
		{self.People, x.people, set.PersonCount},
	} {
		for _, t := range k.terms {
			carriers := k.postings[t]
			k.counts[t] = len(carriers)
			for _, c := range carriers {
				if c != i && x.mark[c] != x.gen {
					x.mark[c] = x.gen
					cands = append(cands, c)
				}
			}
		}
	}
	slices.Sort(cands) // positions follow IDs
	set.Candidates = make([]store.Facets, len(cands))
	for j, c := range cands {
		p := x.cat.Publications[c]
		set.Candidates[j] = store.Facets{ID: p.ID, Slug: p.Slug, Type: p.Type, SortKey: p.SortKey,
			Topics: shared(p.Topics, self.Topics), Regions: shared(p.Regions, self.Regions), People: shared(p.People, self.People)}
	}
	return set, nil
}

// shared returns the terms of a also in b, in a's order.
func shared(a, b []int64) []int64 {
	var out []int64
	for _, t := range a {
		if slices.Contains(b, t) {
			out = append(out, t)
		}
	}
	return out
}

// Rank returns what Rank(x.Set(id), n, w) does, faster: it walks only the
// postings of the terms that count (a term over the cut-off, often the
// longest list, is never read) and keeps the best n without sorting every
// candidate. With texts loaded (rankAll), the best candidates are compared
// by text too, as Rank does with a set carrying texts.
func (x *Index) Rank(id int64, n int, w Weights) ([]Result, error) {
	pool := n
	if x.text != nil && w.Text > 0 && n > 0 {
		pool = textPool(n)
	}
	rs, err := x.rankFacets(id, pool, w)
	if err != nil {
		return nil, err
	}
	return x.finish(id, rs, n, w), nil
}

// finish turns a pool ranked by shared terms into the list of n: compared
// by text when the publication's own text is loaded, cut to n otherwise.
func (x *Index) finish(id int64, rs []Result, n int, w Weights) []Result {
	if x.text != nil && w.Text > 0 {
		if sim := x.text.similarity(id); sim != nil {
			return rerank(rs, n, w, sim)
		}
	}
	return rs[:min(len(rs), n)]
}

// rankFacets ranks by shared terms, type and date only. It reads the
// postings of the heaviest terms first and stops once no publication it
// has not met yet could outscore the n-th best so far: a publication met
// only in the postings still unread shares at most those terms, so its
// score is at most their weights plus the type and date bonuses. A
// publication sharing a rare contributor usually settles the list before
// a topic carried by thousands is read at all.
func (x *Index) rankFacets(id int64, n int, w Weights) ([]Result, error) {
	i, ok := x.pos[id]
	if !ok {
		return nil, fmt.Errorf("publication %d: %w", id, store.ErrNotFound)
	}
	if n <= 0 {
		return nil, nil
	}
	self := x.cat.Publications[i]
	out := make([]Result, 0, n)
	seen := map[int64]bool{id: true}
	for _, o := range x.cat.Overrides[id] {
		if len(out) == n {
			return out, nil
		}
		if x.cat.Published[o] && !seen[o] {
			seen[o] = true
			out = append(out, Result{ID: o, Override: true})
		}
	}
	total := float64(x.total)
	var terms []weighted
	weigh := func(weight float64, ids []int64, postings map[int64][]int) []weighted {
		var m []weighted
		for _, t := range ids {
			carriers := postings[t]
			df := float64(len(carriers))
			if df <= 0 || total <= 0 || slices.ContainsFunc(m, func(v weighted) bool { return v.term == t }) {
				continue
			}
			if x.total >= w.MinForCutoff && df/total > w.CommonCutoff {
				continue
			}
			v := weighted{term: t, weight: weight * (1 + math.Log(total/df)), carriers: carriers}
			m = append(m, v)
			terms = append(terms, v)
		}
		return m
	}
	people := weigh(w.Person, self.People, x.people)
	topics := weigh(w.Topic, self.Topics, x.topics)
	regions := weigh(w.Region, self.Regions, x.regions)
	// Heaviest first; of two equal, the shorter postings.
	slices.SortStableFunc(terms, func(a, b weighted) int {
		if a.weight != b.weight {
			return cmp.Compare(b.weight, a.weight)
		}
		return cmp.Compare(len(a.carriers), len(b.carriers))
	})
	// bound[j] is the most a publication first met in the postings of
	// terms[j] can score; the margin covers rounding in the sums.
	bonus := max(w.SameType, 0) + max(w.Date, 0)
	bound := make([]float64, len(terms)+1)
	for j := len(terms) - 1; j >= 0; j-- {
		bound[j] = bound[j+1] + terms[j].weight
	}
	for j := range bound {
		bound[j] += bonus + 1e-9*(1+bound[j])
	}

	room := n - len(out)
	if room == 0 {
		return out, nil
	}
	best := make([]Result, 0, room+1)
	x.gen++
	x.mark[i] = x.gen
	for j, t := range terms {
		if len(best) == room && best[room-1].Score > bound[j] {
			break
		}
		x.walked += len(t.carriers)
		for _, ci := range t.carriers {
			if x.mark[ci] == x.gen {
				continue
			}
			x.mark[ci] = x.gen
			c := &x.cat.Publications[ci]
			if seen[c.ID] {
				continue
			}
			// Summed in the order Rank sums, so that scores agree to the bit.
			r := Result{ID: c.ID, Slug: c.Slug, Years: -1, sortKey: c.SortKey}
			r.Score = sumShared(sumShared(sumShared(0, people, c.People), topics, c.Topics), regions, c.Regions)
			if r.Score == 0 {
				continue
			}
			if c.Type == self.Type {
				r.Score += w.SameType
				r.SameType = true
			}
			if a, b := self.SortKey/10000, c.SortKey/10000; a > 0 && b > 0 && w.Date > 0 {
				r.Years = max(a-b, b-a)
				r.Score += w.Date / float64(1+r.Years)
			}
			if len(best) == room && !before(&r, &best[room-1]) {
				continue
			}
			// Only the candidates that make the list so far say why.
			r.People, r.Topics, r.Regions = counting(c.People, people), counting(c.Topics, topics), counting(c.Regions, regions)
			k := len(best)
			if k < room {
				best = append(best, r)
			} else {
				k = room - 1
			}
			for ; k > 0 && before(&r, &best[k-1]); k-- {
				best[k] = best[k-1]
			}
			best[k] = r
		}
	}
	return append(out, best...), nil
}

// weighted is one of a publication's terms that counts, with its weight
// and its published carriers.
type weighted struct {
	term     int64
	weight   float64
	carriers []int
}

// sumShared adds to score the weight of each of a candidate's terms that
// counts, in the candidate's order.
func sumShared(score float64, counted []weighted, terms []int64) float64 {
	for _, t := range terms {
		for _, v := range counted {
			if v.term == t {
				score += v.weight
				break
			}
		}
	}
	return score
}

// counting returns the terms of a candidate that count, in its order.
func counting(terms []int64, counted []weighted) []int64 {
	var out []int64
	for _, t := range terms {
		if slices.ContainsFunc(counted, func(v weighted) bool { return v.term == t }) {
			out = append(out, t)
		}
	}
	return out
}
