package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// workflowStore is what the workflow suite needs beside store.Store.
type workflowStore interface {
	store.Store
	store.Lifecycle
	store.Revisions
	store.Audit
	store.Harvester
	store.RelatedLists
}

// testWorkflow checks revisions, audit log, trash and schedule.
func testWorkflow(t *testing.T, s store.Store) {
	t.Helper()
	w, ok := s.(workflowStore)
	if !ok {
		t.Fatalf("%T does not implement the Lifecycle, Revisions, Audit, Harvester and RelatedLists interfaces", s)
	}
	f := newFixture(t, s)
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, w workflowStore, f *fixture)
	}{
		{"Statuses", testStatuses},
		{"Trash", testTrash},
		{"PublicationKeys", testPublicationKeys},
		{"TrashedDraft", testTrashedDraft},
		{"TrashConcurrent", testTrashConcurrent},
		{"PublishDue", testPublishDue},
		{"PublishDueConcurrent", testPublishDueConcurrent},
		{"Revisions", testRevisions},
		{"Audit", testAudit},
		{"AdminFilters", testAdminFilters},
	} {
		// The parts share one store; each has its own slug prefix.
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, w, f) })
	}
}

func slugsOf(ps []model.Publication) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Slug)
	}
	return out
}

// listSlugs lists the slugs of every publication matching q.
func listSlugs(t *testing.T, s store.Store, q store.PublicationQuery) []string {
	t.Helper()
	q.Limit = store.MaxLimit
	page, err := s.ListPublications(context.Background(), q)
	must(t, err)
	if page.Total != len(page.Items) {
		t.Errorf("ListPublications(%+v): Total %d for %d items", q, page.Total, len(page.Items))
	}
	return slugsOf(page.Items)
}

func testStatuses(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	at := time.Date(2031, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))
	for _, st := range model.Statuses {
		p := pub("st-"+string(st), "2020", model.TypeReport, "sheila-a-smith")
		p.Status = st
		if st == model.StatusScheduled {
			p.PublishAt = at
		}
		must(t, w.CreatePublication(ctx, p))
		got, err := w.Publication(ctx, p.ID)
		must(t, err)
		if got.Status != st || !reflect.DeepEqual(got, p) {
			t.Errorf("%s publication read back\n got %+v\nwant %+v", st, *got, *p)
		}
		if want := st == model.StatusScheduled; got.PublishAt.IsZero() == want {
			t.Errorf("%s publication has PublishAt %v", st, got.PublishAt)
		}
		if st == model.StatusScheduled && (!got.PublishAt.Equal(at.Truncate(time.Microsecond)) || got.PublishAt.Location() != time.UTC) {
			t.Errorf("PublishAt read back as %v, want %v in UTC to the microsecond", got.PublishAt, at)
		}
		if published := st == model.StatusPublished; got.PublishedAt.IsZero() == published {
			t.Errorf("%s publication has PublishedAt %v", st, got.PublishedAt)
		}
		if got := listSlugs(t, w, store.PublicationQuery{Status: st, TopicID: 0, PersonID: p.Contributions[0].Person.ID}); !slices.Contains(got, p.Slug) {
			t.Errorf("ListPublications(Status %s) = %v, lacks %s", st, got, p.Slug)
		}
	}

	// A scheduled publication needs its time; other statuses drop one.
	bad := pub("st-bad", "2020", model.TypeReport)
	bad.Status = model.StatusScheduled
	wantFieldError(t, w.CreatePublication(ctx, bad), "PublishAt")
	bad.Status = "retracted"
	wantFieldError(t, w.CreatePublication(ctx, bad), "Status")
	p, err := w.PublicationBySlug(ctx, "st-scheduled")
	must(t, err)
	p.Status = model.StatusReview
	must(t, w.UpdatePublication(ctx, p))
	got, err := w.Publication(ctx, p.ID)
	must(t, err)
	if !got.PublishAt.IsZero() || got.Status != model.StatusReview {
		t.Errorf("back in review: status %s, PublishAt %v; want no time to go live", got.Status, got.PublishAt)
	}

	// Only published publications are public: not in harvests, sitemaps,
	// related candidates or related lists.
	h := harvestAll(t, w, store.HarvestQuery{})
	for _, st := range []model.Status{model.StatusDraft, model.StatusReview, model.StatusScheduled} {
		if slices.Contains(h, "st-"+string(st)) {
			t.Errorf("harvest lists the %s publication: %v", st, h)
		}
	}
	if !slices.Contains(h, "st-published") {
		t.Errorf("harvest lacks the published publication: %v", h)
	}
	stamps, err := w.Stamps(ctx, "st-", 100)
	must(t, err)
	for _, st := range stamps {
		if st.Slug != "st-published" && strings.HasPrefix(st.Slug, "st-") {
			t.Errorf("Stamps lists %s", st.Slug)
		}
	}
}

