package api

import (
	"context"
	"errors"
	"net/http"

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
	p := s.params(w, r, "type", "topic", "region", "expert", "status", "from", "to", "limit", "cursor")
	f := publicationFilter{q: store.PublicationQuery{Status: model.StatusPublished, Subtree: true}}
	if v := p.get("status"); v != "" && v != string(model.StatusPublished) {
		p.fail("status", "only published publications are public; use status=published or leave it out")
	}
	f.q.Type = p.publicationType()
	_, f.q.TopicID = p.record("topic")
	_, f.q.RegionID = p.record("region")
	_, f.q.PersonID = p.record("expert")
	f.from, f.to = p.dates()
	f.q.Limit = p.number("limit", DefaultLimit, MaxLimit)
	f.q.Cursor = p.get("cursor")
	return f, p.ok()
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
