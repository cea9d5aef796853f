package search_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// The same suite runs on both engines with the same expectations: that is
// what makes their results equivalent. Only where their analyses of a
// language differ are they told apart (see languages).
func TestSQLite(t *testing.T) {
	runSuite(t, search.SQLite, func(t *testing.T) (*sqlstore.Store, search.Index) {
		s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "imprint.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, search.NewSQLite(s.DB())
	})
}

func TestPostgres(t *testing.T) {
	runSuite(t, search.Postgres, func(t *testing.T) (*sqlstore.Store, search.Index) {
		s, err := postgres.Open(t.Context(), pgtest.SchemaURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, search.NewPostgres(s.DB())
	})
}

type fixture struct {
	st  *sqlstore.Store
	idx search.Index
	ids map[string]int64 // by slug
}

func (f *fixture) slugs(t *testing.T, r *search.Result) []string {
	t.Helper()
	byID := map[int64]string{}
	for slug, id := range f.ids {
		byID[id] = slug
	}
	var out []string
	for _, h := range r.Hits {
		s, ok := byID[h.ID]
		if !ok {
			t.Fatalf("hit %d is no publication of the fixture", h.ID)
		}
		out = append(out, s)
	}
	return out
}

func (f *fixture) search(t *testing.T, q search.Query) *search.Result {
	t.Helper()
	r, err := f.idx.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return r
}

func date(y, m, d int) model.Date {
	return model.Date{Start: model.DatePart{Year: y, Month: m, Day: d}}
}

// load writes a small catalogue in which the word "meridian" sits in a
// different field of each of four publications, dated so that recency
// alone would order them the other way round.
func load(t *testing.T, st *sqlstore.Store) map[string]int64 {
	ctx := t.Context()
	people := []model.Person{
		{Slug: "jane-doe", Given: "Jane", Family: "Doe"},
		{Slug: "ana-meridian", Given: "Ana", Family: "Meridian"},
		{Slug: "li-wei", Given: "Wei", Family: "Li"},
	}
	for i := range people {
		if err := st.CreatePerson(ctx, &people[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, tp := range []model.Topic{{Slug: "economy", Name: "Economy"}, {Slug: "energy", Name: "Energy"}} {
		if err := st.CreateTopic(ctx, &tp); err != nil {
			t.Fatal(err)
		}
	}
	for _, rg := range []model.Region{{Slug: "europe", Name: "Europe"}, {Slug: "asia", Name: "Asia"}} {
		if err := st.CreateRegion(ctx, &rg); err != nil {
			t.Fatal(err)
		}
	}
	by := func(slugs ...string) []model.Contribution {
		var cs []model.Contribution
		for _, s := range slugs {
			cs = append(cs, model.Contribution{Person: model.Person{Slug: s}, Role: model.RoleAuthor})
		}
		return cs
	}
	topics := func(slugs ...string) []model.Topic {
		var out []model.Topic
		for _, s := range slugs {
			out = append(out, model.Topic{Slug: s})
		}
		return out
	}
	regions := func(slugs ...string) []model.Region {
		var out []model.Region
		for _, s := range slugs {
			out = append(out, model.Region{Slug: s})
		}
		return out
	}
	pubs := []model.Publication{
		{Slug: "title-meridian", Type: model.TypeReport, Title: "The Meridian Line", Issued: date(2010, 1, 1),
			Contributions: by("jane-doe"), Topics: topics("economy"), Regions: regions("europe"),
			Summary: "Where trade routes cross.", FullText: "Ports and tariffs."},
		{Slug: "author-meridian", Type: model.TypeReport, Title: "Ports of Call", Issued: date(2012, 1, 1),
			Contributions: by("ana-meridian"), Topics: topics("economy"), Regions: regions("asia"),
			Summary: "Shipping lanes in a changing climate.", FullText: "Harbours and cranes."},
		{Slug: "summary-meridian", Type: model.TypeOpEd, Title: "Lines on a Map", Issued: date(2014, 1, 1),
			Contributions: by("li-wei"), Topics: topics("energy"), Regions: regions("asia"),
			Summary: "A meridian of influence runs through the strait.", FullText: "Tankers and pipelines."},
		{Slug: "body-meridian", Type: model.TypeCommentary, Title: "Notes from the Strait", Issued: date(2016, 1, 1),
			Contributions: by("li-wei", "jane-doe"), Topics: topics("energy", "economy"), Regions: regions("asia"),
			Summary: "Observations on shipping.", FullText: "The prime meridian is a convention. Sanctions & <script>alert(1)</script> tariffs."},
		{Slug: "energy-security", Type: model.TypeReport, Title: "Energy Security for Small States", Issued: date(2021, 6, 1),
			Contributions: by("jane-doe"), Topics: topics("energy"), Regions: regions("europe"),
			Summary: "How sanctions reshaped the gas market.", FullText: "Energy security depends on storage."},
		{Slug: "security-of-energy", Type: model.TypeReport, Title: "The Security of Energy Supplies", Issued: date(2020, 6, 1),
			Contributions: by("li-wei"), Topics: topics("energy"), Regions: regions("europe"),
			Summary: "Supplies, not sanctions.", FullText: "Storage again."},
		{Slug: "twin-old", Type: model.TypeOpEd, Title: "Quarterly Outlook", Issued: date(2018, 3, 1),
			Summary: "Identical text.", Contributions: by("li-wei")},
		{Slug: "twin-new", Type: model.TypeOpEd, Title: "Quarterly Outlook", Issued: date(2019, 3, 1),
			Summary: "Identical text.", Contributions: by("li-wei")},
		{Slug: "draft-meridian", Type: model.TypeReport, Title: "Meridian Draft", Issued: date(2022, 1, 1),
			Status: model.StatusDraft, Summary: "Not yet published: sanctions.", Contributions: by("jane-doe")},
	}
	ids := map[string]int64{}
	for i := range pubs {
		p := &pubs[i]
		if p.Status == "" {
			p.Status = model.StatusPublished
		}
		if err := st.CreatePublication(ctx, p); err != nil {
			t.Fatalf("create %s: %v", p.Slug, err)
		}
		ids[p.Slug] = p.ID
	}
	return ids
}

// runSuite runs the suite on engine (search.SQLite or search.Postgres).
func runSuite(t *testing.T, engine string, open func(t *testing.T) (*sqlstore.Store, search.Index)) {
	t.Run("queries", func(t *testing.T) {
		st, idx := open(t)
		f := &fixture{st: st, idx: idx, ids: load(t, st)}
		tests := []struct {
			name  string
			q     search.Query
			want  []string // in order
			total int
		}{
			{"fields ranked title, contributor, summary, body", search.Query{Text: "meridian"},
				[]string{"title-meridian", "author-meridian", "summary-meridian", "body-meridian"}, 4},
			// Both summaries match: their order is the engine's to choose
			// by length, so only the body match is sure to come last.
			{"case and stemming", search.Query{Text: "SANCTION", Expert: "jane-doe"},
				[]string{"energy-security", "body-meridian"}, 2},
			{"prefix", search.Query{Text: "merid*"},
				[]string{"title-meridian", "author-meridian", "summary-meridian", "body-meridian"}, 4},
			{"a word is not a prefix without the star", search.Query{Text: "merid"}, nil, 0},
			{"phrase keeps word order", search.Query{Text: `"energy security"`},
				[]string{"energy-security"}, 1},
			{"phrase in the other order", search.Query{Text: `"security energy"`}, nil, 0},
			{"phrase of three words", search.Query{Text: `"energy security depends"`}, []string{"energy-security"}, 1},
			{"phrase of three words, one out of place", search.Query{Text: `"security energy depends"`}, nil, 0},
			{"phrase with a stop word", search.Query{Text: `"security of energy"`}, []string{"security-of-energy"}, 1},
			{"phrase and a word", search.Query{Text: `"energy security" storage`}, []string{"energy-security"}, 1},
			// PostgreSQL drops "the" from the query as from the documents.
			{"phrase and a stop word", search.Query{Text: `"energy security" the`}, []string{"energy-security"}, 1},
			{"words without quotes match in any order", search.Query{Text: "security energy", To: 20201231},
				[]string{"security-of-energy"}, 1},
			{"words without quotes match in any order, total", search.Query{Text: "security energy", PerPage: 1, Page: 3}, nil, 2},
			{"all words must match", search.Query{Text: "meridian tankers"}, []string{"summary-meridian"}, 1},
			{"contributor's full name", search.Query{Text: "jane doe", Type: model.TypeCommentary},
				[]string{"body-meridian"}, 1},
			{"contributor's full name, total", search.Query{Text: "jane doe", PerPage: 1, Page: 4}, nil, 3},
			{"recency breaks ties", search.Query{Text: "quarterly outlook"}, []string{"twin-new", "twin-old"}, 2},
			{"type filter", search.Query{Text: "meridian", Type: model.TypeOpEd}, []string{"summary-meridian"}, 1},
			{"topic filter", search.Query{Text: "meridian", Topic: "economy"},
				[]string{"title-meridian", "author-meridian", "body-meridian"}, 3},
			{"region filter", search.Query{Text: "meridian", Region: "asia"},
				[]string{"author-meridian", "summary-meridian", "body-meridian"}, 3},
			{"expert filter", search.Query{Text: "meridian", Expert: "jane-doe"},
				[]string{"title-meridian", "body-meridian"}, 2},
			{"date range", search.Query{Text: "meridian", From: 20110000, To: 20149999},
				[]string{"author-meridian", "summary-meridian"}, 2},
			{"filters without words list newest first", search.Query{Topic: "energy", Region: "europe"},
				[]string{"energy-security", "security-of-energy"}, 2},
			{"second page", search.Query{Text: "meridian", PerPage: 3, Page: 2}, []string{"body-meridian"}, 4},
			{"page past the end", search.Query{Text: "meridian", PerPage: 3, Page: 9}, nil, 4},
			{"unknown filter value", search.Query{Text: "meridian", Topic: "no-such-topic"}, nil, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := f.search(t, tt.q)
				if got := f.slugs(t, r); !slices.Equal(got, tt.want) {
					t.Errorf("hits = %v, want %v", got, tt.want)
				}
				if r.Total != tt.total {
					t.Errorf("Total = %d, want %d", r.Total, tt.total)
				}
			})
		}
	})

	t.Run("languages", func(t *testing.T) { languages(t, engine, open) })

	t.Run("facets", func(t *testing.T) {
		st, idx := open(t)
		f := &fixture{st: st, idx: idx, ids: load(t, st)}
		r := f.search(t, search.Query{Text: "meridian", PerPage: 1})
		got := map[string]string{}
		for name, vs := range map[string][]search.FacetValue{"type": r.Facets.Types, "topic": r.Facets.Topics,
			"region": r.Facets.Regions, "expert": r.Facets.Experts} {
			var parts []string
			for _, v := range vs {
				parts = append(parts, fmt.Sprintf("%s(%s)=%d", v.Value, v.Name, v.Count))
			}
			got[name] = strings.Join(parts, " ")
		}
		want := map[string]string{
			"type":   "report()=2 commentary()=1 op-ed()=1",
			"topic":  "economy(Economy)=3 energy(Energy)=2",
			"region": "asia(Asia)=3 europe(Europe)=1",
			"expert": "jane-doe(Jane Doe)=2 li-wei(Wei Li)=2 ana-meridian(Ana Meridian)=1",
		}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("%s facet = %q, want %q", k, got[k], want[k])
			}
		}
		if len(r.Hits) != 1 || r.Total != 4 || r.Pages() != 4 {
			t.Errorf("one per page: %d hits, Total %d, Pages %d; want 1, 4, 4", len(r.Hits), r.Total, r.Pages())
		}
	})

	t.Run("snippets", func(t *testing.T) {
		st, idx := open(t)
		f := &fixture{st: st, idx: idx, ids: load(t, st)}
		tests := []struct {
			text, slug string
			contains   []string
			lacks      []string
		}{
			{"meridian", "summary-meridian", []string{"A <mark>meridian</mark> of influence"}, nil},
			{"meridian", "body-meridian", []string{"<mark>meridian</mark>", "&amp;"}, []string{"<script>"}},
			{"sanction", "energy-security", []string{"How <mark>sanctions</mark> reshaped"}, nil},
			// A title match shows the summary as it starts, unmarked.
			{"meridian", "title-meridian", []string{"Where trade routes cross."}, []string{"<mark>"}},
		}
		for _, tt := range tests {
			r := f.search(t, search.Query{Text: tt.text})
			var snippet string
			for _, h := range r.Hits {
				if h.ID == f.ids[tt.slug] {
					snippet = string(h.Snippet)
				}
			}
			for _, s := range tt.contains {
				if !strings.Contains(snippet, s) {
					t.Errorf("%q: snippet of %s = %q, lacks %q", tt.text, tt.slug, snippet, s)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(snippet, s) {
					t.Errorf("%q: snippet of %s = %q, has %q", tt.text, tt.slug, snippet, s)
				}
			}
		}
	})

	t.Run("hostile queries", func(t *testing.T) {
		st, idx := open(t)
		f := &fixture{st: st, idx: idx, ids: load(t, st)}
		hostile := []string{
			`'; DROP TABLE publications; --`, `" OR 1=1 --`, `"unbalanced meridian`, `title:meridian`,
			`NEAR(meridian ports)`, `meridian OR ports`, `meridian AND NOT ports`, `*`, `**meridian**`, `^meridian`,
			`-meridian`, `meridian:*`, `'meridian' & !ports | (x <-> y)`, `(((`, `)))`, "\x00meridian\x01", "\uE000meridian\uE001",
			`%_\`, `$1`, `?`, `""`, `"""`, strings.Repeat("meridian ", 2000), strings.Repeat(`"a`, 3000), strings.Repeat("é", 3000),
			`{near/3}`, `meridian*ports`, "日本 防衛",
		}
		for _, text := range hostile {
			if _, err := idx.Search(t.Context(), search.Query{Text: text}); err != nil {
				t.Errorf("Search(%.40q): %v", text, err)
			}
		}
		r := f.search(t, search.Query{Text: `strait:meridian`})
		if got := f.slugs(t, r); !slices.Equal(slices.Sorted(slices.Values(got)), []string{"body-meridian", "summary-meridian"}) {
			t.Errorf("strait:meridian is read as the words strait and meridian, in any field; got %v", got)
		}
		r = f.search(t, search.Query{Text: "meridian"})
		if r.Total != 4 {
			t.Errorf("after hostile queries, meridian finds %d, want 4", r.Total)
		}
	})

	t.Run("index follows writes", func(t *testing.T) {
		st, idx := open(t)
		f := &fixture{st: st, idx: idx, ids: load(t, st)}
		ctx := t.Context()
		count := func(text string) int {
			t.Helper()
			return f.search(t, search.Query{Text: text}).Total
		}
		p, err := st.Publication(ctx, f.ids["twin-old"])
		if err != nil {
			t.Fatal(err)
		}
		p.Title = "Longitude Review"
		p.Contributions = []model.Contribution{{Person: model.Person{Slug: "ana-meridian"}, Role: model.RoleEditor}}
		if err := st.UpdatePublication(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got := count("longitude"); got != 1 {
			t.Errorf("new title: %d hits, want 1", got)
		}
		if got := count("quarterly"); got != 1 {
			t.Errorf("old title: %d hits, want 1 (the twin)", got)
		}
		if got := count("ana"); got != 2 {
			t.Errorf("new contributor: %d hits, want 2", got)
		}
		// The filters follow the publication's type, topics, regions and
		// contributors as they change.
		if p, err = st.Publication(ctx, f.ids["twin-old"]); err != nil {
			t.Fatal(err)
		}
		p.Type = model.TypeOpEd
		p.Topics = []model.Topic{{Slug: "energy"}}
		p.Regions = []model.Region{{Slug: "europe"}}
		if err := st.UpdatePublication(ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			q    search.Query
			want int
		}{
			{search.Query{Text: "longitude", Topic: "energy"}, 1},
			{search.Query{Text: "longitude", Topic: "economy"}, 0},
			{search.Query{Text: "longitude", Region: "europe"}, 1},
			{search.Query{Text: "longitude", Region: "asia"}, 0},
			{search.Query{Text: "longitude", Type: model.TypeOpEd}, 1},
			{search.Query{Text: "longitude", Type: model.TypeReport}, 0},
			{search.Query{Text: "longitude", Expert: "ana-meridian", Topic: "energy", Region: "europe", Type: model.TypeOpEd}, 1},
			{search.Query{Text: "longitude", Expert: "jane-doe"}, 0},
			{search.Query{Text: "longitude", Topic: "no-such-topic"}, 0},
		} {
			if got := f.search(t, tt.q).Total; got != tt.want {
				t.Errorf("after changing filters, %+v: %d hits, want %d", tt.q, got, tt.want)
			}
		}

		person, err := st.PersonBySlug(ctx, "li-wei")
		if err != nil {
			t.Fatal(err)
		}
		person.Family = "Zhangsun"
		if err := st.UpdatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
		if got := count("zhangsun"); got != 4 {
			t.Errorf("renamed contributor: %d hits, want 4", got)
		}
		if got := count("li"); got != 0 {
			t.Errorf("former name: %d hits, want 0", got)
		}

		if err := st.DeletePublication(ctx, f.ids["title-meridian"]); err != nil {
			t.Fatal(err)
		}
		// twin-old now has Ana Meridian as its editor.
		if got := count("meridian"); got != 4 {
			t.Errorf("after a delete: %d hits, want 4", got)
		}
		draft, err := st.Publication(ctx, f.ids["draft-meridian"])
		if err != nil {
			t.Fatal(err)
		}
		draft.Status = model.StatusPublished
		if err := st.UpdatePublication(ctx, draft); err != nil {
			t.Fatal(err)
		}
		if got := count("meridian"); got != 5 {
			t.Errorf("after publishing a draft: %d hits, want 5", got)
		}

		before := f.slugs(t, f.search(t, search.Query{Text: "meridian"}))
		if err := idx.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		if after := f.slugs(t, f.search(t, search.Query{Text: "meridian"})); !slices.Equal(before, after) {
			t.Errorf("after Rebuild: %v, before %v", after, before)
		}
	})

	t.Run("window and cap", func(t *testing.T) {
		st, idx := open(t)
		f := &fixture{st: st, idx: idx, ids: load(t, st)}
		// Twelve publications with the word, added oldest first but
		// dated so that the order added and the dates disagree; with a
		// window of 5 and totals counted to 8, a search for it ranks the
		// five added last and says "8+".
		for i := range 12 {
			p := &model.Publication{Slug: fmt.Sprintf("helio-%d", i), Type: model.TypeReport,
				Title: "Heliotrope", Issued: date(2000+(i*7)%12, 1, 1), Status: model.StatusPublished,
				Topics: []model.Topic{{Slug: []string{"economy", "energy"}[i%2]}}}
			if i%4 == 0 {
				p.Title, p.Summary, p.Type = "Annual review", "Heliotrope season.", model.TypeOpEd
			}
			if err := st.CreatePublication(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			f.ids[p.Slug] = p.ID
		}
		defer search.SetLimits(5, 8)()

		r := f.search(t, search.Query{Text: "heliotrope", PerPage: 2})
		if r.Total != 8 || !r.TotalCapped || r.TotalText() != "8+" || r.Ranked != 5 || r.Pages() != 3 || !r.Windowed() {
			t.Errorf("Total %d (%q, capped %v), Ranked %d, Pages %d; want 8+, 5 ranked, 3 pages",
				r.Total, r.TotalText(), r.TotalCapped, r.Ranked, r.Pages())
		}
		// The window is the five added last (helio-7 … helio-11); titles
		// first, newest first by date (2010, 2005, 2003, 2001), then
		// helio-8 (2008), an annual review whose summary matches. The
		// newer helio-0 … helio-6 are past the window.
		var got []string
		for page := 1; page <= 4; page++ {
			got = append(got, f.slugs(t, f.search(t, search.Query{Text: "heliotrope", PerPage: 2, Page: page}))...)
		}
		want := []string{"helio-10", "helio-11", "helio-9", "helio-7", "helio-8"}
		if !slices.Equal(got, want) {
			t.Errorf("pages 1-4 list %v, want %v", got, want)
		}
		n := 0
		for _, v := range r.Facets.Types {
			n += v.Count
		}
		if n != 5 || len(r.Facets.Topics) != 2 || r.Facets.Topics[0].Count+r.Facets.Topics[1].Count != 5 {
			t.Errorf("facets count %d types and topics %v, want the 5 ranked", n, r.Facets.Topics)
		}

		// Narrowed to fewer than the window, everything is exact again.
		r = f.search(t, search.Query{Text: "heliotrope", Type: model.TypeOpEd})
		if got := f.slugs(t, r); r.Total != 3 || r.TotalCapped || r.Ranked != 3 || r.Windowed() ||
			!slices.Equal(got, []string{"helio-8", "helio-4", "helio-0"}) {
			t.Errorf("op-eds: %v, Total %d, Ranked %d; want helio-8, -4, -0 exactly", got, r.Total, r.Ranked)
		}
		// Past EstimateAbove, an engine that can estimate gives its
		// estimate rather than count: PostgreSQL's planner, from the
		// statistics ANALYZE gathers. SQLite counts.
		if _, err := st.DB().ExecContext(t.Context(), "ANALYZE"); err != nil {
			t.Fatal(err)
		}
		restore := search.SetEstimateAbove(3)
		r = f.search(t, search.Query{Text: "heliotrope", PerPage: 2})
		restore()
		if engine == search.Postgres {
			if !r.TotalEstimated || r.TotalCapped || r.Total <= 5 || r.Ranked != 5 || r.Pages() != 3 {
				t.Errorf("estimated: Total %d (estimated %v, capped %v), Ranked %d, Pages %d; want an estimate above the window of 5",
					r.Total, r.TotalEstimated, r.TotalCapped, r.Ranked, r.Pages())
			}
		} else if r.TotalEstimated || r.Total != 8 || !r.TotalCapped {
			t.Errorf("SQLite: Total %d (estimated %v, capped %v), want 8+ counted", r.Total, r.TotalEstimated, r.TotalCapped)
		}
		// Fewer matches than the window are exact whatever the estimate.
		restore = search.SetEstimateAbove(0)
		r = f.search(t, search.Query{Text: "heliotrope", Type: model.TypeOpEd})
		restore()
		if r.Total != 3 || r.TotalEstimated {
			t.Errorf("op-eds with estimates on: Total %d, estimated %v; want 3 exactly", r.Total, r.TotalEstimated)
		}

		// Without words, the window is the newest by date.
		r = f.search(t, search.Query{Topic: "energy", PerPage: 10})
		if r.Total != 8 || !r.TotalCapped || r.Ranked != 5 || len(r.Hits) != 5 {
			t.Errorf("energy: Total %d, Ranked %d, %d hits; want 8+, 5, 5", r.Total, r.Ranked, len(r.Hits))
		}
		if got := f.slugs(t, r); len(got) > 0 && got[0] != "energy-security" {
			t.Errorf("energy lists %v first, want the newest, energy-security", got)
		}
	})

	t.Run("failed write leaves the index alone", func(t *testing.T) {
		st, idx := open(t)
		f := &fixture{st: st, idx: idx, ids: load(t, st)}
		ctx := t.Context()
		err := st.WithTx(ctx, func(tx store.Store) error {
			p := &model.Publication{Slug: "rolled-back", Type: model.TypeReport, Title: "Heliotrope", Status: model.StatusPublished}
			if err := tx.CreatePublication(ctx, p); err != nil {
				return err
			}
			return context.Canceled
		})
		if err == nil {
			t.Fatal("WithTx returned no error")
		}
		if got := f.search(t, search.Query{Text: "heliotrope"}).Total; got != 0 {
			t.Errorf("a rolled-back publication is found %d times", got)
		}
	})
}

// languages searches a catalogue in three languages, each of which
// PostgreSQL analyses with its own configuration (English, French, and
// 'simple' for Japanese, which neither stems nor drops stop words): a
// publication matches when it has the query's words as its own language's
// analysis has them, whatever the other languages make of them. SQLite
// stems every language as English and keeps stop words, so where the two
// differ its expectation is given apart.
func languages(t *testing.T, engine string, open func(t *testing.T) (*sqlstore.Store, search.Index)) {
	st, idx := open(t)
	ctx := t.Context()
	f := &fixture{st: st, idx: idx, ids: map[string]int64{}}
	for _, p := range []model.Publication{
		{Slug: "en-energy", Language: "en", Title: "Energy Policy and the Bank of Japan",
			Summary: "Central bank independence runs deep.", FullText: "Reform of the energy policy."},
		{Slug: "en-banque", Language: "en", Title: "Notes on the Banque de France",
			Summary: "A polite reply to the bank for Japan."},
		{Slug: "en-du", Language: "en", Title: "Banque du France", Summary: "Energy and policy."},
		{Slug: "fr-politique", Language: "fr", Title: "La politique énergétique de la Banque de France",
			Summary: "Le run sur la banque centrale.", FullText: "Une réforme de la politique énergétique."},
		{Slug: "fr-du", Language: "fr-FR", Type: model.TypeOpEd, Title: "Une banque du France",
			Summary: "Energy policy, bank of Japan."},
		{Slug: "ja-energy", Language: "ja", Issued: date(2020, 1, 1), Title: "日本のエネルギー政策",
			Summary: "Energy policies of the bank of Japan, running late."},
	} {
		if p.Type == "" {
			p.Type = model.TypeReport
		}
		p.Status = model.StatusPublished
		if err := st.CreatePublication(ctx, &p); err != nil {
			t.Fatalf("create %s: %v", p.Slug, err)
		}
		f.ids[p.Slug] = p.ID
	}
	tests := []struct {
		name   string
		q      search.Query
		want   []string // sorted
		sqlite []string // when SQLite's analysis finds others; nil: want
	}{
		// English "running" is "run", which the French publication has;
		// in French and in 'simple' it stays "running".
		{"an English stem does not match French", search.Query{Text: "running"},
			[]string{"en-energy", "ja-energy"}, []string{"en-energy", "fr-politique", "ja-energy"}},
		// French "politiques" is "polit", as English "polite" is.
		{"a French stem does not match English", search.Query{Text: "politiques"}, []string{"fr-politique"}, nil},
		{"phrase of two words, stemmed in each language", search.Query{Text: `"energy policy"`},
			[]string{"en-energy", "fr-du"}, []string{"en-energy", "fr-du", "ja-energy"}},
		// French keeps "policy" whole, and "policies" is "polic".
		{"phrase of two words, a plural", search.Query{Text: `"energy policies"`},
			[]string{"en-energy", "ja-energy"}, []string{"en-energy", "fr-du", "ja-energy"}},
		// "of" is an English stop word, which holds a place ("bank for
		// Japan"); French and 'simple' keep it as a word.
		{"phrase of three words with an English stop word", search.Query{Text: `"bank of japan"`},
			[]string{"en-banque", "en-energy", "fr-du", "ja-energy"}, []string{"en-energy", "fr-du", "ja-energy"}},
		// The other way round: "de" is a French stop word ("banque du
		// France"), and a word in English.
		{"phrase of three words with a French stop word", search.Query{Text: `"banque de france"`},
			[]string{"en-banque", "fr-du", "fr-politique"}, []string{"en-banque", "fr-politique"}},
		// One word in English, two in French and 'simple'.
		{"phrase that is one word in English", search.Query{Text: `"the energy"`}, []string{"en-du", "en-energy"}, []string{"en-energy"}},
		{"stop word alone", search.Query{Text: "the"}, []string{"ja-energy"}, []string{"en-banque", "en-energy", "ja-energy"}},
		{"phrase and a stop word", search.Query{Text: `"energy policy" the`}, []string{"en-energy"}, []string{"en-energy", "ja-energy"}},
		{"phrase and an English word", search.Query{Text: `"energy policy" reform`}, []string{"en-energy"}, nil},
		{"phrase and a French word", search.Query{Text: `"politique énergétique" réforme`}, []string{"fr-politique"}, nil},
		{"prefix in every language", search.Query{Text: "polic*"}, []string{"en-du", "en-energy", "fr-du", "ja-energy"}, nil},
		// PostgreSQL's French keeps accents; SQLite removes them.
		{"prefix with an accent", search.Query{Text: "énerg*"},
			[]string{"fr-politique"}, []string{"en-du", "en-energy", "fr-du", "fr-politique", "ja-energy"}},
		// Only 'simple' keeps "running" whole.
		{"prefix of an unstemmed word", search.Query{Text: "runn*"}, []string{"ja-energy"}, []string{}},
		{"phrase and a type", search.Query{Text: `"bank of japan"`, Type: model.TypeOpEd}, []string{"fr-du"}, nil},
		{"prefix and a date", search.Query{Text: "polic*", From: 20150000}, []string{"ja-energy"}, nil},
		{"prefix in a phrase", search.Query{Text: `"bank of jap"*`},
			[]string{"en-banque", "en-energy", "fr-du", "ja-energy"}, []string{"en-energy", "fr-du", "ja-energy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if engine == search.SQLite && tt.sqlite != nil {
				want = tt.sqlite
			}
			r := f.search(t, tt.q)
			got := slices.Sorted(slices.Values(f.slugs(t, r)))
			if !slices.Equal(got, want) {
				t.Errorf("%+v: hits = %v, want %v", tt.q, got, want)
			}
			if r.Total != len(want) {
				t.Errorf("%+v: Total = %d, want %d", tt.q, r.Total, len(want))
			}
			for _, h := range r.Hits {
				if h.Score <= 0 {
					t.Errorf("%+v: hit %d scores %v: not ranked by its own language's analysis", tt.q, h.ID, h.Score)
				}
			}
			if engine == search.Postgres && !tt.q.Filtered() {
				if ref := ownAnalysis(t, f, tt.q.Text); !slices.Equal(ref, want) {
					t.Errorf("%q: each publication's own configuration finds %v, want %v", tt.q.Text, ref, want)
				}
			}
		})
	}
}

// ownAnalysis is the reference of the PostgreSQL index: the publications
// whose document has the query as its own configuration analyses it, one
// row at a time, sorted by slug.
func ownAnalysis(t *testing.T, f *fixture, text string) []string {
	t.Helper()
	rows, err := f.st.DB().QueryContext(t.Context(), `SELECT p.slug FROM publication_search s
		JOIN publications p ON p.id = s.publication_id
		WHERE s.document @@ to_tsquery(s.search_config, $1) ORDER BY p.slug`, search.TSQuery(text))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			t.Fatal(err)
		}
		out = append(out, slug)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
