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
	"syscall"
	"time"

	"github.com/imprintpub/imprint/internal/api"
	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/oaipmh"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store/storeopen"
	"github.com/imprintpub/imprint/internal/web"
)

const serveDescription = `
Serve the public site: publication pages with Print and Cite, experts,
topics and regions.

The database is the SQLite file imprint.db in the data directory, which is
created when missing, unless --database names another: a PostgreSQL URL
(postgres://user:password@host:5432/db) or an SQLite file. --demo loads
the demo content into it; loading is idempotent, so the flag can stay on
across restarts. The server stops gracefully on SIGINT or
SIGTERM, finishing requests in flight.`

// shutdownGrace bounds how long in-flight requests may run after a signal.
const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "serve", "[--demo] [--addr HOST:PORT] [--data DIR] [--database URL]", serveDescription)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on, HOST:PORT")
	dataDir := fs.String("data", "./imprint-data", "`directory` holding the database")
	demo := fs.Bool("demo", false, "load the demo content into the database")
	database := fs.String("database", "", "database `location`: a postgres:// URL or an SQLite file (default $IMPRINT_DATABASE_URL, else DIR/imprint.db)")
	adminEmail := fs.String("admin-email", "webmaster@example.org", "`address` of the repository administrator, published by OAI-PMH Identify (set it for a real site)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stdio.Err, "imprint serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	log := slog.New(slog.NewTextHandler(stdio.Err, nil))

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

	handler, closeSite, err := openSite(ctx, location, *demo, *adminEmail, log)
	if err != nil {
		return err
	}
	defer closeSite()

	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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

// openSite opens the database at location (see storeopen), loads the demo
// content when asked and returns the public site's handler and a function
// that closes the database.
func openSite(ctx context.Context, location string, loadDemo bool, adminEmail string, log *slog.Logger) (http.Handler, func(), error) {
	path := describeLocation(location)
	st, err := storeopen.Open(ctx, location)
	if err != nil {
		return nil, nil, fmt.Errorf("open database %s: %w", path, err)
	}
	closeStore := func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "path", path, "err", err)
		}
	}
	if loadDemo {
		stats, err := demo.Load(ctx, st)
		if err != nil {
			closeStore()
			return nil, nil, fmt.Errorf("load demo content into %s: %w", path, err)
		}
		log.Info("demo content loaded", "publications", stats.Publications, "people", stats.People,
			"topics", stats.Topics, "regions", stats.Regions)
	}
	// The location's backend names the search engine.
	target, err := storeopen.Parse(location)
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	index, err := search.Open(st.DB(), string(target.Backend))
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	site, err := web.New(web.Config{Store: st, Search: index, Logger: log})
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	oai, err := oaipmh.New(st, oaipmh.Config{AdminEmail: adminEmail, Logger: log})
	if err != nil {
		closeStore()
		return nil, nil, fmt.Errorf("OAI-PMH: %w", err)
	}
	jsonAPI, err := api.New(st, api.Config{Search: index, Logger: log})
	if err != nil {
		closeStore()
		return nil, nil, fmt.Errorf("JSON API: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle(api.Prefix, jsonAPI)
	mux.Handle("/oai", oai)
	mux.Handle("/oai/", oai)
	mux.Handle("/", site)
	return mux, closeStore, nil
}

// describeLocation names a database location for logs, without a password.
func describeLocation(location string) string {
	t, err := storeopen.Parse(location)
	if err != nil {
		return "(unreadable database location)"
	}
	return t.String()
}
