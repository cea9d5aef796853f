package related_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/related"
	"github.com/imprintpub/imprint/internal/store"
)

// TestRefreshBroadTerms makes every topic and region broad, so that a
// change ranks again only the carriers of those it could enter or leave,
// and checks after each change that the changed publication is in exactly
// the stored lists a ranking from scratch puts it in, and that the broad
// filter left lists alone.
func TestRefreshBroadTerms(t *testing.T) {
	defer related.SetBroadAbove(related.SetBroadAbove(45))
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	const nPeople, nTopics, nRegions, nPubs = 10, 4, 3, 200
	st := termsStore(t, nPeople, nTopics, nRegions)
	types := []model.Type{model.TypeReport, model.TypeBook, model.TypeArticleJournal}
	words := []string{"alliance", "deterrence", "nuclear", "trade", "energy", "climate", "maritime", "budget"}
	randomize := func(p *model.Publication) {
		p.Title = words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
		p.Summary = words[rng.IntN(len(words))]
		d, err := model.ParseDate(fmt.Sprint(2000 + rng.IntN(12)))
		must(t, err)
		p.Issued, p.Type = d, types[rng.IntN(len(types))]
		p.Contributions, p.Topics, p.Regions = nil, nil, nil
		for range 1 + rng.IntN(2) {
			slug := fmt.Sprintf("p%d", rng.IntN(nPeople))
			if !slices.ContainsFunc(p.Contributions, func(c model.Contribution) bool { return c.Person.Slug == slug }) {
				p.Contributions = append(p.Contributions, model.Contribution{Person: model.Person{Slug: slug}, Role: model.RoleAuthor})
			}
		}
		for i := range nTopics {
			if rng.IntN(3) == 0 {
				p.Topics = append(p.Topics, model.Topic{Slug: fmt.Sprintf("t%d", i)})
			}
		}
		for i := range nRegions {
			if rng.IntN(3) == 0 {
				p.Regions = append(p.Regions, model.Region{Slug: fmt.Sprintf("r%d", i)})
			}
		}
	}
	var pubs []*model.Publication
	for i := range nPubs {
		p := &model.Publication{Slug: fmt.Sprintf("pub-%d", i), Status: model.StatusPublished}
		randomize(p)
		must(t, st.CreatePublication(ctx, p))
		pubs = append(pubs, p)
	}
	stored, carriers := 0, 0
	for step := range 15 {
		if _, err := related.Rebuild(ctx, st); err != nil {
			t.Fatal(err)
		}
		p := pubs[rng.IntN(len(pubs))]
		before, err := related.Snapshot(ctx, st, p.ID)
		must(t, err)
		randomize(p)
		if rng.IntN(4) == 0 {
			p.Status = model.StatusDraft
		} else {
			p.Status = model.StatusPublished
		}
		must(t, st.UpdatePublication(ctx, p))
		n, err := related.Refresh(ctx, st, p.ID, before)
		must(t, err)
		stored += n

		after, err := related.Snapshot(ctx, st, p.ID)
		must(t, err)
		cat, err := st.RelatedCatalogue(ctx)
		must(t, err)
		for _, q := range cat.Publications {
			if q.ID != p.ID && (overlaps(q.Topics, before.Topics, after.Topics) || overlaps(q.Regions, before.Regions, after.Regions) ||
				overlaps(q.People, before.People, after.People)) {
				carriers++
			}
			got, _, err := st.RelatedList(ctx, q.ID)
			must(t, err)
			want, err := related.Compute(ctx, st, q.ID)
			must(t, err)
			in := func(es []store.RelatedEntry) bool {
				return slices.ContainsFunc(es, func(e store.RelatedEntry) bool { return e.ID == p.ID })
			}
			// The stored list hides what is no longer published; so
			// does a fresh ranking.
			if in(got) != in(want.Entries) {
				t.Fatalf("step %d: %s in the stored list of %s: %v; ranking from scratch: %v\n got %v %q\nwant %v %q",
					step, p.Slug, q.Slug, in(got), in(want.Entries), ids(got), reasons(got), ids(want.Entries), reasons(want.Entries))
			}
		}
	}
	t.Logf("lists ranked again: %d; carriers of the changed terms: %d", stored, carriers)
	if stored >= carriers {
		t.Errorf("ranked %d lists again for %d carriers: the broad terms' floors left none alone", stored, carriers)
	}
}

// overlaps reports whether a shares a term with b or c.
func overlaps(a, b, c []int64) bool {
	for _, x := range a {
		if slices.Contains(b, x) || slices.Contains(c, x) {
			return true
		}
	}
	return false
}
