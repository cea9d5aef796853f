package api

import "net/http"

// route is one endpoint: its method pattern and handler. The OpenAPI
// document must describe each of them; a test holds the two together.
type route struct {
	pattern string // "GET /api/v1/publications/{slug}"
	handle  http.HandlerFunc
}

// routes lists every endpoint of the API.
func (s *server) routes() []route {
	return []route{
		{"GET /api/v1/openapi.json", s.openAPI},
		{"GET /api/v1/publications", s.publicationList},
		{"GET /api/v1/publications/{slug}", s.publicationShow},
		{"GET /api/v1/experts", s.expertList},
		{"GET /api/v1/experts/{slug}", s.expertShow},
		{"GET /api/v1/topics", s.topicList},
		{"GET /api/v1/regions", s.regionList},
		{"GET /api/v1/search", s.search},
	}
}

// mux routes requests. Paths under the prefix that no route matches get a
// JSON 404 or 405 rather than the mux's plain-text answers, so that clients
// can parse every response.
func (s *server) mux() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.pattern, rt.handle)
	}
	mux.HandleFunc("/api/v1/", s.unmatched)
	return mux
}

func (s *server) unmatched(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "the API is read-only: use GET")
		return
	}
	writeError(w, r, http.StatusNotFound, "not_found", "no endpoint at "+r.URL.Path+"; see "+Prefix+"openapi.json")
}
