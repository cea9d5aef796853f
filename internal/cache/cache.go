// Package cache keeps the public site's rendered responses in memory and
// answers conditional requests, so that a popular page is rendered once
// per change rather than once per reader.
//
// A response is kept only when it can be shown to anyone: a 200 to an
// anonymous GET (no session cookie, no Authorization header) that sets no
// cookie and does not forbid storing. It is keyed by the URL (scheme, host,
// path and query) and by the values of the request headers its Vary header
// names, so that a publication's page and its BibTeX record, which share a
// URL and are told apart by Accept, are kept apart. The cache is bounded in
// bytes and drops the least recently used responses first.
//
// Every response carries a strong ETag (a hash of its body) and
// Cache-Control that lets browsers and proxies keep it but makes them ask
// again each time; a request whose If-None-Match names the current ETag
// gets 304 Not Modified without the page being rendered.
//
// Correctness rests on the site generation: a number in the database that
// every write to public content raises in the writing transaction
// (migration 0007_changes). The cache reads it (Source) by polling and,
// on PostgreSQL, whenever a notification says another server committed a
// change (Notifier); when it moves, every kept response is dropped. A
// response rendered while the number moved is not kept. When the number
// has not been read successfully for longer than the staleness bound (2 s
// while polling), requests are passed to the site uncached: the cache
// never serves a page it cannot vouch for for longer than that.
//
// Requests for a page that is not kept yet wait for the one request
// rendering it rather than render it too, so that a cold start or a
// change under heavy traffic renders each page once.
package cache

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Source reads the site generation.
type Source interface {
	Generation(ctx context.Context) (int64, error)
}

// Notifier tells the cache when another process may have changed the
// site. Listen runs until ctx ends, reconnecting as needed; it calls
// listening(true) each time it starts listening (after which changes will
// be reported) and listening(false) when it stops, and changed after a
// change committed. It returns nil when ctx ends.
type Notifier interface {
	Listen(ctx context.Context, changed func(), listening func(bool)) error
}

// Config configures a Cache. Source is required; the rest have defaults.
type Config struct {
	// Source reads the site generation; see TableSource.
	Source Source
	// Notifier, when set, reports changes as they commit (PostgreSQL's
	// LISTEN/NOTIFY), so that polling can be slow while it listens.
	Notifier Notifier
	// MaxBytes bounds the bytes of responses kept (default 64 MiB).
	MaxBytes int64
	// MaxEntryBytes is the largest response body kept (default 2 MiB);
	// larger responses are passed through as they are written.
	MaxEntryBytes int64
	// PollInterval is how often the generation is read while no Notifier
	// is listening (default 100 ms). It bounds how long another process's
	// change can go unseen.
	PollInterval time.Duration
	// ListeningPollInterval is how often it is read while the Notifier
	// listens (default 5 s): a safety net for a lost notification.
	ListeningPollInterval time.Duration
	// CacheControl is sent with kept responses that set none of their own
	// (default "public, max-age=0, must-revalidate": anyone may keep the
	// page, and must check with the server before showing it again).
	CacheControl string
	// BypassCookies are the cookies whose presence marks a signed-in
	// request, which is never answered from the cache nor kept (default
	// imprint_session).
	BypassCookies []string
	// Logger receives one line per request the cache answers itself (the
	// site logs the others) and every failure to read the generation; nil
	// discards them.
	Logger *slog.Logger
}

// Defaults for Config's zero fields.
const (
	DefaultMaxBytes              = 64 << 20
	DefaultMaxEntryBytes         = 2 << 20
	DefaultPollInterval          = 100 * time.Millisecond
	DefaultListeningPollInterval = 5 * time.Second
	DefaultCacheControl          = "public, max-age=0, must-revalidate"
	// SessionCookie is the admin's session cookie, the default bypass.
	SessionCookie = "imprint_session"
)

// readTimeout bounds one read of the generation.
const readTimeout = 2 * time.Second

// minStaleAfter is the least time for which one successful read of the
// generation is trusted while polling, so that a busy database that
// answers a poll late does not switch the cache off: with the cache off,
// every request renders, which is what makes a database busy. It bounds
// how stale a page can be when polls fail or hang.
const minStaleAfter = 2 * time.Second

// lockWait bounds how long a request waits for another request rendering
// the same page before it renders the page itself.
const lockWait = 5 * time.Second

// maxPassing bounds how many URLs are remembered as not kept.
const maxPassing = 10000

// afterNotice is how long after a notification the generation is polled
// as often as without a listener. The notification comes from the primary
// database; when pages are read from a replica, the replica may show the
// change a little later, and its generation is what counts.
const afterNotice = 2 * time.Second

