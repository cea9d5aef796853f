package web

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// cardSlugs returns the slugs of the publications a page lists as cards.
func cardSlugs(t *testing.T, doc *html.Node) []string {
	t.Helper()
	var out []string
	for _, a := range queryAll(t, doc, ".card-list h3 a") {
		href, _ := attr(a, "href")
		out = append(out, strings.TrimPrefix(href, "/publications/"))
	}
	return out
}

func assertNewestFirst(t *testing.T, st Store, slugs []string) {
	t.Helper()
	prev := int(^uint(0) >> 1)
	for _, s := range slugs {
		p, err := st.PublicationBySlug(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		k := p.Issued.SortKey()
		if k > prev {
			t.Errorf("%s (%d) listed after an older publication", s, k)
		}
		prev = k
	}
}

func TestExpertPage(t *testing.T) {
	eachStore(t, testExpertPage)
}

func testExpertPage(t *testing.T, st Store) {
	h := newHandler(t, st)
	doc := getPage(t, h, "/experts/sheila-a-smith", 200)
	if got := textOf(queryOne(t, doc, "main h1")); got != "Sheila A. Smith" {
		t.Errorf("name %q", got)
	}
	if got := textOf(queryOne(t, doc, "main .role-line")); got != "Senior Fellow for Japan Studies" {
		t.Errorf("role line %q", got)
	}
	if got := textOf(queryOne(t, doc, "main .bio")); !strings.Contains(got, "U.S.-Japan alliance") {
		t.Errorf("bio %q", got)
	}
	slugs := cardSlugs(t, doc)
	for _, want := range []string{seedSlug, "intimate-rivals", "us-japan-relations-podcast"} {
		if !contains(slugs, want) {
			t.Errorf("expert page lacks %s; lists %v", want, slugs)
		}
	}
	assertNewestFirst(t, st, slugs)

	// A family-first name keeps its order in the heading.
	doc = getPage(t, h, "/experts/sato-kenichi", 200)
	if got := textOf(queryOne(t, doc, "main h1")); got != "佐藤健一" {
		t.Errorf("Japanese name shown as %q, want 佐藤健一", got)
	}
}

func TestTopicPagePaginatesSubtree(t *testing.T) {
	eachStore(t, testTopicPagePaginatesSubtree)
}

func testTopicPagePaginatesSubtree(t *testing.T, st Store) {
	h := newHandler(t, st)
	doc := getPage(t, h, "/topics/security", 200)
	if got := textOf(queryOne(t, doc, "main h1")); got != "Defense and Security" {
		t.Errorf("heading %q", got)
	}
	var children []string
	for _, a := range queryAll(t, doc, "main .topic-list a") {
		children = append(children, textOf(a))
	}
	if !contains(children, "Alliances") || !contains(children, "Maritime Security") {
		t.Errorf("narrower topics %v", children)
	}
	first := cardSlugs(t, doc)
	if len(first) != perPage {
		t.Fatalf("first page lists %d, want %d", len(first), perPage)
	}
	// Filed only under the narrower "Alliances", it is still on Security.
	next := queryOne(t, doc, `nav.pagination a[rel="next"]`)
	href, _ := attr(next, "href")
	doc2 := getPage(t, h, href, 200)
	second := cardSlugs(t, doc2)
	all := append(first, second...)
	assertNewestFirst(t, st, all)
	if !contains(all, "alliance-cost-sharing-korea") {
		t.Errorf("a publication filed under a narrower topic is missing: %v", all)
	}
	if contains(all, "export-controls-semiconductors") {
		t.Error("an economics publication is listed under Security")
	}
	if prev := queryOne(t, doc2, `nav.pagination a[rel="prev"]`); prev == nil {
		t.Error("second page has no link back")
	}
	// A parent link leads back up the tree.
	doc = getPage(t, h, "/topics/alliances", 200)
	if got := textOf(queryOne(t, doc, "main p.meta a")); got != "Defense and Security" {
		t.Errorf("parent link %q", got)
	}
}

func TestRegionPage(t *testing.T) {
	eachStore(t, testRegionPage)
}

func testRegionPage(t *testing.T, st Store) {
	h := newHandler(t, st)
	doc := getPage(t, h, "/regions/korean-peninsula", 200)
	slugs := cardSlugs(t, doc)
	// Filed under North Korea only, it belongs to the peninsula.
	if !contains(slugs, "north-korea-russia-alignment-podcast") {
		t.Errorf("region page lacks a publication of a region within it: %v", slugs)
	}
	if contains(slugs, "india-china-border-economics") {
		t.Error("region page lists a publication about elsewhere")
	}
	assertNewestFirst(t, st, slugs)
}

func TestHomePage(t *testing.T) {
	eachStore(t, testHomePage)
}

func testHomePage(t *testing.T, st Store) {
	h := newHandler(t, st)
	doc := getPage(t, h, "/", 200)
	slugs := cardSlugs(t, doc)
	if len(slugs) != homeLatest {
		t.Errorf("home lists %d publications, want %d", len(slugs), homeLatest)
	}
	assertNewestFirst(t, st, slugs)
	var topics []string
	for _, a := range queryAll(t, doc, "#topics a") {
		topics = append(topics, textOf(a))
	}
	if len(topics) < 5 || topics[0] != "Defense and Security" {
		t.Errorf("topics %v", topics)
	}
	if len(queryAll(t, doc, "#experts a")) < 5 {
		t.Error("home lists too few experts")
	}
}

var inlineStyleOrHandler = regexp.MustCompile(`\s(style|on[a-z]+)=`)

func TestPagesAreAccessibleAndCSPClean(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	for _, target := range []string{"/", "/publications/" + seedSlug, "/experts/mira-kwon", "/topics/trade", "/regions/japan",
		"/publications/" + seedSlug + "/cite?style=apa", "/publications/japans-new-defense-guidelines/full", "/nope"} {
		t.Run(target, func(t *testing.T) {
			r := get(t, h, target)
			csp := r.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff header")
			}
			if inlineStyleOrHandler.MatchString(r.body) {
				t.Errorf("page has an inline style or event handler, which the CSP blocks: %s", inlineStyleOrHandler.FindString(r.body))
			}
			doc, err := html.Parse(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range queryAll(t, doc, "script") {
				// A JSON-LD data block is never run, so script-src does
				// not govern it; anything else inline would be blocked.
				if typ, _ := attr(s, "type"); typ == "application/ld+json" {
					continue
				}
				if src, _ := attr(s, "src"); src == "" {
					t.Error("inline script")
				}
			}
			if lang, _ := attr(queryOne(t, doc, "html"), "lang"); lang == "" {
				t.Error("html has no lang")
			}
			queryOne(t, doc, "header")
			queryOne(t, doc, "nav.site-nav")
			queryOne(t, doc, "main#main")
			queryOne(t, doc, "footer.site-footer")
			if href, _ := attr(queryOne(t, doc, "a.skip-link"), "href"); href != "#main" {
				t.Errorf("skip link to %q", href)
			}
			if len(queryAll(t, doc, "main h1")) != 1 {
				t.Error("page does not have exactly one h1")
			}
		})
	}
}

func TestStaticFiles(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	for _, tt := range []struct{ path, ctype, needle string }{
		{"/static/imprint.css", "text/css", "@media print"},
		{"/static/imprint.js", "text/javascript", "showModal"},
	} {
		r := get(t, h, tt.path+"?v="+assetVersion)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), tt.ctype) || !strings.Contains(r.body, tt.needle) {
			t.Errorf("GET %s: status %d, Content-Type %q", tt.path, r.status, r.header.Get("Content-Type"))
		}
		if !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s with the current version is not cached for long", tt.path)
		}
	}
	if r := get(t, h, "/static/nope.css"); r.status != 404 {
		t.Errorf("missing static file: status %d", r.status)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	rec := get(t, h, "/publications/"+seedSlug)
	if rec.status != 200 {
		t.Fatal(rec.status)
	}
	if r := post(t, h, "/publications/"+seedSlug); r != 405 {
		t.Errorf("POST to a page: status %d, want 405", r)
	}
}

func TestStaticDirectoryNotListed(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	for _, target := range []string{"/static/", "/static"} {
		if r := get(t, h, target); r.status == 200 && strings.Contains(r.body, "imprint.css") {
			t.Errorf("GET %s lists the static files", target)
		}
	}
}
