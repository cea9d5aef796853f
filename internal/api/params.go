package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// params reads the query parameters of one request. The first problem is
// answered (400 naming the parameter, or 500) and later reads return zero
// values; ok reports whether the request may go on.
type params struct {
	s      *server
	w      http.ResponseWriter
	r      *http.Request
	vals   url.Values
	failed bool
}

// params starts reading r's parameters, refusing any not in allowed so
// that a misspelt filter is not silently ignored.
func (s *server) params(w http.ResponseWriter, r *http.Request, allowed ...string) *params {
	p := &params{s: s, w: w, r: r, vals: r.URL.Query()}
	names := make([]string, 0, len(p.vals))
	for name := range p.vals {
		names = append(names, name)
	}
	slices.Sort(names) // the same request always names the same parameter
	for _, name := range names {
		switch {
		case !slices.Contains(allowed, name):
			p.fail(name, "unknown parameter; see "+Prefix+"openapi.json")
		case len(p.vals[name]) > 1:
			p.fail(name, "given more than once")
		}
	}
	return p
}

func (p *params) ok() bool { return !p.failed }

func (p *params) fail(name, message string) {
	if !p.failed {
		p.failed = true
		badParam(p.w, p.r, name, message)
	}
}

// get returns the parameter's value, trimmed; "" when absent.
func (p *params) get(name string) string {
	if p.failed {
		return ""
	}
	return strings.TrimSpace(p.vals.Get(name))
}

// publicationType reads "type".
func (p *params) publicationType() model.Type {
	v := p.get("type")
	if v != "" && !model.Type(v).Valid() {
		p.fail("type", fmt.Sprintf("unknown type %q", v))
		return ""
	}
	return model.Type(v)
}

// record reads a parameter naming a topic, region or expert by slug and
// returns the slug and the record's ID; an unknown slug is a bad
// parameter, not an empty list, so that a typo is noticed.
func (p *params) record(name string) (string, int64) {
	v := p.get(name)
	if v == "" {
		return "", 0
	}
	if !model.ValidSlug(v) {
		p.fail(name, fmt.Sprintf("%q is not a slug", v))
		return "", 0
	}
	ctx := p.r.Context()
	var id int64
	var err error
	switch name {
	case "topic":
		var t *model.Topic
		if t, err = p.s.store.TopicBySlug(ctx, v); err == nil {
			id = t.ID
		}
	case "region":
		var g *model.Region
		if g, err = p.s.store.RegionBySlug(ctx, v); err == nil {
			id = g.ID
		}
	case "expert":
		var e *model.Person
		if e, err = p.s.store.PersonBySlug(ctx, v); err == nil {
			id = e.ID
		}
	default:
		err = fmt.Errorf("parameter %s names no kind of record", name)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		p.fail(name, fmt.Sprintf("no %s %q", name, v))
		return "", 0
	case err != nil:
		if !p.failed {
			p.failed = true
			p.s.serverError(p.w, p.r, fmt.Errorf("parameter %s=%q: %w", name, v, err))
		}
		return "", 0
	}
	return v, id
}

// dates reads "from" and "to" as model.Date sort keys, 0 when absent.
func (p *params) dates() (from, to int) {
	for _, b := range []struct {
		name string
		dst  *int
		end  bool
	}{{"from", &from, false}, {"to", &to, true}} {
		v := p.get(b.name)
		if v == "" {
			continue
		}
		k, err := dateBound(v, b.end)
		if err != nil {
			p.fail(b.name, err.Error())
			return 0, 0
		}
		*b.dst = k
	}
	if from != 0 && to != 0 && from > to {
		p.fail("from", "is after to")
		return 0, 0
	}
	return from, to
}

// number reads a whole number from 1 to maxN, def when absent.
func (p *params) number(name string, def, maxN int) int {
	v := p.get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxN {
		p.fail(name, fmt.Sprintf("%q: want a whole number from 1 to %d", v, maxN))
		return 0
	}
	return n
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
