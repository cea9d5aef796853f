package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Handler returns next wrapped by the cache.
func (c *Cache) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.serve(w, r, next)
	})
}

// Cache states reported in the X-Cache response header, for operators and
// load tests: whether the response came from the cache.
const (
	stateHit    = "hit"
	stateMiss   = "miss"
	stateBypass = "bypass"
)

// stateValues are the X-Cache header values, allocated once.
var stateValues = map[string][]string{
	stateHit:    []string{stateHit}[:1:1],
	stateMiss:   []string{stateMiss}[:1:1],
	stateBypass: []string{stateBypass}[:1:1],
}

func (c *Cache) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if !c.cacheableRequest(r) {
		c.count(&c.stats.Bypasses)
		next.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	urlKey := requestKey(r)
	e, version, usable := c.lookup(urlKey, r)
	if !usable {
		c.count(&c.stats.Bypasses)
		w.Header().Set("X-Cache", stateBypass)
		next.ServeHTTP(w, r)
		return
	}
	if e != nil {
		status := c.reply(w, r, e, stateHit)
		if status == http.StatusNotModified {
			c.count(&c.stats.NotModified)
		} else {
			c.count(&c.stats.Hits)
		}
		c.logHit(r, status, e, start)
		return
	}
	if r.Method == http.MethodHead {
		// A handler may leave a HEAD response's body out, so it cannot
		// stand for the GET; answered by the site, it is not kept.
		c.count(&c.stats.Misses)
		w.Header().Set("X-Cache", stateMiss)
		next.ServeHTTP(w, r)
		return
	}
	key := flightKey(urlKey, r)
	f, leader := c.join(key, urlKey, version)
	if f != nil && !leader {
		// Another request is rendering this page: wait for it, then
		// look up again.
		timer := time.NewTimer(lockWait)
		select {
		case <-f.done:
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
		timer.Stop()
		if e, _, usable := c.lookup(urlKey, r); usable && e != nil {
			status := c.reply(w, r, e, stateHit)
			c.count(&c.stats.Hits)
			c.logHit(r, status, e, start)
			return
		}
	}
	if leader {
		defer c.land(key, f)
	}
	c.count(&c.stats.Misses)
	rec := &recorder{w: w, header: w.Header().Clone(), max: c.maxEntry}
	next.ServeHTTP(rec, r)
	if rec.status == 0 {
		// Nothing written: an empty 200, as net/http would send.
		rec.status = http.StatusOK
	}
	e, names := c.entryFrom(rec, urlKey, r)
	if e == nil {
		c.markPassing(urlKey, version)
		rec.finish()
		return
	}
	c.store(urlKey, names, e, version)
	c.reply(w, r, e, stateMiss)
}

// logHit writes the access log line of a response from the cache, with
// typed attributes: it runs for every hit, the server's commonest work.
func (c *Cache) logHit(r *http.Request, status int, e *entry, start time.Time) {
	c.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.Int("bytes", bodyBytes(r, status, e)), slog.Duration("duration", time.Since(start)),
		slog.String("cache", stateHit))
}

// cacheableRequest reports whether r may be answered from the cache: an
// anonymous GET or HEAD of the whole representation.
func (c *Cache) cacheableRequest(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	h := r.Header
	if h.Get("Authorization") != "" || h.Get("Range") != "" {
		return false
	}
	for _, name := range c.bypass {
		if _, err := r.Cookie(name); err == nil {
			return false
		}
	}
	return true
}

// requestKey names the resource r asks for: everything in the request that
// a page may depend on apart from the headers its Vary names. The scheme
// and host are part of it because pages print absolute URLs built from
// them when no base URL is configured; X-Forwarded-Proto too, because
// feeds may be told to trust it.
func requestKey(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	var b strings.Builder
	b.Grow(len(r.Host) + len(r.URL.RawPath) + len(r.URL.Path) + len(r.URL.RawQuery) + 16)
	b.WriteString(scheme)
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		b.WriteByte('+')
		b.WriteString(strings.ToLower(p))
	}
	b.WriteString("://")
	b.WriteString(strings.ToLower(r.Host))
	b.WriteString(r.URL.EscapedPath())
	if r.URL.RawQuery != "" || r.URL.ForceQuery {
		b.WriteByte('?')
		b.WriteString(r.URL.RawQuery)
	}
	return b.String()
}

// variantKey extends urlKey with r's values of the headers names lists.
func variantKey(urlKey string, names []string, r *http.Request) string {
	if len(names) == 0 {
		return urlKey + "\x00"
	}
	var b strings.Builder
	b.WriteString(urlKey)
	b.WriteByte('\x00')
	for _, n := range names {
		b.WriteString(strings.Join(r.Header.Values(n), ","))
		b.WriteByte('\x00')
	}
	return b.String()
}

// varyNames reads the header names a response's Vary lists, canonical and
// sorted, and whether the response may be kept at all ("Vary: *" says
// that no request header list can tell its variants apart).
func varyNames(h http.Header) ([]string, bool) {
	var names []string
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			if f == "*" {
				return nil, false
			}
			names = append(names, http.CanonicalHeaderKey(f))
		}
	}
	slices.Sort(names)
	return slices.Compact(names), true
}

