package related

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/imprintpub/imprint/internal/model"
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
	// The facets ranking reads of each publication, by position, packed
	// so that scoring a candidate touches two or three cache lines rather
	// than the Facets and each of its three term slices: its terms as
	// keys (see termKey), people then topics then regions, each kind in
	// its stored order, in terms[start[i]:start[i+1]]; its type as a
	// small number; its issued sort key.
	terms   []int64
	start   []int32
	id      []int64
	typ     []int32
	sortKey []int32
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
		mark:  make([]int, len(cat.Publications)),
		start: make([]int32, 0, len(cat.Publications)+1),
		id:    make([]int64, len(cat.Publications)),
		typ:   make([]int32, len(cat.Publications)), sortKey: make([]int32, len(cat.Publications)),
	}
	types := map[model.Type]int32{}
	for i, p := range cat.Publications {
		x.pos[p.ID] = i
		x.start = append(x.start, int32(len(x.terms)))
		for k, ts := range [][]int64{p.People, p.Topics, p.Regions} {
			for _, t := range ts {
				x.terms = append(x.terms, termKey(k, t))
			}
		}
		t, ok := types[p.Type]
		if !ok {
			t = int32(len(types))
			types[p.Type] = t
		}
		x.id[i], x.typ[i], x.sortKey[i] = p.ID, t, int32(p.SortKey)
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
	x.start = append(x.start, int32(len(x.terms)))
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
	x.gen++
	x.mark[i] = x.gen
	for _, o := range x.cat.Overrides[id] {
		if len(out) == n {
			return out, nil
		}
		// An override is listed once, and never again as a candidate.
		if oi, ok := x.pos[o]; ok && x.cat.Published[o] && x.mark[oi] != x.gen {
			x.mark[oi] = x.gen
			out = append(out, Result{ID: o, Override: true})
		}
	}
	total := float64(x.total)
	var terms []weighted
	weigh := func(kind int, weight float64, ids []int64, postings map[int64][]int) []weighted {
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
			v := weighted{term: t, key: termKey(kind, t), weight: weight * (1 + math.Log(total/df)), carriers: carriers}
			m = append(m, v)
			terms = append(terms, v)
		}
		return m
	}
	people := weigh(0, w.Person, self.People, x.people)
	topics := weigh(1, w.Topic, self.Topics, x.topics)
	regions := weigh(2, w.Region, self.Regions, x.regions)
	counted := slices.Concat(people, topics, regions)
	selfType, selfYear := x.typ[i], self.SortKey/10000
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
			// Summed in the order Rank sums (people, topics, regions,
			// each in the candidate's order), so that scores agree to
			// the bit.
			score := 0.0
			for _, key := range x.terms[x.start[ci]:x.start[ci+1]] {
				for _, v := range counted {
					if v.key == key {
						score += v.weight
						break
					}
				}
			}
			if score == 0 {
				continue
			}
			sameType := x.typ[ci] == selfType
			if sameType {
				score += w.SameType
			}
			years := -1
			if a, b := selfYear, int(x.sortKey[ci])/10000; a > 0 && b > 0 && w.Date > 0 {
				years = max(a-b, b-a)
				score += w.Date / float64(1+years)
			}
			r := Result{ID: x.id[ci], Score: score, SameType: sameType, Years: years, sortKey: int(x.sortKey[ci])}
			if len(best) == room && !before(&r, &best[room-1]) {
				continue
			}
			// Only the candidates that make the list so far say why.
			c := &x.cat.Publications[ci]
			r.Slug = c.Slug
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
	key      int64 // termKey of term
	weight   float64
	carriers []int
}

// termKey tells terms of different kinds (0 people, 1 topics, 2 regions)
// apart in one list.
func termKey(kind int, id int64) int64 { return id<<2 | int64(kind) }

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
