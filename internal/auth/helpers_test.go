package auth

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
)

// fixture is a Manager over a memStore with a fake clock and a sleep that
// only records how long it was asked to wait.
type fixture struct {
	t   *testing.T
	st  Store
	mem *memStore // st, when it is one
	clk *clock
	m   *Manager

	mu    sync.Mutex
	slept []time.Duration
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	f := &fixture{t: t, clk: newClock()}
	if cfg.Store == nil {
		f.mem = newMemStore()
		cfg.Store = f.mem
	}
	f.st = cfg.Store
	if cfg.Now == nil {
		cfg.Now = f.clk.Now
	}
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.setParams(testParams); err != nil {
		t.Fatal(err)
	}
	m.sleep = func(_ context.Context, d time.Duration) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.slept = append(f.slept, d)
		return nil
	}
	f.m = m
	return f
}

func (f *fixture) sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

// testParams make the tests' hashes cheap: each real one takes 64 MiB
// and tens of milliseconds, and the tests make hundreds. password_test.go
// checks the real parameters.
var testParams = Params{Memory: 4 * 1024, Time: 1, Threads: 1}

// addUser creates an account with a password hashed with testParams.
func (f *fixture) addUser(email, password string, role model.AccountRole) *model.User {
	f.t.Helper()
	h, err := hashWith(password, testParams)
	if err != nil {
		f.t.Fatal(err)
	}
	u := &model.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, PasswordHash: h}
	if err := f.st.CreateUser(context.Background(), u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// request builds a request from a client address, with cookies.
func request(method, target, addr string, cookies ...*http.Cookie) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.RemoteAddr = addr + ":40000"
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return r
}

// login tries a login from addr and returns the session cookie it set.
func (f *fixture) login(email, password, addr string, cookies ...*http.Cookie) (*http.Cookie, *model.User, error) {
	f.t.Helper()
	w := httptest.NewRecorder()
	u, err := f.m.Login(w, request("POST", "/admin/login", addr, cookies...), email, password)
	c := responseCookie(w, SessionCookie)
	if err != nil && c != nil {
		f.t.Errorf("failed login %q set a session cookie", email)
	}
	if err == nil && c == nil {
		f.t.Fatalf("login %q set no session cookie", email)
	}
	return c, u, err
}

// mustLogin logs in and fails the test when it does not work.
func (f *fixture) mustLogin(email, password string) *http.Cookie {
	f.t.Helper()
	c, _, err := f.login(email, password, "192.0.2.1")
	if err != nil {
		f.t.Fatalf("login %s: %v", email, err)
	}
	return c
}

// visit runs r through Middleware and returns who was logged in for the
// handler (nil for nobody), the response and whether the handler ran.
func (f *fixture) visit(r *http.Request) (*model.User, *httptest.ResponseRecorder, bool) {
	var got *model.User
	ran := false
	h := f.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran = true
		got = CurrentUser(r.Context())
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return got, w, ran
}

// visitWith is visit with a session cookie at a client address.
func (f *fixture) visitWith(c *http.Cookie) (*model.User, *httptest.ResponseRecorder) {
	f.t.Helper()
	var cookies []*http.Cookie
	if c != nil {
		cookies = append(cookies, c)
	}
	u, w, ran := f.visit(request("GET", "/admin/", "192.0.2.1", cookies...))
	if !ran {
		f.t.Fatalf("the handler did not run: %d %s", w.Code, w.Body)
	}
	return u, w
}

// responseCookie returns the cookie named name that w set, or nil.
func responseCookie(w *httptest.ResponseRecorder, name string) *http.Cookie {
	var found *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			found = c
		}
	}
	return found
}

// clearsCookie reports whether w tells the browser to forget name.
func clearsCookie(w *httptest.ResponseRecorder, name string) bool {
	c := responseCookie(w, name)
	return c != nil && c.MaxAge < 0 && c.Value == ""
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
