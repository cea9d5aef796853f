package web

import (
	"net/http"
	"strings"
)

// publicationFull serves GET /publications/{slug}/full: the full text when
// it is hosted here.
func (s *server) publicationFull(w http.ResponseWriter, r *http.Request) {
	p, ok := s.publication(w, r, r.PathValue("slug"))
	if !ok {
		return
	}
	if strings.TrimSpace(p.FullText) == "" {
		s.notFound(w, r)
		return
	}
	body, err := s.md.Render(p.FullText)
	if err != nil {
		s.log.WarnContext(r.Context(), "full text markdown", "publication", p.Slug, "err", err)
	}
	s.render(w, r, http.StatusOK, "fulltext", page{
		Title:     p.FullTitle(),
		Canonical: s.absURL(r, "/publications/"+p.Slug+"/full"),
		Lang:      langAttr(p),
		Data: fullTextView{
			Slug:      p.Slug,
			TypeLabel: p.Type.Label(),
			TypeNoun:  typeNoun(p.Type),
			Title:     p.FullTitle(),
			Date:      displayDate(p.Issued),
			FullText:  body,
		},
	})
}
