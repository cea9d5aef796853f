package related

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// ListSize is how many related publications are ranked ahead and stored
// for each publication: more than a page shows, so that a list read after
// one of its entries was unpublished still fills the page.
const ListSize = 10

// Lists is what keeping ranked lists needs: the ranking input, the stored
// lists, and the publications themselves. The SQL stores provide it.
type Lists interface {
	Source
	store.RelatedLists
	Publication(ctx context.Context, id int64) (*model.Publication, error)
}

// Compute ranks the list of one publication with DefaultWeights, ready to
// store.
func Compute(ctx context.Context, src Source, publicationID int64) (store.RankedList, error) {
	rs, floor, err := rankLive(ctx, src, publicationID, ListSize)
	if err != nil {
		return store.RankedList{}, err
	}
	return store.RankedList{Entries: entries(rs), Floor: floor}, nil
}

// floorOf is the Floor of a list whose candidates by shared terms were
// pool, ranked for a pool of size: the last one's score when the pool is
// full, 0 when any candidate could still have joined it.
func floorOf(pool []Result, size int) float64 {
	if len(pool) < size || len(pool) == 0 || pool[len(pool)-1].Override {
		return 0
	}
	return pool[len(pool)-1].Score
}

// Reasons explains r in a short, stable form kept with the stored list:
// "override", or the shared terms by kind ("people=3 topics=7,9 regions=2
// type years=1").
func (r Result) Reasons() string {
	if r.Override {
		return "override"
	}
	var b strings.Builder
	add := func(kind string, ids []int64) {
		if len(ids) == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(kind)
		b.WriteByte('=')
		for i, id := range ids {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatInt(id, 10))
		}
	}
	add("people", r.People)
	add("topics", r.Topics)
	add("regions", r.Regions)
	if r.SameType {
		b.WriteString(" type")
	}
	if r.Years >= 0 {
		b.WriteString(" years=" + strconv.Itoa(r.Years))
	}
	if r.Text > 0 {
		b.WriteString(" text=" + strconv.FormatFloat(r.Text, 'f', 2, 64))
	}
	return b.String()
}

// Snapshot returns the terms a publication carries now. An editor's write
// takes one before changing the publication and hands it to Refresh after,
// so that the publications sharing a term it drops are refreshed too; a
// publication that does not exist has none.
func Snapshot(ctx context.Context, st Lists, publicationID int64) (store.Terms, error) {
	p, err := st.Publication(ctx, publicationID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Terms{}, nil
	}
	if err != nil {
		return store.Terms{}, fmt.Errorf("related terms: %w", err)
	}
	return termsOf(p), nil
}

func termsOf(p *model.Publication) store.Terms {
	var t store.Terms
	for _, x := range p.Topics {
		t.Topics = append(t.Topics, x.ID)
	}
	for _, x := range p.Regions {
		t.Regions = append(t.Regions, x.ID)
	}
	for _, c := range p.Contributions {
		t.People = append(t.People, c.Person.ID)
	}
	return t
}

// Refresh brings the stored lists up to date after the publication
// changed (created, edited, published, unpublished or deleted), given the
// terms it carried before (Snapshot; empty for a new publication). It
// recomputes the publication's own list and those of its neighbours: the
// publications carrying one of its old or new narrow terms — a term's
// rarity changes for all of them — the carriers of its broad terms that it
// could enter or leave, the ones whose list names it, and the ones that
// picked it by hand. Terms on more published publications than the
// cut-off allows are ignored by ranking, so their carriers are left alone.
// It returns how many lists it stored.
//
// The rarity of a term also depends on the size of the catalogue, which
// every publish or unpublish changes by one, and that of a broad term on
// its thousands of carriers; lists outside the neighbourhood keep the
// weights they were ranked with (a shift of a thousandth or less per
// change), until the next Rebuild.
func Refresh(ctx context.Context, st Lists, publicationID int64, before store.Terms) (int, error) {
	n, err := refresh(ctx, st, map[int64]store.Terms{publicationID: before})
	if err != nil {
		return n, fmt.Errorf("related refresh of publication %d: %w", publicationID, err)
	}
	return n, nil
}

