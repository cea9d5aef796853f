package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

const (
	// SessionCookie carries the session token.
	SessionCookie = "imprint_session"
	tokenLen      = 32
	// touchInterval is how stale a session's LastSeen may get before a
	// request records it: writing it on every request would turn every
	// page view into a database write.
	touchInterval = time.Minute
	// maxUserAgent bounds the user agent kept with a session.
	maxUserAgent = 256
	// recordTimeout bounds the writes that record a failed login, which
	// go on after the client has gone.
	recordTimeout = 10 * time.Second
	// maxEmailLen is the longest e-mail address (RFC 5321's path limit
	// less its angle brackets).
	maxEmailLen = 254
)

// session is what Middleware puts in a request's context.
type session struct {
	user  *model.User
	token []byte // the raw session token, the key of the CSRF token
	s     *store.Session
}

type ctxKey struct{}

// CurrentUser returns the account logged in for the request whose context
// ctx is (after Middleware), or nil when nobody is logged in.
func CurrentUser(ctx context.Context) *model.User {
	if s, ok := ctx.Value(ctxKey{}).(*session); ok {
		return s.user
	}
	return nil
}

func currentSession(ctx context.Context) *session {
	s, _ := ctx.Value(ctxKey{}).(*session)
	return s
}

// Login checks email and password and, when they name an enabled account,
// starts a new session for it: any session the request carried is ended
// (so that a token planted before login is worthless after it) and the
// response sets the new session cookie. Answer with a redirect, since
// the new session is only seen by the next request.
//
// It fails with ErrInvalidCredentials for a wrong address or password or a
// disabled account, alike, and with *ThrottledError when too many logins
// failed lately (see throttle.go); other errors are the store's.
func (m *Manager) Login(w http.ResponseWriter, r *http.Request, email, password string) (*model.User, error) {
	ctx := r.Context()
	// No address is longer than 254 bytes; cutting longer input keeps
	// the throttle keys and the audit log small whatever is posted.
	email = truncate(model.NormalizeEmail(email), maxEmailLen)
	addr := m.ClientAddress(r)
	keys := newThrottleKeys(email, addr)

	if err := m.checkThrottle(ctx, keys, email, addr); err != nil {
		return nil, err
	}
	if err := m.accountDelay(ctx, keys); err != nil {
		return nil, err
	}
	if err := m.acquire(ctx); err != nil {
		return nil, err
	}
	u, ok, why, err := m.verify(ctx, keys, email, addr, password)
	// A failure is counted before the slot is given up, so that the
	// attempts waiting for it see the count when they check the limits
	// again: on one server, at most MaxConcurrentHashes-1 guesses beyond
	// a limit get through.
	// It is counted even when the client has gone: hanging up during
	// the hash must not be a way to guess uncounted.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err == nil && !ok {
		err = m.recordFailure(wctx, keys)
	}
	m.release()
	if err != nil {
		return nil, err
	}
	if !ok {
		m.auditLogin(wctx, "login.failed", u, email, addr, why)
		m.log.InfoContext(ctx, "login failed", "email", email, "address", addr, "reason", why)
		return nil, ErrInvalidCredentials
	}

	if err := m.store.ResetHits(ctx, keys.pair); err != nil {
		return nil, fmt.Errorf("auth: login %q: reset failures: %w", email, err)
	}
	if err := m.startSession(w, r, u, addr); err != nil {
		return nil, fmt.Errorf("auth: login %q: %w", email, err)
	}
	m.auditLogin(ctx, "login", u, email, addr, "")
	return u, nil
}

// verify looks the account up and checks the password, in a hash slot.
// An unknown address costs one hash like a known one, so that timing does
// not tell which addresses have accounts. ok false comes with why, for the
// log; u is the account when there is one.
func (m *Manager) verify(ctx context.Context, keys throttleKeys, email, addr, password string) (u *model.User, ok bool, why string, err error) {
	// Checked again inside the slot: logins queued behind others may
	// have been allowed before failures of the ones ahead were counted.
	if err := m.checkThrottle(ctx, keys, email, addr); err != nil {
		return nil, false, "", err
	}
	u, err = m.store.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		u = nil
	case err != nil:
		return nil, false, "", fmt.Errorf("auth: login %q: %w", email, err)
	}
	// Every path below costs one hash, so that timing tells no one
	// whether an account exists or why the attempt failed.
	hash, tooLong := m.dummy, len(password) > MaxPasswordLen
	if u != nil && !tooLong {
		hash = u.PasswordHash
	}
	if tooLong {
		password = password[:MaxPasswordLen]
	}
	match, err := CheckPassword(hash, password)
	if err != nil {
		_, _ = CheckPassword(m.dummy, password)
		m.log.ErrorContext(ctx, "stored password hash unreadable", "user", u.ID, "err", err)
		return u, false, "stored password hash unreadable", nil
	}
	switch {
	case u == nil:
		return nil, false, "no such account", nil
	case tooLong:
		return u, false, "password too long", nil
	case !match:
		return u, false, "wrong password", nil
	case u.Disabled:
		return u, false, "account disabled", nil
	}
	return u, true, "", nil
}

