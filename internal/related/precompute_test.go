package related_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/related"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// TestRefreshMatchesRebuild edits a small catalogue at random — terms,
// type, date, overrides, a publish paired with an unpublish, a create
// paired with a delete — refreshing after each write as an editor's write
// does, and checks after every step that each stored list is what ranking
// from scratch gives. Each step keeps the number of published
// publications constant, writing both halves of a pair before refreshing,
// since Refresh leaves lists outside a change's neighbourhood ranked at
// the catalogue size they were ranked at (see Refresh).
func TestRefreshMatchesRebuild(t *testing.T) {
	for _, c := range []struct {
		name  string
		limit int
	}{{"live", 1 << 30}, {"index", 0}, {"default", related.LiveLimit()}} {
		t.Run(c.name, func(t *testing.T) {
			defer related.SetLiveLimit(related.SetLiveLimit(c.limit))
			testRefreshMatchesRebuild(t)
		})
	}
}

func testRefreshMatchesRebuild(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 2))
	const nPeople, nTopics, nRegions = 8, 6, 4
	st := termsStore(t, nPeople, nTopics, nRegions)
	types := []model.Type{model.TypeReport, model.TypeBook, model.TypeArticleJournal}
	serial := 0
	// Titles and summaries drawn from a small vocabulary, so that texts
	// overlap in part and text similarity reorders candidates.
	vocab := strings.Fields("alliance deterrence nuclear trade tariffs energy climate security maritime election reform budget")
	words := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[rng.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	randomize := func(p *model.Publication) {
		p.Title, p.Summary = words(3), words(8)
		d, err := model.ParseDate(fmt.Sprint(2000 + rng.IntN(20)))
		must(t, err)
		p.Issued, p.Type = d, types[rng.IntN(len(types))]
		p.Contributions, p.Topics, p.Regions = nil, nil, nil
		for i := range nPeople {
			if rng.IntN(5) == 0 {
				p.Contributions = append(p.Contributions, model.Contribution{Person: model.Person{Slug: fmt.Sprintf("p%d", i)}, Role: model.RoleAuthor})
			}
		}
		for i := range nTopics {
			// Topic 0 is on most publications, to exercise the cut-off.
			if i == 0 && rng.IntN(4) > 0 || rng.IntN(4) == 0 {
				p.Topics = append(p.Topics, model.Topic{Slug: fmt.Sprintf("t%d", i)})
			}
		}
		for i := range nRegions {
			if rng.IntN(4) == 0 {
				p.Regions = append(p.Regions, model.Region{Slug: fmt.Sprintf("r%d", i)})
			}
		}
	}
	create := func(status model.Status) *model.Publication {
		serial++
		p := &model.Publication{Slug: fmt.Sprintf("pub-%d", serial), Status: status}
		randomize(p)
		must(t, st.CreatePublication(ctx, p))
		if _, err := related.Refresh(ctx, st, p.ID, store.Terms{}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var pubs []*model.Publication
	for i := range 30 {
		status := model.StatusPublished
		if i%6 == 0 {
			status = model.StatusDraft
		}
		pubs = append(pubs, create(status))
	}
	if _, err := related.Rebuild(ctx, st); err != nil {
		t.Fatal(err)
	}
	update := func(p *model.Publication, change func(*model.Publication)) {
		before, err := related.Snapshot(ctx, st, p.ID)
		must(t, err)
		change(p)
		must(t, st.UpdatePublication(ctx, p))
		if _, err := related.Refresh(ctx, st, p.ID, before); err != nil {
			t.Fatal(err)
		}
	}
	snapshot := func(id int64) store.Terms {
		terms, err := related.Snapshot(ctx, st, id)
		must(t, err)
		return terms
	}
	refresh := func(id int64, before store.Terms) {
		if _, err := related.Refresh(ctx, st, id, before); err != nil {
			t.Fatal(err)
		}
	}
	pick := func(status model.Status) int {
		for {
			if i := rng.IntN(len(pubs)); pubs[i].Status == status {
				return i
			}
		}
	}
	withText := 0
	defer func() {
		if withText == 0 && !t.Failed() {
			t.Error("no stored list compared texts: the text stage was never exercised")
		}
	}()
	for step := range 60 {
		var what string
		switch k := rng.IntN(5); k {
		case 0, 1:
			what = "terms, type and date"
			update(pubs[rng.IntN(len(pubs))], randomize)
		case 2:
			what = "overrides"
			other := pubs[rng.IntN(len(pubs))]
			update(pubs[rng.IntN(len(pubs))], func(p *model.Publication) {
				p.Related = nil
				if other.ID != p.ID {
					p.Related = []model.Ref{{ID: other.ID}}
				}
			})
		case 3:
			what = "publish one, unpublish another"
			a, b := pubs[pick(model.StatusDraft)], pubs[pick(model.StatusPublished)]
			beforeA, beforeB := snapshot(a.ID), snapshot(b.ID)
			a.Status, b.Status = model.StatusPublished, model.StatusDraft
			must(t, st.UpdatePublication(ctx, a))
			must(t, st.UpdatePublication(ctx, b))
			refresh(a.ID, beforeA)
			refresh(b.ID, beforeB)
		case 4:
			what = "create one, delete another"
			i := pick(model.StatusPublished)
			gone := pubs[i]
			before := snapshot(gone.ID)
			must(t, st.DeletePublication(ctx, gone.ID))
			pubs = append(pubs[:i], pubs[i+1:]...)
			pubs = append(pubs, create(model.StatusPublished))
			refresh(gone.ID, before)
		}
		cat, err := st.RelatedCatalogue(ctx)
		must(t, err)
		index := related.NewIndex(cat)
		for _, p := range pubs {
			fromIndex, err := index.Set(p.ID)
			must(t, err)
			live, err := st.RelatedCandidates(ctx, p.ID)
			must(t, err)
			if !reflect.DeepEqual(fromIndex, live) {
				t.Fatalf("step %d (%s): Index.Set(%s)\n got %+v\nwant %+v", step, what, p.Slug, fromIndex, live)
			}
			fast, err := index.Rank(p.ID, 5, related.DefaultWeights)
			must(t, err)
			if slow := related.Rank(live, 5, related.DefaultWeights); !reflect.DeepEqual(fast, slow) {
				t.Fatalf("step %d (%s): Index.Rank(%s)\n got %+v\nwant %+v", step, what, p.Slug, fast, slow)
			}
			got, found, err := st.RelatedList(ctx, p.ID)
			must(t, err)
			computed, err := related.Compute(ctx, st, p.ID)
			want := computed.Entries
			must(t, err)
			if !found {
				t.Fatalf("step %d (%s): no list stored for %s", step, what, p.Slug)
			}
			if len(got) == 0 && len(want) == 0 {
				continue
			}
			for _, r := range reasons(got) {
				if strings.Contains(r, "text=") {
					withText++
				}
			}
			if !reflect.DeepEqual(ids(got), ids(want)) || !reflect.DeepEqual(reasons(got), reasons(want)) {
				t.Fatalf("step %d (%s): list of %s\n got %v %q\nwant %v %q", step, what, p.Slug, ids(got), reasons(got), ids(want), reasons(want))
			}
		}
	}
}

// termsStore opens a new database holding people p0…, topics t0… and
// regions r0…, as many as asked, for publications to carry.
func termsStore(t *testing.T, people, topics, regions int) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for i := range people {
		must(t, st.CreatePerson(ctx, &model.Person{Slug: fmt.Sprintf("p%d", i), Given: "A", Family: fmt.Sprintf("P%d", i)}))
	}
	for i := range topics {
		must(t, st.CreateTopic(ctx, &model.Topic{Slug: fmt.Sprintf("t%d", i), Name: fmt.Sprintf("T%d", i)}))
	}
	for i := range regions {
		must(t, st.CreateRegion(ctx, &model.Region{Slug: fmt.Sprintf("r%d", i), Name: fmt.Sprintf("R%d", i)}))
	}
	return st
}

// TestLookup reads the stored list, never shows a publication unpublished
// since it was stored, and ranks live when no list was stored.
func TestLookup(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	must(t, st.CreatePerson(ctx, &model.Person{Slug: "smith", Given: "S", Family: "Smith"}))
	var pubs []*model.Publication
	for i := range 4 {
		p := &model.Publication{Slug: fmt.Sprintf("p%d", i), Title: "T", Type: model.TypeReport, Status: model.StatusPublished,
			Contributions: []model.Contribution{{Person: model.Person{Slug: "smith"}, Role: model.RoleAuthor}}}
		must(t, st.CreatePublication(ctx, p))
		pubs = append(pubs, p)
	}
	slugs := func() []string {
		ps, err := related.Lookup(ctx, st, pubs[0].ID, 5)
		must(t, err)
		var out []string
		for _, p := range ps {
			out = append(out, p.Slug)
		}
		return out
	}
	live := slugs()
	if len(live) != 3 {
		t.Fatalf("live ranking = %v, want the three others", live)
	}
	// A stored list, even one ranked differently, is what Lookup reads.
	must(t, st.SetRelatedList(ctx, pubs[0].ID, store.RankedList{Entries: []store.RelatedEntry{{ID: pubs[3].ID, Score: 1.5, Reasons: "people=1"}, {ID: pubs[1].ID}}}))
	if got := slugs(); !reflect.DeepEqual(got, []string{"p3", "p1"}) {
		t.Errorf("stored list read as %v, want [p3 p1]", got)
	}
	pubs[3].Status = model.StatusDraft
	must(t, st.UpdatePublication(ctx, pubs[3]))
	if got := slugs(); !reflect.DeepEqual(got, []string{"p1"}) {
		t.Errorf("after unpublishing p3, stored list read as %v, want [p1]", got)
	}
}

func ids(es []store.RelatedEntry) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func reasons(es []store.RelatedEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Reasons
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
