package web

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/imprintpub/imprint/bib/csljson"
	"github.com/imprintpub/imprint/bib/ris"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// typeMeta is what each publication type must be called in each
// vocabulary.
type typeMeta struct {
	schema    string // JSON-LD @type
	og        string // og:type
	coinsFmt  string // rft_val_fmt
	container string // the citation_* tag holding the venue; "" for none
}

var metaByType = map[model.Type]typeMeta{
	model.TypeArticleJournal:   {"ScholarlyArticle", "article", "info:ofi/fmt:kev:mtx:journal", "citation_journal_title"},
	model.TypeArticleMagazine:  {"Article", "article", "info:ofi/fmt:kev:mtx:journal", "citation_journal_title"},
	model.TypeArticleNewspaper: {"NewsArticle", "article", "info:ofi/fmt:kev:mtx:journal", "citation_journal_title"},
	model.TypeOpEd:             {"OpinionNewsArticle", "article", "info:ofi/fmt:kev:mtx:journal", "citation_journal_title"},
	model.TypeReport:           {"Report", "article", "info:ofi/fmt:kev:mtx:book", "citation_technical_report_institution"},
	model.TypeBook:             {"Book", "book", "info:ofi/fmt:kev:mtx:book", ""},
	model.TypeChapter:          {"Chapter", "article", "info:ofi/fmt:kev:mtx:book", "citation_book_title"},
	model.TypePodcast:          {"PodcastEpisode", "article", "info:ofi/fmt:kev:mtx:dc", ""},
	model.TypeEvent:            {"Event", "website", "info:ofi/fmt:kev:mtx:dc", ""},
	model.TypeVideo:            {"VideoObject", "video.other", "info:ofi/fmt:kev:mtx:dc", ""},
}

// pageMeta is the machine-readable part of a page.
type pageMeta struct {
	named    map[string][]string // <meta name> and <meta property>, in order
	links    map[string][]string // <link rel> hrefs
	jsonLD   []map[string]any
	coins    []string
	unapiIDs []string
}

func readPageMeta(t *testing.T, doc *html.Node) pageMeta {
	t.Helper()
	m := pageMeta{named: map[string][]string{}, links: map[string][]string{}}
	for _, n := range queryAll(t, doc, "meta") {
		name, ok := attr(n, "name")
		if !ok {
			name, _ = attr(n, "property")
		}
		if name == "" {
			continue
		}
		content, _ := attr(n, "content")
		m.named[name] = append(m.named[name], content)
	}
	for _, n := range queryAll(t, doc, "link") {
		rel, _ := attr(n, "rel")
		href, _ := attr(n, "href")
		m.links[rel] = append(m.links[rel], href)
	}
	for _, n := range queryAll(t, doc, `script[type="application/ld+json"]`) {
		var v map[string]any
		if err := json.Unmarshal([]byte(textOf(n)), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, textOf(n))
		}
		m.jsonLD = append(m.jsonLD, v)
	}
	for _, n := range queryAll(t, doc, "span.Z3988") {
		v, _ := attr(n, "title")
		m.coins = append(m.coins, v)
	}
	for _, n := range queryAll(t, doc, "abbr.unapi-id") {
		v, _ := attr(n, "title")
		m.unapiIDs = append(m.unapiIDs, v)
	}
	return m
}

func (m pageMeta) one(t *testing.T, name string) string {
	t.Helper()
	if len(m.named[name]) != 1 {
		t.Errorf("%s: %d tags %q, want 1", name, len(m.named[name]), m.named[name])
		return ""
	}
	return m.named[name][0]
}

// mayBeEmpty are the elements a page may leave empty on purpose: a live
// region filled by script, and elements that hold no content by nature.
func mayBeEmpty(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Textarea, atom.Html, atom.Head, atom.Body:
		return n.DataAtom != atom.Script || hasAttr(n, "src")
	}
	return hasAttr(n, "aria-live")
}