// entryFrom turns a recorded response into an entry when it may be kept.
func (c *Cache) entryFrom(rec *recorder, urlKey string, r *http.Request) (*entry, []string) {
	if rec.passing || rec.status != http.StatusOK {
		return nil, nil
	}
	h := rec.header
	if _, ok := h["Set-Cookie"]; ok {
		return nil, nil
	}
	for _, v := range h.Values("Cache-Control") {
		for d := range strings.SplitSeq(strings.ToLower(v), ",") {
			d, _, _ = strings.Cut(strings.TrimSpace(d), "=")
			if d == "no-store" || d == "private" || d == "no-cache" {
				return nil, nil
			}
		}
	}
	names, ok := varyNames(h)
	if !ok {
		return nil, nil
	}
	header := h.Clone()
	// Recomputed for each reply; the time of the first would be wrong for
	// the rest.
	header.Del("Content-Length")
	header.Del("Date")
	header.Del("X-Cache")
	if header.Get("ETag") == "" {
		sum := sha256.Sum256(rec.buf.Bytes())
		header.Set("ETag", `"`+base64.RawURLEncoding.EncodeToString(sum[:18])+`"`)
	}
	if header.Get("Cache-Control") == "" {
		header.Set("Cache-Control", c.cacheControl)
	}
	// Replies share these slices; capacity equal to length makes any
	// append by a later handler copy rather than write into them.
	for k, v := range header {
		header[k] = slices.Clip(v)
	}
	body := bytes.Clone(rec.buf.Bytes())
	e := &entry{
		key:    variantKey(urlKey, names, r),
		header: header,
		body:   body,
		etag:   header.Get("ETag"),
		length: []string{strconv.Itoa(len(body))}[:1:1],
	}
	e.size = int64(len(body) + len(e.key) + 64)
	for k, v := range header {
		e.size += int64(len(k))
		for _, s := range v {
			e.size += int64(len(s) + 16)
		}
	}
	return e, names
}

// reply answers r with e: 304 when If-None-Match names e's ETag, else the
// whole response (its headers only for HEAD). It returns the status.
func (c *Cache) reply(w http.ResponseWriter, r *http.Request, e *entry, state string) int {
	h := w.Header()
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, e.etag) {
		// RFC 9110 15.4.5: the headers a 200 would have carried that
		// bear on caching, and no representation metadata.
		for _, k := range []string{"Etag", "Cache-Control", "Vary", "Expires", "Content-Location"} {
			if v, ok := e.header[k]; ok {
				h[k] = v
			}
		}
		h.Set("X-Cache", state)
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	for k, v := range e.header {
		h[k] = v
	}
	// Shared, clipped slices: no allocation per reply.
	h["Content-Length"] = e.length
	h["X-Cache"] = stateValues[state]
	if r.Method != http.MethodHead && len(e.body) > holdAbove && len(e.body) <= holdBelow && heldReply(w, r, e.body) {
		return http.StatusOK
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(e.body)
	}
	return http.StatusOK
}

// holdAbove: a smaller body and its headers fit in net/http's buffer,
// which sends them in one write anyway. holdBelow: a larger body (a long
// feed) is written from the entry as before, rather than copied into a
// buffer for each reply; one write more is little beside its size.
const (
	holdAbove = 2 << 10
	holdBelow = 64 << 10
)

func bodyBytes(r *http.Request, status int, e *entry) int {
	if status != http.StatusOK || r.Method == http.MethodHead {
		return 0
	}
	return len(e.body)
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110 13.1.2):
// "*" or any listed tag whose opaque part equals etag's.
func etagMatches(header, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// recorder buffers a response that may be kept. As soon as it cannot be
// (another status, a body over the size bound, a flush), it writes what it
// holds to the client and passes the rest straight through.
type recorder struct {
	w       http.ResponseWriter
	header  http.Header
	max     int64
	status  int
	buf     bytes.Buffer
	passing bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status != 0 || r.passing {
		return
	}
	if code >= 100 && code < 200 {
		// Informational responses go out at once and are not the answer.
		copyHeader(r.w.Header(), r.header)
		r.w.WriteHeader(code)
		return
	}
	r.status = code
	if code != http.StatusOK {
		r.pass()
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	if r.passing {
		return r.w.Write(p)
	}
	if int64(r.buf.Len()+len(p)) > r.max {
		if err := r.pass(); err != nil {
			return 0, err
		}
		return r.w.Write(p)
	}
	return r.buf.Write(p)
}

// Flush sends what was written so far: a handler that flushes streams its
// response, which is then not kept.
func (r *recorder) Flush() {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	if err := r.pass(); err != nil {
		return
	}
	if f, ok := r.w.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.w }

// pass switches to writing through: the headers, the status and whatever
// was buffered go to the client.
func (r *recorder) pass() error {
	if r.passing {
		return nil
	}
	r.passing = true
	copyHeader(r.w.Header(), r.header)
	r.w.Header().Set("X-Cache", stateMiss)
	r.w.WriteHeader(r.status)
	if r.buf.Len() > 0 {
		_, err := r.w.Write(r.buf.Bytes())
		r.buf = bytes.Buffer{}
		return err
	}
	return nil
}

// finish completes a response that is not kept.
func (r *recorder) finish() {
	_ = r.pass()
}

// copyHeader makes dst hold exactly src's fields.
func copyHeader(dst, src http.Header) {
	clear(dst)
	for k, v := range src {
		dst[k] = v
	}
}
