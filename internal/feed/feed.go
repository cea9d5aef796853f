// Package feed serves what lets readers and machines follow the site: Atom,
// RSS 2.0 and JSON Feed 1.1 of the newest publications, for the whole site
// and for each topic, region, expert and type; sitemap.xml (split into a
// sitemap index past 50,000 addresses); and robots.txt naming the sitemap.
//
// Every document is rendered whole, then served with an ETag (a hash of the
// body) and a Last-Modified (the newest change among its items), so that
// feed readers polling every few minutes get 304 Not Modified until
// something changes.
package feed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Store is what feeds and sitemaps read; any store.Store satisfies it.
type Store interface {
	ListPublications(ctx context.Context, q store.PublicationQuery) (*store.PublicationPage, error)
	PersonBySlug(ctx context.Context, slug string) (*model.Person, error)
	ListPeople(ctx context.Context, q store.PeopleQuery) ([]model.Person, error)
	TopicBySlug(ctx context.Context, slug string) (*model.Topic, error)
	ListTopics(ctx context.Context) ([]model.Topic, error)
	RegionBySlug(ctx context.Context, slug string) (*model.Region, error)
	ListRegions(ctx context.Context) ([]model.Region, error)
}

var _ Store = store.Store(nil)

// Config is what the feeds need to know about the site.
type Config struct {
	// BaseURL is the site's public address ("https://example.org"). Empty
	// means the request's scheme and host.
	BaseURL string
	// TrustForwardedProto takes the scheme from X-Forwarded-Proto when
	// BaseURL is empty (behind a TLS-terminating proxy).
	TrustForwardedProto bool
	// SiteName titles the feeds; default "Imprint Institute".
	SiteName string
	// Limit is how many publications a feed holds; default 50.
	Limit int
	// SitemapLimit is how many addresses one sitemap file holds before
	// sitemap.xml becomes an index; default and maximum 50,000, the
	// protocol's limit.
	SitemapLimit int
	// Logger receives store failures; nil discards them.
	Logger *slog.Logger
}

// Patterns are the routes the Handler answers, in http.ServeMux syntax, so
// that the site's mux can send them here.
var Patterns = []string{
	"GET /feed.atom", "GET /feed.rss", "GET /feed.json",
	"GET /topics/{slug}/feed.atom", "GET /topics/{slug}/feed.rss", "GET /topics/{slug}/feed.json",
	"GET /regions/{slug}/feed.atom", "GET /regions/{slug}/feed.rss", "GET /regions/{slug}/feed.json",
	"GET /experts/{slug}/feed.atom", "GET /experts/{slug}/feed.rss", "GET /experts/{slug}/feed.json",
	"GET /types/{type}/feed.atom", "GET /types/{type}/feed.rss", "GET /types/{type}/feed.json",
	"GET /sitemap.xml", "GET /sitemaps/{file}", "GET /robots.txt",
}

// Handler serves the feeds, sitemaps and robots.txt at Patterns.
type Handler struct {
	store Store
	cfg   Config
	mux   *http.ServeMux
}

// New returns the handler. An invalid BaseURL is an error.
func New(s Store, cfg Config) (*Handler, error) {
	if s == nil {
		return nil, errors.New("feed: store is nil")
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("feed: Config.BaseURL %q is not an absolute http or https URL", cfg.BaseURL)
		}
		cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "Imprint Institute"
	}
	if cfg.Limit <= 0 {
		cfg.Limit = 50
	}
	cfg.Limit = min(cfg.Limit, store.MaxLimit)
	if cfg.SitemapLimit <= 0 || cfg.SitemapLimit > maxSitemapURLs {
		cfg.SitemapLimit = maxSitemapURLs
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{store: s, cfg: cfg, mux: http.NewServeMux()}
	for _, p := range Patterns {
		switch {
		case strings.HasSuffix(p, "/robots.txt"):
			h.mux.HandleFunc(p, h.robots)
		case strings.Contains(p, "sitemap"):
			h.mux.HandleFunc(p, h.sitemap)
		default:
			h.mux.HandleFunc(p, h.feed)
		}
	}
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// base returns the site's address for r.
func (h *Handler) base(r *http.Request) string {
	if h.cfg.BaseURL != "" {
		return h.cfg.BaseURL
	}
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
	return scheme + "://" + host
}

// serve writes body with validators, answering 304 when the client's copy
// is current. http.ServeContent checks If-None-Match against the ETag
// before If-Modified-Since, as RFC 9110 orders them.
func serve(w http.ResponseWriter, r *http.Request, contentType string, modified time.Time, body []byte) {
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	w.Header().Set("Cache-Control", "public, max-age=300")
	http.ServeContent(w, r, "", modified, bytes.NewReader(body))
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.cfg.Logger.ErrorContext(r.Context(), "feed failed", "path", r.URL.Path, "err", err)
	http.Error(w, "the feed cannot be built now; try again later", http.StatusInternalServerError)
}

// summaries renders editors' Markdown for feed readers: goldmark drops raw
// HTML, and the sanitizer is the guarantee for imported records.
type summaries struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

var sum = summaries{md: goldmark.New(), policy: bluemonday.UGCPolicy()}

// html returns the summary as sanitized HTML, "" when there is none.
func (s summaries) html(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := s.md.Convert([]byte(src), &buf); err != nil {
		return "<p>" + html.EscapeString(src) + "</p>"
	}
	return strings.TrimSpace(s.policy.Sanitize(buf.String()))
}

// text returns the summary as plain text on one line.
func (s summaries) text(src string) string {
	h := s.html(src)
	return strings.Join(strings.Fields(html.UnescapeString(bluemonday.StrictPolicy().Sanitize(h))), " ")
}