func hasAttr(n *html.Node, name string) bool { _, ok := attr(n, name); return ok }

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// emptyProblems lists every element with no content and every attribute
// that must carry a value but is blank.
func emptyProblems(doc *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch a.Key {
				case "content", "href", "src", "title", "name", "property", "rel", "type", "lang", "datetime":
					if strings.TrimSpace(a.Val) == "" {
						out = append(out, fmt.Sprintf("<%s> with an empty %s attribute", n.Data, a.Key))
					}
				}
			}
			if !voidElements[n.Data] && !mayBeEmpty(n) && strings.TrimSpace(textOf(n)) == "" && !hasElementChild(n) {
				out = append(out, fmt.Sprintf("empty <%s %v>", n.Data, n.Attr))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func hasElementChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return true
		}
	}
	return false
}

// emptyJSON lists the paths of blank strings, empty arrays and empty
// objects in a JSON-LD value.
func emptyJSON(path string, v any) []string {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return []string{path}
		}
	case []any:
		if len(x) == 0 {
			return []string{path}
		}
		var out []string
		for i, e := range x {
			out = append(out, emptyJSON(fmt.Sprintf("%s[%d]", path, i), e)...)
		}
		return out
	case map[string]any:
		if len(x) == 0 {
			return []string{path}
		}
		var out []string
		for k, e := range x {
			out = append(out, emptyJSON(path+"."+k, e)...)
		}
		return out
	}
	return nil
}

// allDemoPublications returns every published demo publication.
func allDemoPublications(t *testing.T, st Store) []model.Publication {
	t.Helper()
	res, err := st.ListPublications(t.Context(), store.PublicationQuery{Status: model.StatusPublished, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) < 20 {
		t.Fatalf("only %d demo publications", len(res.Items))
	}
	out := make([]model.Publication, 0, len(res.Items))
	for _, p := range res.Items {
		full, err := st.PublicationBySlug(t.Context(), p.Slug)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *full)
	}
	return out
}

// wantAuthors is the byline as citation_author gives it: authors and hosts,
// or the editors of an edited volume, family name first.
func wantAuthors(p *model.Publication) []string {
	var out []string
	for _, roles := range [][]model.Role{{model.RoleAuthor, model.RoleHost}, {model.RoleEditor}} {
		for _, c := range p.Contributions {
			if slices.Contains(roles, c.Role) {
				n := c.Person.CSLName()
				family := strings.TrimSpace(n.NonDroppingParticle + " " + n.Family)
				out = append(out, family+", "+n.Given)
			}
		}
		if len(out) > 0 {
			break
		}
	}
	return out
}

var highwireDate = regexp.MustCompile(`^\d{4}(/\d{2}/\d{2})?$`)