// startSession ends the request's current session, if any, creates a new
// one for u and sets its cookie.
func (m *Manager) startSession(w http.ResponseWriter, r *http.Request, u *model.User, addr string) error {
	ctx := r.Context()
	now := m.now()
	if old, ok := tokenFromRequest(r); ok {
		if err := m.store.DeleteSession(ctx, hashToken(old)); err != nil {
			return fmt.Errorf("end previous session: %w", err)
		}
	}
	// Logins are rare, so they are a fine moment to sweep out sessions
	// and counts nobody will use again; failing to is harmless.
	if _, _, err := m.Sweep(ctx); err != nil {
		m.log.WarnContext(ctx, "sweep sessions and login counts", "err", err)
	}
	token := make([]byte, tokenLen)
	if _, err := rand.Read(token); err != nil {
		return fmt.Errorf("new session token: %w", err)
	}
	s := &store.Session{
		TokenHash: hashToken(token),
		UserID:    u.ID,
		CreatedAt: now,
		LastSeen:  now,
		ExpiresAt: now.Add(min(m.idle, m.maxAge)),
		Address:   addr,
		UserAgent: truncate(r.UserAgent(), maxUserAgent),
	}
	if err := m.store.CreateSession(ctx, s); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	http.SetCookie(w, m.cookie(r, SessionCookie, base64.RawURLEncoding.EncodeToString(token)))
	return nil
}

// cookie returns one of our cookies: HttpOnly, SameSite=Lax, for the whole
// site, Secure when the client came over HTTPS. It has no expiry, so the
// browser forgets it when it closes; the server enforces the real limits.
func (m *Manager) cookie(r *http.Request, name, value string) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   m.isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	}
}

// expireCookie tells the browser to forget a cookie.
func (m *Manager) expireCookie(w http.ResponseWriter, r *http.Request, name string) {
	c := m.cookie(r, name, "")
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// tokenFromRequest returns the session token the request's cookie
// carries, when it is well-formed.
func tokenFromRequest(r *http.Request) ([]byte, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil, false
	}
	return decodeToken(c.Value)
}

