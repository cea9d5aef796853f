// Package web serves Imprint's public pages: publications with their Cite
// dialog and print layout, experts, topics, regions and the home page.
// Pages are rendered on the server with html/template and work without
// JavaScript; a small script adds the modal dialog, Copy and Print.
package web

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/imprintpub/imprint/internal/citation"
	"github.com/imprintpub/imprint/internal/richtext"
	"github.com/imprintpub/imprint/internal/search"
)

// Config is what the public site needs to run.
type Config struct {
	// Store is where the records come from.
	Store Store
	// Logger receives one line per request and every server error; nil
	// discards them.
	Logger *slog.Logger
	// SiteName is shown in the header and page titles.
	SiteName string
	// Search answers /search; nil leaves the page saying search is
	// unavailable.
	Search search.Index
	// BaseURL is the site's public address ("https://example.org"), used
	// for the URL in the print footer. Empty means the request's host.
	BaseURL string
	// Citer formats citations; the admin's previews may share it, so
	// that each style is parsed once per process. nil makes one.
	Citer *citation.Citer
}

type server struct {
	store     Store
	search    search.Index
	log       *slog.Logger
	siteName  string
	baseURL   string
	templates map[string]*template.Template
	md        *richtext.Markdown
	cites     *citation.Citer
}

// New returns the public site's handler. It parses every template first and
// fails if one is broken, so that a bad deploy stops at start-up.
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is nil")
	}
	if cfg.Citer == nil {
		cfg.Citer = citation.NewCiter()
	}
	tmpl, err := parseTemplates(templateFS)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &server{
		store:     cfg.Store,
		search:    cfg.Search,
		log:       cfg.Logger,
		siteName:  cfg.SiteName,
		baseURL:   cfg.BaseURL,
		templates: tmpl,
		md:        richtext.NewMarkdown(),
		cites:     cfg.Citer,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.siteName == "" {
		s.siteName = "Imprint Institute"
	}
	// Building a processor parses its style and locale; doing it for the
	// dialog's styles now spares the first reader that wait. A failure is
	// not fatal: pages show the citation as unavailable and log why.
	for _, ds := range citation.DialogStyles {
		if _, _, err := s.cites.Processor(ds.StyleID); err != nil {
			s.log.Error("citation style unavailable", "style", ds.StyleID, "err", err)
		}
	}
	return logRequests(s.log, secure(s.routes())), nil
}