// RefreshEach is Refresh for several publications changed together (an
// import, the demo content), each given the terms it carried before (none
// for one just created): their neighbourhoods are ranked together, once,
// and the catalogue read at most once.
func RefreshEach(ctx context.Context, st Lists, before map[int64]store.Terms) (int, error) {
	n, err := refresh(ctx, st, before)
	if err != nil {
		return n, fmt.Errorf("related refresh of %d publications: %w", len(before), err)
	}
	return n, nil
}

func refresh(ctx context.Context, st Lists, before map[int64]store.Terms) (int, error) {
	changed := slices.Sorted(maps.Keys(before))
	ids := changed
	for _, id := range changed {
		near, err := Neighbours(ctx, st, id, before[id])
		if err != nil {
			return 0, err
		}
		ids = union(ids, near)
	}
	if len(ids) > liveLimit {
		return rankAll(ctx, st, ids)
	}
	n := 0
	for _, id := range ids {
		stored, err := store1(ctx, st, id)
		if err != nil {
			return n, err
		}
		if stored {
			n++
		}
	}
	return n, nil
}

// Neighbours returns the publications whose lists a change to the
// publication may have changed, given the terms it carried before (see
// Refresh and neighbourQuery).
func Neighbours(ctx context.Context, st Lists, publicationID int64, before store.Terms) ([]int64, error) {
	after, err := Snapshot(ctx, st, publicationID)
	if err != nil {
		return nil, err
	}
	terms := store.Terms{
		Topics:  union(before.Topics, after.Topics),
		Regions: union(before.Regions, after.Regions),
		People:  union(before.People, after.People),
	}
	counts, err := st.RelatedTermCounts(ctx, terms)
	if err != nil {
		return nil, err
	}
	return st.RelatedNeighbours(ctx, neighbourQuery(publicationID, terms, counts, DefaultWeights))
}

// broadAbove is how many published carriers make a term broad: one
// carrier more or less moves its weight by a hundredth of its kind's
// weight or less, as one publication more or less in the catalogue moves
// every weight, so a change ranks again only the lists among its carriers
// that the changed publication could enter or leave (see neighbourQuery).
var broadAbove = 100

// neighbourQuery asks for the lists a change to publication id, which
// carried or carries terms, may change. Terms over the cut-off count for
// nothing and are left out, unless the change may have moved them across
// it; every carrier of a narrow term, or of one at the cut-off, is a
// neighbour; a carrier of broad terms only when its list's floor is not
// above the most the publication can score against it: the weights of the
// broad terms it carries plus the type and date bonuses, each weight as
// heavy as it was with one carrier fewer and one more publication in the
// catalogue, with a margin for the weights having drifted since the list
// was ranked.
func neighbourQuery(id int64, terms store.Terms, c *store.TermCounts, w Weights) store.NeighbourQuery {
	const margin = 1.02
	q := store.NeighbourQuery{IDs: []int64{id}, Bonus: (max(w.SameType, 0) + max(w.Date, 0)) * margin}
	split := func(kind store.TermKind, weight float64, ids []int64, counts map[int64]int, all *[]int64) {
		for _, t := range ids {
			df := counts[t]
			if c.Total >= w.MinForCutoff {
				limit := int(w.CommonCutoff * float64(c.Total))
				if df > limit+1 {
					continue
				}
				if df >= limit-1 {
					*all = append(*all, t)
					continue
				}
			}
			if df <= broadAbove {
				*all = append(*all, t)
				continue
			}
			q.Broad = append(q.Broad, store.BroadTerm{Kind: kind, ID: t,
				Weight: weight * (1 + math.Log(float64(c.Total+1)/float64(df-1))) * margin})
		}
	}
	split(store.TopicTerm, w.Topic, terms.Topics, c.Topics, &q.Terms.Topics)
	split(store.RegionTerm, w.Region, terms.Regions, c.Regions, &q.Terms.Regions)
	split(store.PersonTerm, w.Person, terms.People, c.People, &q.Terms.People)
	return q
}

// liveLimit is how many lists Refresh ranks with one query each; past it,
// reading the whole catalogue into an Index once is cheaper. Both grow
// with the catalogue: ranking one list from the store reads every
// publication sharing a term with it, and at 100,000 generated
// publications took a quarter of the time of reading the catalogue
// (BenchmarkRelatedCompute, BenchmarkRelatedCatalogue in
// internal/store/sqlite).
var liveLimit = 4

// textChunk is how many lists rankAll ranks between loads of texts: the
// texts of a chunk's publications and their candidates are read in one go.
const textChunk = 1000

