package api

import "net/http"

// search serves GET /api/v1/search. Full-text search has no backend yet
// (internal/search); the endpoint is reserved and answers 501 so that
// clients can tell "not here yet" from "no results".
func (s *server) search(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, http.StatusNotImplemented, "not_implemented",
		"search is not available yet; filter "+Prefix+"publications by type, topic, region, expert and date instead")
}
