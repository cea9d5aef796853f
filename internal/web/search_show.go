package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
)

// searchView is the search page.
type searchView struct {
	Query            string // the words as typed
	Type             string
	Topic            string // kept through a new search of the form
	Region           string
	Expert           string
	From, To         string
	Searched         bool // false: show the form only
	Total            int
	Hits             []searchHitView
	Facets           []facetView
	Active           []linkView // filters in force, each linking to the page without it
	PrevURL, NextURL string
	Page, Pages      int
	Truncated        bool
	// Windowed is how many matches were ranked when more matched, 0
	// otherwise.
	Windowed       int
	Types          []linkView // Name: label, URL: value, for the form's select
	ResultsHeading string
}

// searchHitView is one result.
type searchHitView struct {
	cardView
	Snippet template.HTML
}

// facetView is one facet: its values as links that narrow the search.
type facetView struct {
	Name   string
	Values []facetValueView
}

type facetValueView struct {
	Name    string
	URL     string
	Count   int
	Current bool
}

// searchParams are the query parameters the page reads and writes back
// into its links, in the order they appear in URLs.
var searchParams = []string{"q", "type", "topic", "region", "expert", "from", "to"}

// searchShow serves GET /search: the form, and when it has been filled in,
// one page of results with facets to narrow them.
func (s *server) searchShow(w http.ResponseWriter, r *http.Request) {
	if s.search == nil {
		s.render(w, r, http.StatusServiceUnavailable, "error", page{
			Title: "Search unavailable",
			Data:  errorView{Heading: "Search unavailable", Message: "This site has no search index. Browse by topic or expert instead."},
		})
		return
	}
	in := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(in.Get(k)) }
	q := search.Query{Text: get("q"), Type: model.Type(get("type")), Topic: get("topic"), Region: get("region"),
		Expert: get("expert"), Page: pageNumber(r), PerPage: perPage}
	var err error
	if q.From, err = search.DateBound(get("from"), false); err == nil {
		q.To, err = search.DateBound(get("to"), true)
	}
	if err != nil {
		s.badRequest(w, r, "Unreadable date", strings.TrimPrefix(err.Error(), search.ErrInvalid.Error()+": "), "", nil)
		return
	}
	v := searchView{Query: q.Text, Type: string(q.Type), Topic: q.Topic, Region: q.Region, Expert: q.Expert,
		From: get("from"), To: get("to"), Types: typeOptions()}
	p := page{Title: "Search", Section: "search", Canonical: s.absURL(r, "/search"), Data: &v}
	if search.Parse(q.Text).Empty() && !q.Filtered() {
		s.render(w, r, http.StatusOK, "search", p)
		return
	}
	res, err := s.search.Search(r.Context(), q)
	switch {
	case errors.Is(err, search.ErrInvalid):
		s.badRequest(w, r, "Search not understood", err.Error(), "", nil)
		return
	case err != nil:
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
	byID := make(map[int64]*model.Publication, len(pubs))
	for i := range pubs {
		byID[pubs[i].ID] = &pubs[i]
	}
	for _, h := range res.Hits {
		// A publication deleted between the two reads is left out.
		if pub := byID[h.ID]; pub != nil {
			v.Hits = append(v.Hits, searchHitView{cardView: s.card(pub), Snippet: h.Snippet})
		}
	}
	v.Searched, v.Total, v.Truncated = true, res.Total, res.Parsed.Truncated
	if res.Windowed() {
		v.Windowed = res.Ranked
	}
	v.Page, v.Pages = res.Page, res.Pages()
	if res.Page > 1 {
		v.PrevURL = searchURL(in, "page", strconv.Itoa(min(res.Page-1, max(v.Pages, 1))))
	}
	if res.Page < v.Pages {
		v.NextURL = searchURL(in, "page", strconv.Itoa(res.Page+1))
	}
	switch {
	case v.Total == 0:
		v.ResultsHeading = "No results"
	case v.Total == 1:
		v.ResultsHeading = "1 result"
	case res.TotalEstimated:
		v.ResultsHeading = "About " + res.TotalText() + " results"
	default:
		v.ResultsHeading = res.TotalText() + " results"
	}
	v.Facets = searchFacets(in, res.Facets)
	v.Active = activeFilters(in, res.Facets)
	if q.Text != "" {
		p.Title = "Search: " + q.Text
	}
	s.render(w, r, http.StatusOK, "search", p)
}

// searchURL returns /search with the parameters of in, key set to value
// ("" removes it), and the page reset unless key is the page.
func searchURL(in url.Values, key, value string) string {
	out := url.Values{}
	for _, k := range searchParams {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			out.Set(k, v)
		}
	}
	if key == "page" {
		out.Set("page", value)
	} else if value == "" {
		out.Del(key)
	} else {
		out.Set(key, value)
	}
	if out.Get("page") == "1" {
		out.Del("page")
	}
	if len(out) == 0 {
		return "/search"
	}
	return "/search?" + out.Encode()
}

// searchFacets turns facet counts into links that narrow the search.
func searchFacets(in url.Values, f search.Facets) []facetView {
	var out []facetView
	add := func(name, param string, vs []search.FacetValue, label func(search.FacetValue) string) {
		if len(vs) == 0 {
			return
		}
		fv := facetView{Name: name}
		for _, v := range vs {
			cur := in.Get(param) == v.Value
			fv.Values = append(fv.Values, facetValueView{Name: label(v), URL: searchURL(in, param, v.Value), Count: v.Count, Current: cur})
		}
		out = append(out, fv)
	}
	named := func(v search.FacetValue) string { return v.Name }
	add("Type", "type", f.Types, func(v search.FacetValue) string { return model.Type(v.Value).Label() })
	add("Topic", "topic", f.Topics, named)
	add("Region", "region", f.Regions, named)
	add("Expert", "expert", f.Experts, named)
	return out
}

// activeFilters lists the filters in force, each with a link that drops it.
func activeFilters(in url.Values, f search.Facets) []linkView {
	name := func(vs []search.FacetValue, value string) string {
		for _, v := range vs {
			if v.Value == value {
				return v.Name
			}
		}
		return value
	}
	var out []linkView
	for _, k := range searchParams[1:] {
		v := strings.TrimSpace(in.Get(k))
		if v == "" {
			continue
		}
		label := v
		switch k {
		case "type":
			label = "Type: " + model.Type(v).Label()
		case "topic":
			label = "Topic: " + name(f.Topics, v)
		case "region":
			label = "Region: " + name(f.Regions, v)
		case "expert":
			label = "Expert: " + name(f.Experts, v)
		case "from":
			label = "From " + v
		case "to":
			label = "To " + v
		}
		out = append(out, linkView{Name: label, URL: searchURL(in, k, "")})
	}
	return out
}

// typeOptions are the publication types the form offers.
func typeOptions() []linkView {
	var out []linkView
	for _, t := range model.Types() {
		out = append(out, linkView{Name: t.Label(), URL: string(t)})
	}
	return out
}
