package admin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/upload"
	"github.com/imprintpub/imprint/internal/web"
)

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

// testEnv is the admin and the public site over one SQLite store holding
// the demo content, as `imprint serve` mounts them, with an account of
// each role.
type testEnv struct {
	t     *testing.T
	st    *sqlstore.Store
	srv   *httptest.Server
	users map[model.AccountRole]*model.User
	clock *testClock
}

// testClock is a settable clock for the admin; it starts at the real time.
type testClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.at = t
	c.mu.Unlock()
}

// newEnv is the test environment on SQLite.
func newEnv(t *testing.T) *testEnv { return newEnvOn(t, "sqlite") }

// newEnvOn is the test environment on the engine "sqlite" or "postgres"
// (in a schema of its own; without IMPRINT_TEST_POSTGRES the test skips,
// or fails on CI).
func newEnvOn(t *testing.T, engine string) *testEnv {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	var st *sqlstore.Store
	var index search.Index
	var err error
	switch engine {
	case "sqlite":
		st, err = sqlite.Open(ctx, filepath.Join(dir, "imprint.db"))
		if err == nil {
			index = search.NewSQLite(st.DB())
		}
	case "postgres":
		st, err = postgres.Open(ctx, pgtest.SchemaURL(t))
		if err == nil {
			index = search.NewPostgres(st.DB())
		}
	default:
		t.Fatalf("unknown engine %q", engine)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	var logw io.Writer = io.Discard
	if testing.Verbose() {
		logw = testWriter{t}
	}
	log := slog.New(slog.NewTextHandler(logw, nil))
	am, err := auth.New(auth.Config{Store: st, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	up, err := upload.Open(upload.Config{Dir: filepath.Join(dir, "uploads"), MaxPDF: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{at: time.Now().UTC()}
	adminH, err := New(Config{Store: st, Auth: am, Uploads: up, Logger: log, SiteName: "Test Institute", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	webH, err := web.New(web.Config{Store: st, Logger: log, Search: index, SiteName: "Test Institute"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/", adminH)
	mux.Handle("/admin", adminH)
	mux.Handle("/files/", up.Handler())
	mux.Handle("/", webH)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &testEnv{t: t, st: st, srv: srv, users: map[model.AccountRole]*model.User{}, clock: clock}
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range model.AccountRoles {
		u := &model.User{Email: string(role) + "@example.org", Name: "Test " + string(role), Role: role, PasswordHash: hash}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	return e
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// client is one browser: a cookie jar that does not follow redirects, so
// that tests see each 303.
type client struct {
	e    *testEnv
	c    *http.Client
	csrf string
}

func (e *testEnv) newClient() *client {
	return &client{e: e, c: browserClient(e.t)}
}

// browserClient is an HTTP client with a cookie jar that does not follow
// redirects, so that tests see each 303.
func browserClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// send sends req with hc and returns the response with its body read,
// updating *csrf to the last CSRF token the page carried.
func send(t *testing.T, hc *http.Client, req *http.Request, csrf *string) (*http.Response, string) {
	t.Helper()
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if m := csrfRE.FindSubmatch(b); m != nil {
		*csrf = string(m[1])
	}
	return res, string(b)
}

// do sends a request and returns the response with its body read; it keeps
// the last CSRF token a page carried.
func (c *client) do(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	return send(c.e.t, c.c, req, &c.csrf)
}

func (c *client) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	req, err := http.NewRequest("GET", c.e.srv.URL+path, nil)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form with the client's CSRF token unless vals has one.
func (c *client) post(path string, vals url.Values) (*http.Response, string) {
	c.e.t.Helper()
	if vals == nil {
		vals = url.Values{}
	}
	if _, ok := vals["csrf_token"]; !ok {
		vals.Set("csrf_token", c.csrf)
	}
	req, err := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(vals.Encode()))
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login logs in as the account of role and fails the test otherwise.
func (e *testEnv) login(role model.AccountRole) *client {
	e.t.Helper()
	c := e.newClient()
	c.get("/admin/login")
	res, body := c.post("/admin/login", url.Values{"email": {e.users[role].Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login as %s: %s\n%s", role, res.Status, body)
	}
	c.get("/admin/") // picks up the session's CSRF token
	return c
}

// mustStatus fails the test unless res has the status.
func mustStatus(t *testing.T, what string, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %s, want %d\n%s", what, res.Status, want, body)
	}
}

// publicationForm is the editor's form for a new report with the given
// contributor rows (person slug, or "+Given Family" for a new person).
func publicationForm(title, issued string, people ...string) url.Values {
	v := url.Values{"title": {title}, "type": {"report"}, "issued": {issued}, "publisher": {"Test Institute"},
		"summary": {"A *short* summary."}, "action": {"save"}}
	for _, p := range people {
		given, family := "", ""
		person := p
		if rest, ok := strings.CutPrefix(p, "+"); ok {
			given, family, _ = strings.Cut(rest, " ")
			person = ""
		}
		v.Add("c_person", person)
		v.Add("c_role", "author")
		v.Add("c_given", given)
		v.Add("c_family", family)
		v.Add("c_literal", "")
	}
	return v
}

// idFromLocation reads the publication ID from a redirect to its editor.
func idFromLocation(t *testing.T, res *http.Response) int64 {
	t.Helper()
	loc := res.Header.Get("Location")
	var id int64
	if _, err := fmt.Sscanf(loc, "/admin/publications/%d", &id); err != nil {
		t.Fatalf("redirect to %q, want a publication's editor", loc)
	}
	return id
}

// revisionsOf returns the notes of a publication's revisions, oldest
// first.
func (e *testEnv) revisionsOf(id int64) []string {
	e.t.Helper()
	revs, err := e.st.Revisions(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	var notes []string
	for i := len(revs) - 1; i >= 0; i-- {
		notes = append(notes, revs[i].Note)
	}
	return notes
}

// auditActions returns the actions logged for a target, oldest first.
func (e *testEnv) auditActions(target string) []string {
	e.t.Helper()
	entries, err := e.st.ListAudit(context.Background(), store.AuditQuery{Target: target})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// storeQueryAll lists every publication in any status.
func storeQueryAll() store.PublicationQuery { return store.PublicationQuery{Limit: 1} }

// postFile sends the editor's form as multipart with one file in "pdf".
func (c *client) postFile(path string, vals url.Values, name string, content []byte) (*http.Response, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	vals.Set("csrf_token", c.csrf)
	for k, vs := range vals {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				c.e.t.Fatal(err)
			}
		}
	}
	fw, err := mw.CreateFormFile("pdf", name)
	if err != nil {
		c.e.t.Fatal(err)
	}
	fw.Write(content)
	if err := mw.Close(); err != nil {
		c.e.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}
