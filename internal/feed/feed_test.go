package feed

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type site struct {
	t     *testing.T
	store *sqlstore.Store
	h     http.Handler
	pubs  map[string]*model.Publication
}

// newSite opens a store with a topic and region tree, two people and
// publications issued a year apart, newest last, plus a draft.
func newSite(t *testing.T, cfg Config, n int) *site {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	must(t, err)
	t.Cleanup(func() { st.Close() })
	s := &site{t: t, store: st, pubs: map[string]*model.Publication{}}
	security := model.Topic{Slug: "security", Name: "Defense & Security", Description: "War *and* peace."}
	must(t, st.CreateTopic(ctx, &security))
	must(t, st.CreateTopic(ctx, &model.Topic{Slug: "alliances", Name: "Alliances", ParentID: security.ID}))
	must(t, st.CreateTopic(ctx, &model.Topic{Slug: "economics", Name: "Economics"}))
	asia := model.Region{Slug: "asia", Name: "Asia"}
	must(t, st.CreateRegion(ctx, &asia))
	must(t, st.CreateRegion(ctx, &model.Region{Slug: "japan", Name: "Japan", ParentID: asia.ID}))
	must(t, st.CreatePerson(ctx, &model.Person{Slug: "sheila-a-smith", Given: "Sheila A.", Family: "Smith"}))
	must(t, st.CreatePerson(ctx, &model.Person{Slug: "james-m-lindsay", Given: "James M.", Family: "Lindsay"}))
	for i := range n {
		slug := fmt.Sprintf("pub-%02d", i)
		d, _ := model.ParseDate(fmt.Sprint(1990 + i))
		p := &model.Publication{Slug: slug, Type: model.TypeReport, Title: "Report <" + slug + "> & more", Issued: d,
			Status:  model.StatusPublished,
			Summary: "A **bold** summary.\x0b <script>alert('x')</script><img src=x onerror=alert(1)>",
			Contributions: []model.Contribution{
				{Person: model.Person{Slug: "sheila-a-smith"}, Role: model.RoleAuthor},
				{Person: model.Person{Slug: "james-m-lindsay"}, Role: model.RoleEditor},
			},
		}
		switch i % 3 {
		case 0:
			p.Topics = []model.Topic{{Slug: "alliances"}}
			p.Regions = []model.Region{{Slug: "japan"}}
		case 1:
			p.Type = model.TypePodcast
			p.Topics = []model.Topic{{Slug: "economics"}}
			p.Contributions[0].Role = model.RoleHost
		case 2:
			p.Type = model.TypeEvent
			p.Contributions = []model.Contribution{{Person: model.Person{Slug: "james-m-lindsay"}, Role: model.RoleModerator}}
			p.Summary = ""
		}
		must(t, st.CreatePublication(ctx, p))
		s.pubs[slug] = p
	}
	must(t, st.CreatePublication(ctx, &model.Publication{Slug: "secret-draft", Type: model.TypeReport, Title: "Draft",
		Status: model.StatusDraft, Topics: []model.Topic{{Slug: "alliances"}}}))
	h, err := New(st, cfg)
	must(t, err)
	mux := http.NewServeMux()
	for _, p := range Patterns {
		mux.Handle(p, h)
	}
	s.h = mux
	return s
}

func (s *site) get(path string, header ...string) *httptest.ResponseRecorder {
	s.t.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://think.example.org"+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w
}

// Structures for the required elements of each format, read with
// encoding/xml so that a malformed document fails.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

