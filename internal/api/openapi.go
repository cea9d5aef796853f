package api

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes every route of routes; TestOpenAPIMatchesRoutes
// keeps the two in step.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves GET /api/v1/openapi.json.
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	if !s.params(w, r).ok() {
		return
	}
	s.writeBody(w, r, "application/json; charset=utf-8", openAPIDoc)
}
