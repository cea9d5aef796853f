package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// eachSearchBackend runs test on the demo content in SQLite and in
// PostgreSQL, each with its own search index.
func eachSearchBackend(t *testing.T, test func(t *testing.T, h http.Handler)) {
	for _, b := range []struct {
		name, engine string
		open         func(t *testing.T) Store
	}{{"sqlite", search.SQLite, newSQLiteDemo}, {"postgres", search.Postgres, newPostgresDemo}} {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			idx, err := search.Open(st.(*sqlstore.Store).DB(), b.engine)
			if err != nil {
				t.Fatal(err)
			}
			h, err := New(Config{Store: st, Search: idx, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			test(t, h)
		})
	}
}

func TestSearchPage(t *testing.T) {
	eachSearchBackend(t, func(t *testing.T, h http.Handler) {
		doc := getPage(t, h, "/search", http.StatusOK)
		queryOne(t, doc, `form.search-form input[name="q"]`)
		if n := len(queryAll(t, doc, "ol.search-hits")); n != 0 {
			t.Errorf("the empty form lists %d result lists", n)
		}
		queryOne(t, doc, `header form.site-search input[name="q"]`)

		doc = getPage(t, h, "/search?q=sanctions", http.StatusOK)
		heading := textOf(queryOne(t, doc, "#results-heading"))
		total, err := strconv.Atoi(strings.Fields(heading)[0])
		if err != nil || total < 1 {
			t.Fatalf("results heading %q", heading)
		}
		var slugs []string
		for _, a := range queryAll(t, doc, "ol.search-hits h3 a") {
			href, _ := attr(a, "href")
			slugs = append(slugs, href)
		}
		if len(slugs) == 0 || slugs[0] != "/publications/sanctions-and-north-korean-trade" {
			t.Errorf("first result %v, want the publication with sanctions in its title", slugs)
		}
		marked := 0
		for _, m := range queryAll(t, doc, "ol.search-hits p.snippet mark") {
			if w := strings.ToLower(textOf(m)); !strings.HasPrefix(w, "sanction") {
				t.Errorf("snippet marks %q", w)
			}
			marked++
		}
		if marked == 0 {
			t.Error("no snippet marks a match")
		}
		if v, _ := attr(queryOne(t, doc, "#search-q"), "value"); v != "sanctions" {
			t.Errorf("the form shows %q, not the words searched", v)
		}

		// Each type facet links to a search narrowed to that type, which
		// finds as many publications as the facet counted.
		facets := queryAll(t, doc, "aside.search-facets li a")
		if len(facets) == 0 {
			t.Fatal("no facet links")
		}
		checked := 0
		for _, a := range facets {
			href, _ := attr(a, "href")
			u, err := url.Parse(href)
			if err != nil || u.Path != "/search" || u.Query().Get("q") != "sanctions" {
				t.Fatalf("facet link %q", href)
			}
			if u.Query().Get("type") == "" {
				continue
			}
			count, _ := strconv.Atoi(textOf(a.NextSibling.NextSibling))
			narrowed := getPage(t, h, href, http.StatusOK)
			want := "1 result"
			if count != 1 {
				want = strconv.Itoa(count) + " results"
			}
			if got := textOf(queryOne(t, narrowed, "#results-heading")); got != want {
				t.Errorf("%s: %q, facet counted %d", href, got, count)
			}
			queryOne(t, narrowed, `ul.search-active a`)
			checked++
		}
		if checked == 0 {
			t.Error("no type facet")
		}

		doc = getPage(t, h, "/search?q=zzzunfindable", http.StatusOK)
		if got := textOf(queryOne(t, doc, "#results-heading")); got != "No results" {
			t.Errorf("unmatched: %q", got)
		}
	})
}

func TestSearchPageHostile(t *testing.T) {
	eachSearchBackend(t, func(t *testing.T, h http.Handler) {
		for _, q := range []string{`<script>alert(1)</script>`, `'; DROP TABLE publications; --`, `"`, `*`, `a OR b NOT c`,
			`title:x NEAR(y z)`, strings.Repeat("korea ", 500), "\x00", `%`, `korea*"`} {
			target := "/search?" + url.Values{"q": {q}, "page": {"3"}}.Encode()
			doc := getPage(t, h, target, http.StatusOK)
			for _, s := range queryAll(t, doc, "script") {
				if src, ok := attr(s, "src"); !ok || !strings.HasPrefix(src, "/static/") {
					t.Errorf("%.30q: a script element the site did not write", q)
				}
			}
		}
		for _, target := range []string{"/search?q=korea&from=last+year", "/search?to=2019-13"} {
			getPage(t, h, target, http.StatusBadRequest)
		}
		getPage(t, h, "/search?q=korea&page=999999&type=nonsense&topic=%27", http.StatusOK)
	})
}

func TestSearchUnavailable(t *testing.T) {
	getPage(t, newHandler(t, newMemDemo(t)), "/search?q=korea", http.StatusServiceUnavailable)
}
