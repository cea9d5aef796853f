package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/cslstyles"
	"github.com/imprintpub/imprint/internal/citation"
	"github.com/imprintpub/imprint/internal/richtext"
)

// suggestCount is how many close style ids an unknown-style page lists.
const suggestCount = 8

// publicationCite serves GET /publications/{slug}/cite?style=ID[&format=…]:
// the citation in any bundled style, as a page, or with format=text or
// format=html as the bare bibliography entry.
func (s *server) publicationCite(w http.ResponseWriter, r *http.Request) {
	p, ok := s.publication(w, r, r.PathValue("slug"))
	if !ok {
		return
	}
	q := r.URL.Query()
	styleID := strings.TrimSpace(q.Get("style"))
	if styleID == "" {
		styleID = citation.PreferredStyleID
	}
	format := q.Get("format")
	switch format {
	case "", "text", "html":
	default:
		s.badRequest(w, r, "Unknown format", `The format must be "text", "html" or left out for a page; “`+format+`” is none of these.`, "", nil)
		return
	}
	f := csl.HTML
	if format == "text" {
		f = csl.Text
	}
	entry, err := s.cites.Entry(styleID, p.CSL(), f)
	switch {
	case errors.Is(err, citation.ErrUnknownStyle):
		s.badRequest(w, r, "Unknown citation style", "There is no bundled citation style with the id “"+styleID+"”.",
			styleID, cslstyles.Suggest(styleID, suggestCount))
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	switch format {
	case "text":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(entry + "\n"))
		return
	case "html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(string(richtext.Citation(entry)) + "\n"))
		return
	}
	title := styleID
	if info, err := cslstyles.Info(styleID); err == nil {
		title = info.Title
		styleID = info.ID
	}
	s.render(w, r, http.StatusOK, "cite", page{
		Title:     "Cite " + p.FullTitle(),
		Canonical: s.absURL(r, "/publications/"+p.Slug+"/cite?style="+url.QueryEscape(styleID)),
		Data: citeView{
			Slug:       p.Slug,
			Title:      p.FullTitle(),
			StyleID:    styleID,
			StyleTitle: title,
			HTML:       richtext.Citation(entry),
		},
	})
}

func (s *server) badRequest(w http.ResponseWriter, r *http.Request, heading, msg, query string, suggestions []string) {
	s.render(w, r, http.StatusBadRequest, "error", page{
		Title: heading,
		Data:  errorView{Heading: heading, Message: msg, Query: query, Suggestions: suggestions},
	})
}
