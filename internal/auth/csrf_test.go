package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
)

// csrfRequest describes a state-changing request for the CSRF tables.
type csrfRequest struct {
	field, header, query string // where the token goes
	origin, fetchSite    string
	host                 string
	forwardedHost        string
}

func (c csrfRequest) build(cookies ...*http.Cookie) *http.Request {
	target := "/admin/publications/1"
	if c.query != "" {
		target += "?" + url.Values{CSRFField: {c.query}}.Encode()
	}
	form := url.Values{"title": {"New title"}}
	if c.field != "" {
		form.Set(CSRFField, c.field)
	}
	r := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	r.RemoteAddr = addrA + ":40000"
	for _, c := range cookies {
		r.AddCookie(c)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.header != "" {
		r.Header.Set(CSRFHeader, c.header)
	}
	if c.origin != "" {
		r.Header.Set("Origin", c.origin)
	}
	if c.fetchSite != "" {
		r.Header.Set("Sec-Fetch-Site", c.fetchSite)
	}
	r.Host = "imprint.example.org"
	if c.host != "" {
		r.Host = c.host
	}
	if c.forwardedHost != "" {
		r.Header.Set("X-Forwarded-Host", c.forwardedHost)
	}
	return r
}

// verify runs r through Middleware and VerifyCSRF.
func (f *fixture) verify(r *http.Request) error {
	var err error
	ran := false
	f.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran = true
		err = f.m.VerifyCSRF(r)
	})).ServeHTTP(newRecorder(), r)
	if !ran {
		f.t.Fatal("the handler did not run")
	}
	return err
}

// tokenFor returns the CSRF token a page served to the session c shows.
func (f *fixture) tokenFor(c *http.Cookie) string {
	var tok string
	w := newRecorder()
	f.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok = f.m.CSRFToken(w, r)
	})).ServeHTTP(w, request("GET", "/admin/", addrA, c))
	if responseCookie(w, CSRFCookie) != nil {
		f.t.Error("a logged-in page set the pre-login CSRF cookie")
	}
	return tok
}

