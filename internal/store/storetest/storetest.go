// Package storetest is the behaviour every store.Store backend must show.
// A backend's tests call Run with a function that opens a fresh, empty,
// migrated store; CI runs it against every backend, never skipping one
// whose database is missing.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Run runs the suite. open must return a new empty store for each call and
// arrange for it to be closed when the test ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"People", testPeople},
		{"Topics", func(t *testing.T, s store.Store) { testTerms(t, topicAPI(s)) }},
		{"Regions", func(t *testing.T, s store.Store) { testTerms(t, regionAPI(s)) }},
		{"PublicationRoundTrip", testPublicationRoundTrip},
		{"PublicationUpdate", testPublicationUpdate},
		{"PublicationRefused", testPublicationRefused},
		{"PublicationDelete", testPublicationDelete},
		{"ListPublications", testListPublications},
		{"UnreadableDate", testUnreadableDate},
		{"RelatedCandidates", testRelatedCandidates},
		{"ConcurrentWrites", testConcurrentWrites},
		{"CanceledContext", testCanceledContext},
		{"Harvest", testHarvest},
		{"RelatedLists", testRelatedLists},
		{"Accounts", testAccounts},
		{"Workflow", testWorkflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// SeedCSL is the CSL-JSON the seed publication must produce, "id" aside.
const SeedCSL = `{"type":"article-journal","title":"North Korea in Japan’s Strategic Thinking",
	"author":[{"family":"Smith","given":"Sheila A."}],"container-title":"ASAN Forum",
	"volume":"1","issue":"2","issued":{"date-parts":[[2013,9],[2013,10]]},
	"URL":"http://www.theasanforum.org/north-korea-in-japans-strategic-thinking/"}`

// fixture is a small organization: three people, a topic tree and a
// region tree.
type fixture struct {
	smith, lindsay, institute       model.Person
	security, alliances, economics  model.Topic
	asia, eastAsia, japan, americas model.Region
}

func newFixture(t *testing.T, s store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{
		smith:     model.Person{Slug: "sheila-a-smith", Given: "Sheila A.", Family: "Smith", RoleLine: "Senior Fellow for Japan Studies", Bio: "Writes on *Japan*."},
		lindsay:   model.Person{Slug: "james-m-lindsay", Given: "James M.", Family: "Lindsay"},
		institute: model.Person{Slug: "imprint-institute", Literal: "Imprint Institute"},
		security:  model.Topic{Slug: "security", Name: "Defense and Security"},
		economics: model.Topic{Slug: "economics", Name: "Economics"},
		asia:      model.Region{Slug: "asia", Name: "Asia"},
		americas:  model.Region{Slug: "americas", Name: "Americas"},
	}
	for _, p := range []*model.Person{&f.smith, &f.lindsay, &f.institute} {
		must(t, s.CreatePerson(ctx, p))
	}
	must(t, s.CreateTopic(ctx, &f.security))
	must(t, s.CreateTopic(ctx, &f.economics))
	f.alliances = model.Topic{Slug: "alliances", Name: "Alliances", ParentID: f.security.ID}
	must(t, s.CreateTopic(ctx, &f.alliances))
	must(t, s.CreateRegion(ctx, &f.asia))
	must(t, s.CreateRegion(ctx, &f.americas))
	f.eastAsia = model.Region{Slug: "east-asia", Name: "East Asia", ParentID: f.asia.ID}
	must(t, s.CreateRegion(ctx, &f.eastAsia))
	f.japan = model.Region{Slug: "japan", Name: "Japan", ParentID: f.eastAsia.ID}
	must(t, s.CreateRegion(ctx, &f.japan))
	return f
}

// seed returns the seed publication, naming its references by slug as an
// import would.
func seed() *model.Publication {
	issued, _ := model.ParseDate("2013-09/2013-10")
	return &model.Publication{
		Slug: "north-korea-in-japans-strategic-thinking", Type: model.TypeArticleJournal,
		Title:         "North Korea in Japan’s Strategic Thinking",
		Contributions: []model.Contribution{{Person: model.Person{Slug: "sheila-a-smith"}, Role: model.RoleAuthor}},
		Issued:        issued,
		Venue:         model.Venue{ContainerTitle: "ASAN Forum", Volume: "1", Issue: "2"},
		URL:           "http://www.theasanforum.org/north-korea-in-japans-strategic-thinking/",
		Summary:       "Pyongyang's missile launches changed how **Japan** thinks about defense.",
		FullText:      "# North Korea\n\nText.",
		Topics:        []model.Topic{{Slug: "alliances"}, {Slug: "security"}},
		Regions:       []model.Region{{Slug: "japan"}},
		Status:        model.StatusPublished,
	}
}

// pub returns a minimal published publication.
func pub(slug, issued string, typ model.Type, people ...string) *model.Publication {
	d, err := model.ParseDate(issued)
	if err != nil {
		d = model.Date{Raw: issued}
	}
	p := &model.Publication{Slug: slug, Type: typ, Title: "Title of " + slug, Issued: d, Status: model.StatusPublished}
	for _, s := range people {
		p.Contributions = append(p.Contributions, model.Contribution{Person: model.Person{Slug: s}, Role: model.RoleAuthor})
	}
	return p
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err wraps target and its message contains each of
// mention (what was looked up).
func wantErr(t *testing.T, err, target error, mention ...string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("error = %v, want one wrapping %v", err, target)
		return
	}
	for _, m := range mention {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not mention %q", err, m)
		}
	}
}