// testTrash follows a published publication into the trash and back.
func testTrash(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	self := pub("tr-self", "2021", model.TypeReport, "james-m-lindsay")
	self.Topics = []model.Topic{{Slug: "economics"}}
	must(t, w.CreatePublication(ctx, self))
	victim := pub("tr-victim", "2020", model.TypeReport, "james-m-lindsay")
	victim.Topics = []model.Topic{{Slug: "economics"}}
	victim.Regions = []model.Region{{Slug: "americas"}}
	must(t, w.CreatePublication(ctx, victim))
	self.Related = []model.Ref{{ID: victim.ID}}
	must(t, w.UpdatePublication(ctx, self))
	must(t, w.SetRelatedList(ctx, self.ID, store.RankedList{Entries: []store.RelatedEntry{{ID: victim.ID, Score: 1, Reasons: "topics=1"}}}))
	before, err := w.Publication(ctx, victim.ID)
	must(t, err)

	at := time.Now().UTC().Truncate(time.Microsecond)
	must(t, w.TrashPublication(ctx, victim.ID, at))
	// Trashing again keeps the first time.
	must(t, w.TrashPublication(ctx, victim.ID, at.Add(time.Hour)))
	wantErr(t, w.TrashPublication(ctx, 99999, at), store.ErrNotFound, "99999")
	wantErr(t, w.TrashPublication(ctx, self.ID, time.Time{}), store.ErrInvalid, fmt.Sprint(self.ID))
	wantErr(t, w.RestorePublication(ctx, 99999), store.ErrNotFound, "99999")

	// Its own URL still finds it, marked, so that the site answers 410.
	for name, get := range map[string]func() (*model.Publication, error){
		"Publication":       func() (*model.Publication, error) { return w.Publication(ctx, victim.ID) },
		"PublicationBySlug": func() (*model.Publication, error) { return w.PublicationBySlug(ctx, victim.Slug) },
	} {
		got, err := get()
		must(t, err)
		if !got.DeletedAt.Equal(at) || got.IsPublished() || got.Status != model.StatusPublished {
			t.Errorf("%s of a trashed publication: deleted %v (want %v), status %s, IsPublished %v",
				name, got.DeletedAt, at, got.Status, got.IsPublished())
		}
		if len(got.Topics) != 1 || len(got.Regions) != 1 || len(got.Contributions) != 1 {
			t.Errorf("%s of a trashed publication lost its links: %+v", name, got)
		}
	}

	// Every list leaves it out, but the trash.
	for _, q := range []store.PublicationQuery{
		{}, {Status: model.StatusPublished}, {TopicID: f.economics.ID}, {RegionID: f.americas.ID},
		{PersonID: f.lindsay.ID}, {Type: model.TypeReport},
	} {
		if got := listSlugs(t, w, q); slices.Contains(got, victim.Slug) {
			t.Errorf("ListPublications(%+v) lists a trashed publication: %v", q, got)
		}
	}
	if got := listSlugs(t, w, store.PublicationQuery{Trashed: true}); !slices.Contains(got, victim.Slug) || slices.Contains(got, self.Slug) {
		t.Errorf("the trash = %v, want %s and not %s", got, victim.Slug, self.Slug)
	}
	if got := listSlugs(t, w, store.PublicationQuery{Trashed: true, TopicID: f.security.ID}); len(got) != 0 {
		t.Errorf("the trash filtered by another topic = %v", got)
	}

	// Related ranking sees it as unpublished.
	set, err := w.RelatedCandidates(ctx, self.ID)
	must(t, err)
	for _, c := range set.Candidates {
		if c.ID == victim.ID {
			t.Errorf("RelatedCandidates offers a trashed publication")
		}
	}
	if len(set.Overrides) != 0 || set.TopicCount[f.economics.ID] != 1 {
		t.Errorf("RelatedCandidates counts a trashed publication: overrides %v, economics count %d", set.Overrides, set.TopicCount[f.economics.ID])
	}
	if es, ok, err := w.RelatedList(ctx, self.ID); err != nil || !ok || len(es) != 0 {
		t.Errorf("stored related list shows a trashed publication: %v, %v, %v", es, ok, err)
	}
	cat, err := w.RelatedCatalogue(ctx)
	must(t, err)
	if cat.Published[victim.ID] || !cat.Published[self.ID] {
		t.Errorf("catalogue: trashed published = %v, self published = %v", cat.Published[victim.ID], cat.Published[self.ID])
	}
	vset, err := w.RelatedCandidates(ctx, victim.ID)
	must(t, err)
	if vset.TopicCount[f.economics.ID] != 1 {
		t.Errorf("a trashed publication counts itself among carriers: %v", vset.TopicCount)
	}

	// Harvesters see a tombstone; the sitemap leaves it out.
	tomb, err := w.Tombstone(ctx, victim.Slug)
	must(t, err)
	if tomb.PublicationID != victim.ID || !tomb.DeletedAt.Equal(at) || !reflect.DeepEqual(tomb.Regions, []string{"americas"}) {
		t.Errorf("tombstone of a trashed publication: %+v", tomb)
	}
	if got := harvestAll(t, w, store.HarvestQuery{}); !slices.Contains(got, "-"+victim.Slug) || slices.Contains(got, victim.Slug) {
		t.Errorf("harvest after trashing = %v, want the tombstone -%s", got, victim.Slug)
	}
	if got := harvestAll(t, w, store.HarvestQuery{Regions: []string{"americas"}}); !slices.Equal(got, []string{"-" + victim.Slug}) {
		t.Errorf("harvest of set americas after trashing = %v", got)
	}
	stamps, err := w.Stamps(ctx, "tr-", 10)
	must(t, err)
	for _, st := range stamps {
		if st.Slug == victim.Slug {
			t.Error("Stamps lists a trashed publication")
		}
	}

	// An edit in the trash keeps it there and leaves the tombstone.
	edit, err := w.Publication(ctx, victim.ID)
	must(t, err)
	edit.Title = "Edited in the trash"
	edit.DeletedAt = time.Time{}
	must(t, w.UpdatePublication(ctx, edit))
	if !edit.DeletedAt.Equal(at) {
		t.Errorf("UpdatePublication returned DeletedAt %v, want the stored %v", edit.DeletedAt, at)
	}
	if _, err := w.Tombstone(ctx, victim.Slug); err != nil {
		t.Errorf("an edit in the trash removed the tombstone: %v", err)
	}
	if got := listSlugs(t, w, store.PublicationQuery{}); slices.Contains(got, victim.Slug) {
		t.Error("an edit took the publication out of the trash")
	}

	// Restored, it is back as it was, and harvesters fetch it again.
	must(t, w.RestorePublication(ctx, victim.ID))
	must(t, w.RestorePublication(ctx, victim.ID))
	got, err := w.Publication(ctx, victim.ID)
	must(t, err)
	if !got.DeletedAt.IsZero() || !got.IsPublished() || !got.PublishedAt.Equal(before.PublishedAt) ||
		!got.CreatedAt.Equal(before.CreatedAt) || !got.UpdatedAt.After(at) {
		t.Errorf("restored: %+v (before trashing %+v)", got, before)
	}
	_, err = w.Tombstone(ctx, victim.Slug)
	wantErr(t, err, store.ErrNotFound)
	if h := harvestAll(t, w, store.HarvestQuery{}); !slices.Contains(h, victim.Slug) || slices.Contains(h, "-"+victim.Slug) {
		t.Errorf("harvest after restoring = %v", h)
	}
	if got := listSlugs(t, w, store.PublicationQuery{TopicID: f.economics.ID}); !slices.Contains(got, victim.Slug) {
		t.Errorf("restored publication missing from its topic: %v", got)
	}
	if es, _, err := w.RelatedList(ctx, self.ID); err != nil || len(es) != 1 || es[0].ID != victim.ID {
		t.Errorf("stored related list after restoring: %v, %v", es, err)
	}
	set, err = w.RelatedCandidates(ctx, self.ID)
	must(t, err)
	if !slices.Equal(set.Overrides, []int64{victim.ID}) {
		t.Errorf("overrides after restoring = %v", set.Overrides)
	}

	// Purging from the trash keeps the tombstone of when it was trashed.
	must(t, w.TrashPublication(ctx, victim.ID, at.Add(time.Minute)))
	must(t, w.DeletePublication(ctx, victim.ID))
	tomb, err = w.Tombstone(ctx, victim.Slug)
	must(t, err)
	if !tomb.DeletedAt.Equal(at.Add(time.Minute)) {
		t.Errorf("tombstone after purging dated %v, want %v", tomb.DeletedAt, at.Add(time.Minute))
	}
	wantErr(t, w.TrashPublication(ctx, victim.ID, at), store.ErrNotFound)
}

