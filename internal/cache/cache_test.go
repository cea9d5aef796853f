package cache

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSource is a generation that tests move by hand.
type fakeSource struct {
	gen   atomic.Int64
	fail  atomic.Bool
	reads atomic.Int64
}

func (s *fakeSource) Generation(ctx context.Context) (int64, error) {
	s.reads.Add(1)
	if s.fail.Load() {
		return 0, errors.New("database unreachable")
	}
	return s.gen.Load(), nil
}

// site is a handler that counts renders and answers by path.
type site struct {
	renders atomic.Int64
	version atomic.Int64 // printed in pages, to tell renders apart
	during  func()       // run in the middle of a render, when set
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.renders.Add(1)
	if s.during != nil {
		s.during()
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	switch r.URL.Path {
	case "/page":
		h.Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<p>page %s v%d host %s</p>", r.URL.RawQuery, s.version.Load(), r.Host)
	case "/record":
		h.Add("Vary", "Accept")
		if strings.Contains(r.Header.Get("Accept"), "application/x-bibtex") {
			h.Set("Content-Type", "application/x-bibtex")
			fmt.Fprintf(w, "@report{x, v%d}", s.version.Load())
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<p>record page v%d</p>", s.version.Load())
	case "/missing":
		http.NotFound(w, r)
	case "/cookie":
		http.SetCookie(w, &http.Cookie{Name: "imprint_csrf", Value: "t"})
		io.WriteString(w, "form")
	case "/nostore":
		h.Set("Cache-Control", "no-store")
		io.WriteString(w, "health")
	case "/private":
		h.Set("Cache-Control", "private, max-age=60")
		io.WriteString(w, "mine")
	case "/star":
		h.Set("Vary", "*")
		io.WriteString(w, "anything")
	case "/own":
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("ETag", `"own-tag"`)
		io.WriteString(w, "asset")
	case "/big":
		io.WriteString(w, strings.Repeat("x", 3000))
	case "/flush":
		io.WriteString(w, "first ")
		w.(http.Flusher).Flush()
		io.WriteString(w, "second")
	case "/empty":
	default:
		if size, ok := strings.CutPrefix(r.URL.Path, "/size/"); ok {
			var n int
			fmt.Sscan(size, &n)
			io.WriteString(w, strings.Repeat("y", n))
			return
		}
		http.NotFound(w, r)
	}
}

type fixture struct {
	src   *fakeSource
	site  *site
	cache *Cache
	h     http.Handler
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	f := &fixture{src: &fakeSource{}, site: &site{}}
	f.src.gen.Store(1)
	cfg.Source = f.src
	if cfg.PollInterval == 0 {
		// Long enough that tests decide when the generation is read.
		cfg.PollInterval = time.Hour
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	f.cache = c
	f.h = c.Handler(f.site)
	return f
}

// do sends one request; hdr holds header pairs.
func (f *fixture) do(method, target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Add(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

// refresh reads the generation now, as the poller would.
func (f *fixture) refresh() { f.cache.refresh(context.Background()) }

func TestRequestKey(t *testing.T) {
	tests := []struct {
		name   string
		target string
		host   string
		tls    bool
		hdr    []string
		want   string
	}{
		{"path", "/publications/x", "example.org", false, nil, "http://example.org/publications/x"},
		{"query kept as sent", "/search?q=a+b&page=2", "example.org", false, nil, "http://example.org/search?q=a+b&page=2"},
		{"empty query", "/search?", "example.org", false, nil, "http://example.org/search?"},
		{"host case", "/", "Example.ORG:8080", false, nil, "http://example.org:8080/"},
		{"tls", "/", "example.org", true, nil, "https://example.org/"},
		{"forwarded proto", "/", "example.org", false, []string{"X-Forwarded-Proto", "HTTPS"}, "http+https://example.org/"},
		{"escaped path", "/topics/a%2Fb", "example.org", false, nil, "http://example.org/topics/a%2Fb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tt.target, nil)
			r.Host = tt.host
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for i := 0; i+1 < len(tt.hdr); i += 2 {
				r.Header.Set(tt.hdr[i], tt.hdr[i+1])
			}
			if got := requestKey(r); got != tt.want {
				t.Errorf("requestKey = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVaryNames(t *testing.T) {
	tests := []struct {
		vary []string
		want string
		ok   bool
	}{
		{nil, "", true},
		{[]string{"Accept"}, "Accept", true},
		{[]string{"accept-encoding, Accept", "accept"}, "Accept,Accept-Encoding", true},
		{[]string{"Accept, *"}, "", false},
	}
	for _, tt := range tests {
		h := http.Header{}
		for _, v := range tt.vary {
			h.Add("Vary", v)
		}
		names, ok := varyNames(h)
		if got := strings.Join(names, ","); got != tt.want || ok != tt.ok {
			t.Errorf("varyNames(%q) = %q, %v; want %q, %v", tt.vary, got, ok, tt.want, tt.ok)
		}
	}
}

func TestETagMatches(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{`*`, true},
		{`"abd"`, false},
		{`abc`, false},
	}
	for _, tt := range tests {
		if got := etagMatches(tt.header, `"abc"`); got != tt.want {
			t.Errorf("etagMatches(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestHitAfterMiss(t *testing.T) {
	f := newFixture(t, Config{})
	first := f.do("GET", "/page?a=1")
	second := f.do("GET", "/page?a=1")
	if n := f.site.renders.Load(); n != 1 {
		t.Fatalf("rendered %d times for two requests, want 1", n)
	}
	for i, w := range []*httptest.ResponseRecorder{first, second} {
		if w.Code != 200 || w.Body.String() != "<p>page a=1 v0 host example.com</p>" {
			t.Errorf("response %d: %d %q", i, w.Code, w.Body)
		}
		h := w.Header()
		if h.Get("ETag") == "" || h.Get("ETag") != first.Header().Get("ETag") {
			t.Errorf("response %d: ETag %q, first was %q", i, h.Get("ETag"), first.Header().Get("ETag"))
		}
		if got := h.Get("Cache-Control"); got != DefaultCacheControl {
			t.Errorf("response %d: Cache-Control %q", i, got)
		}
		if got := h.Get("Content-Length"); got != fmt.Sprint(w.Body.Len()) {
			t.Errorf("response %d: Content-Length %q for %d bytes", i, got, w.Body.Len())
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("response %d: the site's headers were not kept: %v", i, h)
		}
	}
	if first.Header().Get("X-Cache") != "miss" || second.Header().Get("X-Cache") != "hit" {
		t.Errorf("X-Cache: %q then %q, want miss then hit", first.Header().Get("X-Cache"), second.Header().Get("X-Cache"))
	}
	// Another query, another host: other resources.
	f.do("GET", "/page?a=2")
	r := httptest.NewRequest("GET", "/page?a=1", nil)
	r.Host = "other.example"
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if n := f.site.renders.Load(); n != 3 {
		t.Errorf("rendered %d times, want 3: query and host are part of the key", n)
	}
	if !strings.Contains(w.Body.String(), "other.example") {
		t.Errorf("other host answered with %q", w.Body)
	}
	s := f.cache.Stats()
	if s.Hits != 1 || s.Misses != 3 || s.Entries != 3 {
		t.Errorf("stats %+v, want 1 hit, 3 misses, 3 entries", s)
	}
}

func TestVariantsByAccept(t *testing.T) {
	f := newFixture(t, Config{})
	bib := "application/x-bibtex"
	html := "text/html,application/xhtml+xml"
	for range 2 {
		if w := f.do("GET", "/record", "Accept", bib); w.Body.String() != "@report{x, v0}" || w.Header().Get("Vary") != "Accept" {
			t.Errorf("BibTeX variant: %q, Vary %q", w.Body, w.Header().Get("Vary"))
		}
		if w := f.do("GET", "/record", "Accept", html); w.Body.String() != "<p>record page v0</p>" {
			t.Errorf("HTML variant: %q", w.Body)
		}
		if w := f.do("GET", "/record"); w.Body.String() != "<p>record page v0</p>" {
			t.Errorf("no Accept: %q", w.Body)
		}
	}
	if n := f.site.renders.Load(); n != 3 {
		t.Errorf("rendered %d times, want 3 (one per variant)", n)
	}
	a := f.do("GET", "/record", "Accept", bib).Header().Get("ETag")
	b := f.do("GET", "/record", "Accept", html).Header().Get("ETag")
	if a == b {
		t.Errorf("two variants share the ETag %s", a)
	}
	// A variant's ETag does not validate the other variant.
	if w := f.do("GET", "/record", "Accept", html, "If-None-Match", a); w.Code != 200 {
		t.Errorf("HTML variant with the BibTeX ETag: %d, want 200", w.Code)
	}
}

func TestLRUBound(t *testing.T) {
	// Each /size/1000 entry costs its body plus key and headers: about
	// 1.2 kB, so 4000 bytes hold three.
	f := newFixture(t, Config{MaxBytes: 4000, MaxEntryBytes: 2000})
	f.do("GET", "/size/1000?a")
	f.do("GET", "/size/1000?b")
	f.do("GET", "/size/1000?c")
	f.do("GET", "/size/1000?a") // a is now the most recently used
	f.do("GET", "/size/1000?d") // evicts b
	s := f.cache.Stats()
	if s.Bytes > 4000 || s.Entries != 3 || s.Evicted != 1 {
		t.Fatalf("after five requests: %+v; want 3 entries within 4000 bytes, 1 evicted", s)
	}
	renders := f.site.renders.Load()
	for _, q := range []string{"a", "c", "d"} {
		if w := f.do("GET", "/size/1000?"+q); w.Header().Get("X-Cache") != "hit" {
			t.Errorf("%s: X-Cache %q, want hit", q, w.Header().Get("X-Cache"))
		}
	}
	if w := f.do("GET", "/size/1000?b"); w.Header().Get("X-Cache") != "miss" {
		t.Errorf("b (least recently used): X-Cache %q, want miss", w.Header().Get("X-Cache"))
	}
	if got := f.site.renders.Load() - renders; got != 1 {
		t.Errorf("rendered %d times, want 1 (b)", got)
	}
}

func TestNotKept(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		target   string
		hdr      []string
		wantCode int
		wantBody string
	}{
		{"POST", "POST", "/page", nil, 200, "<p>page  v0 host example.com</p>"},
		{"session cookie", "GET", "/page", []string{"Cookie", "theme=dark; imprint_session=abc"}, 200, "<p>page  v0 host example.com</p>"},
		{"authorization", "GET", "/page", []string{"Authorization", "Bearer x"}, 200, "<p>page  v0 host example.com</p>"},
		{"range", "GET", "/page", []string{"Range", "bytes=0-3"}, 200, "<p>page  v0 host example.com</p>"},
		{"not found", "GET", "/missing", nil, 404, "404 page not found\n"},
		{"sets a cookie", "GET", "/cookie", nil, 200, "form"},
		{"no-store", "GET", "/nostore", nil, 200, "health"},
		{"private", "GET", "/private", nil, 200, "mine"},
		{"vary star", "GET", "/star", nil, 200, "anything"},
		{"over the entry bound", "GET", "/big", nil, 200, strings.Repeat("x", 3000)},
		{"flushed", "GET", "/flush", nil, 200, "first second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Config{MaxEntryBytes: 2048})
			for i := range 2 {
				w := f.do(tt.method, tt.target, tt.hdr...)
				if w.Code != tt.wantCode || w.Body.String() != tt.wantBody {
					t.Errorf("request %d: %d %q, want %d %q", i, w.Code, w.Body, tt.wantCode, tt.wantBody)
				}
				if w.Header().Get("ETag") != "" {
					t.Errorf("request %d: ETag %q on a response not kept", i, w.Header().Get("ETag"))
				}
			}
			if n := f.site.renders.Load(); n != 2 {
				t.Errorf("rendered %d times for two requests, want 2", n)
			}
			if s := f.cache.Stats(); s.Entries != 0 {
				t.Errorf("%d entries kept", s.Entries)
			}
		})
	}
	t.Run("other cookies are anonymous", func(t *testing.T) {
		f := newFixture(t, Config{})
		f.do("GET", "/page", "Cookie", "theme=dark")
		if w := f.do("GET", "/page", "Cookie", "theme=light"); w.Header().Get("X-Cache") != "hit" {
			t.Errorf("X-Cache %q, want hit", w.Header().Get("X-Cache"))
		}
		if w := f.do("GET", "/cookie"); len(w.Result().Cookies()) != 1 {
			t.Errorf("the cookie of a response not kept was lost: %v", w.Header())
		}
	})
	t.Run("a response's own validators are kept", func(t *testing.T) {
		f := newFixture(t, Config{})
		f.do("GET", "/own")
		w := f.do("GET", "/own")
		if w.Header().Get("ETag") != `"own-tag"` || w.Header().Get("Cache-Control") != "public, max-age=300" || w.Header().Get("X-Cache") != "hit" {
			t.Errorf("headers %v", w.Header())
		}
		if w := f.do("GET", "/own", "If-None-Match", `"own-tag"`); w.Code != 304 {
			t.Errorf("If-None-Match with the site's own ETag: %d, want 304", w.Code)
		}
	})
	t.Run("empty body", func(t *testing.T) {
		f := newFixture(t, Config{})
		f.do("GET", "/empty")
		w := f.do("GET", "/empty")
		if w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != "0" {
			t.Errorf("%d %q %v", w.Code, w.Body, w.Header())
		}
	})
}

func TestConditionalGet(t *testing.T) {
	f := newFixture(t, Config{})
	etag := f.do("GET", "/page").Header().Get("ETag")
	tests := []struct {
		inm      string
		wantCode int
	}{
		{etag, 304},
		{"W/" + etag, 304},
		{`"nope", ` + etag, 304},
		{"*", 304},
		{`"nope"`, 200},
	}
	for _, tt := range tests {
		w := f.do("GET", "/page", "If-None-Match", tt.inm)
		if w.Code != tt.wantCode {
			t.Errorf("If-None-Match %s: %d, want %d", tt.inm, w.Code, tt.wantCode)
		}
		if tt.wantCode == 304 {
			if w.Body.Len() != 0 || w.Header().Get("ETag") != etag || w.Header().Get("Cache-Control") == "" {
				t.Errorf("304: body %q, headers %v", w.Body, w.Header())
			}
			if w.Header().Get("Content-Type") != "" {
				t.Errorf("304 carries Content-Type %q", w.Header().Get("Content-Type"))
			}
		}
	}
	if n := f.site.renders.Load(); n != 1 {
		t.Errorf("rendered %d times, want 1", n)
	}
	// The first request of a new generation renders, and a client holding
	// the unchanged page still gets 304.
	f.src.gen.Store(2)
	f.refresh()
	if w := f.do("GET", "/page", "If-None-Match", etag); w.Code != 304 || w.Header().Get("X-Cache") != "miss" {
		t.Errorf("after a change that left the page as it was: %d, X-Cache %q; want 304 miss", w.Code, w.Header().Get("X-Cache"))
	}
	f.site.version.Store(1)
	f.src.gen.Store(3)
	f.refresh()
	if w := f.do("GET", "/page", "If-None-Match", etag); w.Code != 200 || !strings.Contains(w.Body.String(), "v1") {
		t.Errorf("after a change to the page: %d %q, want 200 with v1", w.Code, w.Body)
	}
}

func TestHead(t *testing.T) {
	f := newFixture(t, Config{})
	// A HEAD miss goes to the site and is not kept.
	if w := f.do("HEAD", "/page"); w.Header().Get("X-Cache") != "miss" {
		t.Errorf("first HEAD: X-Cache %q", w.Header().Get("X-Cache"))
	}
	if s := f.cache.Stats(); s.Entries != 0 {
		t.Errorf("HEAD kept %d entries", s.Entries)
	}
	get := f.do("GET", "/page")
	w := f.do("HEAD", "/page")
	if w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != fmt.Sprint(get.Body.Len()) ||
		w.Header().Get("ETag") != get.Header().Get("ETag") || w.Header().Get("X-Cache") != "hit" {
		t.Errorf("HEAD after GET: %d body %q headers %v", w.Code, w.Body, w.Header())
	}
	if n := f.site.renders.Load(); n != 2 {
		t.Errorf("rendered %d times, want 2", n)
	}
}

func TestGenerationChangeDrops(t *testing.T) {
	f := newFixture(t, Config{})
	f.do("GET", "/page")
	f.site.version.Store(1)
	f.refresh() // unchanged generation: the entry stays
	if w := f.do("GET", "/page"); !strings.Contains(w.Body.String(), "v0") {
		t.Fatalf("unchanged generation: %q, want the kept v0", w.Body)
	}
	f.src.gen.Store(2)
	f.refresh()
	if w := f.do("GET", "/page"); !strings.Contains(w.Body.String(), "v1") || w.Header().Get("X-Cache") != "miss" {
		t.Errorf("new generation: %q (X-Cache %q), want a fresh v1", w.Body, w.Header().Get("X-Cache"))
	}
	if s := f.cache.Stats(); s.Generation != 2 || s.Entries != 1 {
		t.Errorf("stats %+v", s)
	}
	// Any difference counts, down as well as up (a restored database).
	f.site.version.Store(2)
	f.src.gen.Store(1)
	f.refresh()
	if w := f.do("GET", "/page"); !strings.Contains(w.Body.String(), "v2") {
		t.Errorf("generation moved back: %q, want v2", w.Body)
	}
}

func TestPollingFindsChanges(t *testing.T) {
	f := newFixture(t, Config{PollInterval: 5 * time.Millisecond})
	f.do("GET", "/page")
	f.site.version.Store(1)
	f.src.gen.Store(2)
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(f.do("GET", "/page").Body.String(), "v1") {
		if time.Now().After(deadline) {
			t.Fatal("the change was not seen within 2 s of polling every 5 ms")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRenderDuringChangeNotKept(t *testing.T) {
	f := newFixture(t, Config{})
	// The generation moves while the page is rendered: what was rendered
	// may predate the change, so it is served but not kept.
	f.site.during = func() {
		f.src.gen.Store(2)
		f.refresh()
	}
	f.do("GET", "/page")
	f.site.during = nil
	if s := f.cache.Stats(); s.Entries != 0 {
		t.Fatalf("kept %d entries rendered across a change", s.Entries)
	}
	f.do("GET", "/page")
	if w := f.do("GET", "/page"); w.Header().Get("X-Cache") != "hit" {
		t.Errorf("after the change: X-Cache %q, want hit", w.Header().Get("X-Cache"))
	}
	// Invalidate in the middle of a render has the same effect.
	f.site.during = f.cache.Invalidate
	f.do("GET", "/page?x")
	f.site.during = nil
	if w := f.do("GET", "/page?x"); w.Header().Get("X-Cache") != "miss" {
		t.Errorf("rendered across Invalidate: X-Cache %q, want miss", w.Header().Get("X-Cache"))
	}
}

func TestInvalidate(t *testing.T) {
	f := newFixture(t, Config{})
	f.do("GET", "/page")
	f.site.version.Store(1)
	reads := f.src.reads.Load()
	f.cache.Invalidate()
	if w := f.do("GET", "/page"); !strings.Contains(w.Body.String(), "v1") {
		t.Errorf("after Invalidate: %q, want v1", w.Body)
	}
	// Invalidate also has the generation read again.
	deadline := time.Now().Add(2 * time.Second)
	for f.src.reads.Load() == reads {
		if time.Now().After(deadline) {
			t.Fatal("Invalidate did not have the generation read")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestUnreadableGenerationBypasses(t *testing.T) {
	// Polling every 100 ms: the staleness bound is minStaleAfter.
	f := newFixture(t, Config{PollInterval: 100 * time.Millisecond})
	clock := fakeClock(f.cache)
	f.do("GET", "/page")
	f.src.fail.Store(true)
	f.refresh()
	// One failed read of a busy database does not switch the cache off:
	// that would have every request render and make it busier.
	if w := f.do("GET", "/page"); w.Header().Get("X-Cache") != "hit" {
		t.Errorf("right after a failed read: X-Cache %q, want hit", w.Header().Get("X-Cache"))
	}
	// Past the staleness bound without a successful read, it is.
	clock.Add(minStaleAfter + time.Millisecond)
	for i := range 2 {
		if w := f.do("GET", "/page"); w.Header().Get("X-Cache") != "bypass" || w.Code != 200 {
			t.Errorf("request %d with the generation unreadable: %d, X-Cache %q", i, w.Code, w.Header().Get("X-Cache"))
		}
	}
	if n := f.site.renders.Load(); n != 3 {
		t.Errorf("rendered %d times, want 3", n)
	}
	f.src.fail.Store(false)
	f.refresh()
	if w := f.do("GET", "/page"); w.Header().Get("X-Cache") != "hit" {
		t.Errorf("after recovery with the generation unchanged: X-Cache %q, want hit", w.Header().Get("X-Cache"))
	}

	// A failed read after a change was announced drops the kept pages
	// at once: they are known to be old.
	f.src.fail.Store(true)
	clock.Add(time.Millisecond)
	f.cache.Notify()
	f.refresh()
	if w := f.do("GET", "/page"); w.Header().Get("X-Cache") != "bypass" {
		t.Errorf("announced change, unreadable generation: X-Cache %q, want bypass", w.Header().Get("X-Cache"))
	}
}

// manualClock is a time that tests move by hand.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (m *manualClock) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

func (m *manualClock) Add(d time.Duration) {
	m.mu.Lock()
	m.t = m.t.Add(d)
	m.mu.Unlock()
}

// fakeClock makes c read the time from a manual clock set to now.
func fakeClock(c *Cache) *manualClock {
	m := &manualClock{t: time.Now()}
	c.mu.Lock()
	c.now = m.Now
	c.mu.Unlock()
	return m
}

func TestStartsUncachedWhenUnreadable(t *testing.T) {
	src := &fakeSource{}
	src.fail.Store(true)
	c, err := New(Config{Source: src, PollInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h := c.Handler(&site{})
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/page", nil))
		if w.Header().Get("X-Cache") != "bypass" {
			t.Errorf("X-Cache %q, want bypass", w.Header().Get("X-Cache"))
		}
	}
}

func TestStaleReadBypasses(t *testing.T) {
	f := newFixture(t, Config{PollInterval: time.Hour})
	var now atomic.Pointer[time.Time]
	start := time.Now()
	now.Store(&start)
	f.cache.mu.Lock()
	f.cache.now = func() time.Time { return *now.Load() }
	f.cache.mu.Unlock()
	f.refresh()
	f.do("GET", "/page")
	if w := f.do("GET", "/page"); w.Header().Get("X-Cache") != "hit" {
		t.Fatalf("fresh: X-Cache %q", w.Header().Get("X-Cache"))
	}
	// Polling stalled (the database hangs): after the staleness bound the
	// cache stops answering rather than serve what it cannot vouch for.
	later := start.Add(24 * time.Hour)
	now.Store(&later)
	if w := f.do("GET", "/page"); w.Header().Get("X-Cache") != "bypass" {
		t.Errorf("stale: X-Cache %q, want bypass", w.Header().Get("X-Cache"))
	}
}

// fakeNotifier hands the cache's callbacks to the test.
type fakeNotifier struct {
	ready     chan struct{}
	changed   func()
	listening func(bool)
}

func (n *fakeNotifier) Listen(ctx context.Context, changed func(), listening func(bool)) error {
	n.changed, n.listening = changed, listening
	close(n.ready)
	<-ctx.Done()
	return nil
}

func TestNotifier(t *testing.T) {
	n := &fakeNotifier{ready: make(chan struct{})}
	f := newFixture(t, Config{Notifier: n, PollInterval: 10 * time.Millisecond, ListeningPollInterval: time.Hour})
	<-n.ready
	reads := f.src.reads.Load()
	n.listening(true)
	// Starting to listen reads the generation: changes made while nobody
	// listened were not announced.
	waitFor(t, "a read after listening started", func() bool { return f.src.reads.Load() > reads })
	f.do("GET", "/page")
	f.site.version.Store(1)
	f.src.gen.Store(2)
	start := time.Now()
	n.changed()
	waitFor(t, "the notified change", func() bool { return strings.Contains(f.do("GET", "/page").Body.String(), "v1") })
	if d := time.Since(start); d > time.Second {
		t.Errorf("a notified change took %v to show", d)
	}
	// Right after a notification the generation is polled fast (a
	// replica may show the change later than the primary announced it),
	// then slowly while the listener is trusted.
	if got := f.cache.interval(); got != 10*time.Millisecond {
		t.Errorf("poll interval right after a notification %v, want 10ms", got)
	}
	later := time.Now().Add(afterNotice + time.Second)
	f.cache.mu.Lock()
	f.cache.now = func() time.Time { return later }
	f.cache.mu.Unlock()
	if got := f.cache.interval(); got != time.Hour {
		t.Errorf("poll interval while listening %v, want 1h", got)
	}
	f.cache.mu.Lock()
	f.cache.now = time.Now
	f.cache.mu.Unlock()
	n.listening(false)
	if w := f.do("GET", "/page"); w.Header().Get("X-Cache") != "hit" {
		t.Errorf("after the listener stopped, with a recent read: X-Cache %q, want hit", w.Header().Get("X-Cache"))
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 2 s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Many readers while the generation moves: no response may be kept that
// was rendered before the last change (run with -race).
func TestConcurrentReadersAndChanges(t *testing.T) {
	f := newFixture(t, Config{PollInterval: time.Millisecond})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if w := f.do("GET", "/page"); w.Code != 200 {
					t.Errorf("status %d", w.Code)
					return
				}
			}
		})
	}
	for v := int64(1); v <= 50; v++ {
		f.site.version.Store(v)
		f.src.gen.Store(v + 1)
		time.Sleep(2 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	waitFor(t, "the last version", func() bool { return strings.Contains(f.do("GET", "/page").Body.String(), "v50") })
}

func TestConfigErrors(t *testing.T) {
	if _, err := New(Config{}); err == nil || !strings.Contains(err.Error(), "Source") {
		t.Errorf("no Source: %v", err)
	}
	if _, err := New(Config{Source: &fakeSource{}, MaxBytes: -1}); err == nil || !strings.Contains(err.Error(), "MaxBytes") {
		t.Errorf("negative MaxBytes: %v", err)
	}
	if _, err := New(Config{Source: &fakeSource{}, PollInterval: -time.Second}); err == nil || !strings.Contains(err.Error(), "PollInterval") {
		t.Errorf("negative PollInterval: %v", err)
	}
}

// Many readers asking at once for a page nobody has yet: it is rendered
// once and they all get it.
func TestConcurrentMissesRenderOnce(t *testing.T) {
	f := newFixture(t, Config{})
	release := make(chan struct{})
	f.site.during = func() { <-release }
	const readers = 20
	var wg sync.WaitGroup
	bodies := make([]string, readers)
	for i := range readers {
		wg.Go(func() { bodies[i] = f.do("GET", "/page").Body.String() })
	}
	// Let the leader finish once every reader is in.
	waitFor(t, "the leader", func() bool { return f.site.renders.Load() == 1 })
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := f.site.renders.Load(); n != 1 {
		t.Errorf("%d concurrent requests rendered %d times, want 1", readers, n)
	}
	for i, b := range bodies {
		if b != "<p>page  v0 host example.com</p>" {
			t.Errorf("reader %d got %q", i, b)
		}
	}

	// Waiting readers of a response that is not kept get their own.
	f2 := newFixture(t, Config{})
	codes := make([]int, 5)
	for i := range codes {
		wg.Go(func() { codes[i] = f2.do("GET", "/missing").Code })
	}
	wg.Wait()
	for i, c := range codes {
		if c != 404 {
			t.Errorf("reader %d of a missing page: %d", i, c)
		}
	}
	if !f2.cache.passing["http://example.com/missing"] {
		t.Error("a URL whose response was not kept is not remembered as such")
	}
}
