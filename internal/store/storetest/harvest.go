package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

func harvester(t *testing.T, s store.Store) store.Harvester {
	t.Helper()
	h, ok := s.(store.Harvester)
	if !ok {
		t.Fatalf("%T does not implement store.Harvester", s)
	}
	return h
}

// harvestAll walks every page of q and returns the items as "slug" for a
// live record and "-slug" for a tombstone, checking the order and Total on
// the way.
func harvestAll(t *testing.T, h store.Harvester, q store.HarvestQuery) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	var last *store.HarvestKey
	total := -1
	for range 1000 {
		q.After = last
		q.Count = total < 0
		page, err := h.Harvest(ctx, q)
		must(t, err)
		switch {
		case total < 0:
			total = page.Total
		case page.Total != 0:
			t.Errorf("Total = %d without Count", page.Total)
		}
		for _, it := range page.Items {
			if last != nil && (it.Key.Datestamp.Before(last.Datestamp) ||
				(it.Key.Datestamp.Equal(last.Datestamp) && it.Key.Slug <= last.Slug)) {
				t.Fatalf("item %v after %v: out of order", it.Key, *last)
			}
			switch {
			case it.Publication != nil && it.Tombstone == nil:
				if it.Publication.Slug != it.Key.Slug || !it.Publication.UpdatedAt.Equal(it.Key.Datestamp) {
					t.Errorf("key %v of publication %q updated %v", it.Key, it.Publication.Slug, it.Publication.UpdatedAt)
				}
				out = append(out, it.Key.Slug)
			case it.Tombstone != nil && it.Publication == nil:
				out = append(out, "-"+it.Key.Slug)
			default:
				t.Fatalf("item %v is neither a publication nor a tombstone", it.Key)
			}
			k := it.Key
			last = &k
		}
		if !page.More {
			if total != len(out) {
				t.Errorf("Total = %d, listed %d", total, len(out))
			}
			return out
		}
		if len(page.Items) == 0 {
			t.Fatal("More with an empty page")
		}
	}
	t.Fatal("harvest does not end")
	return nil
}

