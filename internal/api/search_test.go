package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
)

type searchPage struct {
	Query      string
	Understood string
	Total      int
	Capped     bool `json:"total_capped"`
	Ranked     int
	Page       int
	Pages      int
	Data       []struct {
		Slug         string
		Type         string
		Title        string
		Score        float64
		SnippetHTML  string `json:"snippet_html"`
		Contributors []struct{ Slug string }
	}
	Facets struct {
		Types, Topics, Regions, Experts []facetValue
	}
	Links struct{ Self, Prev, Next string }
}

func TestSearch(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			var res searchPage
			f.getJSON("/api/v1/search?q=%22north+korea%22", &res)
			if res.Understood != `"north korea"` || res.Total == 0 || len(res.Data) == 0 {
				t.Fatalf("phrase search: %+v", res)
			}
			if res.Capped || res.Ranked != res.Total {
				t.Errorf("a small result: total %d (capped %v), ranked %d; want every match ranked", res.Total, res.Capped, res.Ranked)
			}
			slugs := make([]string, len(res.Data))
			for i, d := range res.Data {
				slugs[i] = d.Slug
				if d.Slug == draftSlug {
					t.Errorf("the draft is found")
				}
			}
			if !slices.Contains(slugs, demo.SeedSlug) {
				t.Errorf("the seed publication, titled North Korea…, is not found: %v", slugs)
			}
			if res.Data[0].Score <= 0 {
				t.Errorf("first hit has score %v", res.Data[0].Score)
			}

			f.getJSON("/api/v1/search?q=japan&type=report&expert=sheila-a-smith", &res)
			if res.Total == 0 {
				t.Fatal("no report by Sheila Smith mentions Japan")
			}
			for _, d := range res.Data {
				if d.Type != "report" || !slices.Contains(d.Contributors, struct{ Slug string }{"sheila-a-smith"}) {
					t.Errorf("%s (%s) does not fit the filters", d.Slug, d.Type)
				}
			}
			if len(res.Facets.Types) != 1 || res.Facets.Types[0] != (facetValue{"report", "Report", res.Total}) {
				t.Errorf("type facet %+v with %d matches", res.Facets.Types, res.Total)
			}

			// Pages without words list every published publication once.
			want := map[string]bool{}
			for _, p := range f.published() {
				want[p.Slug] = true
			}
			seen := map[string]bool{}
			path := "/api/v1/search?limit=4"
			for n := 0; path != ""; n++ {
				if n > 50 {
					t.Fatal("the pages do not end")
				}
				var page searchPage
				f.getJSON(path, &page)
				if page.Total != len(want) || (n > 0) != (page.Links.Prev != "") {
					t.Errorf("page %d: total %d, prev %q", page.Page, page.Total, page.Links.Prev)
				}
				for _, d := range page.Data {
					if seen[d.Slug] || !want[d.Slug] {
						t.Errorf("page %d: %s listed twice or not published", page.Page, d.Slug)
					}
					seen[d.Slug] = true
				}
				path = strings.TrimPrefix(page.Links.Next, baseURL)
			}
			if len(seen) != len(want) {
				t.Errorf("%d publications over the pages, want %d", len(seen), len(want))
			}

			// Hostile text is searched or refused, never a failure.
			for _, q := range []string{`"`, `*`, `AND OR NOT`, `'; DROP TABLE publications; --`, `NEAR(a b)`, strings.Repeat("japan ", 2000)} {
				rec := f.get("/api/v1/search?q=" + url.QueryEscape(q))
				if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
					t.Errorf("q=%.40q: status %d %s", q, rec.Code, rec.Body)
				}
			}
		})
	}
}

func TestSearchWithoutIndex(t *testing.T) {
	f := newFixture(t, "sqlite")
	h, err := New(f.store, Config{})
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	rec := f.get("/api/v1/search?q=japan")
	var e apiError
	if rec.Code != http.StatusNotImplemented || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code != "not_implemented" {
		t.Errorf("search without an index: %d %s", rec.Code, rec.Body)
	}
}
