package oaipmh

import (
	"fmt"
	"strconv"
	"time"

	"github.com/imprintpub/imprint/internal/store"
)

// parseDate reads a from or until argument at either granularity the
// repository supports, returning the first and the last microsecond it
// covers and whether it was a day.
func parseDate(name, s string) (first, last time.Time, day bool, err *protoError) {
	switch len(s) {
	case len("2006-01-02"):
		t, e := time.Parse("2006-01-02", s)
		if e == nil {
			return t, t.Add(24*time.Hour - time.Microsecond), true, nil
		}
	case len("2006-01-02T15:04:05Z"):
		t, e := time.Parse("2006-01-02T15:04:05Z", s)
		if e == nil {
			return t, t.Add(time.Second - time.Microsecond), false, nil
		}
	}
	return time.Time{}, time.Time{}, false, perr(errBadArgument,
		"%s=%q: want a UTC date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ", name, s)
}

// start reads the arguments of the first request of a list.
func (q *request) start() (listState, error) {
	st := listState{verb: q.verb, prefix: q.args.Get("metadataPrefix"), set: q.args.Get("set"), until: q.now}
	var fromDay, untilDay bool
	var fromFirst time.Time
	if q.args.Has("from") {
		var err *protoError
		if st.from, _, fromDay, err = parseDate("from", q.args.Get("from")); err != nil {
			return st, err
		}
		fromFirst = st.from
	}
	if q.args.Has("until") {
		first, last, day, err := parseDate("until", q.args.Get("until"))
		if err != nil {
			return st, err
		}
		untilDay = day
		if q.args.Has("from") && fromDay != untilDay {
			return st, perr(errBadArgument, "from and until must have the same granularity")
		}
		if q.args.Has("from") && fromFirst.After(first) {
			return st, perr(errBadArgument, "from (%s) is later than until (%s)", q.args.Get("from"), q.args.Get("until"))
		}
		// Records changed after the harvest began wait for the next
		// one: until never reaches past now.
		if last.Before(st.until) {
			st.until = last
		}
	}
	if formatByPrefix(st.prefix) == nil {
		return st, perr(errCannotDisseminateFormat, "unknown metadataPrefix %q: see ListMetadataFormats", st.prefix)
	}
	if st.set != "" && q.h.cfg.NoSets {
		return st, perr(errNoSetHierarchy, "this repository does not support sets")
	}
	return st, nil
}

// list answers ListIdentifiers and ListRecords.
func (q *request) list(x *xmlWriter) error {
	var st listState
	if q.args.Has("resumptionToken") {
		var perr0 *protoError
		st, perr0 = decodeToken(q.args.Get("resumptionToken"), q.now)
		if perr0 != nil {
			return perr0
		}
		if st.verb != q.verb || formatByPrefix(st.prefix) == nil {
			return perr(errBadResumptionToken, "the resumption token was issued for another list")
		}
	} else {
		var err error
		if st, err = q.start(); err != nil {
			return err
		}
	}
	f := formatByPrefix(st.prefix)
	tree, err := q.sets()
	if err != nil {
		return err
	}
	hq := store.HarvestQuery{From: st.from, Until: st.until, Limit: q.h.cfg.PageSize}
	if st.set != "" {
		if err := tree.filter(st.set, &hq); err != nil {
			if q.args.Has("resumptionToken") {
				return perr(errBadResumptionToken, "the set of this harvest no longer exists; start again")
			}
			return err
		}
	}
	if st.slug != "" {
		hq.After = &store.HarvestKey{Datestamp: st.after, Slug: st.slug}
	} else {
		hq.Count = true
	}
	page, err := q.h.store.Harvest(q.ctx, hq)
	if err != nil {
		return fmt.Errorf("oaipmh: %s: %w", q.verb, err)
	}
	if len(page.Items) == 0 {
		return perr(errNoRecordsMatch, "no records match the arguments")
	}
	if hq.Count {
		st.total = page.Total
	}
	x.open(q.verb)
	for _, it := range page.Items {
		if q.verb == "ListIdentifiers" {
			q.header(x, tree, it)
		} else {
			q.record(x, f, tree, it)
		}
	}
	// The size is counted once, when the harvest starts, as counting
	// costs a pass over the whole list. With until frozen, records added
	// later are outside the list; one changed or deleted during the
	// harvest moves out of it too (its new datestamp is later), so the
	// count can only overstate, never fall below the cursor. A list
	// continued by a token ends with an empty token.
	size := strconv.Itoa(max(st.total, st.cursor+len(page.Items)))
	switch {
	case page.More:
		last := page.Items[len(page.Items)-1].Key
		next := st
		next.after, next.slug = last.Datestamp, last.Slug
		next.cursor = st.cursor + len(page.Items)
		next.expires = q.now.Add(q.h.cfg.TokenLifetime).Truncate(time.Second)
		x.open("resumptionToken", "expirationDate", datestamp(next.expires), "completeListSize", size, "cursor", strconv.Itoa(st.cursor))
		x.escape(next.encode())
		x.close("resumptionToken")
	case st.slug != "":
		x.empty("resumptionToken", "completeListSize", size, "cursor", strconv.Itoa(st.cursor))
	}
	x.close(q.verb)
	return nil
}
