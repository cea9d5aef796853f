package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Page sizes of list endpoints. MaxLimit is below the store's own cap so
// that one request stays cheap to encode.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// publicationList is one page of publications.
type publicationList struct {
	Data []publicationView `json:"data"`
	// Total counts every match; it is left out when from or to is given,
	// since the store counts without date bounds.
	Total      *int   `json:"total,omitempty"`
	NextCursor string `json:"next_cursor,omitempty"`
	Links      struct {
		Self string `json:"self"`
		Next string `json:"next,omitempty"`
	} `json:"links"`
}

// publicationList serves GET /api/v1/publications: published publications,
// newest first, filtered and paged by cursor.
func (s *server) publicationList(w http.ResponseWriter, r *http.Request) {
	f, ok := s.publicationFilter(w, r)
	if !ok {
		return
	}
	items, total, next, err := s.listPublications(r.Context(), f)
	if err != nil {
		if errors.Is(err, store.ErrInvalid) {
			badParam(w, r, "cursor", "not one this API returned")
			return
		}
		s.serverError(w, r, err)
		return
	}
	out := publicationList{Data: make([]publicationView, 0, len(items)), NextCursor: next}
	for i := range items {
		out.Data = append(out.Data, s.publicationView(r, &items[i], false))
	}
	if f.from == 0 && f.to == 0 {
		out.Total = &total
	}
	out.Links.Self = s.absURL(r, r.URL.RequestURI())
	if next != "" {
		q := r.URL.Query()
		q.Set("cursor", next)
		out.Links.Next = s.absURL(r, r.URL.Path+"?"+q.Encode())
	}
	s.writeJSON(w, r, out)
}

// publicationFilter is a publication list request, read and checked.
type publicationFilter struct {
	q store.PublicationQuery
	// from and to bound the issued date as model.Date sort keys, both
	// inclusive; 0 does not bound.
	from, to int
}

// publicationFilter reads the list parameters, answering 400 and
// reporting false when one cannot be used.
func (s *server) publicationFilter(w http.ResponseWriter, r *http.Request) (publicationFilter, bool) {
	vals := r.URL.Query()
	f := publicationFilter{q: store.PublicationQuery{Status: model.StatusPublished, Subtree: true}}
	for name := range vals {
		if !publicationParams[name] {
			badParam(w, r, name, "unknown parameter; see "+Prefix+"openapi.json")
			return f, false
		}
	}
	get := func(name string) (string, bool) {
		if len(vals[name]) > 1 {
			badParam(w, r, name, "given more than once")
			return "", false
		}
		return strings.TrimSpace(vals.Get(name)), true
	}
	var ok bool
	var v string
	if v, ok = get("status"); !ok {
		return f, false
	} else if v != "" && v != string(model.StatusPublished) {
		badParam(w, r, "status", "only published publications are public; use status=published or leave it out")
		return f, false
	}
	if v, ok = get("type"); !ok {
		return f, false
	} else if v != "" {
		if !model.Type(v).Valid() {
			badParam(w, r, "type", fmt.Sprintf("unknown type %q", v))
			return f, false
		}
		f.q.Type = model.Type(v)
	}
	lookups := []struct {
		name string
		dst  *int64
		find func(context.Context, string) (int64, error)
	}{
		{"topic", &f.q.TopicID, func(ctx context.Context, slug string) (int64, error) {
			t, err := s.store.TopicBySlug(ctx, slug)
			if err != nil {
				return 0, err
			}
			return t.ID, nil
		}},
		{"region", &f.q.RegionID, func(ctx context.Context, slug string) (int64, error) {
			g, err := s.store.RegionBySlug(ctx, slug)
			if err != nil {
				return 0, err
			}
			return g.ID, nil
		}},
		{"expert", &f.q.PersonID, func(ctx context.Context, slug string) (int64, error) {
			p, err := s.store.PersonBySlug(ctx, slug)
			if err != nil {
				return 0, err
			}
			return p.ID, nil
		}},
	}
	for _, l := range lookups {
		if v, ok = get(l.name); !ok {
			return f, false
		} else if v == "" {
			continue
		}
		if !model.ValidSlug(v) {
			badParam(w, r, l.name, fmt.Sprintf("%q is not a slug", v))
			return f, false
		}
		id, err := l.find(r.Context(), v)
		if errors.Is(err, store.ErrNotFound) {
			badParam(w, r, l.name, fmt.Sprintf("no %s %q", l.name, v))
			return f, false
		} else if err != nil {
			s.serverError(w, r, err)
			return f, false
		}
		*l.dst = id
	}
	for _, b := range []struct {
		name string
		dst  *int
		end  bool
	}{{"from", &f.from, false}, {"to", &f.to, true}} {
		if v, ok = get(b.name); !ok {
			return f, false
		} else if v == "" {
			continue
		}
		k, err := dateBound(v, b.end)
		if err != nil {
			badParam(w, r, b.name, err.Error())
			return f, false
		}
		*b.dst = k
	}
	if f.from != 0 && f.to != 0 && f.from > f.to {
		badParam(w, r, "from", "is after to")
		return f, false
	}
	if f.q.Limit, ok = limitParam(w, r, get); !ok {
		return f, false
	}
	if v, ok = get("cursor"); !ok {
		return f, false
	}
	f.q.Cursor = v
	return f, true
}

