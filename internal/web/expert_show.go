package web

import (
	"net/http"

	"github.com/imprintpub/imprint/internal/feed"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/upload"
)

// photoURL is where an expert's portrait is served, or "" when there is
// none. A key that names no image (from an old import or a hand-edited
// database) counts as no photo rather than being written into the page.
func photoURL(p *model.Person) string {
	if upload.KindOf(p.Photo) != upload.Image {
		return ""
	}
	return upload.URLPath(p.Photo)
}

// expertShow serves GET /experts/{slug}: name, role line, biography and the
// expert's publications, newest first, a page at a time.
func (s *server) expertShow(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	person, err := s.store.PersonBySlug(r.Context(), slug)
	switch {
	case isNotFound(err):
		s.notFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	n := pageNumber(r)
	res, err := s.store.ListPublications(r.Context(), store.PublicationQuery{
		Status: model.StatusPublished, PersonID: person.ID, Limit: perPage, Offset: (n - 1) * perPage,
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if n > 1 && len(res.Items) == 0 {
		s.notFound(w, r)
		return
	}
	bio, err := s.md.Render(person.Bio)
	if err != nil {
		s.log.WarnContext(r.Context(), "bio markdown", "person", person.Slug, "err", err)
	}
	name := person.DisplayName()
	s.render(w, r, http.StatusOK, "expert", page{
		Title:       name,
		Description: s.md.Plain(person.Bio, 300),
		Canonical:   s.absURL(r, "/experts/"+person.Slug),
		Section:     "experts",
		Alternates:  alternates(feed.ScopeExpert, person.Slug, name),
		Data: expertView{
			Name:         name,
			RoleLine:     person.RoleLine,
			Photo:        photoURL(person),
			Bio:          bio,
			Publications: s.cards(res.Items),
			Pager:        pager("/experts/"+person.Slug, n, res.Total),
		},
	})
}
