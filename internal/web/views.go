package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/imprintpub/imprint/internal/citation"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/upload"
)

// This file turns model records into the views the templates read, so that
// templates never call into the model and every formatting rule that pages
// share lives in one place.

// contributorView is one line of a byline.
type contributorView struct {
	Name     string
	Slug     string
	Role     string // "Host", "Guest"…; empty for authors, whom a byline needs not label
	RoleLine string
}

// linkView is a named link: a topic, a region or a parent term.
type linkView struct {
	Name string
	URL  string
}

// cardView is one publication in a list.
type cardView struct {
	Slug         string
	TypeLabel    string
	Title        string
	Date         string
	Contributors string
	Blurb        string
	Lang         string
}

// publicationView is the publication page.
type publicationView struct {
	Slug              string
	TypeLabel         string
	TypeNoun          string
	Title             string
	Subtitle          string
	Lang              string
	Contributors      []contributorView
	Date              string
	Venue             string
	Summary           template.HTML
	FullTextURL       string
	FullTextType      string     // of the file FullTextURL leads to: "application/pdf", or "" for a page
	FullTextMore      []linkView // the other ways to read it: the outside URL, the hosted page
	Topics            []linkView
	Citations         []citation.View
	PreferredCitation *citation.View
	PageURL           string
	Related           []cardView
	Meta              *metaView
}

// fullTextView is the hosted full text page.
type fullTextView struct {
	Slug      string
	TypeLabel string
	TypeNoun  string
	Title     string
	Date      string
	FullText  template.HTML
}

// citeView is the single-citation page.
type citeView struct {
	Slug       string
	Title      string
	StyleID    string
	StyleTitle string
	HTML       template.HTML
}

// pagerView drives the pagination partial.
type pagerView struct {
	Page    int
	Pages   int
	PrevURL string
	NextURL string
}

// expertView is an expert's page.
type expertView struct {
	Name         string
	RoleLine     string
	Photo        string // path of the portrait, "" when there is none
	Bio          template.HTML
	Publications []cardView
	Pager        pagerView
}

// listingView is a topic's or region's page.
type listingView struct {
	Kind         string
	KindPlural   string
	Name         string
	Description  template.HTML
	Parent       *linkView
	Children     []linkView
	Publications []cardView
	Pager        pagerView
}

// expertLink is an expert in the home page's list.
type expertLink struct {
	Name     string
	Slug     string
	RoleLine string
}

// homeView is the home page.
type homeView struct {
	Latest  []cardView
	Topics  []linkView
	Regions []linkView
	Experts []expertLink
}

// contributors lists a publication's byline. Authors go unlabelled; other
// roles say what the person did ("Host", "Guest").
func contributors(p *model.Publication) []contributorView {
	out := make([]contributorView, 0, len(p.Contributions))
	for _, c := range p.Contributions {
		v := contributorView{Name: c.Person.DisplayName(), Slug: c.Person.Slug, RoleLine: c.Person.RoleLine}
		if c.Role != model.RoleAuthor {
			v.Role = c.Role.Label()
		}
		out = append(out, v)
	}
	return out
}

// bylineText joins contributor names for a card: "A, B and C".
func bylineText(p *model.Publication) string {
	names := make([]string, 0, len(p.Contributions))
	for _, c := range p.Contributions {
		names = append(names, c.Person.DisplayName())
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// typeNoun is the type in running text: "Cite this journal article".
func typeNoun(t model.Type) string {
	switch t {
	case model.TypeOpEd:
		return "op-ed"
	case model.TypePodcast:
		return "episode"
	}
	return strings.ToLower(t.Label())
}

// fullTextLinks returns where "View full text" leads, that file's media
// type ("application/pdf", or "" for a web page), and the other ways to
// read the full text.
//
// A PDF hosted here comes first, before an outside URL. An editor attaches
// one to give readers the text itself, so it is the more specific choice;
// it is free to read, where the outside address is often a publisher's
// landing page or paywall, and it cannot move or vanish, since its address
// is its content. It is also the file Google Scholar indexes
// (citation_pdf_url), so that a reader arriving from there gets the same
// text. Then come the outside URL, the text hosted as a page, and the DOI,
// which only resolves to somewhere else again.
func fullTextLinks(p *model.Publication) (primary, mediaType string, more []linkView) {
	var all []linkView
	if upload.KindOf(p.FullTextPDF) == upload.PDF {
		primary, mediaType = upload.URLPath(p.FullTextPDF), "application/pdf"
	}
	if p.URL != "" {
		all = append(all, linkView{Name: "At the original source", URL: p.URL})
	}
	if strings.TrimSpace(p.FullText) != "" {
		all = append(all, linkView{Name: "As a web page", URL: "/publications/" + p.Slug + "/full"})
	}
	if primary == "" && len(all) > 0 {
		primary, all = all[0].URL, all[1:]
	}
	if primary == "" && p.DOI != "" {
		primary = "https://doi.org/" + p.DOI
	}
	return primary, mediaType, all
}

// pdfURL is the absolute address of p's hosted PDF, for citation_pdf_url;
// "" when it has none. A key that names no PDF (from an old import or a
// hand-edited database) counts as none rather than being written into the
// page.
func (s *server) pdfURL(r *http.Request, p *model.Publication) string {
	if upload.KindOf(p.FullTextPDF) != upload.PDF {
		return ""
	}
	return s.absURL(r, upload.URLPath(p.FullTextPDF))
}

// langAttr returns the value for a lang attribute, "" for English, which
// the page's own lang covers.
func langAttr(p *model.Publication) string {
	l := strings.ToLower(p.Language)
	if l == "" || l == "en" || strings.HasPrefix(l, "en-") {
		return ""
	}
	return p.Language
}

// blurbLen bounds a card's one-line blurb, in characters.
const blurbLen = 140

func (s *server) card(p *model.Publication) cardView {
	return cardView{
		Slug:         p.Slug,
		TypeLabel:    p.Type.Label(),
		Title:        p.FullTitle(),
		Date:         displayDate(p.Issued),
		Contributors: bylineText(p),
		Blurb:        s.md.Plain(p.Summary, blurbLen),
		Lang:         langAttr(p),
	}
}

func (s *server) cards(ps []model.Publication) []cardView {
	out := make([]cardView, 0, len(ps))
	for i := range ps {
		out = append(out, s.card(&ps[i]))
	}
	return out
}

func topicLinks(ts []model.Topic) []linkView {
	out := make([]linkView, 0, len(ts))
	for _, t := range ts {
		out = append(out, linkView{Name: t.Name, URL: "/topics/" + t.Slug})
	}
	return out
}

func regionLinks(rs []model.Region) []linkView {
	out := make([]linkView, 0, len(rs))
	for _, r := range rs {
		out = append(out, linkView{Name: r.Name, URL: "/regions/" + r.Slug})
	}
	return out
}

// displayDate formats a date for readers. A stored date that breaks the
// model's rules (from an old import or a hand-edited database) is shown in
// its compact form rather than as nonsense such as a fourteenth month.
func displayDate(d model.Date) string {
	if d.Raw == "" && d.Validate("Issued") != nil {
		return d.String()
	}
	return d.Format()
}