// testTrashedDraft: a draft in the trash leaves no tombstone, and a new
// publication cannot start in the trash.
func testTrashedDraft(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	p := pub("td-draft", "2020", model.TypeReport)
	p.Status = model.StatusDraft
	p.DeletedAt = time.Now()
	must(t, w.CreatePublication(ctx, p))
	if !p.DeletedAt.IsZero() {
		t.Errorf("CreatePublication kept DeletedAt %v", p.DeletedAt)
	}
	must(t, w.TrashPublication(ctx, p.ID, time.Now()))
	_, err := w.Tombstone(ctx, p.Slug)
	wantErr(t, err, store.ErrNotFound)
	if got := listSlugs(t, w, store.PublicationQuery{Status: model.StatusDraft}); slices.Contains(got, p.Slug) {
		t.Errorf("drafts list a trashed draft: %v", got)
	}
	// Published while in the trash, it stays out of sight until restored.
	p.Status = model.StatusPublished
	must(t, w.UpdatePublication(ctx, p))
	if h := harvestAll(t, w, store.HarvestQuery{}); slices.Contains(h, p.Slug) || slices.Contains(h, "-"+p.Slug) {
		t.Errorf("harvest lists a publication published in the trash: %v", h)
	}
	must(t, w.RestorePublication(ctx, p.ID))
	if h := harvestAll(t, w, store.HarvestQuery{}); !slices.Contains(h, p.Slug) {
		t.Errorf("harvest lacks a restored published publication: %v", h)
	}
}

// testTrashConcurrent: editors trashing, then restoring, one publication at
// the same moment all succeed, and it is trashed (and restored) once.
func testTrashConcurrent(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	p := pub("tc-pub", "2020", model.TypeReport)
	p.Topics = []model.Topic{{Slug: "security"}}
	must(t, w.CreatePublication(ctx, p))
	const editors = 6
	run := func(op func(i int) error) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make([]error, editors)
		for i := range editors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = op(i)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Errorf("concurrent: %v", err)
			}
		}
	}
	base := time.Now().UTC().Truncate(time.Microsecond)
	run(func(i int) error { return w.TrashPublication(ctx, p.ID, base.Add(time.Duration(i)*time.Second)) })
	got, err := w.Publication(ctx, p.ID)
	must(t, err)
	tomb, err := w.Tombstone(ctx, p.Slug)
	must(t, err)
	if !tomb.DeletedAt.Equal(got.DeletedAt) || got.DeletedAt.Before(base) || !reflect.DeepEqual(tomb.Topics, []string{"security"}) {
		t.Errorf("trashed at %v, tombstone %+v", got.DeletedAt, tomb)
	}
	run(func(int) error { return w.RestorePublication(ctx, p.ID) })
	got, err = w.Publication(ctx, p.ID)
	must(t, err)
	if !got.DeletedAt.IsZero() || !got.IsPublished() {
		t.Errorf("after concurrent restores: %+v", got)
	}
	_, err = w.Tombstone(ctx, p.Slug)
	wantErr(t, err, store.ErrNotFound)
}

