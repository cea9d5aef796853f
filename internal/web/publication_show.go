package web

import (
	"net/http"
	"strings"

	"github.com/imprintpub/imprint/internal/citation"
	"github.com/imprintpub/imprint/internal/feed"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/related"
)

// relatedCount is how many publications "More on This Topic" lists.
const relatedCount = 5

// publicationShow serves GET /publications/{slug}: the page readers land on.
func (s *server) publicationShow(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	if s.publicationRecord(w, r, slug) {
		return
	}
	p, ok := s.publication(w, r, slug)
	if !ok {
		return
	}
	v := publicationView{
		Slug:         p.Slug,
		TypeLabel:    p.Type.Label(),
		TypeNoun:     typeNoun(p.Type),
		Title:        p.Title,
		Subtitle:     p.Subtitle,
		Lang:         langAttr(p),
		Contributors: contributors(p),
		Date:         displayDate(p.Issued),
		Venue:        p.Venue.Line(),
		Topics:       append(topicLinks(p.Topics), regionLinks(p.Regions)...),
		PageURL:      s.absURL(r, "/publications/"+p.Slug),
	}
	v.FullTextURL, v.FullTextType, v.FullTextMore = fullTextLinks(p)
	var err error
	if v.Summary, err = s.md.Render(p.Summary); err != nil {
		s.log.WarnContext(r.Context(), "summary markdown", "publication", p.Slug, "err", err)
	}
	item := p.CSL()
	for _, ds := range citation.DialogStyles {
		c := s.cites.Cite(ds, item)
		if c.Err != nil {
			s.log.ErrorContext(r.Context(), "citation failed", "publication", p.Slug, "style", ds.StyleID, "err", c.Err)
		}
		v.Citations = append(v.Citations, c)
	}
	for i := range v.Citations {
		if v.Citations[i].StyleID == citation.PreferredStyleID && v.Citations[i].Err == nil {
			v.PreferredCitation = &v.Citations[i]
		}
	}
	v.Related, err = s.related(r, p)
	if err != nil {
		// The page is still worth showing without its related list.
		s.log.ErrorContext(r.Context(), "related publications", "publication", p.Slug, "err", err)
	}
	description := s.md.Plain(p.Summary, 300)
	var hosted string
	if strings.TrimSpace(p.FullText) != "" {
		hosted = s.absURL(r, "/publications/"+p.Slug+"/full")
	}
	v.Meta = s.publicationMeta(r, p, v.PageURL, description, hosted)
	s.render(w, r, http.StatusOK, "publication", page{
		Title:       p.FullTitle(),
		Description: description,
		Canonical:   v.PageURL,
		Alternates:  alternates(feed.ScopeType, string(p.Type), p.Type.Label()),
		Data:        v,
	})
}

// publication loads a published publication or answers the request itself
// (404 for an unknown or unpublished slug, 410 for one in the trash, 500 for
// a store failure).
func (s *server) publication(w http.ResponseWriter, r *http.Request, slug string) (*model.Publication, bool) {
	p, err := s.store.PublicationBySlug(r.Context(), slug)
	switch {
	case isNotFound(err):
		s.notFound(w, r)
		return nil, false
	case err != nil:
		s.serverError(w, r, err)
		return nil, false
	case p.IsWithdrawn():
		s.gone(w, r)
		return nil, false
	case !p.IsPublished():
		s.notFound(w, r)
		return nil, false
	}
	return p, true
}

// related reads "More on This Topic" as internal/related stored it, or
// ranks it now when no list was stored: the hand-picked list first, then the
// publications sharing the most (and rarest) topics, regions and people.
func (s *server) related(r *http.Request, p *model.Publication) ([]cardView, error) {
	pubs, err := related.Lookup(r.Context(), s.store, p.ID, relatedCount)
	if err != nil {
		return nil, err
	}
	out := make([]cardView, 0, len(pubs))
	for i := range pubs {
		if pubs[i].IsPublished() {
			out = append(out, s.card(&pubs[i]))
		}
	}
	return out, nil
}

// absURL makes path absolute with the configured base URL, or with the
// request's own host when none is configured.
func (s *server) absURL(r *http.Request, path string) string {
	if s.baseURL != "" {
		return strings.TrimRight(s.baseURL, "/") + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