func TestPublicationMetadataForEveryType(t *testing.T) {
	st := newMemDemo(t)
	h := newHandler(t, st)
	seen := map[model.Type]bool{}
	for _, p := range allDemoPublications(t, st) {
		t.Run(p.Slug, func(t *testing.T) {
			want, ok := metaByType[p.Type]
			if !ok {
				t.Fatalf("demo type %q has no expectations in metaByType", p.Type)
			}
			seen[p.Type] = true
			doc := getPage(t, h, "/publications/"+p.Slug, 200)
			for _, e := range emptyProblems(doc) {
				t.Error(e)
			}
			m := readPageMeta(t, doc)
			pageURL := "http://example.com/publications/" + p.Slug
			if got := m.links["canonical"]; len(got) != 1 || got[0] != pageURL {
				t.Errorf("canonical %q, want %q", got, pageURL)
			}
			item := p.CSL()

			// Highwire.
			if got := m.one(t, "citation_title"); got != p.FullTitle() {
				t.Errorf("citation_title %q, want %q", got, p.FullTitle())
			}
			if got, w := m.named["citation_author"], wantAuthors(&p); !slices.Equal(got, w) {
				t.Errorf("citation_author %q, want %q in byline order", got, w)
			}
			date := m.one(t, "citation_publication_date")
			if !highwireDate.MatchString(date) || !strings.HasPrefix(date, fmt.Sprint(p.Issued.Start.Year)) {
				t.Errorf("citation_publication_date %q for %s", date, p.Issued)
			}
			if p.Issued.Precision() == model.PrecisionDay && !p.Issued.IsRange() {
				if w := fmt.Sprintf("%04d/%02d/%02d", p.Issued.Start.Year, p.Issued.Start.Month, p.Issued.Start.Day); date != w {
					t.Errorf("citation_publication_date %q, want %q", date, w)
				}
			}
			switch want.container {
			case "":
				for _, tag := range []string{"citation_journal_title", "citation_book_title", "citation_technical_report_institution"} {
					if len(m.named[tag]) > 0 {
						t.Errorf("%s %q on a %s", tag, m.named[tag], p.Type)
					}
				}
			case "citation_technical_report_institution":
				if got := m.one(t, want.container); got != p.Venue.Publisher {
					t.Errorf("%s %q, want %q", want.container, got, p.Venue.Publisher)
				}
				if got := m.named["citation_technical_report_number"]; p.Venue.Number != "" && !slices.Equal(got, []string{p.Venue.Number}) {
					t.Errorf("citation_technical_report_number %q, want %q", got, p.Venue.Number)
				}
			default:
				if got := m.one(t, want.container); got != p.Venue.ContainerTitle {
					t.Errorf("%s %q, want %q", want.container, got, p.Venue.ContainerTitle)
				}
			}
			for tag, v := range map[string]string{"citation_volume": item.Vars["volume"], "citation_issue": item.Vars["issue"],
				"citation_doi": item.Vars["DOI"], "citation_isbn": item.Vars["ISBN"], "citation_publisher": item.Vars["publisher"]} {
				if got := m.named[tag]; (v == "" && len(got) > 0) || (v != "" && !slices.Equal(got, []string{v})) {
					t.Errorf("%s %q, want %q", tag, got, v)
				}
			}
			if pages := item.Vars["page"]; pages != "" {
				first, last, _ := strings.Cut(pages, "-")
				if m.one(t, "citation_firstpage") != first || m.one(t, "citation_lastpage") != last {
					t.Errorf("pages %q gave %q–%q", pages, m.named["citation_firstpage"], m.named["citation_lastpage"])
				}
			}
			if got := m.one(t, "citation_abstract_html_url"); got != pageURL {
				t.Errorf("citation_abstract_html_url %q", got)
			}
			if got, w := m.one(t, "citation_language"), cmpOr(p.Language, "en"); got != w {
				t.Errorf("citation_language %q, want %q", got, w)
			}

			// Dublin Core agrees with the OAI-PMH record.
			if got := m.links["schema.DC"]; len(got) != 1 || got[0] != "http://purl.org/dc/elements/1.1/" {
				t.Errorf("schema.DC link %q", got)
			}
			if got := m.one(t, "DC.title"); got != p.FullTitle() {
				t.Errorf("DC.title %q", got)
			}
			if got := len(m.named["DC.creator"]) + len(m.named["DC.contributor"]); got != len(p.Contributions) {
				t.Errorf("%d DC creators and contributors for %d contributions", got, len(p.Contributions))
			}

			// JSON-LD.
			if len(m.jsonLD) != 1 {
				t.Fatalf("%d JSON-LD blocks, want 1", len(m.jsonLD))
			}
			ld := m.jsonLD[0]
			for _, e := range emptyJSON("$", ld) {
				t.Errorf("JSON-LD has an empty value at %s", e)
			}
			if ld["@context"] != "https://schema.org" || ld["@type"] != want.schema {
				t.Errorf("JSON-LD @context %v @type %v, want %s", ld["@context"], ld["@type"], want.schema)
			}
			if ld["name"] != p.FullTitle() || ld["url"] != pageURL {
				t.Errorf("JSON-LD name %v url %v", ld["name"], ld["url"])
			}
			if ld["inLanguage"] != cmpOr(p.Language, "en") {
				t.Errorf("JSON-LD inLanguage %v", ld["inLanguage"])
			}
			dateKey := "datePublished"
			if want.schema == "Event" {
				dateKey = "startDate"
				if loc, _ := ld["location"].(map[string]any); p.Venue.Place != "" && (loc == nil || loc["name"] != p.Venue.Place) {
					t.Errorf("event location %v, want %q", ld["location"], p.Venue.Place)
				}
			}
			if d, _ := ld[dateKey].(string); !strings.HasPrefix(d, fmt.Sprint(p.Issued.Start.Year)) {
				t.Errorf("JSON-LD %s %v for %s", dateKey, ld[dateKey], p.Issued)
			}
			checkLDPeople(t, ld, &p)
			if p.DOI != "" {
				id, _ := ld["identifier"].(map[string]any)
				if id["propertyID"] != "DOI" || id["value"] != p.DOI {
					t.Errorf("JSON-LD identifier %v, want DOI %s", ld["identifier"], p.DOI)
				}
			}
			if p.Type == model.TypeArticleJournal {
				checkIssueChain(t, ld, &p)
			}
			if p.Type == model.TypeChapter {
				book, _ := ld["isPartOf"].(map[string]any)
				if book["@type"] != "Book" || book["name"] != p.Venue.ContainerTitle {
					t.Errorf("chapter isPartOf %v", ld["isPartOf"])
				}
			}

			// Open Graph and Twitter.
			if got := m.one(t, "og:type"); got != want.og {
				t.Errorf("og:type %q, want %q", got, want.og)
			}
			if m.one(t, "og:title") != p.FullTitle() || m.one(t, "og:url") != pageURL || m.one(t, "og:site_name") != "Imprint Institute" {
				t.Errorf("og:title %q og:url %q og:site_name %q", m.named["og:title"], m.named["og:url"], m.named["og:site_name"])
			}
			if m.one(t, "twitter:card") != "summary" || m.one(t, "twitter:title") != p.FullTitle() {
				t.Errorf("twitter card %q title %q", m.named["twitter:card"], m.named["twitter:title"])
			}
			if want.og == "article" {
				var w []string
				for _, c := range p.Contributions {
					if c.Role == model.RoleAuthor || c.Role == model.RoleHost {
						w = append(w, "http://example.com/experts/"+c.Person.Slug)
					}
				}
				if got := m.named["article:author"]; !slices.Equal(got, w) {
					t.Errorf("article:author %q, want %q", got, w)
				}
			}

			// COinS.
			if len(m.coins) != 1 {
				t.Fatalf("%d COinS spans, want 1", len(m.coins))
			}
			kev, err := url.ParseQuery(m.coins[0])
			if err != nil {
				t.Fatalf("COinS does not decode: %v", err)
			}
			if kev.Get("ctx_ver") != "Z39.88-2004" || kev.Get("rft_val_fmt") != want.coinsFmt {
				t.Errorf("COinS ctx_ver %q rft_val_fmt %q, want %s", kev.Get("ctx_ver"), kev.Get("rft_val_fmt"), want.coinsFmt)
			}
			if !slices.Contains(kev["rft_id"], pageURL) {
				t.Errorf("COinS rft_id %q lacks the page", kev["rft_id"])
			}
			title := kev.Get("rft.atitle")
			switch {
			case p.Type == model.TypeBook || p.Type == model.TypeReport:
				title = kev.Get("rft.btitle")
			case want.coinsFmt == "info:ofi/fmt:kev:mtx:dc":
				title = kev.Get("rft.title")
			}
			if title != p.FullTitle() {
				t.Errorf("COinS title %q, want %q", title, p.FullTitle())
			}
			if want.coinsFmt == "info:ofi/fmt:kev:mtx:dc" {
				if got := kev["rft.creator"]; len(wantAuthors(&p)) > 0 && !slices.Equal(got, wantAuthors(&p)) {
					t.Errorf("COinS rft.creator %q, want %q", got, wantAuthors(&p))
				}
			} else if got := kev["rft.au"]; !slices.Equal(got, wantAuthors(&p)) {
				t.Errorf("COinS rft.au %q, want %q", got, wantAuthors(&p))
			}

			// unAPI.
			if got := m.links["unapi-server"]; len(got) != 1 || got[0] != "http://example.com/unapi" {
				t.Errorf("unapi-server link %q", got)
			}
			if !slices.Equal(m.unapiIDs, []string{p.Slug}) {
				t.Errorf("unapi ids %q, want [%s]", m.unapiIDs, p.Slug)
			}
		})
	}
	for ty := range metaByType {
		if !seen[ty] {
			t.Errorf("the demo content has no %s; the table expects one", ty)
		}
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkLDPeople checks that the JSON-LD names every contributor once, as a
// Person with their role line as jobTitle, authors in byline order.
func checkLDPeople(t *testing.T, ld map[string]any, p *model.Publication) {
	t.Helper()
	byName := map[string]map[string]any{}
	var authorOrder []string
	var collect func(key string, v any)
	collect = func(key string, v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				collect(key, e)
			}
		case map[string]any:
			if x["@type"] == "Person" {
				name, _ := x["name"].(string)
				byName[name] = x
				if key == "author" {
					authorOrder = append(authorOrder, name)
				}
				return
			}
			for k, e := range x {
				collect(k, e)
			}
		}
	}
	collect("", ld)
	var wantAuthors []string
	for _, c := range p.Contributions {
		name := c.Person.DisplayName()
		if c.Role == model.RoleAuthor || c.Role == model.RoleHost {
			wantAuthors = append(wantAuthors, name)
		}
		pp, ok := byName[name]
		if !ok {
			t.Errorf("JSON-LD does not name %s (%s)", name, c.Role)
			continue
		}
		if c.Person.RoleLine != "" && pp["jobTitle"] != c.Person.RoleLine {
			t.Errorf("JSON-LD jobTitle of %s is %v, want %q", name, pp["jobTitle"], c.Person.RoleLine)
		}
	}
	if !slices.Equal(authorOrder, wantAuthors) {
		t.Errorf("JSON-LD authors %q, want %q", authorOrder, wantAuthors)
	}
}