// Cache holds rendered responses; see the package documentation. It is
// safe for concurrent use. Close stops its background work.
type Cache struct {
	src          Source
	notifier     Notifier
	maxBytes     int64
	maxEntry     int64
	poll         time.Duration
	listenPoll   time.Duration
	cacheControl string
	bypass       []string
	log          *slog.Logger
	now          func() time.Time

	wake   chan struct{}
	cancel context.CancelFunc
	done   sync.WaitGroup

	mu sync.Mutex
	// version names the current contents: it moves whenever the
	// generation read differs from the last, Invalidate is called or trust
	// in the generation is lost, and only responses rendered under the
	// current version are kept.
	version    uint64
	generation int64
	known      bool      // generation was read and no read failed since
	readAt     time.Time // when generation was last read successfully
	listening  bool
	notifiedAt time.Time                // when Notify was last called
	failing    bool                     // the last read failed
	entries    map[string]*list.Element // full key → element holding *entry
	flights    map[string]*flight       // renders in progress, by flightKey
	passing    map[string]bool          // URL keys whose responses were not kept
	vary       map[string][]string      // URL key → header names its responses vary on
	lru        list.List                // front: most recently used
	bytes      int64
	stats      Stats
}

// Stats counts what the cache did since it was created.
type Stats struct {
	Hits, Misses, Bypasses, NotModified, Stored, Evicted, Invalidations, ReadErrors int64
	Entries                                                                         int
	Bytes                                                                           int64
	Generation                                                                      int64
	// Listening reports whether the Notifier is listening for changes.
	Listening bool
}

// New returns a Cache and starts reading the generation: once now, so that
// caching starts at once when the database answers, then in the
// background until Close.
func New(cfg Config) (*Cache, error) {
	if cfg.Source == nil {
		return nil, errors.New("cache: Config.Source is nil")
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"MaxBytes", cfg.MaxBytes}, {"MaxEntryBytes", cfg.MaxEntryBytes},
		{"PollInterval", int64(cfg.PollInterval)}, {"ListeningPollInterval", int64(cfg.ListeningPollInterval)},
	} {
		if f.v < 0 {
			return nil, fmt.Errorf("cache: Config.%s is negative (%d); zero means the default", f.name, f.v)
		}
	}
	c := &Cache{
		src:          cfg.Source,
		notifier:     cfg.Notifier,
		maxBytes:     orDefault(cfg.MaxBytes, DefaultMaxBytes),
		maxEntry:     orDefault(cfg.MaxEntryBytes, DefaultMaxEntryBytes),
		poll:         orDefault(cfg.PollInterval, DefaultPollInterval),
		listenPoll:   orDefault(cfg.ListeningPollInterval, DefaultListeningPollInterval),
		cacheControl: cfg.CacheControl,
		bypass:       cfg.BypassCookies,
		log:          cfg.Logger,
		now:          time.Now,
		wake:         make(chan struct{}, 1),
		entries:      map[string]*list.Element{},
		flights:      map[string]*flight{},
		passing:      map[string]bool{},
		vary:         map[string][]string{},
	}
	if c.maxEntry > c.maxBytes {
		c.maxEntry = c.maxBytes
	}
	if c.cacheControl == "" {
		c.cacheControl = DefaultCacheControl
	}
	if c.bypass == nil {
		c.bypass = []string{SessionCookie}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.refresh(ctx)
	c.done.Add(1)
	go c.pollLoop(ctx)
	if c.notifier != nil {
		c.done.Add(1)
		go func() {
			defer c.done.Done()
			if err := c.notifier.Listen(ctx, c.Notify, c.setListening); err != nil {
				c.log.Error("cache: change notifications stopped; polling instead", "err", err)
			}
			c.setListening(false)
		}()
	}
	return c, nil
}

func orDefault[T int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// Close stops reading the generation and drops every kept response.
func (c *Cache) Close() {
	c.cancel()
	c.done.Wait()
	c.mu.Lock()
	c.known = false
	c.dropLocked()
	c.mu.Unlock()
}

// Invalidate drops every kept response at once and has the generation read
// again. Code that changes the site in this process calls it after its
// transaction commits, so that its own next request cannot be answered by
// a page from before the change even for one poll interval.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	c.dropLocked()
	c.mu.Unlock()
	c.Notify()
}

// Notify has the generation read again soon; the Notifier calls it when
// another process committed a change.
func (c *Cache) Notify() {
	c.mu.Lock()
	c.notifiedAt = c.now()
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default: // a read is already due
	}
}

// Stats returns the counters and the current size.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Entries = len(c.entries)
	s.Bytes = c.bytes
	s.Generation = c.generation
	s.Listening = c.listening
	return s
}

func (c *Cache) setListening(on bool) {
	c.mu.Lock()
	changed := c.listening != on
	c.listening = on
	c.mu.Unlock()
	if on && changed {
		// Changes committed while nobody listened were not announced.
		c.Notify()
	}
}

func (c *Cache) pollLoop(ctx context.Context) {
	defer c.done.Done()
	timer := time.NewTimer(c.interval())
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-c.wake:
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		}
		c.refresh(ctx)
		timer.Reset(c.interval())
	}
}

func (c *Cache) interval() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.listening && c.now().Sub(c.notifiedAt) > afterNotice {
		return c.listenPoll
	}
	return c.poll
}

