package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ChangesChannel is the notification channel on which every transaction
// that changes public content announces itself once it commits, with the
// schema and the new site generation as payload ("public 42"); see
// migrations/0007_changes.sql.
const ChangesChannel = "imprint_changes"

// Timings of a ChangeListener.
const (
	// listenCheck is how long the listener waits for a notification
	// before checking that its connection still answers: a connection
	// that died without a word would otherwise wait for ever.
	listenCheck = 30 * time.Second
	// listenPing bounds that check and each connection attempt.
	listenPing = 5 * time.Second
	// Reconnection waits from listenMinBackoff, doubling to
	// listenMaxBackoff, with jitter so that app servers do not reconnect
	// in step after a database restart.
	listenMinBackoff = 100 * time.Millisecond
	listenMaxBackoff = 10 * time.Second
)

// ChangeListener keeps one connection listening on ChangesChannel, so that
// an app server learns within milliseconds that another one changed the
// site. It implements the Notifier of internal/cache.
type ChangeListener struct {
	cfg *pgx.ConnConfig
	log *slog.Logger
	// backoff bounds, changed by tests.
	minBackoff, maxBackoff time.Duration
}

// NewChangeListener returns a listener for the database at rawURL (the URL
// Open takes, with the same parameters: search_path names the schema whose
// changes count). log receives connection failures; nil discards them.
func NewChangeListener(rawURL string, log *slog.Logger) (*ChangeListener, error) {
	connURL, _, err := poolSettings(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %w", Redact(rawURL), err)
	}
	cfg, err := pgx.ParseConfig(connURL)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %w", Redact(rawURL), err)
	}
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > listenPing {
		cfg.ConnectTimeout = listenPing
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "imprint changes listener"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ChangeListener{cfg: cfg, log: log, minBackoff: listenMinBackoff, maxBackoff: listenMaxBackoff}, nil
}

// Listen listens until ctx ends. It calls listening(true) once LISTEN is
// in place on a new connection — changes committed before then were not
// announced, so the caller reads the generation again — and
// listening(false) when the connection is lost; then it reconnects,
// waiting longer after each failure. changed is called for every
// notification about this connection's schema. It returns nil when ctx
// ends.
func (l *ChangeListener) Listen(ctx context.Context, changed func(), listening func(bool)) error {
	backoff := l.minBackoff
	for {
		err := l.session(ctx, changed, listening)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			// The session had been listening: its failure was already
			// logged, and the first retry comes soon.
			backoff = l.minBackoff
		} else {
			l.log.Warn("postgres: cannot listen for changes; retrying", "host", l.cfg.Host, "retry_in", backoff, "err", err)
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		backoff = min(2*backoff, l.maxBackoff)
	}
}

// session connects, listens and waits for notifications until the
// connection fails or ctx ends. It returns nil after having listened
// (so that the next failure is retried at once), else the connection
// error.
func (l *ChangeListener) session(ctx context.Context, changed func(), listening func(bool)) (err error) {
	cctx, cancel := context.WithTimeout(ctx, listenPing)
	conn, err := pgx.ConnectConfig(cctx, l.cfg)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	var schema string
	cctx, cancel = context.WithTimeout(ctx, listenPing)
	err = conn.QueryRow(cctx, `SELECT COALESCE(current_schema(), '')`).Scan(&schema)
	if err == nil {
		_, err = conn.Exec(cctx, `LISTEN `+ChangesChannel)
	}
	cancel()
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	listening(true)
	defer listening(false)
	for {
		wctx, cancel := context.WithTimeout(ctx, listenCheck)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, context.DeadlineExceeded):
			pctx, cancel := context.WithTimeout(ctx, listenPing)
			err := conn.Ping(pctx)
			cancel()
			if err != nil && ctx.Err() == nil {
				l.log.Warn("postgres: change listener's connection does not answer", "err", err)
				return nil
			}
		case err != nil:
			l.log.Warn("postgres: change listener's connection failed", "err", err)
			return nil
		default:
			// Another schema of the same database (another site, or a
			// test) has changed: nothing here to drop.
			if s, _, _ := strings.Cut(n.Payload, " "); s == schema || n.Payload == "" {
				changed()
			}
		}
	}
}