// checkIssueChain checks isPartOf: issue, then volume, then periodical.
func checkIssueChain(t *testing.T, ld map[string]any, p *model.Publication) {
	t.Helper()
	node, _ := ld["isPartOf"].(map[string]any)
	if p.Venue.Issue != "" {
		if node["@type"] != "PublicationIssue" || node["issueNumber"] != p.Venue.Issue {
			t.Fatalf("isPartOf %v, want issue %s", node, p.Venue.Issue)
		}
		node, _ = node["isPartOf"].(map[string]any)
	}
	if p.Venue.Volume != "" {
		if node["@type"] != "PublicationVolume" || node["volumeNumber"] != p.Venue.Volume {
			t.Fatalf("issue isPartOf %v, want volume %s", node, p.Venue.Volume)
		}
		node, _ = node["isPartOf"].(map[string]any)
	}
	if node["@type"] != "Periodical" || node["name"] != p.Venue.ContainerTitle {
		t.Errorf("volume isPartOf %v, want periodical %q", node, p.Venue.ContainerTitle)
	}
}

func TestJSONLDCannotEndItsScript(t *testing.T) {
	st := newMemDemo(t)
	p := &model.Publication{
		Slug: "closing-tag", Type: model.TypeArticleJournal, Status: model.StatusPublished,
		Title:         `</script><script>alert(1)</script> & <!-- “quotes”`,
		Summary:       "A </SCRIPT> in the summary.",
		Contributions: []model.Contribution{{Person: model.Person{Slug: "mira-kwon"}, Role: model.RoleAuthor}},
		Venue:         model.Venue{ContainerTitle: "Journal of <b>Tags</b>", Volume: "1&2"},
	}
	if err := st.CreatePublication(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, st)
	r := get(t, h, "/publications/closing-tag")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	_, block, ok := strings.Cut(r.body, `<script type="application/ld+json">`)
	if !ok {
		t.Fatal("no JSON-LD block")
	}
	block, _, _ = strings.Cut(block, "</script>")
	if strings.ContainsAny(block, "<>&") {
		t.Errorf("JSON-LD holds a raw <, > or &: %s", block)
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(block), &ld); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	if ld["name"] != p.Title {
		t.Errorf("name %q, want %q", ld["name"], p.Title)
	}
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	m := readPageMeta(t, doc)
	if got := m.one(t, "citation_title"); got != p.Title {
		t.Errorf("citation_title %q", got)
	}
	kev, err := url.ParseQuery(m.coins[0])
	if err != nil || kev.Get("rft.atitle") != p.Title || kev.Get("rft.volume") != "1&2" {
		t.Errorf("COinS %q: atitle %q volume %q (%v)", m.coins[0], kev.Get("rft.atitle"), kev.Get("rft.volume"), err)
	}
}