// publicationParams are the parameters the publication list reads.
var publicationParams = map[string]bool{
	"type": true, "topic": true, "region": true, "expert": true, "status": true,
	"from": true, "to": true, "limit": true, "cursor": true,
}

// limitParam reads "limit": DefaultLimit when absent, 1 to MaxLimit.
func limitParam(w http.ResponseWriter, r *http.Request, get func(string) (string, bool)) (int, bool) {
	v, ok := get("limit")
	if !ok {
		return 0, false
	}
	if v == "" {
		return DefaultLimit, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxLimit {
		badParam(w, r, "limit", fmt.Sprintf("%q: want a whole number from 1 to %d", v, MaxLimit))
		return 0, false
	}
	return n, true
}

// dateBound reads a date bound, "YYYY", "YYYY-MM" or "YYYY-MM-DD", as a
// model.Date sort key. An end bound covers the whole period it names, so
// that to=2015 keeps everything issued in 2015.
func dateBound(s string, end bool) (int, error) {
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return 0, fmt.Errorf("%q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	d, err := model.ParseDate(s)
	if err != nil || d.IsRange() || d.Circa || d.Start.Season != model.NoSeason {
		return 0, fmt.Errorf("%q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	k := d.SortKey()
	if end {
		switch {
		case d.Start.Month == 0:
			k += 9999
		case d.Start.Day == 0:
			k += 99
		}
	}
	return k, nil
}

// listPublications returns one page for f: the items, the count of all
// matches without date bounds, and the cursor of the next page.
//
// The store filters on everything but the issued date. Its list is newest
// first by issued date, so the bounds are applied on it: the first page
// starts at the first item on or before "to", found by bisecting the list
// by offset, and the list ends at the first item before "from". Only
// cursors the store returned are handed out.
func (s *server) listPublications(ctx context.Context, f publicationFilter) ([]model.Publication, int, string, error) {
	q := f.q
	from := f.from
	if f.to != 0 && from == 0 {
		// An undated publication has sort key 0; a date bound leaves it
		// out, since nothing is known of when it was issued.
		from = 1
	}
	if f.to != 0 && q.Cursor == "" {
		start, done, err := s.firstOnOrBefore(ctx, q, f.to)
		if err != nil || done {
			return nil, 0, "", err
		}
		q.Cursor = start
	}
	page, err := s.store.ListPublications(ctx, q)
	if err != nil {
		return nil, 0, "", err
	}
	items := make([]model.Publication, 0, len(page.Items))
	for _, p := range page.Items {
		k := p.Issued.SortKey()
		if k < from {
			return items, page.Total, "", nil
		}
		// Items after "to" show up only under a cursor from another
		// list, or when publications were added during the bisection.
		if f.to == 0 || k <= f.to {
			items = append(items, p)
		}
	}
	return items, page.Total, page.NextCursor, nil
}

// firstOnOrBefore returns the cursor from which q's list continues with
// the first item issued on or before the sort key to: "" when that is the
// first item, and done when there is none. It bisects the list by offset,
// reading one item a step, so that a bound far in the past costs a few
// short queries instead of a walk past every newer publication.
func (s *server) firstOnOrBefore(ctx context.Context, q store.PublicationQuery, to int) (cursor string, done bool, err error) {
	q.Cursor, q.Limit = "", 1
	at := func(i int) (*store.PublicationPage, error) {
		q.Offset = i
		return s.store.ListPublications(ctx, q)
	}
	first, err := at(0)
	if err != nil {
		return "", true, err
	}
	if len(first.Items) == 0 {
		return "", true, nil
	}
	if first.Items[0].Issued.SortKey() <= to {
		return "", false, nil
	}
	// Invariant: the item at lo-1 is after "to"; from hi on, none is.
	lo, hi := 1, first.Total
	for lo < hi {
		mid := lo + (hi-lo)/2
		page, err := at(mid)
		if err != nil {
			return "", true, err
		}
		if len(page.Items) == 0 || page.Items[0].Issued.SortKey() <= to {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo >= first.Total {
		return "", true, nil
	}
	// The page holding only the last item after "to" ends with the
	// cursor that continues at lo.
	last, err := at(lo - 1)
	if err != nil {
		return "", true, err
	}
	if last.NextCursor == "" {
		// The rest was deleted during the bisection.
		return "", true, nil
	}
	return last.NextCursor, false, nil
}