// batchSize is how many lists one transaction stores.
const batchSize = 500

// store1 ranks and stores one list; a publication deleted meanwhile has
// none to store.
func store1(ctx context.Context, st Lists, id int64) (bool, error) {
	list, err := Compute(ctx, st, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := st.SetRelatedList(ctx, id, list); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// rankAll ranks the lists of ids (all publications when ids is nil) from
// an Index of the catalogue and stores them batchSize at a time.
func rankAll(ctx context.Context, st Lists, ids []int64) (int, error) {
	cat, err := st.RelatedCatalogue(ctx)
	if err != nil {
		return 0, err
	}
	x := NewIndex(cat)
	if ids == nil {
		for _, p := range cat.Publications {
			ids = append(ids, p.ID)
		}
	}
	n := 0
	batch := map[int64]store.RankedList{}
	flush := func() error {
		if err := st.SetRelatedLists(ctx, batch); err != nil {
			return fmt.Errorf("after %d lists: %w", n, err)
		}
		n += len(batch)
		clear(batch)
		return nil
	}
	texts, _ := st.(store.Texts)
	pool := ListSize
	if texts != nil && DefaultWeights.Text > 0 {
		x.text, pool = newTextIndex(), textPool(ListSize)
	}
	for chunk := range slices.Chunk(ids, textChunk) {
		if err := ctx.Err(); err != nil {
			return n, fmt.Errorf("after %d lists: %w", n, err)
		}
		// Rank the chunk by shared terms, then read at once the texts its
		// pools compare (its publications' and their candidates').
		pools := make(map[int64][]Result, len(chunk))
		need := slices.Clone(chunk)
		for _, id := range chunk {
			rs, err := x.rankFacets(id, pool, DefaultWeights)
			if errors.Is(err, store.ErrNotFound) {
				continue // deleted
			}
			if err != nil {
				return n, err
			}
			pools[id] = rs
			for _, r := range rs {
				need = append(need, r.ID)
			}
		}
		if x.text != nil {
			if err := x.text.load(ctx, texts, need); err != nil {
				return n, fmt.Errorf("after %d lists: %w", n, err)
			}
		}
		for _, id := range chunk {
			rs, ok := pools[id]
			if !ok {
				continue
			}
			batch[id] = store.RankedList{Entries: entries(x.finish(id, rs, ListSize, DefaultWeights)), Floor: floorOf(rs, pool)}
			if len(batch) == batchSize {
				if err := flush(); err != nil {
					return n, err
				}
			}
		}
	}
	return n, flush()
}

// entries is a ranked list as stored.
func entries(rs []Result) []store.RelatedEntry {
	out := make([]store.RelatedEntry, len(rs))
	for i, r := range rs {
		out[i] = store.RelatedEntry{ID: r.ID, Score: r.Score, Reasons: r.Reasons()}
	}
	return out
}

// Rebuild ranks and stores the list of every publication, from one read
// of the catalogue: after a migration, an import, or to catch up with the
// catalogue's growth. It returns how many lists it stored.
func Rebuild(ctx context.Context, st Lists) (int, error) {
	n, err := rankAll(ctx, st, nil)
	if err != nil {
		return n, fmt.Errorf("related rebuild: %w", err)
	}
	return n, nil
}

// Lookup returns up to n publications related to the publication, as
// complete records: from its stored list when src keeps lists and one was
// stored, otherwise ranked now as Find does. Entries no longer published
// are left out either way.
func Lookup(ctx context.Context, src Source, publicationID int64, n int) ([]model.Publication, error) {
	lists, ok := src.(store.RelatedLists)
	if !ok {
		return Find(ctx, src, publicationID, n)
	}
	entries, found, err := lists.RelatedList(ctx, publicationID)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	if !found {
		return Find(ctx, src, publicationID, n)
	}
	ids := make([]int64, 0, n)
	for _, e := range entries {
		if len(ids) == n {
			break
		}
		ids = append(ids, e.ID)
	}
	ps, err := src.PublicationsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("related to publication %d: %w", publicationID, err)
	}
	return ps, nil
}

// union returns a followed by the elements of b not in a.
func union(a, b []int64) []int64 {
	seen := make(map[int64]bool, len(a)+len(b))
	out := make([]int64, 0, len(a)+len(b))
	for _, l := range [][]int64{a, b} {
		for _, x := range l {
			if !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	return out
}
