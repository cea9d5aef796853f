package admin

import (
	"encoding/json"
	"html/template"
	"net/http"
)

// markdownJSON is the answer of POST /admin/markdown.
type markdownJSON struct {
	HTML template.HTML `json:"html"`
}

// markdownPreview renders the Markdown of a bio or a description for the
// live preview of directory.js, with the one sanitizing policy of the site
// (richtext). The form field "text" holds the Markdown; the CSRF token
// comes in the X-CSRF-Token header.
func (s *server) markdownPreview(w http.ResponseWriter, r *http.Request) {
	// Render falls back to the escaped text on failure, which is what a
	// preview should show.
	out, _ := s.md.Render(r.PostFormValue("text"))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := json.NewEncoder(w).Encode(markdownJSON{HTML: out}); err != nil {
		s.log.ErrorContext(r.Context(), "markdown preview write failed", "err", err)
	}
}
