package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

// The same edits made through the store on SQLite and on PostgreSQL must
// read back the same: every list, page, cursor, tree and related set. The
// suite checks each backend against expectations written by hand; this
// checks them against each other on a catalogue too large to write out,
// with ties in dates, unreadable dates, drafts, names outside ASCII and
// nested topics and regions.
func TestSameResultsAsSQLite(t *testing.T) {
	ctx := t.Context()
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := open(t)

	stores := []store.Store{lite, pg}
	for _, s := range stores {
		if err := buildCatalogue(ctx, s); err != nil {
			t.Fatal(err)
		}
	}

	// compare calls read on both stores and reports where they differ.
	compare := func(what string, read func(s store.Store) (any, error)) {
		t.Helper()
		var got [2]any
		for i, s := range stores {
			v, err := read(s)
			switch {
			case errors.Is(err, store.ErrNotFound):
				got[i] = "not found"
			case err != nil:
				t.Fatalf("%s on %T: %v", what, s, err)
			default:
				got[i] = scrubTimes(v)
			}
		}
		if !reflect.DeepEqual(got[0], got[1]) {
			t.Errorf("%s differs\nSQLite:     %+v\nPostgreSQL: %+v", what, got[0], got[1])
		}
	}

	compare("ListPeople", func(s store.Store) (any, error) { return s.ListPeople(ctx, store.PeopleQuery{}) })
	compare("ListPeople page", func(s store.Store) (any, error) {
		return s.ListPeople(ctx, store.PeopleQuery{Limit: 5, Offset: 3})
	})
	compare("ListTopics", func(s store.Store) (any, error) { return s.ListTopics(ctx) })
	compare("ListRegions", func(s store.Store) (any, error) { return s.ListRegions(ctx) })

	queries := []store.PublicationQuery{{}, {Status: model.StatusPublished}, {Status: model.StatusDraft}, {Limit: 7, Offset: 30}}
	for _, typ := range catalogueTypes {
		queries = append(queries, store.PublicationQuery{Type: typ, Status: model.StatusPublished})
	}
	for id := int64(1); id <= 9; id++ {
		queries = append(queries,
			store.PublicationQuery{TopicID: id}, store.PublicationQuery{TopicID: id, Subtree: true},
			store.PublicationQuery{RegionID: id, Subtree: true}, store.PublicationQuery{PersonID: id, Status: model.StatusPublished},
			store.PublicationQuery{TopicID: id, RegionID: 10 - id, Subtree: true})
	}
	for _, q := range queries {
		compare(fmt.Sprintf("ListPublications %+v", q), func(s store.Store) (any, error) { return s.ListPublications(ctx, q) })
	}

	// Every page of the newest-first list, followed by cursor.
	compare("pages by cursor", func(s store.Store) (any, error) {
		var slugs []string
		q := store.PublicationQuery{Status: model.StatusPublished, Limit: 9}
		for range 100 {
			page, err := s.ListPublications(ctx, q)
			if err != nil {
				return nil, err
			}
			for _, p := range page.Items {
				slugs = append(slugs, p.Slug)
			}
			if page.NextCursor == "" {
				return slugs, nil
			}
			q.Cursor = page.NextCursor
		}
		return nil, fmt.Errorf("more than 100 pages")
	})

	for id := int64(1); id <= catalogueSize; id++ {
		compare(fmt.Sprintf("Publication %d", id), func(s store.Store) (any, error) { return s.Publication(ctx, id) })
		compare(fmt.Sprintf("RelatedCandidates %d", id), func(s store.Store) (any, error) { return s.RelatedCandidates(ctx, id) })
	}
	compare("PublicationsByID", func(s store.Store) (any, error) {
		return s.PublicationsByID(ctx, []int64{17, 3, 999, 3, 42, 1})
	})
}

const catalogueSize = 160

var catalogueTypes = []model.Type{model.TypeReport, model.TypeArticleJournal, model.TypeOpEd, model.TypeBook}

