// Package api serves Imprint's read-only JSON API under /api/v1: the
// published publications with their CSL-JSON, experts, the topic and region
// trees, and an OpenAPI 3.1 document describing all of it. Every successful
// read carries a strong ETag and Cache-Control, answers If-None-Match with
// 304, and may be read from any origin.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store"
)

// Prefix is the path every route of the API starts with; mount the handler
// at Prefix (or at "/api/").
const Prefix = "/api/v1/"

// Store is the part of store.Store the API reads.
type Store interface {
	PublicationBySlug(ctx context.Context, slug string) (*model.Publication, error)
	ListPublications(ctx context.Context, q store.PublicationQuery) (*store.PublicationPage, error)
	PersonBySlug(ctx context.Context, slug string) (*model.Person, error)
	ListPeople(ctx context.Context, q store.PeopleQuery) ([]model.Person, error)
	TopicBySlug(ctx context.Context, slug string) (*model.Topic, error)
	ListTopics(ctx context.Context) ([]model.Topic, error)
	RegionBySlug(ctx context.Context, slug string) (*model.Region, error)
	ListRegions(ctx context.Context) ([]model.Region, error)
	PublicationsByID(ctx context.Context, ids []int64) ([]model.Publication, error)
}

// Config configures the API. The zero value of every field but Store is
// usable.
type Config struct {
	// BaseURL is the site's public address ("https://example.org"), used
	// for the links in responses; without it links are built from the
	// request's Host.
	BaseURL string
	// MaxAge is how long clients and caches may reuse a response without
	// asking again; 0 means DefaultMaxAge.
	MaxAge time.Duration
	// StaleWhileRevalidate is how long past MaxAge a cache may serve a
	// response while it revalidates; 0 means DefaultStaleWhileRevalidate.
	StaleWhileRevalidate time.Duration
	// Search answers /api/v1/search; nil answers 501 there, for a site
	// without a search index.
	Search search.Index
	// Logger receives server errors; nil discards them.
	Logger *slog.Logger
}

// Defaults for Config. Publications change rarely and a stale list costs
// little, but editors expect a correction to show within minutes.
const (
	DefaultMaxAge               = 60 * time.Second
	DefaultStaleWhileRevalidate = 5 * time.Minute
)

type server struct {
	store        Store
	baseURL      string
	cacheControl string
	log          *slog.Logger
	index        search.Index
}

// New returns the API's handler reading from st. It fails when cfg.BaseURL
// is not an absolute http(s) URL.
func New(st Store, cfg Config) (http.Handler, error) {
	s, err := newServer(st, cfg)
	if err != nil {
		return nil, err
	}
	return s.mux(), nil
}

func newServer(st Store, cfg Config) (*server, error) {
	if st == nil {
		return nil, errors.New("api: no store")
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("api: BaseURL %q: want an absolute http or https URL", cfg.BaseURL)
		}
	}
	maxAge, swr := cfg.MaxAge, cfg.StaleWhileRevalidate
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	if swr <= 0 {
		swr = DefaultStaleWhileRevalidate
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &server{
		store:   st,
		baseURL: base,
		cacheControl: fmt.Sprintf("public, max-age=%d, stale-while-revalidate=%d",
			int(maxAge.Seconds()), int(swr.Seconds())),
		log:   log,
		index: cfg.Search,
	}
	return s, nil
}

// absURL returns the absolute URL of path on this site.
func (s *server) absURL(r *http.Request, path string) string {
	if s.baseURL != "" {
		return s.baseURL + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
