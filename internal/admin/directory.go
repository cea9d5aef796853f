package admin

import "net/http"

// directoryRoutes adds the pages for people, topics, regions, users and
// the audit log.
func (s *server) directoryRoutes(mux *http.ServeMux) {}
