package api

import (
	"net/http"
	"strconv"
)

// publicationShow serves GET /api/v1/publications/{slug}: one published
// publication with its CSL-JSON item. A draft is not found, as on the
// site.
func (s *server) publicationShow(w http.ResponseWriter, r *http.Request) {
	if !s.params(w, r).ok() {
		return
	}
	slug := r.PathValue("slug")
	what := "publication " + strconv.Quote(slug)
	p, err := s.store.PublicationBySlug(r.Context(), slug)
	if err != nil {
		s.storeError(w, r, what, err)
		return
	}
	if p.IsWithdrawn() {
		writeError(w, r, http.StatusGone, "gone", what+" has been withdrawn")
		return
	}
	if !p.IsPublished() {
		writeError(w, r, http.StatusNotFound, "not_found", what+" not found")
		return
	}
	s.writeJSON(w, r, s.publicationView(r, p, true))
}
