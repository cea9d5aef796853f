package demo

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

// seedCSL is the CSL-JSON view the seed publication must have, "id" aside.
const seedCSL = `{"type": "article-journal", "title": "North Korea in Japan’s Strategic Thinking",
 "author": [{"family": "Smith", "given": "Sheila A."}], "container-title": "ASAN Forum",
 "volume": "1", "issue": "2", "issued": {"date-parts": [[2013, 9], [2013, 10]]},
 "URL": "http://www.theasanforum.org/north-korea-in-japans-strategic-thinking/"}`

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// backends opens each backend the demo must load into.
var backends = []struct {
	name string
	open func(t *testing.T) store.Store
}{
	{"sqlite", openStore},
	{"postgres", func(t *testing.T) store.Store {
		st, err := postgres.Open(t.Context(), pgtest.SchemaURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
}

func TestLoadIsIdempotent(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testLoadIsIdempotent(t, b.open(t)) })
	}
}

func testLoadIsIdempotent(t *testing.T, st store.Store) {
	c, err := parseContent(contentJSON)
	if err != nil {
		t.Fatal(err)
	}
	first, err := Load(t.Context(), st)
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{People: len(c.People), Topics: len(c.Topics), Regions: len(c.Regions), Publications: len(c.Publications)}
	created := first.Created
	first.Created = nil
	if !reflect.DeepEqual(first, want) {
		t.Errorf("first load created %+v, want %+v", first, want)
	}
	if len(created) != len(c.Publications) {
		t.Errorf("first load reported %d publications created by ID, want %d", len(created), len(c.Publications))
	}
	for _, id := range created {
		if _, err := st.Publication(t.Context(), id); err != nil {
			t.Errorf("created publication %d: %v", id, err)
		}
	}

	// An editor's change survives a second load.
	p, err := st.PublicationBySlug(t.Context(), "intimate-rivals")
	if err != nil {
		t.Fatal(err)
	}
	p.Summary = "Edited by hand."
	if err := st.UpdatePublication(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	second, err := Load(t.Context(), st)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(second, Stats{}) {
		t.Errorf("second load created %+v, want nothing", second)
	}
	page, err := st.ListPublications(t.Context(), store.PublicationQuery{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != len(c.Publications) {
		t.Errorf("store holds %d publications after two loads, want %d", page.Total, len(c.Publications))
	}
	p, err = st.PublicationBySlug(t.Context(), "intimate-rivals")
	if err != nil {
		t.Fatal(err)
	}
	if p.Summary != "Edited by hand." {
		t.Error("a second load overwrote an edited publication")
	}
}

func TestSeedPublication(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSeedPublication(t, b.open(t)) })
	}
}

func testSeedPublication(t *testing.T, st store.Store) {
	if _, err := Load(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	p, err := st.PublicationBySlug(t.Context(), SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsPublished() {
		t.Error("seed publication is not published")
	}
	got, err := json.Marshal(p.CSL())
	if err != nil {
		t.Fatal(err)
	}
	var gotMap, wantMap map[string]any
	if err := json.Unmarshal(got, &gotMap); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(seedCSL), &wantMap); err != nil {
		t.Fatal(err)
	}
	delete(gotMap, "id")
	if !reflect.DeepEqual(gotMap, wantMap) {
		t.Errorf("seed CSL-JSON\n got %s\nwant %s", got, seedCSL)
	}
	if got := p.Issued.Format(); got != "September–October 2013" {
		t.Errorf("seed date shows as %q", got)
	}
	if got := p.Venue.Line(); got != "ASAN Forum, Vol. 1, No. 2" {
		t.Errorf("seed venue shows as %q", got)
	}
	if len(p.Contributions) != 1 || p.Contributions[0].Person.RoleLine != "Senior Fellow for Japan Studies" {
		t.Errorf("seed byline %+v", p.Contributions)
	}
	var related []string
	for _, r := range p.Related {
		related = append(related, r.Slug)
	}
	if !reflect.DeepEqual(related, []string{"us-japan-relations-podcast", "intimate-rivals"}) {
		t.Errorf("seed hand-picked related %v", related)
	}

	pod, err := st.PublicationBySlug(t.Context(), "us-japan-relations-podcast")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range pod.Contributions {
		names = append(names, c.Person.DisplayName())
	}
	if !reflect.DeepEqual(names, []string{"James M. Lindsay", "Robert McMahon", "Sheila A. Smith"}) || pod.Type != model.TypePodcast {
		t.Errorf("podcast %q with %v", pod.Type, names)
	}
	book, err := st.PublicationBySlug(t.Context(), "intimate-rivals")
	if err != nil {
		t.Fatal(err)
	}
	if book.FullTitle() != "Intimate Rivals: Japanese Domestic Politics and a Rising China" ||
		book.Venue.Publisher != "Columbia University Press" || book.Issued.Format() != "2015" {
		t.Errorf("book %q, %q, %q", book.FullTitle(), book.Venue.Publisher, book.Issued.Format())
	}
}