type rssDocTest struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		// link matches atom:link too: the test looks for the RSS one.
		Links []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:"link"`
		Description string `xml:"description"`
		Items       []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			GUID    string `xml:"guid"`
			PubDate string `xml:"pubDate"`
		} `xml:"item"`
	} `xml:"channel"`
}

// checkRequired fails unless body is a well-formed feed of its format
// with every element the format requires.
func checkRequired(t *testing.T, ext string, body []byte) {
	t.Helper()
	switch ext {
	case "atom":
		var d atomDoc
		if err := xml.Unmarshal(body, &d); err != nil {
			t.Fatalf("atom: %v", err)
		}
		if d.ID == "" || d.Title == "" || d.Updated == "" || len(d.Author) == 0 {
			t.Errorf("atom feed lacks id, title, updated or author: %+v", d)
		}
		if _, err := time.Parse(time.RFC3339, d.Updated); err != nil {
			t.Errorf("atom updated: %v", err)
		}
		for _, e := range d.Entries {
			if e.ID == "" || e.Title == "" || e.Link.Href == "" {
				t.Errorf("atom entry lacks id, title or link: %+v", e)
			}
			if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
				t.Errorf("atom entry updated: %v", err)
			}
		}
	case "rss":
		var d rssDocTest
		if err := xml.Unmarshal(body, &d); err != nil {
			t.Fatalf("rss: %v", err)
		}
		c := d.Channel
		link := ""
		for _, l := range c.Links {
			if l.XMLName.Space == "" {
				link = l.Value
			}
		}
		if d.Version != "2.0" || c.Title == "" || link == "" || c.Description == "" {
			t.Errorf("rss channel lacks version, title, link or description: %+v", d)
		}
		for _, it := range c.Items {
			if it.Title == "" || it.Link == "" || it.GUID == "" {
				t.Errorf("rss item lacks title, link or guid: %+v", it)
			}
			if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
				t.Errorf("rss pubDate: %v", err)
			}
		}
	case "json":
		var d struct {
			Version string `json:"version"`
			Title   string `json:"title"`
			Items   []struct {
				ID          string  `json:"id"`
				ContentHTML *string `json:"content_html"`
				ContentText *string `json:"content_text"`
			} `json:"items"`
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatalf("json feed: %v", err)
		}
		if d.Version != "https://jsonfeed.org/version/1.1" || d.Title == "" || d.Items == nil {
			t.Errorf("json feed lacks version, title or items: %+v", d)
		}
		for _, it := range d.Items {
			if it.ID == "" || (it.ContentHTML == nil && it.ContentText == nil) {
				t.Errorf("json item lacks id or content: %+v", it)
			}
		}
	}
}

func TestFeeds(t *testing.T) {
	s := newSite(t, Config{SiteName: "Think & Tank", Limit: 5}, 7)
	parser := gofeed.NewParser()
	for _, tt := range []struct {
		path  string
		title string
		want  []string // slugs, newest first
	}{
		{"/feed", "Think & Tank", []string{"pub-06", "pub-05", "pub-04", "pub-03", "pub-02"}},
		{"/topics/security/feed", "Think & Tank: Defense & Security", []string{"pub-06", "pub-03", "pub-00"}},
		{"/topics/economics/feed", "Think & Tank: Economics", []string{"pub-04", "pub-01"}},
		{"/regions/asia/feed", "Think & Tank: Asia", []string{"pub-06", "pub-03", "pub-00"}},
		{"/experts/sheila-a-smith/feed", "Think & Tank: Sheila A. Smith", []string{"pub-06", "pub-04", "pub-03", "pub-01", "pub-00"}},
		{"/types/event/feed", "Think & Tank: Event", []string{"pub-05", "pub-02"}},
		{"/types/thesis/feed", "Think & Tank: Thesis", nil},
	} {
		for _, ext := range []string{"atom", "rss", "json"} {
			path := tt.path + "." + ext
			w := s.get(path)
			if w.Code != http.StatusOK {
				t.Errorf("%s: %d %s", path, w.Code, w.Body)
				continue
			}
			body := w.Body.Bytes()
			checkRequired(t, ext, body)
			if strings.Contains(w.Body.String(), "<script") || strings.Contains(w.Body.String(), "onerror") ||
				strings.Contains(w.Body.String(), "secret-draft") {
				t.Errorf("%s carries a script, an event handler or a draft:\n%s", path, body)
			}
			f, err := parser.ParseString(w.Body.String())
			if err != nil {
				t.Errorf("%s: gofeed: %v", path, err)
				continue
			}
			if f.Title != tt.title {
				t.Errorf("%s: title %q, want %q", path, f.Title, tt.title)
			}
			var got []string
			for _, it := range f.Items {
				got = append(got, strings.TrimPrefix(it.Link, "http://think.example.org/publications/"))
				p := s.pubs[got[len(got)-1]]
				if p == nil {
					continue
				}
				if it.Title != p.Title {
					t.Errorf("%s: item title %q, want %q", path, it.Title, p.Title)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(p.PublishedAt.Truncate(time.Second)) {
					t.Errorf("%s: %s published %v, want %v", path, p.Slug, it.PublishedParsed, p.PublishedAt)
				}
				var authors []string
				for _, a := range it.Authors {
					authors = append(authors, a.Name)
				}
				wantAuthors := []string{"Sheila A. Smith"}
				if p.Type == model.TypeEvent {
					wantAuthors = []string{"James M. Lindsay"} // the moderator, as nobody wrote it
				}
				if !slices.Equal(authors, wantAuthors) {
					t.Errorf("%s: %s authors %v, want %v", path, p.Slug, authors, wantAuthors)
				}
				if !slices.Contains(it.Categories, p.Type.Label()) {
					t.Errorf("%s: %s categories %v lack its type", path, p.Slug, it.Categories)
				}
				if p.Summary != "" && !strings.Contains(it.Description+it.Content, "<strong>bold</strong>") {
					t.Errorf("%s: %s summary %q / %q", path, p.Slug, it.Description, it.Content)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: items %v, want %v", path, got, tt.want)
			}
		}
	}
	for _, path := range []string{"/topics/nope/feed.atom", "/regions/nope/feed.rss", "/experts/nope/feed.json",
		"/types/nope/feed.atom", "/sitemaps/1.xml", "/sitemaps/x.xml"} {
		if w := s.get(path); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, w.Code)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	s := newSite(t, Config{}, 3)
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/topics/security/feed.atom", "/sitemap.xml", "/robots.txt"} {
		w := s.get(path)
		etag, lm := w.Header().Get("ETag"), w.Header().Get("Last-Modified")
		if w.Code != 200 || etag == "" {
			t.Fatalf("%s: %d, ETag %q", path, w.Code, etag)
		}
		if w2 := s.get(path, "If-None-Match", etag); w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
			t.Errorf("%s If-None-Match: %d", path, w2.Code)
		}
		if w2 := s.get(path, "If-None-Match", `"other"`); w2.Code != http.StatusOK {
			t.Errorf("%s If-None-Match other: %d", path, w2.Code)
		}
		if path == "/robots.txt" {
			continue
		}
		if lm == "" {
			t.Fatalf("%s: no Last-Modified", path)
		}
		if w2 := s.get(path, "If-Modified-Since", lm); w2.Code != http.StatusNotModified {
			t.Errorf("%s If-Modified-Since: %d", path, w2.Code)
		}
	}

	// A change makes a new document.
	w := s.get("/feed.atom")
	etag := w.Header().Get("ETag")
	p := s.pubs["pub-00"]
	p.Title = "Renamed"
	time.Sleep(1100 * time.Millisecond) // Last-Modified has whole seconds
	must(t, s.store.UpdatePublication(context.Background(), p))
	w2 := s.get("/feed.atom", "If-None-Match", etag)
	if w2.Code != http.StatusOK || w2.Header().Get("ETag") == etag || !strings.Contains(w2.Body.String(), "Renamed") {
		t.Errorf("after an update: %d, ETag %q (was %q)", w2.Code, w2.Header().Get("ETag"), etag)
	}
	if w3 := s.get("/feed.atom", "If-Modified-Since", w.Header().Get("Last-Modified")); w3.Code != http.StatusOK {
		t.Errorf("If-Modified-Since after an update: %d", w3.Code)
	}
}

type urlSetTest struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

type indexTest struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

func TestSitemap(t *testing.T) {
	// 1 home + 4 publications + 2 people + 3 topics + 2 regions = 12.
	want := []string{"/", "/publications/pub-00", "/publications/pub-01", "/publications/pub-02", "/publications/pub-03",
		"/experts/james-m-lindsay", "/experts/sheila-a-smith", "/topics/security", "/topics/alliances", "/topics/economics",
		"/regions/asia", "/regions/japan"}
	for _, c := range []struct {
		limit int
		plain bool // a store without Stamps
	}{{0, false}, {12, false}, {5, false}, {1, false}, {0, true}, {5, true}} {
		limit := c.limit
		s := newSite(t, Config{SitemapLimit: limit}, 4)
		if c.plain {
			h, err := New(plainStore{s.store}, Config{SitemapLimit: limit})
			must(t, err)
			s.h = h
		}
		w := s.get("/sitemap.xml")
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/xml; charset=utf-8" {
			t.Fatalf("limit %d: %d %q", limit, w.Code, w.Header().Get("Content-Type"))
		}
		var got []string
		var lastmods int
		collect := func(body []byte) {
			var u urlSetTest
			if err := xml.Unmarshal(body, &u); err != nil {
				t.Fatalf("limit %d: urlset: %v\n%s", limit, err, body)
			}
			if limit > 0 && len(u.URLs) > limit {
				t.Errorf("limit %d: a sitemap of %d addresses", limit, len(u.URLs))
			}
			for _, x := range u.URLs {
				got = append(got, strings.TrimPrefix(x.Loc, "http://think.example.org"))
				if x.LastMod != "" {
					lastmods++
				}
			}
		}
		if limit == 0 || limit >= len(want) {
			collect(w.Body.Bytes())
		} else {
			var idx indexTest
			if err := xml.Unmarshal(w.Body.Bytes(), &idx); err != nil {
				t.Fatalf("limit %d: index: %v\n%s", limit, err, w.Body)
			}
			if n := (len(want) + limit - 1) / limit; len(idx.Sitemaps) != n {
				t.Errorf("limit %d: %d sitemaps, want %d", limit, len(idx.Sitemaps), n)
			}
			for _, sm := range idx.Sitemaps {
				w := s.get(strings.TrimPrefix(sm.Loc, "http://think.example.org"))
				if w.Code != 200 {
					t.Fatalf("%s: %d", sm.Loc, w.Code)
				}
				collect(w.Body.Bytes())
			}
			if w := s.get(fmt.Sprintf("/sitemaps/%d.xml", len(idx.Sitemaps)+1)); w.Code != http.StatusNotFound {
				t.Errorf("limit %d: a sitemap past the last: %d", limit, w.Code)
			}
		}
		// A sitemap's order means nothing; the store decides it.
		slices.Sort(got)
		if sorted := slices.Sorted(slices.Values(want)); !slices.Equal(got, sorted) {
			t.Errorf("limit %d, plain %v: addresses %v, want %v", limit, c.plain, got, sorted)
		}
		if lastmods != 4 {
			t.Errorf("limit %d: %d addresses with lastmod, want the 4 publications", limit, lastmods)
		}
	}
}

// plainStore hides the store's Stamps, as a store without harvesting
// support would.
type plainStore struct{ Store }

func TestRobotsAndBaseURL(t *testing.T) {
	s := newSite(t, Config{}, 1)
	w := s.get("/robots.txt")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "\nSitemap: http://think.example.org/sitemap.xml\n") ||
		!strings.HasPrefix(w.Body.String(), "User-agent: *\n") {
		t.Errorf("robots.txt: %d\n%s", w.Code, w.Body)
	}
	if w := s.get("/robots.txt", "X-Forwarded-Proto", "https"); strings.Contains(w.Body.String(), "https://") {
		t.Errorf("X-Forwarded-Proto honoured without being trusted:\n%s", w.Body)
	}

	trusted := newSite(t, Config{TrustForwardedProto: true}, 1)
	if w := trusted.get("/robots.txt", "X-Forwarded-Proto", "https"); !strings.Contains(w.Body.String(), "Sitemap: https://think.example.org/sitemap.xml") {
		t.Errorf("trusted X-Forwarded-Proto ignored:\n%s", w.Body)
	}
	configured := newSite(t, Config{BaseURL: "https://www.example.org/"}, 1)
	if w := configured.get("/feed.json"); !strings.Contains(w.Body.String(), `"feed_url": "https://www.example.org/feed.json"`) {
		t.Errorf("configured base URL ignored:\n%s", w.Body)
	}
	if _, err := New(s.store, Config{BaseURL: "example.org"}); err == nil {
		t.Error("a base URL without a scheme is accepted")
	}
}

// TestAlternates checks that every announced feed is served.
func TestAlternates(t *testing.T) {
	s := newSite(t, Config{}, 3)
	for _, c := range []struct{ scope, slug string }{
		{ScopeSite, ""}, {ScopeTopic, "security"}, {ScopeRegion, "japan"}, {ScopeExpert, "sheila-a-smith"}, {ScopeType, "report"},
	} {
		alts := Alternates(c.scope, c.slug)
		if len(alts) != 3 {
			t.Fatalf("Alternates(%q, %q) = %v", c.scope, c.slug, alts)
		}
		for _, a := range alts {
			w := s.get(a.Href)
			if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), a.Type+";") {
				t.Errorf("%s: %d %q, want %s", a.Href, w.Code, w.Header().Get("Content-Type"), a.Type)
			}
		}
	}
	if a := Alternates(ScopeTopic, ""); a != nil {
		t.Errorf("a topic without a slug: %v", a)
	}
	if a := Alternates("publications", "x"); a != nil {
		t.Errorf("an unknown scope: %v", a)
	}
}
