package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

func testRelatedLists(t *testing.T, s store.Store) {
	ctx := context.Background()
	lists, ok := s.(store.RelatedLists)
	if !ok {
		t.Fatalf("%T does not implement store.RelatedLists", s)
	}
	f := newFixture(t, s)
	self := seed() // smith; alliances, security; japan
	must(t, s.CreatePublication(ctx, self))
	a := pub("same-author", "2020", model.TypeReport, "sheila-a-smith")
	b := pub("same-topic", "2019", model.TypeOpEd)
	b.Topics = []model.Topic{{Slug: "alliances"}}
	draft := pub("draft-same-author", "2022", model.TypeReport, "sheila-a-smith", "james-m-lindsay", "sheila-a-smith")
	draft.Status = model.StatusDraft
	other := pub("other", "2021", model.TypeReport, "imprint-institute")
	for _, p := range []*model.Publication{a, b, draft, other} {
		must(t, s.CreatePublication(ctx, p))
	}
	other.Related = []model.Ref{{ID: a.ID}}
	must(t, s.UpdatePublication(ctx, other))

	read := func(id int64) ([]store.RelatedEntry, bool) {
		t.Helper()
		es, found, err := lists.RelatedList(ctx, id)
		must(t, err)
		return es, found
	}
	if es, found := read(self.ID); found || es != nil {
		t.Fatalf("RelatedList before any was stored = %v, %v; want nothing, false", es, found)
	}
	want := []store.RelatedEntry{{ID: a.ID, Score: 2.5, Reasons: "people=1 type"}, {ID: b.ID, Reasons: "override"}}
	must(t, lists.SetRelatedList(ctx, self.ID, store.RankedList{Entries: want, Floor: 2}))
	if es, found := read(self.ID); !found || !reflect.DeepEqual(es, want) {
		t.Errorf("RelatedList = %+v, %v; want %+v, true", es, found, want)
	}

	counts, err := lists.RelatedTermCounts(ctx, store.Terms{Topics: []int64{f.alliances.ID}, People: []int64{f.smith.ID, f.lindsay.ID}})
	must(t, err)
	// Published: self, a, b, other; the draft counts for nothing.
	if w := (store.TermCounts{Total: 4, Topics: map[int64]int{f.alliances.ID: 2}, Regions: map[int64]int{},
		People: map[int64]int{f.smith.ID: 2, f.lindsay.ID: 0}}); !reflect.DeepEqual(*counts, w) {
		t.Errorf("RelatedTermCounts = %+v, want %+v", *counts, w)
	}

	// Neighbours: the carriers of a term in any status, and whoever names
	// the changed publications in a stored list or by hand.
	got, err := lists.RelatedNeighbours(ctx, store.NeighbourQuery{IDs: []int64{a.ID}, Terms: store.Terms{People: []int64{f.smith.ID}}})
	must(t, err)
	if w := sorted(self.ID, a.ID, draft.ID, other.ID); !reflect.DeepEqual(got, w) {
		t.Errorf("RelatedNeighbours(smith) = %v, want %v", got, w)
	}
	got, err = lists.RelatedNeighbours(ctx, store.NeighbourQuery{Terms: store.Terms{Topics: []int64{f.alliances.ID}, Regions: []int64{f.japan.ID}}})
	must(t, err)
	if w := sorted(self.ID, b.ID); !reflect.DeepEqual(got, w) {
		t.Errorf("RelatedNeighbours(alliances, japan) = %v, want %v", got, w)
	}
	// Through broad terms, a carrier whose list's floor is above what it
	// could score stays out; one without a list comes in.
	for _, c := range []struct {
		bonus float64
		want  []int64
	}{{0.999999, sorted(b.ID)}, {1, sorted(self.ID, b.ID)}} {
		got, err = lists.RelatedNeighbours(ctx, store.NeighbourQuery{Broad: []store.BroadTerm{
			{Kind: store.TopicTerm, ID: f.alliances.ID, Weight: 0.5}, {Kind: store.RegionTerm, ID: f.japan.ID, Weight: 0.5},
		}, Bonus: c.bonus})
		must(t, err)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("RelatedNeighbours(broad alliances and japan, bonus %v) = %v, want %v", c.bonus, got, c.want)
		}
	}

	// A stored list never shows what is no longer published.
	a.Status = model.StatusDraft
	must(t, s.UpdatePublication(ctx, a))
	if es, _ := read(self.ID); !reflect.DeepEqual(es, want[1:]) {
		t.Errorf("after unpublishing %s, RelatedList = %+v, want %+v", a.Slug, es, want[1:])
	}
	must(t, s.DeletePublication(ctx, b.ID))
	if es, found := read(self.ID); !found || len(es) != 0 {
		t.Errorf("after deleting %s, RelatedList = %+v, %v; want an empty stored list", b.Slug, es, found)
	}

	err = lists.SetRelatedList(ctx, 9999, store.RankedList{})
	wantErr(t, err, store.ErrNotFound, "9999")
	err = lists.SetRelatedList(ctx, self.ID, store.RankedList{Entries: []store.RelatedEntry{{ID: 9998}}})
	wantErr(t, err, store.ErrConflict, "9998")
	if es, _ := read(self.ID); len(es) != 0 {
		t.Errorf("a refused list was partly stored: %+v", es)
	}

	must(t, lists.SetRelatedLists(ctx, map[int64]store.RankedList{
		self.ID: {Entries: []store.RelatedEntry{{ID: other.ID, Score: 0.000001, Reasons: "x"}}}, 9999: {Entries: []store.RelatedEntry{{ID: self.ID}}}, draft.ID: {},
	}))
	if es, _ := read(self.ID); !reflect.DeepEqual(es, []store.RelatedEntry{{ID: other.ID, Score: 0.000001, Reasons: "x"}}) {
		t.Errorf("after SetRelatedLists, RelatedList = %+v", es)
	}
	if _, found := read(draft.ID); !found {
		t.Errorf("SetRelatedLists did not store the empty list of %s", draft.Slug)
	}

	// Every publication, in any status, by ID.
	ids := sorted(self.ID, a.ID, draft.ID, other.ID)
	cat, err := lists.RelatedCatalogue(ctx)
	must(t, err)
	var gotIDs []int64
	for _, p := range cat.Publications {
		gotIDs = append(gotIDs, p.ID)
		if p.ID == draft.ID && (!reflect.DeepEqual(p.People, []int64{f.smith.ID, f.lindsay.ID}) || p.Type != model.TypeReport || p.SortKey != 20220000) {
			t.Errorf("catalogue facets of %s = %+v", draft.Slug, p)
		}
		if p.ID == self.ID && (!reflect.DeepEqual(p.Topics, []int64{f.alliances.ID, f.security.ID}) || !reflect.DeepEqual(p.Regions, []int64{f.japan.ID})) {
			t.Errorf("catalogue facets of %s = %+v", self.Slug, p)
		}
	}
	if !reflect.DeepEqual(gotIDs, ids) {
		t.Errorf("catalogue publications %v, want %v", gotIDs, ids)
	}
	if w := map[int64]bool{self.ID: true, other.ID: true}; !reflect.DeepEqual(cat.Published, w) {
		t.Errorf("catalogue Published = %v, want %v", cat.Published, w)
	}
	if w := map[int64][]int64{other.ID: {a.ID}}; !reflect.DeepEqual(cat.Overrides, w) {
		t.Errorf("catalogue Overrides = %v, want %v", cat.Overrides, w)
	}
}

func sorted(ids ...int64) []int64 {
	slices.Sort(ids)
	return ids
}
