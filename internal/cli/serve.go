package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/imprintpub/imprint/internal/admin"
	"github.com/imprintpub/imprint/internal/api"
	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/cache"
	"github.com/imprintpub/imprint/internal/citation"
	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/oaipmh"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/storeopen"
	"github.com/imprintpub/imprint/internal/upload"
	"github.com/imprintpub/imprint/internal/web"
)

const serveDescription = `
Serve the public site: publication pages with Print and Cite, experts,
topics and regions.

The database is the SQLite file imprint.db in the data directory, which is
created when missing, unless --database names another: a PostgreSQL URL
(postgres://user:password@host:5432/db) or an SQLite file. --demo loads
the demo content into it; loading is idempotent, so the flag can stay on
across restarts. With --database-replica, public reads (pages, feeds,
search, the JSON API and OAI-PMH) go to a PostgreSQL read replica and only
writes reach the primary. The server stops gracefully on SIGINT or
SIGTERM, finishing requests in flight.`

// replicaEnv names the read replica when --database-replica is not given.
const replicaEnv = "IMPRINT_DATABASE_REPLICA_URL"

// schedulerInterval is how often scheduled publications are looked for:
// one goes live at most this long after its time.
const schedulerInterval = 30 * time.Second

// shutdownGrace bounds how long in-flight requests may run after a signal.
const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "serve", "[--demo] [--addr HOST:PORT] [--data DIR] [--database URL]", serveDescription)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on, HOST:PORT")
	dataDir := fs.String("data", "./imprint-data", "`directory` holding the database")
	demo := fs.Bool("demo", false, "load the demo content into the database")
	database := fs.String("database", "", "database `location`: a postgres:// URL or an SQLite file (default $IMPRINT_DATABASE_URL, else DIR/imprint.db)")
	databaseReplica := fs.String("database-replica", "", "read replica `URL` (postgres://…) for public pages, feeds, API and OAI-PMH; writes go to --database (default $"+replicaEnv+")")
	uploadsDir := fs.String("uploads", "", "`directory` for uploaded PDFs and photos (default DIR/uploads; share it between app servers)")
	trustProxy := fs.Bool("trust-proxy", false, "take the client's address and scheme from X-Forwarded-For and X-Forwarded-Proto (behind a load balancer)")
	adminEmail := fs.String("admin-email", "webmaster@example.org", "`address` of the repository administrator, published by OAI-PMH Identify (set it for a real site)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stdio.Err, "imprint serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	tuneGC()
	logs := newLogBuffer(stdio.Err)
	defer logs.Close()
	log := slog.New(flushOnWarn{slog.NewTextHandler(logs, nil), logs})

	location, err := databaseLocation(*database, *dataDir)
	if err != nil {
		return err
	}
	// Listening before opening the database means a taken port is reported
	// at once, without touching the data.
	ln, err := listen(ctx, *addr)
	if err != nil {
		return err
	}
	defer ln.Close()

	replica := *databaseReplica
	if replica == "" {
		replica = os.Getenv(replicaEnv)
	}
	if *uploadsDir == "" {
		*uploadsDir = filepath.Join(*dataDir, "uploads")
	}
	site, err := openSite(ctx, siteConfig{location: location, replica: replica, demo: *demo, adminEmail: *adminEmail,
		uploads: *uploadsDir, trustProxy: *trustProxy, log: log})
	if err != nil {
		return err
	}
	defer site.Close()
	// Background jobs (scheduled publishing) stop before the databases
	// close.
	jobs, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	var jobsDone sync.WaitGroup
	defer func() {
		stopJobs()
		jobsDone.Wait()
	}()
	for _, job := range site.jobs {
		jobsDone.Go(func() { job(jobs) })
	}

	srv := &http.Server{
		Handler:           site.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ConnContext:       cache.ConnContext,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(cache.Listener(ln)) }()
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "database", describeLocation(location), "demo", *demo)

	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	log.Info("stopped")
	return nil
}

// tuneGC collects garbage less often than Go's default unless GOGC or
// GOMEMLIMIT say otherwise. The server's live heap is small (templates,
// styles, the page cache) and nearly all its garbage is per request:
// collecting when the heap is five times the live data rather than twice
// cuts the time spent collecting under load by about half (about a tenth
// more requests a second on the cached seed page), and the soft limit
// makes the collector work harder instead of letting the heap grow past it.
func tuneGC() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(768 << 20)
	}
}

// listen opens addr, turning the common failures into messages that say
// what to do.
func listen(ctx context.Context, addr string) (net.Listener, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080: %w", addr, err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("--addr %s: the address is already in use (another imprint serve?); stop that process or choose another port with --addr", addr)
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("--addr %s: permission denied; ports below 1024 need privileges, choose another port with --addr", addr)
	case err != nil:
		return nil, fmt.Errorf("--addr %s: %w", addr, err)
	}
	return ln, nil
}

