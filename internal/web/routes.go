package web

import (
	"net/http"

	"github.com/imprintpub/imprint/internal/feed"
)

// routes lists every route the public site answers. The patterns use Go 1.22
// method matching, so a POST to a page gets 405 from the mux, not a page.
func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	// {slug} also matches "slug.json": publicationShow hands that to
	// publicationJSON, since a pattern cannot put a suffix after a wildcard.
	mux.HandleFunc("GET /publications/{slug}", s.publicationShow)
	mux.HandleFunc("GET /publications/{slug}/cite", s.publicationCite)
	mux.HandleFunc("GET /publications/{slug}/full", s.publicationFull)
	mux.HandleFunc("GET /unapi", s.unapi)
	mux.HandleFunc("GET /search", s.searchShow)
	mux.HandleFunc("GET /experts/{slug}", s.expertShow)
	mux.HandleFunc("GET /topics/{slug}", s.topicShow)
	mux.HandleFunc("GET /regions/{slug}", s.regionShow)
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /healthz", s.health)
	// Feeds, sitemap.xml and robots.txt (internal/feed). Its only failure
	// is a malformed BaseURL; the pages still work without feeds.
	if feeds, err := feed.New(s.store, feed.Config{BaseURL: s.baseURL, SiteName: s.siteName, Logger: s.log}); err != nil {
		s.log.Error("feeds unavailable", "err", err)
	} else {
		for _, p := range feed.Patterns {
			mux.Handle(p, feeds)
		}
	}
	mux.HandleFunc("GET /", s.notFound)
	return mux
}
