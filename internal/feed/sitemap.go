package feed

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// maxSitemapURLs is the sitemaps protocol's limit on addresses per file.
const maxSitemapURLs = 50000

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// urls lists every public page: the home page, then each published
// publication with its last change as lastmod, then each expert, topic and
// region; it also returns the latest change of any publication.
func (h *Handler) urls(ctx context.Context, base string) ([]sitemapURL, time.Time, error) {
	var newest time.Time
	out := []sitemapURL{{Loc: base + "/"}}
	add := func(slug string, updated time.Time) {
		out = append(out, sitemapURL{base + "/publications/" + slug, updated.UTC().Format(time.RFC3339)})
		if updated.After(newest) {
			newest = updated
		}
	}
	// A store that lists slugs and change times alone spares loading
	// every record: 100,000 publications take seconds through
	// ListPublications.
	if sl, ok := h.store.(stamper); ok {
		for after := ""; ; {
			page, err := sl.Stamps(ctx, after, store.MaxStamps)
			if err != nil {
				return nil, newest, fmt.Errorf("sitemap: publications: %w", err)
			}
			if len(page) == 0 {
				break
			}
			for _, st := range page {
				add(st.Slug, st.UpdatedAt)
			}
			after = page[len(page)-1].Slug
		}
		return h.termURLs(ctx, base, out, newest)
	}
	q := store.PublicationQuery{Status: model.StatusPublished, Limit: store.MaxLimit}
	for {
		page, err := h.store.ListPublications(ctx, q)
		if err != nil {
			return nil, newest, fmt.Errorf("sitemap: publications: %w", err)
		}
		for _, p := range page.Items {
			add(p.Slug, p.UpdatedAt)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	return h.termURLs(ctx, base, out, newest)
}

// stamper is the part of store.Harvester the sitemap uses when the store
// has it.
type stamper interface {
	Stamps(ctx context.Context, after string, limit int) ([]store.Stamp, error)
}

// termURLs adds the expert, topic and region pages to out.
func (h *Handler) termURLs(ctx context.Context, base string, out []sitemapURL, newest time.Time) ([]sitemapURL, time.Time, error) {
	people, err := h.store.ListPeople(ctx, store.PeopleQuery{})
	if err != nil {
		return nil, newest, fmt.Errorf("sitemap: people: %w", err)
	}
	for _, p := range people {
		out = append(out, sitemapURL{Loc: base + "/experts/" + p.Slug})
	}
	topics, err := h.store.ListTopics(ctx)
	if err != nil {
		return nil, newest, fmt.Errorf("sitemap: topics: %w", err)
	}
	for _, t := range topics {
		out = append(out, sitemapURL{Loc: base + "/topics/" + t.Slug})
	}
	regions, err := h.store.ListRegions(ctx)
	if err != nil {
		return nil, newest, fmt.Errorf("sitemap: regions: %w", err)
	}
	for _, g := range regions {
		out = append(out, sitemapURL{Loc: base + "/regions/" + g.Slug})
	}
	return out, newest, nil
}

// sitemap serves /sitemap.xml: the one sitemap while the site fits in one
// file, otherwise an index of /sitemaps/N.xml, which it also serves.
func (h *Handler) sitemap(w http.ResponseWriter, r *http.Request) {
	base := h.base(r)
	part := 0 // 0: /sitemap.xml
	if f := r.PathValue("file"); f != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(f, ".xml"))
		if err != nil || n < 1 || !strings.HasSuffix(f, ".xml") || strconv.Itoa(n)+".xml" != f {
			http.NotFound(w, r)
			return
		}
		part = n
	}
	urls, newest, err := h.urls(r.Context(), base)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	limit := h.cfg.SitemapLimit
	parts := (len(urls) + limit - 1) / limit
	var doc any
	switch {
	case part == 0 && parts <= 1:
		doc = urlSet{URLs: urls}
	case part == 0:
		idx := sitemapIndex{}
		lastmod := ""
		if !newest.IsZero() {
			lastmod = newest.UTC().Format(time.RFC3339)
		}
		for i := 1; i <= parts; i++ {
			idx.Sitemaps = append(idx.Sitemaps, sitemapURL{base + "/sitemaps/" + strconv.Itoa(i) + ".xml", lastmod})
		}
		doc = idx
	case parts <= 1 || part > parts:
		http.NotFound(w, r)
		return
	default:
		doc = urlSet{URLs: urls[(part-1)*limit : min(part*limit, len(urls))]}
	}
	body, err := marshalXML(doc)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serve(w, r, "application/xml; charset=utf-8", newest, body)
}

// robots serves /robots.txt: everything may be crawled, and the sitemap
// says where.
func (h *Handler) robots(w http.ResponseWriter, r *http.Request) {
	body := "User-agent: *\nAllow: /\n\nSitemap: " + h.base(r) + "/sitemap.xml\n"
	serve(w, r, "text/plain; charset=utf-8", time.Time{}, []byte(body))
}
