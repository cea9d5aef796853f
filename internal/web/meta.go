package web

import (
	"html/template"
	"net/http"

	"github.com/imprintpub/imprint/internal/feed"
	"github.com/imprintpub/imprint/internal/meta"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/oaipmh"
)

// metaView is what the head and body of a publication page carry for
// machines: the tags of internal/meta, the JSON-LD block, the COinS span
// and the unAPI identifier.
type metaView struct {
	Highwire   []meta.Tag
	DublinCore []meta.Tag
	DCSchema   string
	OpenGraph  []meta.Tag
	Twitter    []meta.Tag
	// JSONLD is template.JS because html/template treats an ld+json script
	// as JavaScript; meta.Build has already escaped <, > and &, so nothing
	// in it can end the element. A data block is not run, so the page's
	// script-src 'self' does not apply to it.
	JSONLD      template.JS
	COinS       string
	UnAPIServer string
	UnAPIID     string
	Title       string
}

// publicationMeta describes p for machines. A failure leaves the page
// without the vocabularies that failed, logged, rather than without a page.
func (s *server) publicationMeta(r *http.Request, p *model.Publication, pageURL, description, fullTextURL string) *metaView {
	base := s.absURL(r, "")
	set, err := meta.Build(p, meta.Page{
		URL:         pageURL,
		SiteName:    s.siteName,
		Description: description,
		FullTextURL: fullTextURL,
		PDFURL:      s.pdfURL(r, p),
		PersonURL:   func(slug string) string { return base + "/experts/" + slug },
		DublinCore:  oaipmh.DublinCore(p, base),
	})
	if err != nil {
		s.log.ErrorContext(r.Context(), "publication metadata", "publication", p.Slug, "err", err)
	}
	v := &metaView{
		Highwire:    set.Highwire,
		DublinCore:  set.DublinCore,
		OpenGraph:   set.OpenGraph,
		Twitter:     set.Twitter,
		JSONLD:      template.JS(set.JSONLD),
		COinS:       set.COinS,
		UnAPIServer: base + "/unapi",
		UnAPIID:     p.Slug,
		Title:       p.FullTitle(),
	}
	if len(v.DublinCore) > 0 {
		v.DCSchema = meta.DCSchema
	}
	return v
}

// alternateView is a feed a page announces in its head.
type alternateView struct {
	Type  string
	Title string
	Href  string
}

// alternates lists the feeds of one topic, region, expert or type
// (feed.ScopeTopic and so on), titled with its name so that a feed reader
// offering several can tell them apart. The site's own feeds are not among
// them: render adds those to every page.
func alternates(scope, slug, name string) []alternateView {
	if scope == feed.ScopeSite {
		return nil
	}
	var out []alternateView
	for _, a := range feed.Alternates(scope, slug) {
		out = append(out, alternateView{Type: a.Type, Title: name + " (" + a.Title + ")", Href: a.Href})
	}
	return out
}