// refresh reads the generation and moves to a new version when it
// changed or could not be read.
func (c *Cache) refresh(ctx context.Context) {
	rctx, cancel := context.WithTimeout(ctx, readTimeout)
	g, err := c.src.Generation(rctx)
	cancel()
	if ctx.Err() != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.stats.ReadErrors++
		if !c.failing {
			// Logged when reads start failing, not at every poll.
			c.log.Error("cache: cannot read the site generation; pages are served uncached if it stays unreadable",
				"err", err, "after", max(5*c.poll, minStaleAfter))
		}
		c.failing = true
		// The kept pages stay trusted until the staleness bound
		// (currentLocked), unless a change was announced since the last
		// read: then they are known to be old.
		if c.known && c.notifiedAt.After(c.readAt) {
			c.known = false
			c.dropLocked()
		}
		return
	}
	c.failing = false
	if !c.known || g != c.generation {
		c.dropLocked()
		c.generation = g
		c.known = true
	}
	c.readAt = c.now()
}

// dropLocked empties the cache and moves to a new version, so that
// responses being rendered now are not kept. c.mu is held.
func (c *Cache) dropLocked() {
	c.version++
	c.stats.Invalidations++
	clear(c.entries)
	clear(c.vary)
	clear(c.passing)
	c.lru.Init()
	c.bytes = 0
}

// current returns the version and whether responses may be served and
// kept under it: the generation is known and was read recently enough.
// c.mu is held.
func (c *Cache) currentLocked() (uint64, bool) {
	if !c.known {
		return c.version, false
	}
	if c.listening {
		// Notifications arrive as changes commit; the slow poll is only
		// a safety net, so a read is trusted for two of its intervals.
		return c.version, c.now().Sub(c.readAt) <= 2*c.listenPoll
	}
	return c.version, c.now().Sub(c.readAt) <= max(5*c.poll, minStaleAfter)
}

// entry is one kept response.
type entry struct {
	key    string
	header http.Header
	body   []byte
	etag   string
	length []string // Content-Length
	size   int64
}

// lookup returns the entry for r under the current version, and the
// version with whether the cache may be used at all.
func (c *Cache) lookup(urlKey string, r *http.Request) (e *entry, version uint64, usable bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	version, usable = c.currentLocked()
	if !usable {
		return nil, version, false
	}
	names, ok := c.vary[urlKey]
	if !ok {
		return nil, version, true
	}
	el, ok := c.entries[variantKey(urlKey, names, r)]
	if !ok {
		return nil, version, true
	}
	c.lru.MoveToFront(el)
	return el.Value.(*entry), version, true
}

// store keeps e when the version is still the one it was rendered under,
// evicting the least recently used entries to make room.
func (c *Cache) store(urlKey string, names []string, e *entry, version uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, usable := c.currentLocked(); !usable || v != version {
		return false
	}
	if old, ok := c.vary[urlKey]; ok && !equalNames(old, names) {
		// The URL's responses now vary on other headers: the entries
		// under the old names could no longer be found, so drop them.
		for k, el := range c.entries {
			if strings.HasPrefix(k, urlKey+"\x00") {
				c.removeLocked(el)
			}
		}
	}
	c.vary[urlKey] = names
	if el, ok := c.entries[e.key]; ok {
		c.removeLocked(el)
	}
	for c.bytes+e.size > c.maxBytes && c.lru.Len() > 0 {
		c.removeLocked(c.lru.Back())
		c.stats.Evicted++
	}
	c.entries[e.key] = c.lru.PushFront(e)
	c.bytes += e.size
	c.stats.Stored++
	return true
}

func (c *Cache) removeLocked(el *list.Element) {
	e := el.Value.(*entry)
	c.lru.Remove(el)
	delete(c.entries, e.key)
	c.bytes -= e.size
}

func (c *Cache) count(field *int64) {
	c.mu.Lock()
	*field++
	c.mu.Unlock()
}

func equalNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// flight is a render in progress that other requests for the same page
// wait for, so that a page nobody has yet, requested by many readers at
// once (a new front page, a cold start), is rendered once, not once per
// reader.
type flight struct {
	version uint64
	done    chan struct{}
}

// flightKey groups requests that will most likely get the same response:
// the same URL and Accept, the one header the site negotiates on. A
// request that waited still looks its own variant up afterwards.
func flightKey(urlKey string, r *http.Request) string {
	return urlKey + "\x00" + r.Header.Get("Accept")
}

// join returns the render in progress for key under version, or starts
// one with the caller as its leader (leader true). It returns nil when the
// URL's responses are not kept, since waiting would gain nothing.
func (c *Cache) join(key, urlKey string, version uint64) (f *flight, leader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.passing[urlKey] {
		return nil, false
	}
	if f := c.flights[key]; f != nil && f.version == version {
		return f, false
	}
	f = &flight{version: version, done: make(chan struct{})}
	c.flights[key] = f
	return f, true
}

// land ends the render f, releasing the requests waiting for it.
func (c *Cache) land(key string, f *flight) {
	c.mu.Lock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	c.mu.Unlock()
	close(f.done)
}

// markPassing remembers that urlKey's response was not kept under version,
// so that its next requests do not wait for one another.
func (c *Cache) markPassing(urlKey string, version uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return
	}
	if len(c.passing) >= maxPassing {
		clear(c.passing)
	}
	c.passing[urlKey] = true
}