func TestEveryPageHasCanonicalAndFeeds(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	for _, tt := range []struct {
		path, canonical, scoped string
	}{
		{"/", "/", ""},
		{"/publications/" + seedSlug, "/publications/" + seedSlug, "/types/article-journal/feed.atom"},
		{"/publications/japans-new-defense-guidelines/full", "/publications/japans-new-defense-guidelines/full", ""},
		{"/publications/" + seedSlug + "/cite?style=apa", "/publications/" + seedSlug + "/cite?style=apa", ""},
		{"/experts/mira-kwon", "/experts/mira-kwon", "/experts/mira-kwon/feed.atom"},
		{"/topics/trade", "/topics/trade", "/topics/trade/feed.atom"},
		{"/regions/japan", "/regions/japan", "/regions/japan/feed.atom"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			doc := getPage(t, h, tt.path, 200)
			for _, e := range emptyProblems(doc) {
				t.Error(e)
			}
			m := readPageMeta(t, doc)
			if got := m.links["canonical"]; len(got) != 1 || got[0] != "http://example.com"+tt.canonical {
				t.Errorf("canonical %q, want %q", got, "http://example.com"+tt.canonical)
			}
			feeds := m.links["alternate"]
			for _, want := range []string{"/feed.atom", "/feed.rss", "/feed.json", tt.scoped} {
				if want != "" && !slices.Contains(feeds, want) {
					t.Errorf("alternates %q lack %s", feeds, want)
				}
			}
			for _, n := range queryAll(t, doc, `link[rel="alternate"]`) {
				href, _ := attr(n, "href")
				typ, _ := attr(n, "type")
				if !strings.Contains(href, "/feed.") {
					continue
				}
				if title, _ := attr(n, "title"); title == "" || typ == "" {
					t.Errorf("feed link %s has title %q type %q", href, title, typ)
				}
				if r := get(t, h, href); r.status != 200 {
					t.Errorf("announced feed %s: status %d", href, r.status)
				}
			}
		})
	}
}

