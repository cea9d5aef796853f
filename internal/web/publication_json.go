package web

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
)

// cslJSONType is the media type of CSL-JSON.
const cslJSONType = "application/vnd.citationstyles.csl+json"

// publicationJSON serves GET /publications/{slug}.json: the publication's
// CSL-JSON item, the same view every citation on the site is made from.
func (s *server) publicationJSON(w http.ResponseWriter, r *http.Request, slug string) {
	p, ok := s.publication(w, r, slug)
	if !ok {
		return
	}
	b, err := json.MarshalIndent(p.CSL(), "", "  ")
	if err != nil {
		s.serverError(w, r, fmt.Errorf("CSL-JSON of publication %q: %w", p.Slug, err))
		return
	}
	w.Header().Set("Content-Type", cslJSONType+"; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": p.Slug + ".json"}))
	_, _ = w.Write(append(b, '\n'))
}