// wantFieldError fails unless err is a validation error on field.
func wantFieldError(t *testing.T, err error, field string) {
	t.Helper()
	ve, ok := model.AsValidationError(err)
	if !ok {
		t.Errorf("error = %v, want a validation error on %s", err, field)
		return
	}
	if ve.Field(field) == "" {
		t.Errorf("validation error %v has no message for %s", err, field)
	}
}

func testPeople(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	if f.smith.ID == 0 || f.smith.CreatedAt.IsZero() || !f.smith.UpdatedAt.Equal(f.smith.CreatedAt) {
		t.Errorf("CreatePerson did not set ID and timestamps: %+v", f.smith)
	}
	got, err := s.PersonBySlug(ctx, "sheila-a-smith")
	must(t, err)
	if !reflect.DeepEqual(*got, f.smith) {
		t.Errorf("PersonBySlug\n got %+v\nwant %+v", *got, f.smith)
	}
	got, err = s.Person(ctx, f.institute.ID)
	must(t, err)
	if got.Literal != "Imprint Institute" || got.DisplayName() != "Imprint Institute" {
		t.Errorf("Person(%d) = %+v", f.institute.ID, got)
	}

	sato := model.Person{Slug: "sato-kenichi", Given: "健一", Family: "佐藤", NonDroppingParticle: "", Suffix: ""}
	must(t, s.CreatePerson(ctx, &sato))
	sato.ORCID, sato.Photo = "0000-0002-1825-0097", "sha256-"+strings.Repeat("ab", 32)+".jpg"
	must(t, s.UpdatePerson(ctx, &sato))
	got, err = s.Person(ctx, sato.ID)
	must(t, err)
	if !reflect.DeepEqual(*got, sato) {
		t.Errorf("ORCID and photo read back\n got %+v\nwant %+v", *got, sato)
	}
	wantFieldError(t, s.UpdatePerson(ctx, &model.Person{ID: sato.ID, Slug: "sato-kenichi", Family: "佐藤", ORCID: "0000-0002-1825-0098"}), "ORCID")
	all, err := s.ListPeople(ctx, store.PeopleQuery{})
	must(t, err)
	var names []string
	for _, p := range all {
		names = append(names, p.DisplayName())
	}
	// Literal names have no family name and sort first.
	want := []string{"Imprint Institute", "James M. Lindsay", "Sheila A. Smith", "佐藤健一"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("ListPeople = %q, want %q", names, want)
	}
	page, err := s.ListPeople(ctx, store.PeopleQuery{Limit: 2, Offset: 1})
	must(t, err)
	if len(page) != 2 || page[0].Slug != "james-m-lindsay" {
		t.Errorf("ListPeople(limit 2, offset 1) = %v", page)
	}

	f.smith.RoleLine = "Senior Fellow"
	created := f.smith.CreatedAt
	must(t, s.UpdatePerson(ctx, &f.smith))
	got, err = s.Person(ctx, f.smith.ID)
	must(t, err)
	if got.RoleLine != "Senior Fellow" || !got.CreatedAt.Equal(created) || got.UpdatedAt.Before(created) {
		t.Errorf("after UpdatePerson: %+v", got)
	}

	dup := model.Person{Slug: "sheila-a-smith", Family: "Other"}
	wantErr(t, s.CreatePerson(ctx, &dup), store.ErrConflict, "sheila-a-smith")
	f.lindsay.Slug = "sheila-a-smith"
	wantErr(t, s.UpdatePerson(ctx, &f.lindsay), store.ErrConflict, "sheila-a-smith")
	wantFieldError(t, s.CreatePerson(ctx, &model.Person{Slug: "x"}), "Family")

	_, err = s.PersonBySlug(ctx, "nobody")
	wantErr(t, err, store.ErrNotFound, `"nobody"`)
	_, err = s.Person(ctx, 9999)
	wantErr(t, err, store.ErrNotFound, "9999")
	wantErr(t, s.UpdatePerson(ctx, &model.Person{ID: 9999, Slug: "ghost", Family: "Ghost"}), store.ErrNotFound, "9999")
	wantErr(t, s.DeletePerson(ctx, 9999), store.ErrNotFound, "9999")

	must(t, s.DeletePerson(ctx, sato.ID))
	_, err = s.Person(ctx, sato.ID)
	wantErr(t, err, store.ErrNotFound)
}