// unapiFormatsDoc is the unAPI <formats> response.
type unapiFormatsDoc struct {
	XMLName xml.Name `xml:"formats"`
	ID      string   `xml:"id,attr"`
	Formats []struct {
		Name string `xml:"name,attr"`
		Type string `xml:"type,attr"`
	} `xml:"format"`
}

func TestUnAPI(t *testing.T) {
	st := newMemDemo(t)
	draft := &model.Publication{Slug: "a-draft", Type: model.TypeReport, Title: "Not Yet", Status: model.StatusDraft}
	if err := st.CreatePublication(t.Context(), draft); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, st)
	for _, tt := range []struct {
		query  string
		status int
		ctype  string
	}{
		{"", 200, "application/xml"},
		{"?id=" + seedSlug, 300, "application/xml"},
		{"?id=" + seedSlug + "&format=ris", 200, "application/x-research-info-systems"},
		{"?id=" + seedSlug + "&format=bibtex", 200, "application/x-bibtex"},
		{"?id=" + seedSlug + "&format=biblatex", 200, "application/x-bibtex"},
		{"?id=" + seedSlug + "&format=csljson", 200, "application/vnd.citationstyles.csl+json"},
		{"?id=" + seedSlug + "&format=oai_dc", 200, "application/xml"},
		{"?id=" + seedSlug + "&format=marcxml", 406, "text/plain"},
		{"?id=no-such-thing", 404, "text/plain"},
		{"?id=no-such-thing&format=ris", 404, "text/plain"},
		{"?id=a-draft&format=ris", 404, "text/plain"},
		{"?format=ris", 400, "text/plain"},
	} {
		r := get(t, h, "/unapi"+tt.query)
		if r.status != tt.status || !strings.HasPrefix(r.header.Get("Content-Type"), tt.ctype) {
			t.Errorf("GET /unapi%s: status %d %q, want %d %s", tt.query, r.status, r.header.Get("Content-Type"), tt.status, tt.ctype)
		}
	}

	var list unapiFormatsDoc
	for _, q := range []string{"", "?id=" + seedSlug} {
		if err := xml.Unmarshal([]byte(get(t, h, "/unapi"+q).body), &list); err != nil {
			t.Fatalf("GET /unapi%s: %v", q, err)
		}
		var names []string
		for _, f := range list.Formats {
			names = append(names, f.Name)
		}
		for _, want := range []string{"bibtex", "ris", "csljson", "oai_dc"} {
			if !slices.Contains(names, want) {
				t.Errorf("GET /unapi%s lists %q, lacking %s", q, names, want)
			}
		}
	}
	if list.ID != seedSlug {
		t.Errorf("formats of a record carry id %q", list.ID)
	}

	// The records say what the page says.
	p, err := st.PublicationBySlug(t.Context(), seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	items, err := ris.Parse(t.Context(), strings.NewReader(get(t, h, "/unapi?id="+seedSlug+"&format=ris").body), nil)
	if err != nil || len(items) != 1 {
		t.Fatalf("RIS record: %d items, %v", len(items), err)
	}
	if items[0].Vars["title"] != p.FullTitle() || items[0].Names["author"][0].Family != "Smith" {
		t.Errorf("RIS record %+v", items[0])
	}
	items, err = csljson.Parse(t.Context(), strings.NewReader(get(t, h, "/unapi?id="+seedSlug+"&format=csljson").body), nil)
	if err != nil || len(items) != 1 || items[0].Vars["container-title"] != "ASAN Forum" {
		t.Errorf("CSL-JSON record: %v, %v", items, err)
	}
	bib := get(t, h, "/unapi?id="+seedSlug+"&format=bibtex").body
	if !strings.HasPrefix(strings.TrimSpace(bib), "@article{") || !strings.Contains(bib, "ASAN Forum") {
		t.Errorf("BibTeX record:\n%s", bib)
	}
	var dc struct {
		Title []string `xml:"http://purl.org/dc/elements/1.1/ title"`
	}
	if err := xml.Unmarshal([]byte(get(t, h, "/unapi?id="+seedSlug+"&format=oai_dc").body), &dc); err != nil || len(dc.Title) != 1 || dc.Title[0] != p.FullTitle() {
		t.Errorf("oai_dc record: titles %q, %v", dc.Title, err)
	}
}
