// Package oaipmh serves Imprint's publications over OAI-PMH 2.0, the
// protocol library catalogues and aggregators harvest research output with.
// It answers the six verbs by GET and by POST, disseminates every published
// publication as unqualified Dublin Core (oai_dc) and as its CSL-JSON
// record (csl_json), groups records into sets by type, topic and region,
// and reports deleted records from the store's tombstones.
//
// Datestamps are the time a record last changed, to the second. A list is
// ordered by (datestamp, slug) and continued by resumption tokens that carry
// the last key returned and the list's upper bound frozen when the harvest
// started, so that records added or changed during a harvest wait for the
// next one instead of shifting the pages.
package oaipmh

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Store is what the OAI-PMH interface reads; the SQL stores satisfy it.
type Store interface {
	store.Harvester
	PublicationBySlug(ctx context.Context, slug string) (*model.Publication, error)
	ListTopics(ctx context.Context) ([]model.Topic, error)
	ListRegions(ctx context.Context) ([]model.Region, error)
}

// Config describes the repository.
type Config struct {
	// BaseURL is the site's public address ("https://example.org"); the
	// protocol's base URL is BaseURL + "/oai". Empty means the request's
	// scheme and host.
	BaseURL string
	// TrustForwardedProto takes the scheme from X-Forwarded-Proto when
	// BaseURL is empty, for a server behind a TLS-terminating proxy. Off
	// by default: a client could otherwise choose the URLs written back.
	TrustForwardedProto bool
	// RepositoryName is Identify's repositoryName; default "Imprint".
	RepositoryName string
	// RepositoryID is the namespace of record identifiers,
	// "oai:<RepositoryID>:<slug>". Default: the host of BaseURL or of the
	// request, without its port.
	RepositoryID string
	// AdminEmail is the repository administrator's address; required.
	AdminEmail string
	// PageSize is how many headers or records a list response holds;
	// default 100.
	PageSize int
	// TokenLifetime is how long a resumption token stays valid; default
	// 24 hours.
	TokenLifetime time.Duration
	// NoSets makes the repository declare no set hierarchy, for sites that
	// do not want harvesters to rely on their topic tree.
	NoSets bool
	// Logger receives store failures; nil discards them.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// Handler answers OAI-PMH requests at the path it is mounted on, and
// serves the csl_json format's schema at that path + "/csl-json.xsd".
type Handler struct {
	store Store
	cfg   Config
}

// New returns the OAI-PMH handler. It fails when cfg lacks what Identify
// must report.
func New(s Store, cfg Config) (*Handler, error) {
	if s == nil {
		return nil, errors.New("oaipmh: store is nil")
	}
	if !validEmail(cfg.AdminEmail) {
		return nil, fmt.Errorf("oaipmh: Config.AdminEmail %q is not an e-mail address", cfg.AdminEmail)
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("oaipmh: Config.BaseURL %q is not an absolute http or https URL", cfg.BaseURL)
		}
		cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	if cfg.RepositoryID != "" && !validRepositoryID(cfg.RepositoryID) {
		return nil, fmt.Errorf("oaipmh: Config.RepositoryID %q is not a domain name", cfg.RepositoryID)
	}
	if cfg.RepositoryName == "" {
		cfg.RepositoryName = "Imprint"
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	cfg.PageSize = min(cfg.PageSize, store.MaxLimit)
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = 24 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Handler{store: s, cfg: cfg}, nil
}

// validEmail follows the pattern OAI-PMH.xsd puts on adminEmail.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && !strings.ContainsAny(s, " \t\r\n") && strings.Contains(strings.Trim(domain, "."), ".")
}

// validRepositoryID accepts what oai-identifier's repositoryIdentifier
// allows: a domain name of letters, digits, hyphens and dots.
func validRepositoryID(s string) bool {
	if s == "" || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/"+cslSchemaFile) {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		_, _ = w.Write(cslSchema)
		return
	}
	var args url.Values
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		args = r.URL.Query()
	case http.MethodPost:
		ct := r.Header.Get("Content-Type")
		if i := strings.IndexByte(ct, ';'); i >= 0 {
			ct = ct[:i]
		}
		if !strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded") {
			http.Error(w, "OAI-PMH POST requests must be application/x-www-form-urlencoded", http.StatusUnsupportedMediaType)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "unreadable form: "+err.Error(), http.StatusBadRequest)
			return
		}
		args = r.PostForm
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	req := &request{h: h, ctx: r.Context(), now: h.cfg.Now().UTC(), args: args}
	req.base, req.repoID = h.site(r)
	body, err := req.respond()
	if err != nil {
		// Protocol errors are answers, sent with 200 as the protocol
		// asks; only the store failing is a server error.
		h.cfg.Logger.ErrorContext(r.Context(), "oai-pmh request failed", "query", args.Encode(), "err", err)
		http.Error(w, "the repository cannot answer now; try again later", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// site returns the site's base URL and the repository identifier for r.
func (h *Handler) site(r *http.Request) (base, repoID string) {
	base = h.cfg.BaseURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		if h.cfg.TrustForwardedProto {
			if p := strings.ToLower(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0])); p == "http" || p == "https" {
				scheme = p
			}
		}
		host := r.Host
		if host == "" {
			host = "localhost"
		}
		base = scheme + "://" + host
	}
	repoID = h.cfg.RepositoryID
	if repoID == "" {
		host := base
		if u, err := url.Parse(base); err == nil {
			host = u.Host
		}
		if hn, _, err := net.SplitHostPort(host); err == nil {
			host = hn
		}
		host = strings.Trim(host, "[]")
		if !validRepositoryID(host) {
			host = "localhost"
		}
		repoID = strings.ToLower(host)
	}
	return base, repoID
}
