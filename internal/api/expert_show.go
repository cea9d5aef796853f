package api

import (
	"net/http"
	"strconv"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// expertPublications is how many publications an expert's record lists.
const expertPublications = 10

// expertShow serves GET /api/v1/experts/{slug}: one person with their
// newest published publications.
func (s *server) expertShow(w http.ResponseWriter, r *http.Request) {
	if !s.params(w, r).ok() {
		return
	}
	slug := r.PathValue("slug")
	p, err := s.store.PersonBySlug(r.Context(), slug)
	if err != nil {
		s.storeError(w, r, "expert "+strconv.Quote(slug), err)
		return
	}
	page, err := s.store.ListPublications(r.Context(), store.PublicationQuery{
		Status: model.StatusPublished, PersonID: p.ID, Limit: expertPublications,
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := s.expertView(r, p)
	v.Publications = make([]publicationView, 0, len(page.Items))
	for i := range page.Items {
		v.Publications = append(v.Publications, s.publicationView(r, &page.Items[i], false))
	}
	s.writeJSON(w, r, v)
}