func testHarvest(t *testing.T, s store.Store) {
	ctx := context.Background()
	h := harvester(t, s)
	if at, err := h.EarliestDatestamp(ctx); err != nil || !at.IsZero() {
		t.Errorf("EarliestDatestamp of an empty store = %v, %v; want zero", at, err)
	}
	newFixture(t, s)
	a := seed()
	must(t, s.CreatePublication(ctx, a))
	b := pub("b", "2014", model.TypeReport, "james-m-lindsay")
	b.Topics = []model.Topic{{Slug: "economics"}}
	must(t, s.CreatePublication(ctx, b))
	draft := pub("draft", "2015", model.TypeReport)
	draft.Status = model.StatusDraft
	must(t, s.CreatePublication(ctx, draft))

	if got, want := harvestAll(t, h, store.HarvestQuery{}), []string{a.Slug, "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("harvest = %v, want %v", got, want)
	}
	if at, err := h.EarliestDatestamp(ctx); err != nil || !at.Equal(a.UpdatedAt) {
		t.Errorf("EarliestDatestamp = %v, %v; want %v", at, err, a.UpdatedAt)
	}

	// Deleting a published publication leaves a tombstone with its sets;
	// deleting a draft leaves nothing.
	must(t, s.DeletePublication(ctx, a.ID))
	must(t, s.DeletePublication(ctx, draft.ID))
	ts, err := h.Tombstone(ctx, a.Slug)
	must(t, err)
	want := store.Tombstone{Slug: a.Slug, PublicationID: a.ID, Type: model.TypeArticleJournal,
		Topics: []string{"alliances", "security"}, Regions: []string{"japan"}, DeletedAt: ts.DeletedAt}
	if !reflect.DeepEqual(*ts, want) {
		t.Errorf("tombstone = %+v, want %+v", *ts, want)
	}
	if !ts.DeletedAt.After(a.UpdatedAt) && !ts.DeletedAt.Equal(a.UpdatedAt) {
		t.Errorf("tombstone dated %v, before the record's last change %v", ts.DeletedAt, a.UpdatedAt)
	}
	_, err = h.Tombstone(ctx, "draft")
	wantErr(t, err, store.ErrNotFound, "draft")
	if got, want := harvestAll(t, h, store.HarvestQuery{}), []string{"b", "-" + a.Slug}; !reflect.DeepEqual(got, want) {
		t.Errorf("harvest after delete = %v, want %v", got, want)
	}

	// Sets select tombstones by what they were filed under.
	for _, c := range []struct {
		q    store.HarvestQuery
		want []string
	}{
		{store.HarvestQuery{Topics: []string{"alliances"}}, []string{"-" + a.Slug}},
		{store.HarvestQuery{Topics: []string{"alliance"}}, nil},
		{store.HarvestQuery{Topics: []string{"economics", "security"}}, []string{"b", "-" + a.Slug}},
		{store.HarvestQuery{Topics: []string{}}, nil},
		{store.HarvestQuery{Regions: []string{"japan"}}, []string{"-" + a.Slug}},
		{store.HarvestQuery{Regions: []string{"asia"}}, nil},
		{store.HarvestQuery{Type: model.TypeReport}, []string{"b"}},
		{store.HarvestQuery{Type: model.TypeArticleJournal}, []string{"-" + a.Slug}},
		{store.HarvestQuery{Until: b.UpdatedAt}, []string{"b"}},
		{store.HarvestQuery{From: ts.DeletedAt}, []string{"-" + a.Slug}},
		{store.HarvestQuery{Until: b.UpdatedAt.Add(-time.Microsecond)}, nil},
	} {
		if got := harvestAll(t, h, c.q); !reflect.DeepEqual(got, c.want) {
			t.Errorf("harvest %+v = %v, want %v", c.q, got, c.want)
		}
	}
	_, err = h.Harvest(ctx, store.HarvestQuery{Topics: []string{"x' OR 1=1 --"}})
	wantErr(t, err, store.ErrInvalid)

	// Unpublishing buries, publishing again under the slug unburies;
	// moving to another slug buries the old one.
	b.Status = model.StatusDraft
	must(t, s.UpdatePublication(ctx, b))
	if got, want := harvestAll(t, h, store.HarvestQuery{}), []string{"-" + a.Slug, "-b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("harvest after unpublishing = %v, want %v", got, want)
	}
	b.Status = model.StatusPublished
	must(t, s.UpdatePublication(ctx, b))
	if _, err := h.Tombstone(ctx, "b"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("tombstone of a publication published again: %v", err)
	}
	b.Slug = "b-moved"
	must(t, s.UpdatePublication(ctx, b))
	if got, want := harvestAll(t, h, store.HarvestQuery{}), []string{"-" + a.Slug, "-b", "b-moved"}; !reflect.DeepEqual(got, want) {
		t.Errorf("harvest after a slug change = %v, want %v", got, want)
	}
	again := seed()
	must(t, s.CreatePublication(ctx, again))
	if _, err := h.Tombstone(ctx, a.Slug); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("tombstone of a slug published again: %v", err)
	}

	// Stamps list the published slugs in order, a page at a time.
	var stamps []string
	for after := ""; ; {
		page, err := h.Stamps(ctx, after, 1)
		must(t, err)
		if len(page) == 0 {
			break
		}
		if len(page) != 1 {
			t.Fatalf("Stamps with limit 1 = %v", page)
		}
		got, err := s.PublicationBySlug(ctx, page[0].Slug)
		must(t, err)
		if !got.UpdatedAt.Equal(page[0].UpdatedAt) {
			t.Errorf("stamp %+v, publication updated %v", page[0], got.UpdatedAt)
		}
		stamps = append(stamps, page[0].Slug)
		after = page[0].Slug
	}
	if want := []string{"b-moved", a.Slug}; !reflect.DeepEqual(stamps, want) {
		t.Errorf("stamps = %v, want %v", stamps, want)
	}

	// Pages of any size list everything once, in order, while the
	// tombstones and records interleave.
	for i := range 7 {
		must(t, s.CreatePublication(ctx, pub(fmt.Sprintf("p%d", i), "2020", model.TypeReport)))
	}
	all := harvestAll(t, h, store.HarvestQuery{Limit: store.MaxLimit})
	if len(all) != 10 {
		t.Fatalf("harvest lists %d items, want 10: %v", len(all), all)
	}
	for _, size := range []int{1, 2, 3, 9} {
		if got := harvestAll(t, h, store.HarvestQuery{Limit: size}); !slices.Equal(got, all) {
			t.Errorf("pages of %d = %v, want %v", size, got, all)
		}
	}
}
