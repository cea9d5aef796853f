package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/imprintpub/imprint/internal/feed"
	"github.com/imprintpub/imprint/internal/pages"
)

//go:embed templates/*.html
var templateFS embed.FS

// shared holds the templates every page is parsed with.
var shared = []string{"templates/layout.html", "templates/partials.html", "templates/meta.html"}

// requiredTemplates are the pages handlers render by name.
var requiredTemplates = []string{"publication", "cite", "fulltext", "expert", "listing", "home", "error", "search"}

// parseTemplates parses the pages with the shared templates once, at
// start-up (see pages.ParseTemplates).
func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	return pages.ParseTemplates(fsys, shared, nil, requiredTemplates)
}

// page is what the layout receives; Data is the page's own view.
type page struct {
	Title        string
	Description  string
	Canonical    string
	Lang         string
	Section      string
	SiteName     string
	AssetVersion string
	// Alternates are the feeds of what the page shows; render adds the
	// site's own after them.
	Alternates []alternateView
	Data       any
}

// render executes a page template into a buffer first, so that a template
// error becomes a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.templates[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("template %q does not exist", name))
		return
	}
	p.SiteName = s.siteName
	p.AssetVersion = assetVersion
	for _, a := range feed.Alternates(feed.ScopeSite, "") {
		p.Alternates = append(p.Alternates, alternateView{Type: a.Type, Title: s.siteName + " (" + a.Title + ")", Href: a.Href})
	}
	if p.Lang == "" {
		p.Lang = "en"
	}
	if err := pages.Render(w, t, status, p); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
	}
}

// errorView is the data of the error page.
type errorView struct {
	Heading     string
	Message     string
	Query       string
	Suggestions []string
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "error", page{
		Title: "Page not found",
		Data:  errorView{Heading: "Page not found", Message: "There is nothing at this address. The page may have moved, or the link may be mistyped."},
	})
}

// gone answers for a publication that was published and has been removed:
// 410 tells readers and crawlers that the address is not coming back soon.
func (s *server) gone(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusGone, "error", page{
		Title: "Publication removed",
		Data:  errorView{Heading: "Publication removed", Message: "This publication has been withdrawn and is no longer available here."},
	})
}

func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	// The error page template itself may be what failed, so this page is
	// written by hand and carries no details of the failure.
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Server error</title>`+
		`<link rel="stylesheet" href="/static/imprint.css"></head><body><main id="main"><h1>Something went wrong</h1>`+
		`<p>The page could not be shown. Please try again later.</p><p><a href="/">Go to the home page</a></p></main></body></html>`)
}