// termAPI lets one test cover topics and regions.
type termAPI struct {
	create, update func(ctx context.Context, t *model.Topic) error
	get            func(ctx context.Context, id int64) (*model.Topic, error)
	bySlug         func(ctx context.Context, slug string) (*model.Topic, error)
	list           func(ctx context.Context) ([]model.Topic, error)
	del            func(ctx context.Context, id int64) error
	tag            func(p *model.Publication, slug string)
	createPub      func(ctx context.Context, p *model.Publication) error
	record         string
}

func topicAPI(s store.Store) termAPI {
	return termAPI{
		create: s.CreateTopic, update: s.UpdateTopic, get: s.Topic, bySlug: s.TopicBySlug,
		list: s.ListTopics, del: s.DeleteTopic, createPub: s.CreatePublication, record: "topic",
		tag: func(p *model.Publication, slug string) { p.Topics = append(p.Topics, model.Topic{Slug: slug}) },
	}
}

func regionAPI(s store.Store) termAPI {
	conv := func(fn func(context.Context, *model.Region) error) func(context.Context, *model.Topic) error {
		return func(ctx context.Context, t *model.Topic) error {
			r := model.Region(*t)
			err := fn(ctx, &r)
			*t = model.Topic(r)
			return err
		}
	}
	get := func(fn func(context.Context, int64) (*model.Region, error)) func(context.Context, int64) (*model.Topic, error) {
		return func(ctx context.Context, id int64) (*model.Topic, error) {
			r, err := fn(ctx, id)
			if r == nil {
				return nil, err
			}
			t := model.Topic(*r)
			return &t, err
		}
	}
	return termAPI{
		create: conv(s.CreateRegion), update: conv(s.UpdateRegion), get: get(s.Region),
		bySlug: func(ctx context.Context, slug string) (*model.Topic, error) {
			r, err := s.RegionBySlug(ctx, slug)
			if r == nil {
				return nil, err
			}
			t := model.Topic(*r)
			return &t, err
		},
		list: func(ctx context.Context) ([]model.Topic, error) {
			rs, err := s.ListRegions(ctx)
			out := make([]model.Topic, len(rs))
			for i, r := range rs {
				out[i] = model.Topic(r)
			}
			return out, err
		},
		del: s.DeleteRegion, createPub: s.CreatePublication, record: "region",
		tag: func(p *model.Publication, slug string) { p.Regions = append(p.Regions, model.Region{Slug: slug}) },
	}
}

func testTerms(t *testing.T, api termAPI) {
	ctx := context.Background()
	root := model.Topic{Slug: "security", Name: "Security", Description: "All of *it*."}
	must(t, api.create(ctx, &root))
	b := model.Topic{Slug: "nuclear", Name: "Nuclear Weapons", ParentID: root.ID}
	a := model.Topic{Slug: "alliances", Name: "Alliances", ParentID: root.ID}
	must(t, api.create(ctx, &b))
	must(t, api.create(ctx, &a))
	leaf := model.Topic{Slug: "nato", Name: "NATO", ParentID: a.ID}
	must(t, api.create(ctx, &leaf))
	other := model.Topic{Slug: "economics", Name: "Economics"}
	must(t, api.create(ctx, &other))

	got, err := api.bySlug(ctx, "security")
	must(t, err)
	if !reflect.DeepEqual(*got, root) {
		t.Errorf("by slug: got %+v, want %+v", *got, root)
	}
	all, err := api.list(ctx)
	must(t, err)
	var slugs []string
	for _, x := range all {
		slugs = append(slugs, x.Slug)
	}
	want := []string{"economics", "security", "alliances", "nato", "nuclear"}
	if !reflect.DeepEqual(slugs, want) {
		t.Errorf("list = %v, want parents before children, siblings by name: %v", slugs, want)
	}

	root.ParentID = leaf.ID
	wantFieldError(t, api.update(ctx, &root), "ParentID")
	root.ParentID = 0
	wantFieldError(t, api.create(ctx, &model.Topic{Slug: "orphan", Name: "Orphan", ParentID: 9999}), "ParentID")
	wantErr(t, api.create(ctx, &model.Topic{Slug: "security", Name: "Again"}), store.ErrConflict, "security")
	wantErr(t, api.update(ctx, &model.Topic{ID: 9999, Slug: "ghost", Name: "Ghost"}), store.ErrNotFound, "9999")
	_, err = api.get(ctx, 9999)
	wantErr(t, err, store.ErrNotFound, api.record, "9999")
	_, err = api.bySlug(ctx, "ghost")
	wantErr(t, err, store.ErrNotFound, api.record, `"ghost"`)

	// Moving a subtree is allowed.
	a.ParentID = other.ID
	must(t, api.update(ctx, &a))
	got, err = api.get(ctx, a.ID)
	must(t, err)
	if got.ParentID != other.ID {
		t.Errorf("after move, parent = %d, want %d", got.ParentID, other.ID)
	}

	wantErr(t, api.del(ctx, a.ID), store.ErrConflict)
	p := pub("tagged", "2020", model.TypeReport)
	api.tag(p, "nato")
	must(t, api.createPub(ctx, p))
	wantErr(t, api.del(ctx, leaf.ID), store.ErrConflict)
	must(t, api.del(ctx, b.ID))
	wantErr(t, api.del(ctx, b.ID), store.ErrNotFound)
}

func testPublicationRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	other := pub("intimate-rivals", "2015", model.TypeBook, "sheila-a-smith")
	must(t, s.CreatePublication(ctx, other))

	p := seed()
	p.Contributions = append(p.Contributions,
		model.Contribution{Person: model.Person{ID: f.lindsay.ID}, Role: model.RoleEditor},
		model.Contribution{Person: model.Person{Slug: "sheila-a-smith"}, Role: model.RoleTranslator})
	p.Related = []model.Ref{{Slug: "intimate-rivals"}}
	p.FullTextPDF = "sha256-" + strings.Repeat("0f", 32) + ".pdf"
	p.CreatedBy = 17
	before := time.Now().Add(-time.Second)
	must(t, s.CreatePublication(ctx, p))
	if p.ID == 0 || p.CreatedAt.Before(before) || !p.UpdatedAt.Equal(p.CreatedAt) || !p.PublishedAt.Equal(p.CreatedAt) {
		t.Errorf("CreatePublication set ID %d, created %v, updated %v, published %v", p.ID, p.CreatedAt, p.UpdatedAt, p.PublishedAt)
	}
	if p.Contributions[0].Person.ID != f.smith.ID || p.Contributions[0].Person.RoleLine != f.smith.RoleLine {
		t.Errorf("contributor not resolved: %+v", p.Contributions[0].Person)
	}
	if p.Topics[0] != f.alliances || p.Regions[0] != f.japan || p.Related[0] != (model.Ref{ID: other.ID, Slug: other.Slug}) {
		t.Errorf("references not resolved: %+v %+v %+v", p.Topics, p.Regions, p.Related)
	}

	byID, err := s.Publication(ctx, p.ID)
	must(t, err)
	bySlug, err := s.PublicationBySlug(ctx, p.Slug)
	must(t, err)
	for name, got := range map[string]*model.Publication{"Publication": byID, "PublicationBySlug": bySlug} {
		if !reflect.DeepEqual(got, p) {
			t.Errorf("%s\n got %+v\nwant %+v", name, *got, *p)
		}
	}
	if got := byID.Contributors(model.RoleAuthor); len(got) != 1 || got[0].Slug != "sheila-a-smith" {
		t.Errorf("authors in order: %+v", got)
	}

	// The stored seed, with its author only, has exactly the CSL view the
	// reference citations were made from.
	seedOnly := *byID
	seedOnly.Contributions = seedOnly.Contributions[:1]
	got, err := json.Marshal(seedOnly.CSL())
	must(t, err)
	var gotM, wantM map[string]any
	must(t, json.Unmarshal(got, &gotM))
	must(t, json.Unmarshal([]byte(SeedCSL), &wantM))
	delete(gotM, "id")
	if !reflect.DeepEqual(gotM, wantM) {
		t.Errorf("stored seed CSL\n got %s\nwant %s", got, SeedCSL)
	}

	_, err = s.Publication(ctx, 9999)
	wantErr(t, err, store.ErrNotFound, "publication 9999")
	_, err = s.PublicationBySlug(ctx, "no-such-thing")
	wantErr(t, err, store.ErrNotFound, `"no-such-thing"`)

	ps, err := s.PublicationsByID(ctx, []int64{p.ID, 9999, other.ID, p.ID})
	must(t, err)
	if len(ps) != 2 || ps[0].ID != p.ID || ps[1].ID != other.ID || len(ps[0].Contributions) != 3 {
		t.Errorf("PublicationsByID: got %d items %v", len(ps), ps)
	}
}

