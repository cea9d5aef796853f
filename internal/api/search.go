package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
)

// searchResult is one page of search hits.
type searchResult struct {
	Query string `json:"query"`
	// Understood is the query as parsed: its terms, "phrases" and
	// prefixes*, so that a client can show what was searched for.
	Understood string `json:"understood"`
	Truncated  bool   `json:"truncated,omitempty"`
	Total      int    `json:"total"`
	// TotalCapped says that more matched than were counted: Total is a
	// lower bound. Ranked is how many matches the hits and facets cover.
	TotalCapped bool `json:"total_capped,omitempty"`
	// TotalEstimated says that Total is the database's estimate, to two
	// significant digits, not a count.
	TotalEstimated bool         `json:"total_estimated,omitempty"`
	Ranked         int          `json:"ranked"`
	Page           int          `json:"page"`
	Pages          int          `json:"pages"`
	Limit          int          `json:"limit"`
	Data           []searchHit  `json:"data"`
	Facets         searchFacets `json:"facets"`
	Links          struct {
		Self string `json:"self"`
		Prev string `json:"prev,omitempty"`
		Next string `json:"next,omitempty"`
	} `json:"links"`
}

type searchHit struct {
	publicationView
	Score float64 `json:"score"`
	// SnippetHTML is a passage with the matched words in <mark>,
	// escaped: safe to insert into a page as HTML.
	SnippetHTML string `json:"snippet_html,omitempty"`
}

type searchFacets struct {
	Types   []facetValue `json:"types"`
	Topics  []facetValue `json:"topics"`
	Regions []facetValue `json:"regions"`
	Experts []facetValue `json:"experts"`
}

type facetValue struct {
	Value string `json:"value"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// facetValues converts counts; types come without a name, and get the
// label readers see.
func facetValues(fs []search.FacetValue, types bool) []facetValue {
	out := make([]facetValue, len(fs))
	for i, f := range fs {
		out[i] = facetValue{f.Value, f.Name, f.Count}
		if types && f.Name == "" {
			out[i].Name = model.Type(f.Value).Label()
		}
	}
	return out
}

// search serves GET /api/v1/search: full-text search over published
// publications, ranked, with facet counts. It is paged by number rather
// than cursor, since a ranking has no stable position to continue from.
func (s *server) search(w http.ResponseWriter, r *http.Request) {
	if s.index == nil {
		writeError(w, r, http.StatusNotImplemented, "not_implemented",
			"this site has no search index; filter "+Prefix+"publications by type, topic, region, expert and date instead")
		return
	}
	p := s.params(w, r, "q", "type", "topic", "region", "expert", "from", "to", "page", "limit")
	q := search.Query{Text: p.get("q"), Type: p.publicationType()}
	q.Topic, _ = p.record("topic")
	q.Region, _ = p.record("region")
	q.Expert, _ = p.record("expert")
	q.From, q.To = p.dates()
	q.Page = p.number("page", 1, search.MaxPage)
	q.PerPage = p.number("limit", DefaultLimit, min(MaxLimit, search.MaxPerPage))
	if !p.ok() {
		return
	}
	res, err := s.index.Search(r.Context(), q)
	if errors.Is(err, search.ErrInvalid) {
		writeError(w, r, http.StatusBadRequest, "bad_parameter", err.Error())
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	pubs, err := s.store.PublicationsByID(r.Context(), ids)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byID := make(map[int64]int, len(pubs))
	for i := range pubs {
		byID[pubs[i].ID] = i
	}
	out := searchResult{
		Query: q.Text, Understood: res.Parsed.String(), Truncated: res.Parsed.Truncated,
		Total: res.Total, TotalCapped: res.TotalCapped, TotalEstimated: res.TotalEstimated, Ranked: res.Ranked, Page: res.Page, Pages: res.Pages(), Limit: res.PerPage,
		Data: make([]searchHit, 0, len(res.Hits)),
		Facets: searchFacets{
			Types: facetValues(res.Facets.Types, true), Topics: facetValues(res.Facets.Topics, false),
			Regions: facetValues(res.Facets.Regions, false), Experts: facetValues(res.Facets.Experts, false),
		},
	}
	for _, h := range res.Hits {
		// A hit deleted or unpublished since the index was read is left
		// out rather than shown.
		i, ok := byID[h.ID]
		if !ok || !pubs[i].IsPublished() {
			continue
		}
		out.Data = append(out.Data, searchHit{
			publicationView: s.publicationView(r, &pubs[i], false),
			Score:           h.Score,
			SnippetHTML:     string(h.Snippet),
		})
	}
	out.Links.Self = s.absURL(r, r.URL.RequestURI())
	pageURL := func(n int) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(n))
		return s.absURL(r, r.URL.Path+"?"+v.Encode())
	}
	if res.Page > 1 {
		out.Links.Prev = pageURL(res.Page - 1)
	}
	if res.Page < res.Pages() {
		out.Links.Next = pageURL(res.Page + 1)
	}
	s.writeJSON(w, r, out)
}
