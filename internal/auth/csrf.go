package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

const (
	// CSRFField names the hidden form field that carries the CSRF token.
	CSRFField = "csrf_token"
	// CSRFHeader names the request header that may carry it instead
	// (for fetch requests such as the live preview).
	CSRFHeader = "X-CSRF-Token"
	// CSRFCookie carries the token of a visitor who is not logged in
	// (the login form): the double-submit pattern, since there is no
	// session to derive a token from.
	CSRFCookie = "imprint_csrf"
)

// sessionCSRF derives a session's CSRF token from its secret token. Any
// app server can compute it, so nothing is stored, and it changes with
// the session at every login.
func sessionCSRF(token []byte) string {
	mac := hmac.New(sha256.New, token)
	mac.Write([]byte("csrf"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// CSRFToken returns the token to put in a form's CSRFField (or a fetch
// request's CSRFHeader). For a logged-in request (after Middleware) it is
// derived from the session; otherwise it is the visitor's imprint_csrf
// cookie, which it sets when the request has none.
func (m *Manager) CSRFToken(w http.ResponseWriter, r *http.Request) string {
	if s := currentSession(r.Context()); s != nil {
		return sessionCSRF(s.token)
	}
	// A page with two forms asks twice: hand out the cookie this
	// response already sets rather than overwrite it.
	for _, line := range w.Header().Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == CSRFCookie && c.MaxAge >= 0 {
			if _, ok := decodeToken(c.Value); ok {
				return c.Value
			}
		}
	}
	if c, err := r.Cookie(CSRFCookie); err == nil {
		if _, ok := decodeToken(c.Value); ok {
			return c.Value
		}
	}
	b := make([]byte, tokenLen)
	// crypto/rand.Read does not fail on the platforms Go supports (it
	// crashes the program instead), so there is no error to return.
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, m.cookie(r, CSRFCookie, v))
	return v
}

// VerifyCSRF checks a state-changing request: it returns an error
// wrapping ErrCSRF when the request says it comes from another site
// (Sec-Fetch-Site: cross-site, or an Origin other than this host) or when
// neither the CSRFHeader header nor the CSRFField form field holds the
// token CSRFToken gave. Call it for every request that changes anything,
// after Middleware and after limiting the body's size (reading the form
// field parses the body).
func (m *Manager) VerifyCSRF(r *http.Request) error {
	if strings.EqualFold(r.Header.Get("Sec-Fetch-Site"), "cross-site") {
		return fmt.Errorf("%w: the request comes from another site", ErrCSRF)
	}
	if origin := r.Header.Get("Origin"); origin != "" && !m.sameOrigin(r, origin) {
		return fmt.Errorf("%w: the request comes from %q, not this site", ErrCSRF, truncate(origin, 100))
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		// Only the body: a token in a URL leaks through logs and
		// Referer headers.
		got = r.PostFormValue(CSRFField)
	}
	if got == "" {
		return fmt.Errorf("%w: the request has no %s", ErrCSRF, CSRFField)
	}
	var want string
	if s := currentSession(r.Context()); s != nil {
		want = sessionCSRF(s.token)
	} else {
		c, err := r.Cookie(CSRFCookie)
		if err != nil {
			return fmt.Errorf("%w: no %s cookie (are cookies blocked?)", ErrCSRF, CSRFCookie)
		}
		if _, ok := decodeToken(c.Value); !ok {
			return fmt.Errorf("%w: malformed %s cookie", ErrCSRF, CSRFCookie)
		}
		want = c.Value
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return fmt.Errorf("%w: the token does not match (the form may be older than the session)", ErrCSRF)
	}
	return nil
}

// sameOrigin reports whether an Origin header names the host r was sent
// to. Only the host and port are compared, not the scheme, so that a
// TLS-terminating proxy without TrustProxy does not refuse every form.
func (m *Manager) sameOrigin(r *http.Request, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false // includes "null", sent by sandboxed and privacy-sensitive contexts
	}
	host := r.Host
	if m.trustProxy {
		if fh := r.Header.Get("X-Forwarded-Host"); fh != "" {
			host, _, _ = strings.Cut(fh, ",")
			host = strings.TrimSpace(host)
		}
	}
	return strings.EqualFold(stripDefaultPort(u.Host, u.Scheme), stripDefaultPort(host, ""))
}

// stripDefaultPort drops the port a scheme implies ("" for either).
func stripDefaultPort(host, scheme string) string {
	if h, ok := strings.CutSuffix(host, ":443"); ok && scheme != "http" {
		return h
	}
	if h, ok := strings.CutSuffix(host, ":80"); ok && scheme != "https" {
		return h
	}
	return host
}