func testPublicationUpdate(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	p := seed()
	p.Status = model.StatusDraft
	must(t, s.CreatePublication(ctx, p))
	if !p.PublishedAt.IsZero() {
		t.Errorf("a draft has PublishedAt %v", p.PublishedAt)
	}
	created := p.CreatedAt

	p.Title = "North Korea in Japan’s Strategic Thinking, Revised"
	p.Subtitle = "A Second Look"
	p.Contributions = []model.Contribution{
		{Person: model.Person{Slug: "james-m-lindsay"}, Role: model.RoleHost},
		{Person: model.Person{ID: f.smith.ID}, Role: model.RoleGuest},
	}
	p.Topics = []model.Topic{{Slug: "economics"}, {ID: f.economics.ID}}
	p.Regions = nil
	p.Venue.Pages = "1-20"
	p.Issued, _ = model.ParseDate("Spring 2014")
	p.Status = model.StatusPublished
	must(t, s.UpdatePublication(ctx, p))
	if !p.CreatedAt.Equal(created) || p.UpdatedAt.Before(created) || p.PublishedAt.IsZero() {
		t.Errorf("timestamps after publishing: created %v (was %v), updated %v, published %v", p.CreatedAt, created, p.UpdatedAt, p.PublishedAt)
	}
	got, err := s.Publication(ctx, p.ID)
	must(t, err)
	if !reflect.DeepEqual(got, p) {
		t.Errorf("after update\n got %+v\nwant %+v", *got, *p)
	}
	if len(got.Topics) != 1 || got.Regions != nil || got.Contributions[0].Role != model.RoleHost || got.Issued.Format() != "Spring 2014" {
		t.Errorf("links after update: topics %v, regions %v, contributions %v, issued %q", got.Topics, got.Regions, got.Contributions, got.Issued.Format())
	}

	wantErr(t, s.UpdatePublication(ctx, &model.Publication{ID: 9999, Slug: "ghost", Type: model.TypeReport, Title: "Ghost", Status: model.StatusDraft}),
		store.ErrNotFound, "9999")
}

func testPublicationRefused(t *testing.T, s store.Store) {
	ctx := context.Background()
	newFixture(t, s)
	must(t, s.CreatePublication(ctx, seed()))
	count := func() int {
		page, err := s.ListPublications(ctx, store.PublicationQuery{})
		must(t, err)
		return page.Total
	}

	p := seed()
	p.Slug = "another"
	p.Contributions = append(p.Contributions, model.Contribution{Person: model.Person{Slug: "nobody"}, Role: model.RoleAuthor})
	p.Topics = append(p.Topics, model.Topic{Slug: "no-topic"})
	p.Regions = append(p.Regions, model.Region{ID: 9999})
	p.Related = []model.Ref{{Slug: "no-publication"}}
	err := s.CreatePublication(ctx, p)
	for _, field := range []string{"Contributions[1].Person", "Topics[2]", "Regions[1]", "Related[0]"} {
		wantFieldError(t, err, field)
	}
	if n := count(); n != 1 {
		t.Errorf("a refused create left %d publications, want 1", n)
	}

	wantErr(t, s.CreatePublication(ctx, seed()), store.ErrConflict, "north-korea-in-japans-strategic-thinking")
	bad := seed()
	bad.Slug = "Not A Slug"
	wantFieldError(t, s.CreatePublication(ctx, bad), "Slug")
	if n := count(); n != 1 {
		t.Errorf("refused creates left %d publications, want 1", n)
	}

	// A refused update changes nothing, links included.
	stored, err := s.PublicationBySlug(ctx, "north-korea-in-japans-strategic-thinking")
	must(t, err)
	edit := *stored
	edit.Title = "Changed"
	edit.Topics = []model.Topic{{Slug: "no-topic"}}
	wantFieldError(t, s.UpdatePublication(ctx, &edit), "Topics[0]")
	again, err := s.Publication(ctx, stored.ID)
	must(t, err)
	if !reflect.DeepEqual(again, stored) {
		t.Errorf("refused update changed the record\n got %+v\nwant %+v", *again, *stored)
	}
	edit = *stored
	edit.Related = []model.Ref{{ID: stored.ID}}
	wantFieldError(t, s.UpdatePublication(ctx, &edit), "Related[0]")
}

func testPublicationDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	a := seed()
	must(t, s.CreatePublication(ctx, a))
	b := pub("b", "2014", model.TypeReport, "james-m-lindsay")
	b.Related = []model.Ref{{ID: a.ID}}
	must(t, s.CreatePublication(ctx, b))

	wantErr(t, s.DeletePerson(ctx, f.smith.ID), store.ErrConflict)
	must(t, s.DeletePublication(ctx, a.ID))
	_, err := s.Publication(ctx, a.ID)
	wantErr(t, err, store.ErrNotFound)
	got, err := s.Publication(ctx, b.ID)
	must(t, err)
	if len(got.Related) != 0 {
		t.Errorf("override of a deleted publication survives: %v", got.Related)
	}
	must(t, s.DeletePerson(ctx, f.smith.ID))
	must(t, s.DeleteTopic(ctx, f.alliances.ID))
	wantErr(t, s.DeletePublication(ctx, a.ID), store.ErrNotFound, fmt.Sprint(a.ID))
}

func testListPublications(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	// Dates of every precision, in the order newest first.
	specs := []struct {
		slug, issued string
		typ          model.Type
		person       string
		topic        string
		region       string
		draft        bool
	}{
		{"d-2015-03-03", "2015-03-03", model.TypeReport, "sheila-a-smith", "alliances", "japan", false},
		{"d-2015-03", "2015-03", model.TypeOpEd, "james-m-lindsay", "security", "asia", false},
		{"d-2015", "2015", model.TypeReport, "sheila-a-smith", "economics", "", true},
		{"d-2014-winter", "2014-winter", model.TypeArticleJournal, "imprint-institute", "", "east-asia", false},
		{"d-2014-09-30", "2014-09-30", model.TypeReport, "james-m-lindsay", "alliances", "americas", false},
		{"d-2014-spring", "2014-spring", model.TypePodcast, "sheila-a-smith", "", "", false},
		{"d-2013-range", "2013-09/2013-10", model.TypeArticleJournal, "sheila-a-smith", "security", "japan", false},
		{"d-circa-1952", "~1952", model.TypeChapter, "", "", "", false},
	}
	for _, sp := range specs {
		var people []string
		if sp.person != "" {
			people = append(people, sp.person)
		}
		p := pub(sp.slug, sp.issued, sp.typ, people...)
		if sp.topic != "" {
			p.Topics = []model.Topic{{Slug: sp.topic}}
		}
		if sp.region != "" {
			p.Regions = []model.Region{{Slug: sp.region}}
		}
		if sp.draft {
			p.Status = model.StatusDraft
		}
		must(t, s.CreatePublication(ctx, p))
	}
	slugs := func(q store.PublicationQuery) ([]string, int) {
		t.Helper()
		page, err := s.ListPublications(ctx, q)
		must(t, err)
		var out []string
		for _, p := range page.Items {
			out = append(out, p.Slug)
		}
		return out, page.Total
	}
	all := make([]string, len(specs))
	for i, sp := range specs {
		all[i] = sp.slug
	}
	published := []string{"d-2015-03-03", "d-2015-03", "d-2014-winter", "d-2014-09-30", "d-2014-spring", "d-2013-range", "d-circa-1952"}
	tests := []struct {
		name string
		q    store.PublicationQuery
		want []string
	}{
		{"all newest first", store.PublicationQuery{}, all},
		{"published", store.PublicationQuery{Status: model.StatusPublished}, published},
		{"drafts", store.PublicationQuery{Status: model.StatusDraft}, []string{"d-2015"}},
		{"type", store.PublicationQuery{Type: model.TypeReport}, []string{"d-2015-03-03", "d-2015", "d-2014-09-30"}},
		{"type and status", store.PublicationQuery{Type: model.TypeReport, Status: model.StatusPublished}, []string{"d-2015-03-03", "d-2014-09-30"}},
		{"topic", store.PublicationQuery{TopicID: f.security.ID}, []string{"d-2015-03", "d-2013-range"}},
		{"topic subtree", store.PublicationQuery{TopicID: f.security.ID, Subtree: true}, []string{"d-2015-03-03", "d-2015-03", "d-2014-09-30", "d-2013-range"}},
		{"region subtree", store.PublicationQuery{RegionID: f.asia.ID, Subtree: true}, []string{"d-2015-03-03", "d-2015-03", "d-2014-winter", "d-2013-range"}},
		{"region", store.PublicationQuery{RegionID: f.japan.ID}, []string{"d-2015-03-03", "d-2013-range"}},
		{"expert", store.PublicationQuery{PersonID: f.smith.ID, Status: model.StatusPublished}, []string{"d-2015-03-03", "d-2014-spring", "d-2013-range"}},
		{"topic and region subtrees", store.PublicationQuery{TopicID: f.security.ID, RegionID: f.eastAsia.ID, Subtree: true}, []string{"d-2015-03-03", "d-2013-range"}},
		{"nothing", store.PublicationQuery{PersonID: 9999}, nil},
		{"limit", store.PublicationQuery{Limit: 2}, all[:2]},
		{"offset", store.PublicationQuery{Limit: 3, Offset: 6}, all[6:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total := slugs(tt.q)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ListPublications(%+v)\n got %v\nwant %v", tt.q, got, tt.want)
			}
			if tt.q.Limit == 0 && total != len(tt.want) {
				t.Errorf("Total = %d, want %d", total, len(tt.want))
			}
		})
	}

	// Following cursors visits every item once, even when a newer item is
	// added between pages.
	var seen []string
	q := store.PublicationQuery{Limit: 3}
	for range 10 {
		page, err := s.ListPublications(ctx, q)
		must(t, err)
		if page.Total < len(specs) {
			t.Fatalf("Total = %d", page.Total)
		}
		for _, p := range page.Items {
			seen = append(seen, p.Slug)
		}
		if len(seen) == 3 {
			must(t, s.CreatePublication(ctx, pub("d-2020-new", "2020", model.TypeReport)))
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if !reflect.DeepEqual(seen, all) {
		t.Errorf("pages by cursor\n got %v\nwant %v", seen, all)
	}
	if page, err := s.ListPublications(ctx, store.PublicationQuery{Limit: store.MaxLimit + 10}); err != nil || len(page.Items) != len(specs)+1 {
		t.Errorf("over-long limit: %v items, %v", page, err)
	}

	// A filter most publications pass: a page of a few is found by
	// walking the newest and testing each (see sqlstore's walkLinks), a
	// long one by reading the matches first; both give the same order,
	// by offset and by cursor.
	for i := range 20 {
		p := pub(fmt.Sprintf("econ-%02d", i), fmt.Sprintf("%d", 1990+i), model.TypeReport, "james-m-lindsay")
		p.Topics = []model.Topic{{Slug: "economics"}}
		p.Regions = []model.Region{{Slug: "japan"}}
		must(t, s.CreatePublication(ctx, p))
	}
	for _, q := range []store.PublicationQuery{
		{TopicID: f.economics.ID},
		{TopicID: f.economics.ID, Status: model.StatusPublished, Type: model.TypeReport},
		{RegionID: f.asia.ID, Subtree: true},
		{PersonID: f.lindsay.ID},
		{TopicID: f.economics.ID, RegionID: f.japan.ID, PersonID: f.lindsay.ID},
	} {
		q.Limit = store.MaxLimit
		whole, total := slugs(q)
		if len(whole) < 20 || total != len(whole) {
			t.Fatalf("%+v: %d of %d listed", q, len(whole), total)
		}
		var byOffset, byCursor []string
		for off := range len(whole) + 1 {
			q.Limit, q.Offset, q.Cursor = 1, off, ""
			got, n := slugs(q)
			byOffset = append(byOffset, got...)
			if n != total {
				t.Errorf("%+v: Total %d, want %d", q, n, total)
			}
		}
		q.Limit, q.Offset = 2, 0
		for range len(whole) {
			page, err := s.ListPublications(ctx, q)
			must(t, err)
			for _, p := range page.Items {
				byCursor = append(byCursor, p.Slug)
			}
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
		if !reflect.DeepEqual(byOffset, whole) || !reflect.DeepEqual(byCursor, whole) {
			t.Errorf("%+v:\n whole     %v\n by offset %v\n by cursor %v", q, whole, byOffset, byCursor)
		}
	}

	_, err := s.ListPublications(ctx, store.PublicationQuery{Cursor: "garbage"})
	wantErr(t, err, store.ErrInvalid, "garbage")
}

func testUnreadableDate(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := pub("forthcoming", "forthcoming (2026?)", model.TypeBook)
	if p.Issued.Raw == "" {
		t.Fatal("test date unexpectedly readable")
	}
	must(t, s.CreatePublication(ctx, p))
	must(t, s.CreatePublication(ctx, pub("dated", "1990", model.TypeBook)))
	got, err := s.Publication(ctx, p.ID)
	must(t, err)
	if got.Issued.Raw != "forthcoming (2026?)" || got.Issued.Format() != "forthcoming (2026?)" {
		t.Errorf("raw date read back as %+v", got.Issued)
	}
	page, err := s.ListPublications(ctx, store.PublicationQuery{})
	must(t, err)
	if len(page.Items) != 2 || page.Items[0].Slug != "dated" {
		t.Errorf("an unreadable date sorts after dated items: %v", page.Items)
	}
}

func testRelatedCandidates(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	self := seed() // smith; alliances, security; japan
	self.Contributions = append(self.Contributions, model.Contribution{Person: model.Person{Slug: "james-m-lindsay"}, Role: model.RoleEditor})
	must(t, s.CreatePublication(ctx, self))

	same := pub("same-author", "2020", model.TypeReport, "sheila-a-smith", "sheila-a-smith")
	topic := pub("same-topic", "2019", model.TypeOpEd)
	topic.Topics = []model.Topic{{Slug: "economics"}, {Slug: "alliances"}}
	region := pub("same-region", "2018", model.TypeBook, "imprint-institute")
	region.Regions = []model.Region{{Slug: "japan"}, {Slug: "asia"}}
	unrelated := pub("unrelated", "2021", model.TypeReport, "imprint-institute")
	unrelated.Topics = []model.Topic{{Slug: "economics"}}
	draft := pub("draft-same-author", "2022", model.TypeReport, "sheila-a-smith")
	draft.Status = model.StatusDraft
	for _, p := range []*model.Publication{same, topic, region, unrelated, draft} {
		must(t, s.CreatePublication(ctx, p))
	}
	self.Related = []model.Ref{{Slug: "unrelated"}, {Slug: "draft-same-author"}, {Slug: "same-topic"}}
	must(t, s.UpdatePublication(ctx, self))

	set, err := s.RelatedCandidates(ctx, self.ID)
	must(t, err)
	wantSelf := store.Facets{ID: self.ID, Slug: self.Slug, Type: model.TypeArticleJournal, SortKey: self.Issued.SortKey(),
		Topics: []int64{f.alliances.ID, f.security.ID}, Regions: []int64{f.japan.ID}, People: []int64{f.smith.ID, f.lindsay.ID}}
	if !reflect.DeepEqual(set.Self, wantSelf) {
		t.Errorf("Self\n got %+v\nwant %+v", set.Self, wantSelf)
	}
	if want := []int64{unrelated.ID, topic.ID}; !reflect.DeepEqual(set.Overrides, want) {
		t.Errorf("Overrides = %v, want the published ones in order %v", set.Overrides, want)
	}
	var cands []string
	for _, c := range set.Candidates {
		cands = append(cands, c.Slug)
		if c.Slug == "same-author" && !reflect.DeepEqual(c.People, []int64{f.smith.ID}) {
			t.Errorf("same-author people = %v, want one entry", c.People)
		}
		if c.Slug == "same-region" && (!reflect.DeepEqual(c.Regions, []int64{f.japan.ID}) || c.Topics != nil || c.SortKey != 20180000) {
			t.Errorf("same-region facets = %+v", c)
		}
	}
	if want := []string{"same-author", "same-topic", "same-region"}; !reflect.DeepEqual(cands, want) {
		t.Errorf("Candidates = %v, want %v", cands, want)
	}
	if set.Total != 5 {
		t.Errorf("Total = %d published, want 5", set.Total)
	}
	wantCounts := []struct {
		name string
		got  map[int64]int
		want map[int64]int
	}{
		{"TopicCount", set.TopicCount, map[int64]int{f.alliances.ID: 2, f.security.ID: 1}},
		{"RegionCount", set.RegionCount, map[int64]int{f.japan.ID: 2}},
		{"PersonCount", set.PersonCount, map[int64]int{f.smith.ID: 2, f.lindsay.ID: 1}},
	}
	for _, c := range wantCounts {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	_, err = s.RelatedCandidates(ctx, 9999)
	wantErr(t, err, store.ErrNotFound, "9999")
}

func testConcurrentWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	newFixture(t, s)
	const writers, each = 6, 8
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				p := pub(fmt.Sprintf("w%d-%d", w, i), "2020", model.TypeReport, "sheila-a-smith")
				p.Topics = []model.Topic{{Slug: "security"}}
				if err := s.CreatePublication(ctx, p); err != nil {
					errs <- err
					return
				}
				if _, err := s.ListPublications(ctx, store.PublicationQuery{TopicID: p.Topics[0].ID}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	page, err := s.ListPublications(ctx, store.PublicationQuery{})
	must(t, err)
	if page.Total != writers*each {
		t.Errorf("Total = %d after concurrent writes, want %d", page.Total, writers*each)
	}
}

func testCanceledContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.CreatePerson(ctx, &model.Person{Slug: "x", Family: "X"}); err == nil {
		t.Error("CreatePerson with a canceled context succeeded")
	}
	if _, err := s.ListPublications(ctx, store.PublicationQuery{}); err == nil {
		t.Error("ListPublications with a canceled context succeeded")
	}
	if _, err := s.PersonBySlug(context.Background(), "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a canceled create wrote anyway: %v", err)
	}
}
