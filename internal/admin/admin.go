// Package admin serves the editors' admin under /admin/: login, the
// dashboard, publications with their workflow, revisions and trash, and
// (directory.go) people, topics, regions, users and the audit log. Pages
// are rendered on the server with html/template and work without
// JavaScript; a small static script adds live previews.
//
// Every state-changing request is a POST that passes the CSRF check, then
// the permission check, and writes in one transaction together with its
// revision and audit rows.
package admin

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/citation"
	"github.com/imprintpub/imprint/internal/richtext"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/upload"
)

// Config is what the admin needs to run.
type Config struct {
	// Store holds the content, accounts, revisions and audit log.
	Store store.Admin
	// Auth checks sessions, CSRF tokens and permissions.
	Auth *auth.Manager
	// Uploads stores hosted PDFs and photos; nil disables uploads and the
	// forms say so.
	Uploads *upload.Store
	// Logger receives every server error; nil discards them.
	Logger *slog.Logger
	// SiteName is shown in the header; BaseURL ("https://example.org")
	// links to the public pages ("" links relative to the admin's host).
	SiteName, BaseURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Citer formats the citation previews; share the public site's so
	// that each style is parsed once per process. nil makes one.
	Citer *citation.Citer
}

// server holds what every admin handler shares.
type server struct {
	store     store.Admin
	auth      *auth.Manager
	uploads   *upload.Store
	log       *slog.Logger
	siteName  string
	baseURL   string
	now       func() time.Time
	templates map[string]*template.Template
	md        *richtext.Markdown
	cites     *citation.Citer
}

// New returns the admin's handler for every path under /admin/. It parses
// every template first and fails if one is broken, so that a bad deploy
// stops at start-up.
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("admin: Config.Store is nil")
	}
	if cfg.Auth == nil {
		return nil, errors.New("admin: Config.Auth is nil")
	}
	if cfg.Citer == nil {
		cfg.Citer = citation.NewCiter()
	}
	tmpl, err := parseTemplates(templateFS)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	s := &server{
		store:     cfg.Store,
		auth:      cfg.Auth,
		uploads:   cfg.Uploads,
		log:       cfg.Logger,
		siteName:  cfg.SiteName,
		baseURL:   cfg.BaseURL,
		now:       cfg.Now,
		templates: tmpl,
		md:        richtext.NewMarkdown(),
		cites:     cfg.Citer,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.siteName == "" {
		s.siteName = "Imprint Institute"
	}
	return recoverPanics(s.log, secure(s.auth.Middleware(s.routes()))), nil
}