func decodeToken(s string) ([]byte, bool) {
	if base64.RawURLEncoding.EncodedLen(tokenLen) != len(s) {
		return nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != tokenLen {
		return nil, false
	}
	return b, true
}

// hashToken is what the store keeps of a token: hex SHA-256.
func hashToken(token []byte) string {
	sum := sha256.Sum256(token)
	return hex.EncodeToString(sum[:])
}

// Logout ends the request's session on the server, tells the browser to
// forget its cookie and writes "logout" to the audit log. Logging out
// without a session is not an error.
func (m *Manager) Logout(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	token, ok := tokenFromRequest(r)
	if _, err := r.Cookie(SessionCookie); err == nil {
		m.expireCookie(w, r, SessionCookie)
	}
	if !ok {
		return nil
	}
	hash := hashToken(token)
	u := CurrentUser(ctx)
	if u == nil {
		// Without Middleware in front, find out whose session it was.
		if s, err := m.store.Session(ctx, hash, m.now()); err == nil {
			if u, err = m.store.User(ctx, s.UserID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("auth: logout: %w", err)
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("auth: logout: %w", err)
		}
	}
	if err := m.store.DeleteSession(ctx, hash); err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	if u != nil {
		if err := m.addAudit(ctx, u, "logout", userTarget(u.ID), m.ClientAddress(r), ""); err != nil {
			return fmt.Errorf("auth: logout: %w", err)
		}
	}
	return nil
}

// LogoutEverywhere ends every session of an account — after a password
// change, a role change or disabling it — and returns how many ended.
func (m *Manager) LogoutEverywhere(ctx context.Context, userID int64) (int, error) {
	n, err := m.store.DeleteUserSessions(ctx, userID)
	if err != nil {
		return 0, fmt.Errorf("auth: end sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// DeleteExpiredSessions removes sessions that can no longer be used.
func (m *Manager) DeleteExpiredSessions(ctx context.Context) (int, error) {
	n, err := m.store.DeleteExpiredSessions(ctx, m.now())
	if err != nil {
		return 0, fmt.Errorf("auth: delete expired sessions: %w", err)
	}
	return n, nil
}

// hitPruner is a Store that can forget old events of every throttle key
// at once (the SQL stores); Hit forgets only those of the key it counts,
// so keys of addresses that never come back would pile up.
type hitPruner interface {
	PruneHits(ctx context.Context, before time.Time) (int, error)
}

// pruneAge is how old a throttle event must be before Sweep forgets it:
// far beyond Window, so that counters with longer windows kept by others
// in the same store (the admin's password-change limit) stay whole.
const pruneAge = 24 * time.Hour

// Sweep deletes expired sessions and, when the store can, throttle events
// older than a day, and says how many sessions and throttle keys went.
// Every successful login sweeps; a site with few logins may also call it
// now and then.
func (m *Manager) Sweep(ctx context.Context) (sessions, keys int, err error) {
	now := m.now()
	if sessions, err = m.store.DeleteExpiredSessions(ctx, now); err != nil {
		return 0, 0, fmt.Errorf("auth: delete expired sessions: %w", err)
	}
	if p, ok := m.store.(hitPruner); ok {
		if keys, err = p.PruneHits(ctx, now.Add(-pruneAge)); err != nil {
			return sessions, 0, fmt.Errorf("auth: prune login counts: %w", err)
		}
	}
	return sessions, keys, nil
}

// Middleware loads the session the request's cookie names and puts its
// account in the context (see CurrentUser). A request without a live
// session goes on with nobody logged in, and its stale cookie is cleared:
// sessions deleted by logout everywhere, expired sessions and sessions of
// disabled or deleted accounts end at the next request. A database
// failure answers 500 rather than pretending nobody is logged in.
func (m *Manager) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := m.load(w, r)
		if err != nil {
			m.log.ErrorContext(r.Context(), "load session", "err", err)
			http.Error(w, "Internal Server Error: the session could not be read; please try again.", http.StatusInternalServerError)
			return
		}
		if s != nil {
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, s))
		}
		next.ServeHTTP(w, r)
	})
}

// load returns the request's live session, nil when there is none.
func (m *Manager) load(w http.ResponseWriter, r *http.Request) (*session, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil, nil
	}
	ctx := r.Context()
	token, ok := decodeToken(c.Value)
	if !ok {
		m.expireCookie(w, r, SessionCookie)
		return nil, nil
	}
	hash := hashToken(token)
	now := m.now()
	s, err := m.store.Session(ctx, hash, now)
	if errors.Is(err, store.ErrNotFound) {
		m.expireCookie(w, r, SessionCookie)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: session: %w", err)
	}
	end := func() (*session, error) {
		m.expireCookie(w, r, SessionCookie)
		if err := m.store.DeleteSession(ctx, hash); err != nil {
			return nil, fmt.Errorf("auth: end session: %w", err)
		}
		return nil, nil
	}
	// The store's ExpiresAt is what it was when last touched; the limits
	// are checked here too so that shortening them takes effect at once.
	if !now.Before(s.CreatedAt.Add(m.maxAge)) || !now.Before(s.LastSeen.Add(m.idle)) {
		return end()
	}
	u, err := m.store.User(ctx, s.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return end()
	}
	if err != nil {
		return nil, fmt.Errorf("auth: session user %d: %w", s.UserID, err)
	}
	if u.Disabled {
		if _, err := m.store.DeleteUserSessions(ctx, u.ID); err != nil {
			return nil, fmt.Errorf("auth: end sessions of disabled user %d: %w", u.ID, err)
		}
		m.expireCookie(w, r, SessionCookie)
		return nil, nil
	}
	if now.Sub(s.LastSeen) >= touchInterval {
		extend := now.Add(m.idle)
		if limit := s.CreatedAt.Add(m.maxAge); extend.After(limit) {
			extend = limit
		}
		err := m.store.TouchSession(ctx, hash, now, extend)
		if errors.Is(err, store.ErrNotFound) {
			// Ended by another request meanwhile (logout everywhere).
			m.expireCookie(w, r, SessionCookie)
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("auth: touch session: %w", err)
		}
		s.LastSeen, s.ExpiresAt = now, extend
	}
	return &session{user: u, token: token, s: s}, nil
}

func userTarget(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