// buildCatalogue writes the same catalogue into s each time: IDs, being
// handed out in order on an empty database, come out the same too.
func buildCatalogue(ctx context.Context, s store.Store) error {
	r := rand.New(rand.NewPCG(7, 11))
	// Names whose order differs between byte order and a language's
	// collation: accents, case, particles, empty family names.
	names := [][2]string{{"Ada", "Zhang"}, {"Émile", "Durkheim"}, {"Ana", "de la Cruz"}, {"Ola", "Ångström"},
		{"Bo", "van Dijk"}, {"Ann", "Abbott"}, {"ann", "abbott"}, {"Zoë", "Ødegaard"}, {"Li", "Wei"}, {"", ""}}
	var people []string
	for i, n := range names {
		p := model.Person{Slug: fmt.Sprintf("person-%d", i), Given: n[0], Family: n[1]}
		if n[1] == "" {
			p.Literal = "Institute of Ökonomie"
		}
		if err := s.CreatePerson(ctx, &p); err != nil {
			return err
		}
		people = append(people, p.Slug)
	}
	// Two three-level trees, siblings named so that byte order and
	// insertion order disagree.
	var topics, regions []string
	for i, name := range []string{"Security", "economy", "Économie", "Alliances", "arms", "Trade", "Z", "a", "Ä"} {
		tp := model.Topic{Slug: fmt.Sprintf("topic-%d", i), Name: name}
		rg := model.Region{Slug: fmt.Sprintf("region-%d", i), Name: name}
		if i >= 3 {
			tp.ParentID, rg.ParentID = int64(1+(i-3)%3), int64(1+(i-3)/2)
		}
		if err := s.CreateTopic(ctx, &tp); err != nil {
			return err
		}
		if err := s.CreateRegion(ctx, &rg); err != nil {
			return err
		}
		topics, regions = append(topics, tp.Slug), append(regions, rg.Slug)
	}
	pick := func(from []string, most int) []string {
		var out []string
		for range r.IntN(most + 1) {
			v := from[r.IntN(len(from))]
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	for i := range catalogueSize {
		p := &model.Publication{Slug: fmt.Sprintf("pub-%03d", i), Type: catalogueTypes[r.IntN(len(catalogueTypes))],
			Title: fmt.Sprintf("Publication %d", i), Status: model.StatusPublished}
		// Few distinct dates, so that many tie and the ID decides.
		switch r.IntN(6) {
		case 0:
			p.Issued = model.Date{Raw: "forthcoming"}
		case 1:
			p.Issued = model.Date{Start: model.DatePart{Year: 2010 + r.IntN(3)}}
		default:
			p.Issued = model.Date{Start: model.DatePart{Year: 2010 + r.IntN(3), Month: 1 + r.IntN(2)}}
		}
		if r.IntN(5) == 0 {
			p.Status = model.StatusDraft
		}
		for j, slug := range pick(people, 3) {
			role := model.RoleAuthor
			if j == 2 {
				role = model.RoleEditor
			}
			p.Contributions = append(p.Contributions, model.Contribution{Person: model.Person{Slug: slug}, Role: role})
		}
		for _, slug := range pick(topics, 3) {
			p.Topics = append(p.Topics, model.Topic{Slug: slug})
		}
		for _, slug := range pick(regions, 2) {
			p.Regions = append(p.Regions, model.Region{Slug: slug})
		}
		if i > 10 && r.IntN(4) == 0 {
			p.Related = []model.Ref{{Slug: fmt.Sprintf("pub-%03d", r.IntN(i))}, {Slug: fmt.Sprintf("pub-%03d", r.IntN(i))}}
		}
		if err := s.CreatePublication(ctx, p); err != nil {
			return err
		}
	}
	// Edits after the fact: an update that drops and adds links, and a
	// delete that removes overrides pointing at it.
	p, err := s.PublicationBySlug(ctx, "pub-020")
	if err != nil {
		return err
	}
	p.Topics = append(p.Topics[:0], model.Topic{Slug: "topic-8"})
	p.Status = model.StatusPublished
	if err := s.UpdatePublication(ctx, p); err != nil {
		return err
	}
	p, err = s.PublicationBySlug(ctx, "pub-005")
	if err != nil {
		return err
	}
	return s.DeletePublication(ctx, p.ID)
}

// scrubTimes zeroes the timestamps in v, which record when each store was
// written, not what was written.
func scrubTimes(v any) any {
	zero := func(p *model.Publication) {
		p.CreatedAt, p.UpdatedAt, p.PublishedAt = time.Time{}, time.Time{}, time.Time{}
		for i := range p.Contributions {
			p.Contributions[i].Person.CreatedAt, p.Contributions[i].Person.UpdatedAt = time.Time{}, time.Time{}
		}
	}
	switch v := v.(type) {
	case []model.Person:
		for i := range v {
			v[i].CreatedAt, v[i].UpdatedAt = time.Time{}, time.Time{}
		}
	case *model.Publication:
		zero(v)
	case []model.Publication:
		for i := range v {
			zero(&v[i])
		}
	case *store.PublicationPage:
		for i := range v.Items {
			zero(&v.Items[i])
		}
	}
	return v
}