func testPublishDue(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	base := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	mk := func(slug string, at time.Time) *model.Publication {
		p := pub(slug, "2020", model.TypeReport, "sheila-a-smith")
		p.Status = model.StatusScheduled
		p.PublishAt = at
		must(t, w.CreatePublication(ctx, p))
		return p
	}
	early := mk("pd-early", base.Add(-time.Hour))
	exact := mk("pd-exact", base)
	late := mk("pd-late", base.Add(time.Second))
	trashed := mk("pd-trashed", base.Add(-time.Hour))
	must(t, w.TrashPublication(ctx, trashed.ID, time.Now()))
	// A publication published once and unpublished left a tombstone; going
	// live again removes it.
	again := pub("pd-again", "2020", model.TypeReport)
	must(t, w.CreatePublication(ctx, again))
	again.Status = model.StatusScheduled
	again.PublishAt = base.Add(-time.Minute)
	must(t, w.UpdatePublication(ctx, again))
	if _, err := w.Tombstone(ctx, again.Slug); err != nil {
		t.Fatalf("scheduling a published publication left no tombstone: %v", err)
	}

	ids, err := w.PublishDue(ctx, base)
	must(t, err)
	if want := []int64{early.ID, exact.ID, again.ID}; !slices.Equal(ids, want) {
		t.Errorf("PublishDue(%v) = %v, want %v", base, ids, want)
	}
	for _, p := range []*model.Publication{early, exact, again} {
		got, err := w.Publication(ctx, p.ID)
		must(t, err)
		if got.Status != model.StatusPublished || !got.PublishedAt.Equal(p.PublishAt) || !got.PublishAt.IsZero() {
			t.Errorf("%s after PublishDue: status %s, published %v (want %v), publish at %v",
				p.Slug, got.Status, got.PublishedAt, p.PublishAt, got.PublishAt)
		}
	}
	if _, err := w.Tombstone(ctx, again.Slug); err == nil {
		t.Error("the tombstone of a publication published again by PublishDue remains")
	}
	h := harvestAll(t, w, store.HarvestQuery{})
	for _, slug := range []string{early.Slug, exact.Slug, again.Slug} {
		if !slices.Contains(h, slug) {
			t.Errorf("harvest lacks %s published by PublishDue", slug)
		}
	}
	for _, slug := range []string{late.Slug, trashed.Slug} {
		if slices.Contains(h, slug) {
			t.Errorf("harvest lists %s, not due or in the trash", slug)
		}
	}
	got, err := w.Publication(ctx, late.ID)
	must(t, err)
	if got.Status != model.StatusScheduled {
		t.Errorf("a publication not yet due was published: %s", got.Status)
	}

	// Nothing is published twice.
	ids, err = w.PublishDue(ctx, base)
	must(t, err)
	if len(ids) != 0 {
		t.Errorf("PublishDue again = %v, want nothing", ids)
	}
	// In the trash it waits; restored, the next run publishes it.
	must(t, w.RestorePublication(ctx, trashed.ID))
	ids, err = w.PublishDue(ctx, base.Add(time.Second))
	must(t, err)
	if want := []int64{late.ID, trashed.ID}; !slices.Equal(ids, want) {
		t.Errorf("PublishDue after restoring = %v, want %v", ids, want)
	}
}

// testPublishDueConcurrent runs PublishDue from several goroutines at
// once, as app servers do: each publication is returned exactly once.
func testPublishDueConcurrent(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	at := time.Date(2029, 3, 1, 0, 0, 0, 0, time.UTC)
	var want []int64
	for i := range 20 {
		p := pub(fmt.Sprintf("pc-%02d", i), "2020", model.TypeReport)
		p.Status = model.StatusScheduled
		p.PublishAt = at.Add(-time.Duration(i) * time.Minute)
		must(t, w.CreatePublication(ctx, p))
		want = append(want, p.ID)
	}
	const callers = 6
	var wg sync.WaitGroup
	results := make([][]int64, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = w.PublishDue(ctx, at)
		}()
	}
	wg.Wait()
	var all []int64
	for i := range callers {
		must(t, errs[i])
		all = append(all, results[i]...)
	}
	slices.Sort(all)
	if !slices.Equal(all, want) {
		t.Errorf("concurrent PublishDue returned %v, want each of %v once", all, want)
	}
}