func TestCSRFLoggedIn(t *testing.T) {
	f := newFixture(t, Config{TrustProxy: true})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	f.addUser("other@example.org", editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	tok := f.tokenFor(c)
	if tok2 := f.tokenFor(c); tok2 != tok || len(tok) != 43 {
		t.Fatalf("tokens %q and %q: want one 32-byte base64url token per session", tok, tok2)
	}
	otherTok := f.tokenFor(f.mustLogin("other@example.org", editorPW))
	if otherTok == tok {
		t.Fatal("two sessions have one token")
	}
	for _, tc := range []struct {
		name string
		req  csrfRequest
		ok   bool
	}{
		{"form field", csrfRequest{field: tok}, true},
		{"header", csrfRequest{header: tok}, true},
		{"same origin", csrfRequest{field: tok, origin: "https://imprint.example.org"}, true},
		{"same origin, explicit port", csrfRequest{field: tok, origin: "https://imprint.example.org:443"}, true},
		{"same origin, other port", csrfRequest{field: tok, origin: "http://imprint.example.org:8080", host: "imprint.example.org:8080"}, true},
		{"same origin behind proxy", csrfRequest{field: tok, origin: "https://imprint.example.org", host: "127.0.0.1:8080", forwardedHost: "imprint.example.org"}, true},
		{"same-origin fetch", csrfRequest{header: tok, fetchSite: "same-origin"}, true},
		{"typed in by the user", csrfRequest{field: tok, fetchSite: "none"}, true},
		{"missing", csrfRequest{}, false},
		{"wrong", csrfRequest{field: strings.Repeat("A", 43)}, false},
		{"another session's", csrfRequest{field: otherTok}, false},
		{"truncated", csrfRequest{field: tok[:42]}, false},
		{"in the query string only", csrfRequest{query: tok}, false},
		{"wrong header beats right field", csrfRequest{header: "nope", field: tok}, false},
		{"cross-site fetch", csrfRequest{field: tok, fetchSite: "cross-site"}, false},
		{"cross-site origin", csrfRequest{field: tok, origin: "https://evil.example"}, false},
		{"sibling subdomain", csrfRequest{field: tok, origin: "https://blog.example.org", fetchSite: "same-site"}, false},
		{"origin with other port", csrfRequest{field: tok, origin: "https://imprint.example.org:8443"}, false},
		{"opaque origin", csrfRequest{field: tok, origin: "null"}, false},
		{"odd scheme", csrfRequest{field: tok, origin: "chrome-extension://imprint.example.org"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.verify(tc.req.build(c))
			if tc.ok && err != nil {
				t.Fatalf("VerifyCSRF = %v, want nil", err)
			}
			if !tc.ok && !errors.Is(err, ErrCSRF) {
				t.Fatalf("VerifyCSRF = %v, want ErrCSRF", err)
			}
		})
	}
	// After logout and a new login the old token is worthless.
	c2, _, err := f.login(editorEmail, editorPW, addrA, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.verify(csrfRequest{field: tok}.build(c2)); !errors.Is(err, ErrCSRF) {
		t.Errorf("the previous session's token after a new login: %v, want ErrCSRF", err)
	}
}

func TestCSRFLoggedOut(t *testing.T) {
	f := newFixture(t, Config{})
	// The login page asks for a token twice (say, two forms).
	w := newRecorder()
	r := request("GET", "/admin/login", addrA)
	tok := f.m.CSRFToken(w, r)
	if again := f.m.CSRFToken(w, r); again != tok {
		t.Errorf("second token in one response %q, want %q", again, tok)
	}
	if n := len(w.Header().Values("Set-Cookie")); n != 1 {
		t.Errorf("%d Set-Cookie headers, want 1", n)
	}
	cookie := responseCookie(w, CSRFCookie)
	if cookie == nil || cookie.Value != tok || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
		t.Fatalf("CSRF cookie %v: want HttpOnly, SameSite=Lax, Path=/ holding the token", cookie)
	}
	// The next page keeps the cookie's token and sets nothing.
	w2 := newRecorder()
	if again := f.m.CSRFToken(w2, request("GET", "/admin/login", addrA, cookie)); again != tok || len(w2.Header().Values("Set-Cookie")) != 0 {
		t.Errorf("with the cookie: token %q (want %q), headers %v", again, tok, w2.Header())
	}
	// A malformed cookie is replaced.
	w3 := newRecorder()
	if fresh := f.m.CSRFToken(w3, request("GET", "/admin/login", addrA, &http.Cookie{Name: CSRFCookie, Value: "x"})); fresh == "x" || responseCookie(w3, CSRFCookie) == nil {
		t.Errorf("malformed cookie kept: %q", fresh)
	}
	other := f.m.CSRFToken(newRecorder(), request("GET", "/admin/login", addrB))
	for _, tc := range []struct {
		name    string
		req     csrfRequest
		cookies []*http.Cookie
		ok      bool
	}{
		{"cookie and field", csrfRequest{field: tok}, []*http.Cookie{cookie}, true},
		{"cookie and header", csrfRequest{header: tok}, []*http.Cookie{cookie}, true},
		{"field without cookie", csrfRequest{field: tok}, nil, false},
		{"another visitor's token", csrfRequest{field: other}, []*http.Cookie{cookie}, false},
		{"cookie without field", csrfRequest{}, []*http.Cookie{cookie}, false},
		{"malformed cookie", csrfRequest{field: "x"}, []*http.Cookie{{Name: CSRFCookie, Value: "x"}}, false},
		{"cross-site", csrfRequest{field: tok, fetchSite: "cross-site"}, []*http.Cookie{cookie}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.verify(tc.req.build(tc.cookies...))
			if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrCSRF)) {
				t.Fatalf("VerifyCSRF = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// TestCSRFLoginForm follows a browser through the login form: the token
// from before login guards the form, and the session's token the pages
// after it.
func TestCSRFLoginForm(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	w := newRecorder()
	tok := f.m.CSRFToken(w, request("GET", "/admin/login", addrA))
	pre := responseCookie(w, CSRFCookie)
	if err := f.verify(csrfRequest{field: tok}.build(pre)); err != nil {
		t.Fatalf("login form post: %v", err)
	}
	sess, _, err := f.login(editorEmail, editorPW, addrA, pre)
	if err != nil {
		t.Fatal(err)
	}
	// Logged in, the pre-login token no longer counts.
	if err := f.verify(csrfRequest{field: tok}.build(sess, pre)); !errors.Is(err, ErrCSRF) {
		t.Errorf("pre-login token with a session: %v, want ErrCSRF", err)
	}
	if err := f.verify(csrfRequest{field: f.tokenFor(sess)}.build(sess, pre)); err != nil {
		t.Errorf("session token: %v", err)
	}
}
