package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/imprintpub/imprint/internal/store"
)

// Store is what the package needs of the database: accounts, sessions,
// the shared throttle counters and the audit log. The SQL stores
// implement it.
type Store interface {
	store.Accounts
	store.Sessions
	store.Throttle
	store.Audit
}

var (
	// ErrInvalidCredentials: the e-mail address and password do not
	// name an enabled account. It does not say which part was wrong.
	ErrInvalidCredentials = errors.New("auth: wrong e-mail address or password")
	// ErrCSRF: a state-changing request lacks a valid CSRF token or comes
	// from another site.
	ErrCSRF = errors.New("auth: missing or invalid CSRF token")
	// ErrForbidden: the account's role does not allow the action.
	ErrForbidden = errors.New("auth: not allowed for this account's role")
)

// ThrottledError refuses a login attempt because of too many recent
// failures; RetryAfter says when the next attempt may succeed.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("auth: too many failed logins; try again in %s", roundUp(e.RetryAfter))
}

// roundUp rounds d up to whole minutes (whole seconds below a minute), the
// precision a person waiting needs.
func roundUp(d time.Duration) time.Duration {
	unit := time.Minute
	if d < time.Minute {
		unit = time.Second
	}
	return time.Duration(math.Ceil(float64(d)/float64(unit))) * unit
}

// Config configures a Manager. Store is required; zero fields take the
// defaults their comments name.
type Config struct {
	Store  Store
	Logger *slog.Logger     // default slog.Default()
	Now    func() time.Time // default time.Now; tests pass a fake clock
	// IdleTimeout ends a session unused this long (default 2 hours). Use
	// is recorded at most once a minute, so a session may end up to a
	// minute early.
	IdleTimeout time.Duration
	// MaxAge ends every session this long after login, used or not
	// (default 7 days).
	MaxAge time.Duration
	// TrustProxy takes the client's address from X-Forwarded-For, the
	// scheme from X-Forwarded-Proto and, for VerifyCSRF's Origin check,
	// the host from X-Forwarded-Host when present. Set it only behind a
	// reverse proxy that sets them; otherwise any client could choose its
	// address and slip past the per-address login limits. (A proxy that
	// rewrites Host without X-Forwarded-Host makes VerifyCSRF refuse
	// every browser form, whose Origin names the public host.)
	TrustProxy bool
	// ProxyHops is how many proxies that append to X-Forwarded-For stand
	// in front of the server (default 1): the client's address is the
	// one that many entries from the right, the leftmost ones being
	// whatever the client sent.
	ProxyHops int
	// MaxConcurrentHashes bounds the password hashes computed at once
	// (default 4): each takes 64 MiB, and a flood of login attempts must
	// not exhaust the server's memory. Further logins wait their turn.
	MaxConcurrentHashes int
}

// Defaults of Config.
const (
	DefaultIdleTimeout         = 2 * time.Hour
	DefaultMaxAge              = 7 * 24 * time.Hour
	DefaultMaxConcurrentHashes = 4
)

// Manager logs accounts in and out, loads sessions, issues and checks CSRF
// tokens and writes the audit log. It keeps no state of its own besides
// its configuration, so that any number of app servers can share one
// database; it is safe for concurrent use.
type Manager struct {
	store      Store
	log        *slog.Logger
	now        func() time.Time
	idle       time.Duration
	maxAge     time.Duration
	trustProxy bool
	proxyHops  int
	hashSlots  chan struct{}
	// params are the dummy hash's parameters: HashPassword's, but
	// cheaper in this package's tests.
	params Params
	dummy  string // see dummyHash
	// sleep waits for the per-account delay; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a Manager for cfg.
func New(cfg Config) (*Manager, error) {
	if cfg.Store == nil {
		return nil, errors.New("auth: config: Store is required")
	}
	if cfg.IdleTimeout < 0 || cfg.MaxAge < 0 || cfg.ProxyHops < 0 || cfg.MaxConcurrentHashes < 0 {
		return nil, errors.New("auth: config: IdleTimeout, MaxAge, ProxyHops and MaxConcurrentHashes must not be negative")
	}
	m := &Manager{
		store:      cfg.Store,
		log:        cfg.Logger,
		now:        cfg.Now,
		idle:       cfg.IdleTimeout,
		maxAge:     cfg.MaxAge,
		trustProxy: cfg.TrustProxy,
		proxyHops:  cfg.ProxyHops,
		sleep:      sleepContext,
	}
	if m.log == nil {
		m.log = slog.Default()
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.idle == 0 {
		m.idle = DefaultIdleTimeout
	}
	if m.maxAge == 0 {
		m.maxAge = DefaultMaxAge
	}
	if m.idle < 2*touchInterval {
		return nil, fmt.Errorf("auth: config: IdleTimeout %s is below %s", m.idle, 2*touchInterval)
	}
	if m.proxyHops == 0 {
		m.proxyHops = 1
	}
	slots := cfg.MaxConcurrentHashes
	if slots == 0 {
		slots = DefaultMaxConcurrentHashes
	}
	m.hashSlots = make(chan struct{}, slots)
	if err := m.setParams(defaultParams); err != nil {
		return nil, err
	}
	return m, nil
}

// setParams sets the hash parameters and makes a dummy hash to match.
func (m *Manager) setParams(p Params) error {
	d, err := dummyHash(p)
	if err != nil {
		return err
	}
	m.params, m.dummy = p, d
	return nil
}

// sleepContext waits for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// checkPassword runs CheckPassword in one of the manager's hash slots.
func (m *Manager) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	if err := m.acquire(ctx); err != nil {
		return false, err
	}
	defer m.release()
	return CheckPassword(hash, password)
}

func (m *Manager) acquire(ctx context.Context) error {
	select {
	case m.hashSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("auth: waiting to check a password: %w", ctx.Err())
	}
}

func (m *Manager) release() { <-m.hashSlots }
