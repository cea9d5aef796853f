package feed

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// channel is one feed before it is written in a format.
type channel struct {
	title, description string
	selfURL            string // this document
	pageURL            string // the page the feed follows
	updated            time.Time
	items              []entry
}

type entry struct {
	id, url, title string
	published      time.Time
	updated        time.Time
	authors        []person
	summaryHTML    string
	summaryText    string
	categories     []category
}

type person struct{ name, url string }

type category struct{ term, label, scheme string }

// feed serves every feed pattern: the path says the scope (site, topic,
// region, expert, type) and the extension the format.
func (h *Handler) feed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	base := h.base(r)
	q := store.PublicationQuery{Status: model.StatusPublished, Limit: h.cfg.Limit}
	ch := channel{
		title:       h.cfg.SiteName,
		description: "The newest publications of " + h.cfg.SiteName,
		selfURL:     base + r.URL.Path,
		pageURL:     base + "/",
	}
	scope, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	var err error
	switch scope {
	case "topics":
		var t *model.Topic
		if t, err = h.store.TopicBySlug(ctx, r.PathValue("slug")); err == nil {
			q.TopicID, q.Subtree = t.ID, true
			ch.title += ": " + t.Name
			ch.description = describe(t.Description, "Publications on "+t.Name)
			ch.pageURL = base + "/topics/" + t.Slug
		}
	case "regions":
		var g *model.Region
		if g, err = h.store.RegionBySlug(ctx, r.PathValue("slug")); err == nil {
			q.RegionID, q.Subtree = g.ID, true
			ch.title += ": " + g.Name
			ch.description = describe(g.Description, "Publications on "+g.Name)
			ch.pageURL = base + "/regions/" + g.Slug
		}
	case "experts":
		var p *model.Person
		if p, err = h.store.PersonBySlug(ctx, r.PathValue("slug")); err == nil {
			q.PersonID = p.ID
			ch.title += ": " + p.DisplayName()
			ch.description = "Publications by " + p.DisplayName()
			ch.pageURL = base + "/experts/" + p.Slug
		}
	case "types":
		t := model.Type(r.PathValue("type"))
		if !t.Valid() {
			http.NotFound(w, r)
			return
		}
		q.Type = t
		ch.title += ": " + t.Label()
		ch.description = t.Label() + " publications of " + h.cfg.SiteName
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	page, err := h.store.ListPublications(ctx, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// An empty feed still needs an updated date; the epoch keeps its
	// ETag stable instead of changing with every request.
	ch.updated = time.Unix(0, 0).UTC()
	for i := range page.Items {
		e := h.entry(base, &page.Items[i])
		if e.updated.After(ch.updated) {
			ch.updated = e.updated
		}
		ch.items = append(ch.items, e)
	}
	var body []byte
	var ctype string
	switch path.Ext(r.URL.Path) {
	case ".atom":
		body, err = ch.atom(h.cfg.SiteName, base)
		ctype = "application/atom+xml; charset=utf-8"
	case ".rss":
		body, err = ch.rss()
		ctype = "application/rss+xml; charset=utf-8"
	default:
		body, err = ch.jsonFeed()
		ctype = "application/feed+json; charset=utf-8"
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serve(w, r, ctype, ch.updated, body)
}

// describe returns a term's description as text, or fallback.
func describe(markdown, fallback string) string {
	if s := sum.text(markdown); s != "" {
		return s
	}
	return fallback
}

func (h *Handler) entry(base string, p *model.Publication) entry {
	e := entry{
		id:          base + "/publications/" + p.Slug,
		url:         base + "/publications/" + p.Slug,
		title:       p.FullTitle(),
		published:   p.PublishedAt,
		updated:     p.UpdatedAt,
		summaryHTML: sum.html(p.Summary),
		summaryText: sum.text(p.Summary),
	}
	if e.published.IsZero() {
		e.published = p.CreatedAt
	}
	// The byline of a feed entry names who wrote or hosted it; editors,
	// translators and guests only when nobody did.
	for _, c := range p.Contributions {
		if c.Role == model.RoleAuthor || c.Role == model.RoleHost {
			e.authors = append(e.authors, person{c.Person.DisplayName(), base + "/experts/" + c.Person.Slug})
		}
	}
	if len(e.authors) == 0 {
		for _, c := range p.Contributions {
			e.authors = append(e.authors, person{c.Person.DisplayName(), base + "/experts/" + c.Person.Slug})
		}
	}
	e.categories = append(e.categories, category{string(p.Type), p.Type.Label(), base + "/types/"})
	for _, t := range p.Topics {
		e.categories = append(e.categories, category{t.Slug, t.Name, base + "/topics/"})
	}
	for _, g := range p.Regions {
		e.categories = append(e.categories, category{g.Slug, g.Name, base + "/regions/"})
	}
	return e
}

// Atom (RFC 4287).
type atomFeed struct {
	XMLName  xml.Name     `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string       `xml:"id"`
	Title    string       `xml:"title"`
	Subtitle string       `xml:"subtitle,omitempty"`
	Updated  string       `xml:"updated"`
	Links    []atomLink   `xml:"link"`
	Author   atomPerson   `xml:"author"`
	Entries  []atomEntry  `xml:"entry"`
	Gen      atomGenerate `xml:"generator"`
}

type atomGenerate struct {
	URI  string `xml:"uri,attr,omitempty"`
	Name string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Authors    []atomPerson   `xml:"author"`
	Summary    *atomText      `xml:"summary"`
	Categories []atomCategory `xml:"category"`
}

func (c *channel) atom(siteName, base string) ([]byte, error) {
	f := atomFeed{
		ID: c.selfURL, Title: c.title, Subtitle: c.description, Updated: c.updated.Format(time.RFC3339),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: c.selfURL},
			{Rel: "alternate", Type: "text/html", Href: c.pageURL}},
		// An entry without an author takes the feed's (RFC 4287, 4.1.1).
		Author: atomPerson{Name: siteName, URI: base + "/"},
		Gen:    atomGenerate{Name: "Imprint"},
	}
	for _, e := range c.items {
		ae := atomEntry{ID: e.id, Title: e.title, Updated: e.updated.Format(time.RFC3339), Published: e.published.Format(time.RFC3339),
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: e.url}}}
		for _, a := range e.authors {
			ae.Authors = append(ae.Authors, atomPerson{a.name, a.url})
		}
		if e.summaryHTML != "" {
			ae.Summary = &atomText{Type: "html", Body: e.summaryHTML}
		}
		for _, k := range e.categories {
			ae.Categories = append(ae.Categories, atomCategory{k.term, k.scheme, k.label})
		}
		f.Entries = append(f.Entries, ae)
	}
	return marshalXML(f)
}

// RSS 2.0, with atom:link for the feed's own address and dc:creator for
// names (RSS's author element wants an e-mail address).
type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Self          rssSelf   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Creators    []string      `xml:"dc:creator"`
	Description string        `xml:"description,omitempty"`
	Categories  []rssCategory `xml:"category"`
}

func (c *channel) rss() ([]byte, error) {
	d := rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{Title: c.title, Link: c.pageURL, Description: c.description,
			LastBuildDate: c.updated.Format(time.RFC1123Z), Generator: "Imprint",
			Self: rssSelf{Href: c.selfURL, Rel: "self", Type: "application/rss+xml"}}}
	for _, e := range c.items {
		it := rssItem{Title: e.title, Link: e.url, GUID: rssGUID{"true", e.url}, PubDate: e.published.Format(time.RFC1123Z),
			Description: e.summaryHTML}
		for _, a := range e.authors {
			it.Creators = append(it.Creators, a.name)
		}
		for _, k := range e.categories {
			it.Categories = append(it.Categories, rssCategory{k.scheme, k.label})
		}
		d.Channel.Items = append(d.Channel.Items, it)
	}
	return marshalXML(d)
}

func marshalXML(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Items       []jsonItem   `json:"items"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html,omitempty"`
	ContentText   string       `json:"content_text,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

func (c *channel) jsonFeed() ([]byte, error) {
	f := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: c.title, HomePageURL: c.pageURL, FeedURL: c.selfURL,
		Description: c.description, Items: []jsonItem{}}
	for _, e := range c.items {
		it := jsonItem{ID: e.id, URL: e.url, Title: e.title, ContentHTML: e.summaryHTML, Summary: e.summaryText,
			DatePublished: e.published.Format(time.RFC3339), DateModified: e.updated.Format(time.RFC3339)}
		// An item needs content_html or content_text; without a
		// summary the title stands in.
		if it.ContentHTML == "" {
			it.ContentText = e.title
		}
		for _, a := range e.authors {
			it.Authors = append(it.Authors, jsonAuthor{a.name, a.url})
		}
		for _, k := range e.categories {
			it.Tags = append(it.Tags, k.label)
		}
		f.Items = append(f.Items, it)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
