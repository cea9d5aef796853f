package oaipmh

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"time"
)

// listState is where a list request stands: its original arguments with
// until frozen at the harvest's start, and the key of the last item sent.
// A resumption token carries it, so the server keeps no harvest state.
type listState struct {
	verb    string
	prefix  string
	set     string
	from    time.Time // zero: unbounded
	until   time.Time // always set: the harvest's start at the latest
	after   time.Time // datestamp of the last item sent
	slug    string    // slug of the last item sent; "" on the first page
	cursor  int       // items sent before this page
	total   int       // completeListSize, counted on the first page
	expires time.Time
}

// encode writes the state as an opaque token of URL-safe characters.
func (s listState) encode() string {
	v := url.Values{}
	v.Set("v", s.verb)
	v.Set("m", s.prefix)
	if s.set != "" {
		v.Set("s", s.set)
	}
	if !s.from.IsZero() {
		v.Set("f", strconv.FormatInt(s.from.UnixMicro(), 10))
	}
	v.Set("u", strconv.FormatInt(s.until.UnixMicro(), 10))
	v.Set("a", strconv.FormatInt(s.after.UnixMicro(), 10))
	v.Set("k", s.slug)
	v.Set("c", strconv.Itoa(s.cursor))
	v.Set("n", strconv.Itoa(s.total))
	v.Set("e", strconv.FormatInt(s.expires.Unix(), 10))
	return base64.RawURLEncoding.EncodeToString([]byte(v.Encode()))
}

// decodeToken reads a token encode wrote and that has not expired at now.
func decodeToken(tok string, now time.Time) (listState, *protoError) {
	bad := perr(errBadResumptionToken, "the resumption token %q is not one this repository issued", tok)
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return listState{}, bad
	}
	v, err := url.ParseQuery(string(raw))
	if err != nil {
		return listState{}, bad
	}
	for _, k := range []string{"v", "m", "u", "a", "k", "c", "n", "e"} {
		if len(v[k]) != 1 {
			return listState{}, bad
		}
	}
	micros := func(k string) (time.Time, bool) {
		n, err := strconv.ParseInt(v.Get(k), 10, 64)
		return time.UnixMicro(n).UTC(), err == nil
	}
	s := listState{verb: v.Get("v"), prefix: v.Get("m"), set: v.Get("s"), slug: v.Get("k")}
	var ok1, ok2, ok3 bool
	s.until, ok1 = micros("u")
	s.after, ok2 = micros("a")
	s.from, ok3 = time.Time{}, true
	if v.Has("f") {
		s.from, ok3 = micros("f")
	}
	c, err1 := strconv.Atoi(v.Get("c"))
	e, err2 := strconv.ParseInt(v.Get("e"), 10, 64)
	n, err3 := strconv.Atoi(v.Get("n"))
	if !ok1 || !ok2 || !ok3 || err1 != nil || err2 != nil || err3 != nil || c < 0 || n < c || s.slug == "" {
		return listState{}, bad
	}
	s.cursor, s.total, s.expires = c, n, time.Unix(e, 0).UTC()
	if now.After(s.expires) {
		return listState{}, perr(errBadResumptionToken, "the resumption token expired at %s; start the harvest again", datestamp(s.expires))
	}
	return s, nil
}