func testRevisions(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	p := pub("rv-pub", "2020", model.TypeReport, "sheila-a-smith")
	p.Status = model.StatusDraft
	must(t, w.CreatePublication(ctx, p))
	snap := func(p *model.Publication) []byte {
		b, err := json.Marshal(p)
		must(t, err)
		return b
	}
	first := &store.Revision{PublicationID: p.ID, UserID: 7, UserName: "Ann Editor", Note: "created", Snapshot: snap(p)}
	must(t, w.AddRevision(ctx, first))
	if first.ID == 0 || first.CreatedAt.IsZero() {
		t.Errorf("AddRevision set ID %d, CreatedAt %v", first.ID, first.CreatedAt)
	}
	p.Title = "Edited"
	at := time.Date(2035, 1, 2, 3, 4, 5, 6000, time.UTC)
	second := &store.Revision{PublicationID: p.ID, Note: "imported from refs.bib", CreatedAt: at, Snapshot: snap(p)}
	must(t, w.AddRevision(ctx, second))
	third := &store.Revision{PublicationID: p.ID, UserID: 7, UserName: "Ann Editor", Note: "restored revision 1", CreatedAt: at, Snapshot: snap(p)}
	must(t, w.AddRevision(ctx, third))

	list, err := w.Revisions(ctx, p.ID)
	must(t, err)
	var ids []int64
	for _, r := range list {
		ids = append(ids, r.ID)
		if r.Snapshot != nil {
			t.Errorf("Revisions carries the snapshot of %d", r.ID)
		}
	}
	if want := []int64{third.ID, second.ID, first.ID}; !slices.Equal(ids, want) {
		t.Errorf("Revisions = %v, want newest first %v", ids, want)
	}
	if len(list) == 3 && (list[1].UserID != 0 || list[1].UserName != "" || !list[1].CreatedAt.Equal(at) || list[1].Note != "imported from refs.bib") {
		t.Errorf("revision by the command line read back as %+v", list[1])
	}
	got, err := w.Revision(ctx, first.ID)
	must(t, err)
	if !reflect.DeepEqual(got, first) {
		t.Errorf("Revision\n got %+v\nwant %+v", *got, *first)
	}
	var old model.Publication
	must(t, json.Unmarshal(got.Snapshot, &old))
	if old.Title != "Title of rv-pub" || old.ID != p.ID {
		t.Errorf("snapshot read back as %+v", old)
	}

	wantFieldError(t, w.AddRevision(ctx, &store.Revision{PublicationID: 99999, Snapshot: []byte(`{}`)}), "PublicationID")
	wantFieldError(t, w.AddRevision(ctx, &store.Revision{PublicationID: p.ID, Snapshot: []byte(`{"Title":`)}), "Snapshot")
	wantFieldError(t, w.AddRevision(ctx, &store.Revision{PublicationID: p.ID, Snapshot: []byte(`{}`), Note: "two\nlines"}), "Note")
	_, err = w.Revision(ctx, 99999)
	wantErr(t, err, store.ErrNotFound, "revision 99999")
	_, err = w.Revisions(ctx, 99999)
	wantErr(t, err, store.ErrNotFound, "99999")

	// A revision written in a transaction that fails is not kept.
	tr, ok := w.(store.Transactor)
	if !ok {
		t.Fatalf("%T does not implement store.Transactor", w)
	}
	boom := fmt.Errorf("boom")
	err = tr.WithTx(ctx, func(tx store.Store) error {
		p.Title = "Never saved"
		if err := tx.UpdatePublication(ctx, p); err != nil {
			return err
		}
		if err := tx.(store.Revisions).AddRevision(ctx, &store.Revision{PublicationID: p.ID, Note: "edited", Snapshot: snap(p)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx = %v, want boom", err)
	}
	if list, err := w.Revisions(ctx, p.ID); err != nil || len(list) != 3 {
		t.Errorf("after a rolled-back save: %d revisions, %v; want 3", len(list), err)
	}

	// Purging the publication removes its revisions.
	must(t, w.DeletePublication(ctx, p.ID))
	_, err = w.Revision(ctx, first.ID)
	wantErr(t, err, store.ErrNotFound)
}

func testAudit(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	entries := []store.AuditEntry{
		{UserID: 0, Action: "login.failed", Target: "user:3", Address: "192.0.2.1", Detail: "wrong password"},
		{UserID: 3, UserName: "ann@example.org", Action: "login", Target: "user:3", Address: "192.0.2.1"},
		{UserID: 3, UserName: "ann@example.org", Action: "publication.publish", Target: "publication:42", Address: "192.0.2.1"},
		{UserID: 4, UserName: "Bob", Action: "user.role", Target: "user:3", Address: "198.51.100.7", Detail: "role editor → admin"},
		{UserID: 3, UserName: "ann@example.org", Action: "publication.trash", Target: "publication:42", Address: "192.0.2.1",
			At: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for i := range entries {
		e := &entries[i]
		before := time.Now().Add(-time.Second)
		must(t, w.AddAudit(ctx, e))
		if e.ID == 0 || (i < 4 && e.At.Before(before)) {
			t.Errorf("AddAudit set ID %d, At %v", e.ID, e.At)
		}
	}
	ids := func(es []store.AuditEntry) []int64 {
		out := []int64{}
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	e := entries
	tests := []struct {
		q    store.AuditQuery
		want []int64
	}{
		{store.AuditQuery{}, []int64{e[4].ID, e[3].ID, e[2].ID, e[1].ID, e[0].ID}},
		{store.AuditQuery{UserID: 3}, []int64{e[4].ID, e[2].ID, e[1].ID}},
		{store.AuditQuery{Action: "login"}, []int64{e[1].ID}},
		{store.AuditQuery{Target: "user:3"}, []int64{e[3].ID, e[1].ID, e[0].ID}},
		{store.AuditQuery{UserID: 3, Target: "publication:42"}, []int64{e[4].ID, e[2].ID}},
		{store.AuditQuery{Limit: 2}, []int64{e[4].ID, e[3].ID}},
		{store.AuditQuery{Before: e[3].ID, Limit: 2}, []int64{e[2].ID, e[1].ID}},
		{store.AuditQuery{Before: e[3].ID, Target: "user:3"}, []int64{e[1].ID, e[0].ID}},
		{store.AuditQuery{Action: "user.delete"}, []int64{}},
	}
	for _, tt := range tests {
		got, err := w.ListAudit(ctx, tt.q)
		must(t, err)
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("ListAudit(%+v) = %v, want %v", tt.q, ids(got), tt.want)
		}
	}
	all, err := w.ListAudit(ctx, store.AuditQuery{Action: "user.role"})
	must(t, err)
	if len(all) != 1 || !reflect.DeepEqual(all[0], e[3]) {
		t.Errorf("audit entry read back as %+v, want %+v", all, e[3])
	}
	wantFieldError(t, w.AddAudit(ctx, &store.AuditEntry{Target: "user:3"}), "Action")
	wantFieldError(t, w.AddAudit(ctx, &store.AuditEntry{Action: "login", Address: "1.2.3.4\n"}), "Address")
	wantFieldError(t, w.AddAudit(ctx, &store.AuditEntry{Action: "login", Detail: "bad \xff byte"}), "Detail")
	must(t, w.AddAudit(ctx, &store.AuditEntry{Action: "note", Detail: "two\nlines"}))
}

// testAdminFilters checks the admin list's title, creator and trash
// filters and the person picker's name and ORCID filters.
func testAdminFilters(t *testing.T, w workflowStore, f *fixture) {
	ctx := context.Background()
	for _, p := range []struct {
		slug, title, subtitle string
		by                    int64
	}{
		{"af-1", "Sanctions and the Yen", "Une économie", 11},
		{"af-2", "ÉLECTIONS EN FRANCE", "Le Débat", 12},
		{"af-3", "The Élite", "100% Proof_of it", 11},
		{"af-4", "Ankara Notes!", "İstanbul in Été", 0},
	} {
		x := pub(p.slug, "2020", model.TypeReport)
		x.Title, x.Subtitle, x.CreatedBy = p.title, p.subtitle, p.by
		must(t, w.CreatePublication(ctx, x))
		got, err := w.Publication(ctx, x.ID)
		must(t, err)
		if got.CreatedBy != p.by {
			t.Errorf("CreatedBy read back as %d, want %d", got.CreatedBy, p.by)
		}
		// The creator stays whoever created it.
		got.CreatedBy = 99
		must(t, w.UpdatePublication(ctx, got))
		if got.CreatedBy != p.by {
			t.Errorf("UpdatePublication changed CreatedBy to %d", got.CreatedBy)
		}
	}
	af3, err := w.PublicationBySlug(ctx, "af-3")
	must(t, err)
	must(t, w.TrashPublication(ctx, af3.ID, time.Now()))

	tests := []struct {
		q    store.PublicationQuery
		want []string
	}{
		{store.PublicationQuery{Title: "sanctions"}, []string{"af-1"}},
		{store.PublicationQuery{Title: " YEN "}, []string{"af-1"}},
		{store.PublicationQuery{Title: "élections"}, []string{"af-2"}},
		{store.PublicationQuery{Title: "débat"}, []string{"af-2"}},
		{store.PublicationQuery{Title: "DÉBAT"}, []string{"af-2"}},
		{store.PublicationQuery{Title: "élite"}, nil},
		{store.PublicationQuery{Title: "élite", Trashed: true}, []string{"af-3"}},
		{store.PublicationQuery{Title: "100%", Trashed: true}, []string{"af-3"}},
		// LIKE's wildcards in the text are plain characters.
		{store.PublicationQuery{Title: "f_o", Trashed: true}, []string{"af-3"}},
		{store.PublicationQuery{Title: "f_i", Trashed: true}, nil},
		{store.PublicationQuery{Title: "%"}, nil},
		{store.PublicationQuery{Title: "s!"}, []string{"af-4"}},
		{store.PublicationQuery{Title: "İstanbul"}, []string{"af-4"}},
		{store.PublicationQuery{Title: "e"}, []string{"af-1", "af-2", "af-4"}},
		{store.PublicationQuery{Title: "é"}, []string{"af-1", "af-2", "af-4"}},
		{store.PublicationQuery{Title: "été"}, []string{"af-4"}},
		{store.PublicationQuery{CreatedBy: 11}, []string{"af-1"}},
		{store.PublicationQuery{CreatedBy: 11, Trashed: true}, []string{"af-3"}},
		{store.PublicationQuery{CreatedBy: 12, Title: "france"}, []string{"af-2"}},
	}
	for _, tt := range tests {
		got := listSlugs(t, w, tt.q)
		var mine []string
		for _, s := range got {
			if len(s) > 3 && s[:3] == "af-" {
				mine = append(mine, s)
			}
		}
		slices.Sort(mine)
		if !slices.Equal(mine, tt.want) {
			t.Errorf("ListPublications(%+v) = %v, want %v", tt.q, mine, tt.want)
		}
	}
	// A filter beyond ASCII, which the store finishes itself, pages like
	// any other list: newest first, by cursor or offset, counted whole.
	var seen []string
	q := store.PublicationQuery{Title: "É", Limit: 1}
	for range 5 {
		page, err := w.ListPublications(ctx, q)
		must(t, err)
		if page.Total != 3 {
			t.Errorf("ListPublications(%+v): Total = %d, want 3", q, page.Total)
		}
		seen = append(seen, slugsOf(page.Items)...)
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if want := []string{"af-4", "af-2", "af-1"}; !slices.Equal(seen, want) {
		t.Errorf("pages by cursor of a filtered list = %v, want %v", seen, want)
	}
	for _, tt := range []struct {
		q    store.PublicationQuery
		want []string
	}{
		{store.PublicationQuery{Title: "é", Limit: 2, Offset: 1}, []string{"af-2", "af-1"}},
		{store.PublicationQuery{Title: "é", Offset: 3}, []string{}},
		{store.PublicationQuery{Title: "e", Limit: 2, Offset: 1}, nil}, // ASCII: the engine pages
	} {
		page, err := w.ListPublications(ctx, tt.q)
		must(t, err)
		if tt.want != nil && (!slices.Equal(slugsOf(page.Items), tt.want) || page.Total != 3) {
			t.Errorf("ListPublications(%+v) = %v of %d, want %v of 3", tt.q, slugsOf(page.Items), page.Total, tt.want)
		}
		if tt.want == nil && len(page.Items) != 2 {
			t.Errorf("ListPublications(%+v) = %v", tt.q, slugsOf(page.Items))
		}
	}

	// People.
	people := []model.Person{
		{Slug: "af-muller", Given: "Jürgen", Family: "MÜLLER", ORCID: "0000-0002-1825-0097"},
		{Slug: "af-fontaine", Given: "Jean", DroppingParticle: "de", NonDroppingParticle: "La", Family: "Fontaine"},
		{Slug: "af-sato", Given: "健一", Family: "佐藤"},
		{Slug: "af-org", Literal: "Institut Économique"},
		{Slug: "af-maller", Given: "Anna", Family: "Maller"},
	}
	for i := range people {
		must(t, w.CreatePerson(ctx, &people[i]))
	}
	// An ORCID iD names one person; many have none.
	dup := model.Person{Slug: "af-other", Family: "Other", ORCID: people[0].ORCID}
	wantErr(t, w.CreatePerson(ctx, &dup), store.ErrConflict, "af-other")
	people[1].ORCID = people[0].ORCID
	wantErr(t, w.UpdatePerson(ctx, &people[1]), store.ErrConflict)
	people[1].ORCID = ""
	names := []struct {
		q    store.PeopleQuery
		want []string
	}{
		{store.PeopleQuery{Name: "müller "}, []string{"af-muller"}},
		{store.PeopleQuery{Name: "jürgen m"}, []string{"af-muller"}},
		{store.PeopleQuery{Name: "de la font"}, []string{"af-fontaine"}},
		{store.PeopleQuery{Name: "jean fontaine"}, nil}, // not as the name is written
		{store.PeopleQuery{Name: "MALLER"}, []string{"af-maller"}},
		{store.PeopleQuery{Name: "藤健"}, []string{"af-sato"}},
		{store.PeopleQuery{Name: "économique"}, []string{"af-org"}},
		{store.PeopleQuery{Name: "nobody"}, nil},
		{store.PeopleQuery{ORCID: "0000-0002-1825-0097"}, []string{"af-muller"}},
		{store.PeopleQuery{ORCID: "https://orcid.org/0000-0002-1825-0097"}, []string{"af-muller"}},
		{store.PeopleQuery{ORCID: "0000-0001-5109-3700"}, nil},
		{store.PeopleQuery{ORCID: "not an iD"}, nil},
	}
	for _, tt := range names {
		got, err := w.ListPeople(ctx, tt.q)
		must(t, err)
		var slugs []string
		for _, p := range got {
			slugs = append(slugs, p.Slug)
		}
		if !slices.Equal(slugs, tt.want) {
			t.Errorf("ListPeople(%+v) = %v, want %v", tt.q, slugs, tt.want)
		}
	}
	all, err := w.ListPeople(ctx, store.PeopleQuery{Name: "e"})
	must(t, err)
	paged, err := w.ListPeople(ctx, store.PeopleQuery{Name: "e", Limit: 2, Offset: 1})
	must(t, err)
	if len(all) < 3 || !reflect.DeepEqual(paged, all[1:3]) {
		t.Errorf("ListPeople(Name e, limit 2, offset 1) = %v, want %v", paged, all[1:min(3, len(all))])
	}
}

// SearchFunc runs a full-text search on the store's index (internal/search)
// for text, filtered by topic slug when topic is not "", and returns the
// IDs of every hit and the total the index counted.
type SearchFunc func(ctx context.Context, text, topic string) (ids []int64, total int, err error)

// RunSearchVisibility checks that the search index, which the schema's
// triggers keep, finds only what readers may see: published publications
// outside the trash, following them through publishing, scheduling, the
// trash and back. s must be a new empty store whose index search reads.
func RunSearchVisibility(t *testing.T, s store.Store, search SearchFunc) {
	ctx := context.Background()
	w, ok := s.(workflowStore)
	if !ok {
		t.Fatalf("%T does not implement the workflow interfaces", s)
	}
	newFixture(t, s)
	mk := func(slug string, st model.Status) *model.Publication {
		p := pub(slug, "2020", model.TypeReport, "sheila-a-smith")
		p.Title = "Meridian " + slug
		p.Summary = "Quarterly zephyrine outlook."
		p.Topics = []model.Topic{{Slug: "economics"}}
		p.Status = st
		if st == model.StatusScheduled {
			p.PublishAt = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		must(t, s.CreatePublication(ctx, p))
		return p
	}
	visible := mk("visible", model.StatusPublished)
	draft := mk("draft", model.StatusDraft)
	review := mk("review", model.StatusReview)
	scheduled := mk("scheduled", model.StatusScheduled)
	trashed := mk("trashed", model.StatusPublished)
	must(t, w.TrashPublication(ctx, trashed.ID, time.Now()))

	check := func(step string, want ...*model.Publication) {
		t.Helper()
		var wantIDs []int64
		for _, p := range want {
			wantIDs = append(wantIDs, p.ID)
		}
		slices.Sort(wantIDs)
		for _, q := range []struct{ text, topic string }{
			{"meridian", ""}, {"zephyrine", ""}, {"smith", ""}, {"", "economics"}, {"meridian", "economics"},
		} {
			ids, total, err := search(ctx, q.text, q.topic)
			must(t, err)
			slices.Sort(ids)
			if !slices.Equal(ids, wantIDs) || total != len(wantIDs) {
				t.Errorf("%s: search %q in topic %q = %v (total %d), want %v", step, q.text, q.topic, ids, total, wantIDs)
			}
		}
	}
	check("drafts, review, scheduled and trash", visible)

	must(t, w.RestorePublication(ctx, trashed.ID))
	check("restored", visible, trashed)
	draft.Status = model.StatusPublished
	must(t, s.UpdatePublication(ctx, draft))
	check("draft published", visible, trashed, draft)
	visible.Status = model.StatusDraft
	must(t, s.UpdatePublication(ctx, visible))
	check("unpublished", trashed, draft)
	ids, err := w.PublishDue(ctx, scheduled.PublishAt)
	must(t, err)
	if !slices.Equal(ids, []int64{scheduled.ID}) {
		t.Fatalf("PublishDue = %v, want %d", ids, scheduled.ID)
	}
	check("scheduled published when due", trashed, draft, scheduled)
	must(t, w.TrashPublication(ctx, draft.ID, time.Now()))
	check("trashed", trashed, scheduled)
	review.Status = model.StatusPublished
	must(t, s.UpdatePublication(ctx, review))
	check("review published", trashed, scheduled, review)
}

// testPublicationKeys checks the keys an import matches by: the first
// contributor in byline order after a reorder, an organization's name, no
// contributor, and trashed publications listed and marked.
func testPublicationKeys(t *testing.T, w workflowStore, _ *fixture) {
	ctx := context.Background()
	before, err := w.PublicationKeys(ctx)
	must(t, err)
	seen := map[int64]bool{}
	for _, k := range before {
		seen[k.ID] = true
	}

	doi := pub("keys-doi", "2013-09/2013-10", model.TypeArticleJournal, "sheila-a-smith")
	doi.DOI = "10.1234/Keys.1"
	doi.Subtitle = "With a Subtitle"
	must(t, w.CreatePublication(ctx, doi))
	org := pub("keys-org", "2020-05", model.TypeReport, "sheila-a-smith", "imprint-institute")
	must(t, w.CreatePublication(ctx, org))
	org.Contributions[0], org.Contributions[1] = org.Contributions[1], org.Contributions[0]
	must(t, w.UpdatePublication(ctx, org))
	nobody := pub("keys-nobody", "2001", model.TypeReport)
	must(t, w.CreatePublication(ctx, nobody))
	gone := pub("keys-trashed", "2019", model.TypeReport, "james-m-lindsay")
	must(t, w.CreatePublication(ctx, gone))
	must(t, w.TrashPublication(ctx, gone.ID, time.Now()))

	keys, err := w.PublicationKeys(ctx)
	must(t, err)
	var got []store.PublicationKey
	for i, k := range keys {
		if i > 0 && keys[i-1].ID >= k.ID {
			t.Errorf("keys not in ID order: %d after %d", k.ID, keys[i-1].ID)
		}
		if !seen[k.ID] {
			got = append(got, k)
		}
	}
	want := []store.PublicationKey{
		{ID: doi.ID, Slug: "keys-doi", DOI: "10.1234/Keys.1", Title: doi.Title, Subtitle: "With a Subtitle", Issued: doi.Issued, FirstFamily: "Smith"},
		{ID: org.ID, Slug: "keys-org", Title: org.Title, Issued: org.Issued, FirstLiteral: "Imprint Institute"},
		{ID: nobody.ID, Slug: "keys-nobody", Title: nobody.Title, Issued: nobody.Issued},
		{ID: gone.ID, Slug: "keys-trashed", Title: gone.Title, Issued: gone.Issued, FirstFamily: "Lindsay", Trashed: true},
	}
	if len(got) != len(want) {
		t.Fatalf("PublicationKeys gave %d new keys, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if g, w := got[i], want[i]; g.ID != w.ID || g.Slug != w.Slug || g.DOI != w.DOI || g.Title != w.Title ||
			g.Subtitle != w.Subtitle || g.Issued.String() != w.Issued.String() || g.FirstFamily != w.FirstFamily ||
			g.FirstLiteral != w.FirstLiteral || g.Trashed != w.Trashed {
			t.Errorf("key %d = %+v, want %+v", i, g, w)
		}
	}
}