// checkDataDir creates dir when missing and proves that it is writable, so
// that the failure is reported up front and names the directory rather
// than surfacing later as a database error.
func checkDataDir(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("--data %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return fmt.Errorf("--data %s: cannot create the data directory: %w", abs, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("--data %s: %w", abs, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("--data %s: not a directory", abs)
	}
	f, err := os.CreateTemp(abs, ".imprint-write-check-*")
	if err != nil {
		return fmt.Errorf("--data %s: the data directory is not writable: %w", abs, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("--data %s: %w", abs, err)
	}
	return nil
}

// databaseFile is the SQLite database's name inside the data directory.
const databaseFile = "imprint.db"

// siteConfig is what openSite needs to assemble the server.
type siteConfig struct {
	location   string // primary database (see storeopen)
	replica    string // optional PostgreSQL read replica for public reads
	demo       bool   // load the demo content
	adminEmail string // published by OAI-PMH Identify
	uploads    string // directory of uploaded files; "" disables uploads
	trustProxy bool   // client address and scheme from X-Forwarded-* headers
	log        *slog.Logger
}

// site is the assembled server: its handler, and what must be closed when
// it stops.
type site struct {
	handler http.Handler
	closers []func()
	// jobs run in the background while the server runs, until their
	// context ends.
	jobs []func(ctx context.Context)
}

// Close releases the databases, newest first.
func (s *site) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

// openSite opens the database (and the replica, when given), loads the
// demo content when asked and assembles the public site, the JSON API and
// OAI-PMH. Public reads go to the replica when there is one; writes always
// go to the primary.
func openSite(ctx context.Context, cfg siteConfig) (_ *site, err error) {
	log := cfg.log
	s := &site{}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	path := describeLocation(cfg.location)
	st, err := storeopen.Open(ctx, cfg.location)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s.closers = append(s.closers, func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "path", path, "err", err)
		}
	})
	if cfg.demo {
		stats, err := demo.Load(ctx, st)
		if err != nil {
			return nil, fmt.Errorf("load demo content into %s: %w", path, err)
		}
		// Its pages read their related lists like every other page's,
		// and the lists it joins name it.
		if err := refreshLists(ctx, st, stats.Created); err != nil {
			return nil, fmt.Errorf("rank related lists of the demo content in %s: %w", path, err)
		}
		log.Info("demo content loaded", "publications", stats.Publications, "people", stats.People,
			"topics", stats.Topics, "regions", stats.Regions)
	}
	// The location's backend names the search engine.
	target, err := storeopen.Parse(cfg.location)
	if err != nil {
		return nil, err
	}
	reads := st
	if cfg.replica != "" {
		rt, err := storeopen.Parse(cfg.replica)
		if err != nil {
			return nil, fmt.Errorf("--database-replica: %w", err)
		}
		if rt.Backend != storeopen.PostgreSQL || target.Backend != storeopen.PostgreSQL {
			return nil, errors.New("--database-replica: a read replica needs PostgreSQL for both the database and the replica")
		}
		if reads, err = postgres.OpenReplica(ctx, rt.URL); err != nil {
			return nil, fmt.Errorf("--database-replica: %w", err)
		}
		s.closers = append(s.closers, func() {
			if err := reads.Close(); err != nil {
				log.Error("close replica", "path", rt.String(), "err", err)
			}
		})
		log.Info("public reads go to the replica", "replica", rt.String())
	}
	index, err := search.Open(reads.DB(), string(target.Backend))
	if err != nil {
		return nil, err
	}
	cites := citation.NewCiter()
	public, err := web.New(web.Config{Store: reads, Search: index, Logger: log, Citer: cites})
	if err != nil {
		return nil, err
	}
	oai, err := oaipmh.New(reads, oaipmh.Config{AdminEmail: cfg.adminEmail, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("OAI-PMH: %w", err)
	}
	jsonAPI, err := api.New(reads, api.Config{Search: index, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("JSON API: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle(api.Prefix, jsonAPI)
	mux.Handle("/oai", oai)
	mux.Handle("/oai/", oai)
	// Rendered public pages are kept until the site changes. The
	// generation is read where the pages are read, so that a lagging
	// replica cannot have a page older than the number kept; the primary
	// announces changes as they commit.
	pagesCfg := cache.Config{Source: cache.TableSource(reads.DB()), Logger: log}
	if target.Backend == storeopen.PostgreSQL {
		if pagesCfg.Notifier, err = postgres.NewChangeListener(target.URL, log); err != nil {
			return nil, err
		}
	}
	pages, err := cache.New(pagesCfg)
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, pages.Close)
	mux.Handle("/", pages.Handler(public))

	// The editors' admin writes to the primary, always.
	var files *upload.Store
	if cfg.uploads != "" {
		if files, err = upload.Open(upload.Config{Dir: cfg.uploads}); err != nil {
			return nil, fmt.Errorf("--uploads: %w", err)
		}
		mux.Handle("GET /files/", files.Handler()) // GET patterns match HEAD too
	}
	accounts, err := auth.New(auth.Config{Store: st, Logger: log, TrustProxy: cfg.trustProxy})
	if err != nil {
		return nil, err
	}
	editors, err := admin.New(admin.Config{Store: st, Auth: accounts, Uploads: files, Logger: log, Citer: cites})
	if err != nil {
		return nil, err
	}
	mux.Handle("/admin/", editors)
	mux.Handle("/admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	s.jobs = append(s.jobs, func(ctx context.Context) {
		// Every app server runs it: publishing is one statement, so each
		// scheduled publication is published once.
		_ = admin.RunScheduler(ctx, st, schedulerInterval, log)
	})
	s.handler = mux
	return s, nil
}

// describeLocation names a database location for logs, without a password.
func describeLocation(location string) string {
	t, err := storeopen.Parse(location)
	if err != nil {
		return "(unreadable database location)"
	}
	return t.String()
}
