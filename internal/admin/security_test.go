package admin

// The admin's security checks from issue 6, against a real SQLite store
// with the admin and the public site mounted as `imprint serve` mounts
// them: CSRF on every state-changing route, roles, expired sessions, login
// throttling, and an XSS corpus put through every text field.

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/browsertest"
	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/store/storetest"
	"github.com/imprintpub/imprint/internal/upload"
	"github.com/imprintpub/imprint/internal/web"
)

// secPassword is every test account's password.
const secPassword = "correct horse battery staple"

// secClock is the clock of the admin and of the sessions; it stands still
// unless a test moves it, so that no session is touched or expires by
// accident while the database is compared.
type secClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *secClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *secClock) Add(d time.Duration) {
	c.mu.Lock()
	c.at = c.at.Add(d)
	c.mu.Unlock()
}

// secEnv is the admin and the public site over one SQLite store holding
// the demo content, with accounts of every role and a second contributor.
type secEnv struct {
	t     *testing.T
	st    *sqlstore.Store
	srv   *httptest.Server
	clock *secClock
	users map[string]*model.User // "admin", "editor", "contributor", "contributor2", "xss"
	// nextAddr numbers the client addresses, so that the login throttle
	// of one client does not reach another.
	mu       sync.Mutex
	nextAddr int
}

func newSecEnv(t *testing.T) *secEnv {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "imprint.db"))
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
	clock := &secClock{at: time.Now().UTC().Truncate(time.Second)}
	// TrustProxy: the test speaks for clients at several addresses
	// through X-Forwarded-For, as a reverse proxy would.
	am, err := auth.New(auth.Config{Store: st, Logger: log, Now: clock.Now, TrustProxy: true})
	if err != nil {
		t.Fatal(err)
	}
	up, err := upload.Open(upload.Config{Dir: filepath.Join(dir, "uploads"), MaxPDF: 1 << 20, MaxImage: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	adminH, err := New(Config{Store: st, Auth: am, Uploads: up, Logger: log, SiteName: "Test Institute", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(st.DB(), search.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	webH, err := web.New(web.Config{Store: st, Logger: log, Search: idx, SiteName: "Test Institute"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/", adminH)
	mux.Handle("/files/", up.Handler())
	mux.Handle("/", webH)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &secEnv{t: t, st: st, srv: srv, clock: clock, users: map[string]*model.User{}}
	hash, err := auth.HashPassword(secPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		key  string
		role model.AccountRole
	}{{"admin", model.AccountAdmin}, {"editor", model.AccountEditor}, {"contributor", model.AccountContributor}, {"contributor2", model.AccountContributor},
		{"xss", model.AccountContributor}} {
		u := &model.User{Email: a.key + "@example.org", Name: "Test " + a.key, Role: a.role, PasswordHash: hash}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[a.key] = u
	}
	return e
}

// secClient is one browser at one address: a cookie jar, redirects not
// followed (tests look at each 303), the last CSRF token a page carried.
type secClient struct {
	e    *secEnv
	c    *http.Client
	addr string
	csrf string
}

func (e *secEnv) client() *secClient {
	e.mu.Lock()
	e.nextAddr++
	addr := fmt.Sprintf("192.0.2.%d", e.nextAddr)
	e.mu.Unlock()
	return &secClient{e: e, addr: addr, c: browserClient(e.t)}
}

func (c *secClient) do(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	req.Header.Set("X-Forwarded-For", c.addr)
	return send(c.e.t, c.c, req, &c.csrf)
}

func (c *secClient) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	req, err := http.NewRequest("GET", c.e.srv.URL+path, nil)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return c.do(req)
}

// post sends vals as a form. token is the CSRF token to send: tokenOwn
// sends the client's own, "" sends none.
func (c *secClient) post(path string, vals url.Values, token string) (*http.Response, string) {
	c.e.t.Helper()
	form := url.Values{}
	for k, v := range vals {
		form[k] = v
	}
	if token == tokenOwn {
		token = c.csrf
	}
	if token != "" {
		form.Set(auth.CSRFField, token)
	}
	req, err := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// tokenOwn asks post for the client's own CSRF token.
const tokenOwn = "\x00own"

// login logs in as the account key ("admin", "editor"…) and fails the test
// otherwise; the client then holds the session's CSRF token.
func (e *secEnv) login(key string) *secClient {
	e.t.Helper()
	c := e.client()
	c.get("/admin/login")
	res, body := c.post("/admin/login", url.Values{"email": {e.users[key].Email}, "password": {secPassword}}, tokenOwn)
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login as %s: %s\n%s", key, res.Status, body)
	}
	if res, _ := c.get("/admin/"); res.StatusCode != http.StatusOK {
		e.t.Fatalf("dashboard after login as %s: %s", key, res.Status)
	}
	return c
}

// dump returns every row of every table of the database, as text, so that
// two dumps compare equal exactly when nothing was written.
func (e *secEnv) dump() map[string][]string {
	e.t.Helper()
	ctx := e.t.Context()
	db := e.st.DB()
	names, err := storetest.Column(ctx, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string][]string{}
	for _, name := range names {
		rows, err := db.QueryContext(ctx, `SELECT * FROM "`+strings.ReplaceAll(name, `"`, `""`)+`"`)
		if err != nil {
			e.t.Fatalf("dump %s: %v", name, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				e.t.Fatalf("dump %s: %v", name, err)
			}
			var b strings.Builder
			for i, v := range vals {
				if i > 0 {
					b.WriteString(" | ")
				}
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v", v)
			}
			lines = append(lines, b.String())
		}
		if err := rows.Err(); err != nil {
			e.t.Fatalf("dump %s: %v", name, err)
		}
		rows.Close()
		sort.Strings(lines)
		out[name] = lines
	}
	return out
}

// dumpDiff names the tables that differ between two dumps, with a row
// that differs, "" when they are equal.
func dumpDiff(before, after map[string][]string) string {
	var diffs []string
	names := map[string]bool{}
	for n := range before {
		names[n] = true
	}
	for n := range after {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		a, b := before[n], after[n]
		if strings.Join(a, "\n") == strings.Join(b, "\n") {
			continue
		}
		inA := map[string]bool{}
		for _, r := range a {
			inA[r] = true
		}
		example := ""
		for _, r := range b {
			if !inA[r] {
				example = "new row " + r
				break
			}
		}
		if example == "" {
			example = fmt.Sprintf("%d rows before, %d after", len(a), len(b))
		}
		diffs = append(diffs, n+": "+example)
	}
	return strings.Join(diffs, "\n")
}

// postRoutes reads every "POST …" pattern that routes.go and directory.go
// register, so that a route added there is covered here without anyone
// remembering to list it. A pattern that is not a string literal fails
// the test: it could hide a route from this check.
func postRoutes(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	var out []string
	for _, file := range []string{"routes.go", "directory.go"} {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: a route pattern that is not a string literal: the security test cannot read it", fset.Position(call.Pos()))
				return true
			}
			pattern, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(pattern, "POST ") {
				out = append(out, strings.TrimPrefix(pattern, "POST "))
			} else if !strings.HasPrefix(pattern, "GET ") {
				t.Errorf("%s: pattern %q has no GET or POST method: every admin route must say which", fset.Position(call.Pos()), pattern)
			}
			return true
		})
	}
	sort.Strings(out)
	return out
}

// secFixture is what the routes' wildcards are filled with: records the
// actions could really change, so that a refusal is the CSRF check's doing
// and not a missing record's.
type secFixture struct {
	pub      *model.Publication // a contributor's draft
	revision int64
	person   int64 // contributes to nothing
	topic    int64 // a leaf filing nothing
	region   int64
	user     int64 // the second contributor
}

func (e *secEnv) fixture() *secFixture {
	e.t.Helper()
	ctx := e.t.Context()
	f := &secFixture{user: e.users["contributor2"].ID}
	p := &model.Person{Slug: "unused-person", Given: "Una", Family: "Used"}
	if err := e.st.CreatePerson(ctx, p); err != nil {
		e.t.Fatal(err)
	}
	f.person = p.ID
	tp := &model.Topic{Slug: "unused-topic", Name: "Unused topic"}
	if err := e.st.CreateTopic(ctx, tp); err != nil {
		e.t.Fatal(err)
	}
	f.topic = tp.ID
	rg := &model.Region{Slug: "unused-region", Name: "Unused region"}
	if err := e.st.CreateRegion(ctx, rg); err != nil {
		e.t.Fatal(err)
	}
	f.region = rg.ID
	// The draft is made through the form, as a contributor makes it, so
	// that it has its revision.
	c := e.login("contributor")
	c.get("/admin/publications/new")
	res, body := c.post("/admin/publications/new", url.Values{
		"action": {"save"}, "type": {"report"}, "title": {"A contributor's draft"}, "slug": {"a-contributors-draft"},
		"issued": {"2024"}, "summary": {"Draft summary."},
	}, tokenOwn)
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("contributor's draft: %s\n%s", res.Status, body)
	}
	pub, err := e.st.PublicationBySlug(ctx, "a-contributors-draft")
	if err != nil {
		e.t.Fatal(err)
	}
	f.pub = pub
	revs, err := e.st.Revisions(ctx, pub.ID)
	if err != nil || len(revs) == 0 {
		e.t.Fatalf("revisions of the draft: %v, %d", err, len(revs))
	}
	f.revision = revs[0].ID
	return f
}

// fill puts the fixture's IDs into a route pattern.
func (f *secFixture) fill(t *testing.T, pattern string) string {
	t.Helper()
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		var id int64
		switch {
		case s == "{rev}":
			id = f.revision
		case i > 0 && segs[i-1] == "publications":
			id = f.pub.ID
		case i > 0 && segs[i-1] == "people":
			id = f.person
		case i > 0 && segs[i-1] == "topics":
			id = f.topic
		case i > 0 && segs[i-1] == "regions":
			id = f.region
		case i > 0 && segs[i-1] == "users":
			id = f.user
		default:
			t.Fatalf("route %s: the test does not know what to put in %s; teach secFixture.fill", pattern, s)
		}
		segs[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(segs, "/")
}

// secForm is one form that every admin action would accept: each handler
// reads only its own fields.
func secForm() url.Values {
	return url.Values{
		// Publications.
		"action": {"save"}, "type": {"report"}, "title": {"Changed by a forged request"}, "slug": {"forged-request"},
		"issued": {"2024"}, "summary": {"Forged."},
		// People.
		"Given": {"Forged"}, "Family": {"Person"}, "Slug": {"forged-slug"},
		// Topics and regions.
		"Name": {"Forged name"}, "ParentID": {"0"},
		// Users and the account page.
		// The new password is the old one, so that the admin can log in
		// again after the control of the password change.
		"Email": {"forged@example.org"}, "Role": {"admin"}, "Password": {secPassword},
		"Confirm": {secPassword}, "Current": {secPassword},
		// Login.
		"email": {"admin@example.org"}, "password": {secPassword},
	}
}

// sessionEnding are the routes whose success ends the session that sends
// them; the CSRF test checks them last.
var sessionEnding = map[string]bool{
	"/admin/logout": true, "/admin/account/logout-everywhere": true, "/admin/account/password": true,
}

// refusedCSRF reports whether a response is the refusal of a request
// without a valid CSRF token.
func refusedCSRF(res *http.Response) bool {
	return res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusBadRequest
}

// TestCSRF sends every state-changing route of the admin without a CSRF
// token, with a wrong one and with another session's, and checks that each
// is refused and the database is unchanged; then with the right token, to
// show that the form itself would have been accepted.
func TestCSRF(t *testing.T) {
	e := newSecEnv(t)
	f := e.fixture()
	routes := postRoutes(t)
	if len(routes) < 20 {
		t.Fatalf("read only %d POST routes from routes.go and directory.go: %q", len(routes), routes)
	}
	sort.SliceStable(routes, func(i, j int) bool { return !sessionEnding[routes[i]] && sessionEnding[routes[j]] })
	t.Logf("%d POST routes: %s", len(routes), strings.Join(routes, " "))
	admin := e.login("admin")
	other := e.login("editor")
	anon := e.client()
	anon.get("/admin/login")
	anonOther := e.client()
	anonOther.get("/admin/login")
	wrong := strings.Repeat("A", len(admin.csrf))

	for _, pattern := range routes {
		path := f.fill(t, pattern)
		c, foreign := admin, other.csrf
		if sessionEnding[pattern] {
			// The control of the route before may have ended the admin's
			// session.
			c = e.login("admin")
		}
		if pattern == "/admin/login" {
			// Before login the token is the double-submit cookie's.
			c, foreign = anon, anonOther.csrf
		}
		before := e.dump()
		for _, tc := range []struct {
			name, token string
		}{{"no token", ""}, {"wrong token", wrong}, {"another session's token", foreign}} {
			res, body := c.post(path, secForm(), tc.token)
			if !refusedCSRF(res) {
				t.Errorf("POST %s with %s: %s, want 403 or 400\n%.300s", path, tc.name, res.Status, body)
			}
		}
		if diff := dumpDiff(before, e.dump()); diff != "" {
			t.Errorf("POST %s without a valid token changed the database:\n%s", path, diff)
		}
		// A valid token from a cross-site Origin is refused too.
		req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(withToken(secForm(), c.csrf).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://attacker.example")
		if res, _ := c.do(req); !refusedCSRF(res) {
			t.Errorf("POST %s with a valid token from a cross-site Origin: %s, want 403", path, res.Status)
		}
		if diff := dumpDiff(before, e.dump()); diff != "" {
			t.Errorf("POST %s from a cross-site Origin changed the database:\n%s", path, diff)
		}
		// The control: with the right token the same form gets past the
		// CSRF check (a 404 or 409 of the action itself is fine).
		res, body := c.post(path, secForm(), tokenOwn)
		if refusedCSRF(res) && strings.Contains(body, "security token") {
			t.Errorf("POST %s with the session's own token was refused as a forgery: %s", path, res.Status)
		}
		if res.StatusCode >= 500 {
			t.Errorf("POST %s with the session's own token: %s", path, res.Status)
		}
	}
}

func withToken(v url.Values, token string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	out.Set(auth.CSRFField, token)
	return out
}

// TestRoles sends editors' and admins' actions with a contributor's
// session and valid CSRF token: every one is refused and nothing changes.
func TestRoles(t *testing.T) {
	e := newSecEnv(t)
	f := e.fixture()
	ctx := t.Context()
	// A publication the contributor did not create.
	others, err := e.st.ListPublications(ctx, store.PublicationQuery{Status: model.StatusPublished, Limit: 1})
	if err != nil || len(others.Items) == 0 {
		t.Fatalf("a demo publication: %v", err)
	}
	theirs := others.Items[0].ID
	c := e.login("contributor")
	own := strconv.FormatInt(f.pub.ID, 10)
	pubForm := func(action string) url.Values {
		return url.Values{"action": {action}, "type": {"report"}, "title": {"Taken over"}, "slug": {"taken-over"}, "issued": {"2024"}}
	}
	posts := []struct {
		name, path string
		form       url.Values
	}{
		{"publish own draft", "/admin/publications/" + own, pubForm("publish")},
		{"schedule own draft", "/admin/publications/" + own, withPublishAt(pubForm("schedule"))},
		{"trash own draft", "/admin/publications/" + own + "/trash", nil},
		{"purge own draft", "/admin/publications/" + own + "/purge", nil},
		{"edit another's publication", "/admin/publications/" + strconv.FormatInt(theirs, 10), pubForm("save")},
		{"unpublish another's publication", "/admin/publications/" + strconv.FormatInt(theirs, 10), pubForm("unpublish")},
		{"trash another's publication", "/admin/publications/" + strconv.FormatInt(theirs, 10) + "/trash", nil},
		{"add a person", "/admin/people/new", url.Values{"Given": {"New"}, "Family": {"Person"}}},
		{"edit a person", fmt.Sprintf("/admin/people/%d", f.person), url.Values{"Given": {"New"}, "Family": {"Name"}}},
		{"delete a person", fmt.Sprintf("/admin/people/%d/delete", f.person), nil},
		{"add a topic", "/admin/topics/new", url.Values{"Name": {"New topic"}}},
		{"delete a topic", fmt.Sprintf("/admin/topics/%d/delete", f.topic), nil},
		{"edit a region", fmt.Sprintf("/admin/regions/%d", f.region), url.Values{"Name": {"Renamed"}, "Slug": {"renamed"}}},
		{"add a user", "/admin/users/new", url.Values{"Email": {"mine@example.org"}, "Role": {"admin"}, "Password": {"a long enough password"}, "Confirm": {"a long enough password"}}},
		{"make oneself admin", fmt.Sprintf("/admin/users/%d/role", e.users["contributor"].ID), url.Values{"Role": {"admin"}}},
		{"disable a user", fmt.Sprintf("/admin/users/%d/disable", e.users["editor"].ID), nil},
		{"reset a password", fmt.Sprintf("/admin/users/%d/password", e.users["admin"].ID), url.Values{"Password": {"taken over the admin"}, "Confirm": {"taken over the admin"}}},
	}
	before := e.dump()
	for _, p := range posts {
		res, body := c.post(p.path, p.form, tokenOwn)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("contributor: %s (POST %s): %s, want 403\n%.300s", p.name, p.path, res.Status, body)
		}
	}
	for _, path := range []string{"/admin/users", "/admin/users/new", fmt.Sprintf("/admin/users/%d", e.users["admin"].ID), "/admin/audit",
		fmt.Sprintf("/admin/publications/%d/purge", f.pub.ID), fmt.Sprintf("/admin/people/%d", f.person), "/admin/topics/new"} {
		if res, _ := c.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("contributor: GET %s: %s, want 403", path, res.Status)
		}
	}
	if diff := dumpDiff(before, e.dump()); diff != "" {
		t.Errorf("a contributor's refused requests changed the database:\n%s", diff)
	}
	// The contributor may still do what contributors do.
	if res, body := c.post("/admin/publications/"+own, url.Values{"action": {"submit"}, "type": {"report"}, "title": {"A contributor's draft"},
		"slug": {"a-contributors-draft"}, "issued": {"2024"}, "version": {versionOf(t, e, f.pub.ID)}}, tokenOwn); res.StatusCode != http.StatusSeeOther {
		t.Errorf("contributor submits own draft for review: %s\n%.500s", res.Status, body)
	}
}

func withPublishAt(v url.Values) url.Values {
	v.Set("publish_at", time.Now().UTC().Add(48*time.Hour).Format("2006-01-02T15:04"))
	return v
}

// versionOf is the editor form's version field for the stored record.
func versionOf(t *testing.T, e *secEnv, id int64) string {
	t.Helper()
	p, err := e.st.Publication(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(p.UpdatedAt.UnixNano(), 10)
}

// TestExpiredSession checks that a session past its idle timeout or its
// absolute age can neither read nor change anything.
func TestExpiredSession(t *testing.T) {
	for _, tc := range []struct {
		name string
		wait time.Duration
	}{
		{"idle", auth.DefaultIdleTimeout + time.Minute},
		{"absolute", auth.DefaultMaxAge + time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newSecEnv(t)
			c := e.login("admin")
			if tc.name == "absolute" {
				// Keep the session busy so that only its age ends it.
				for waited := time.Duration(0); waited < auth.DefaultMaxAge-time.Hour; waited += time.Hour {
					e.clock.Add(time.Hour)
					if res, _ := c.get("/admin/"); res.StatusCode != http.StatusOK {
						t.Fatalf("a session in use after %v: %s", waited+time.Hour, res.Status)
					}
				}
				// Past the absolute age, still within the idle timeout.
				e.clock.Add(90 * time.Minute)
			} else {
				e.clock.Add(tc.wait)
			}
			token := c.csrf
			before := e.dump()
			for _, p := range []string{"/admin/people/new", "/admin/topics/new", "/admin/users/new"} {
				res, body := c.post(p, secForm(), token)
				if res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s with an expired session: %s, want 401 or 403\n%.300s", p, res.Status, body)
				}
			}
			delete(before, "sessions") // removing the expired session is allowed
			after := e.dump()
			delete(after, "sessions")
			if diff := dumpDiff(before, after); diff != "" {
				t.Errorf("requests with an expired session changed the database:\n%s", diff)
			}
			res, _ := c.get("/admin/people")
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/login?next=") {
				t.Errorf("GET with an expired session: %s to %q, want 303 to the login page", res.Status, res.Header.Get("Location"))
			}
		})
	}
}

// TestBruteForce checks the login throttle as issue 6 states it: after a
// handful of wrong passwords from one address further attempts are refused,
// and the right password from another address still logs in.
func TestBruteForce(t *testing.T) {
	e := newSecEnv(t)
	attacker := e.client()
	attacker.addr = "203.0.113.66"
	attacker.get("/admin/login")
	email := e.users["editor"].Email
	refusedAt := 0
	for i := 1; i <= 8; i++ {
		res, body := attacker.post("/admin/login", url.Values{"email": {email}, "password": {fmt.Sprintf("guess number %d!", i)}}, tokenOwn)
		if res.StatusCode == http.StatusSeeOther {
			t.Fatalf("attempt %d with a wrong password logged in", i)
		}
		if res.StatusCode == http.StatusTooManyRequests {
			if !strings.Contains(body, "Too many failed attempts") || res.Header.Get("Retry-After") == "" {
				t.Errorf("attempt %d refused without saying why or until when: Retry-After %q\n%.500s", i, res.Header.Get("Retry-After"), body)
			}
			refusedAt = i
			break
		}
	}
	if refusedAt == 0 || refusedAt > 6 {
		t.Fatalf("wrong passwords from one address were refused first at attempt %d, want by the 6th", refusedAt)
	}
	// Even the right password is refused from that address now.
	if res, _ := attacker.post("/admin/login", url.Values{"email": {email}, "password": {secPassword}}, tokenOwn); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password from the throttled address: %s, want 429", res.Status)
	}
	// The owner, elsewhere, logs in.
	owner := e.client()
	owner.addr = "198.51.100.7"
	owner.get("/admin/login")
	res, body := owner.post("/admin/login", url.Values{"email": {email}, "password": {secPassword}}, tokenOwn)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right password from another address: %s\n%.500s", res.Status, body)
	}
	if res, _ := owner.get("/admin/people"); res.StatusCode != http.StatusOK {
		t.Errorf("the owner's session: %s", res.Status)
	}
	// The failures are in the audit log, with the attacker's address.
	entries, err := e.st.ListAudit(t.Context(), store.AuditQuery{Action: "login.failed"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, en := range entries {
		if en.Address == attacker.addr {
			n++
		}
	}
	if n < refusedAt-1 {
		t.Errorf("audit log holds %d failed logins from %s, want at least %d", n, attacker.addr, refusedAt-1)
	}
}

// xssPayload is one entry of testdata/xss.
type xssPayload struct {
	name, text string
}

func loadXSSCorpus(t *testing.T) []xssPayload {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "xss", "*.txt"))
	if err != nil || len(files) < 20 {
		t.Fatalf("XSS corpus: %d files, %v", len(files), err)
	}
	var out []xssPayload
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if strings.ContainsAny(text, "\r\n") || len(text) > 200 {
			t.Fatalf("%s: a payload must be one line of at most 200 bytes, to fit every single-line field", f)
		}
		out = append(out, xssPayload{name: strings.TrimSuffix(filepath.Base(f), ".txt"), text: text})
	}
	return out
}

// xssRecords are the records made with one payload in every text field
// that accepts free text.
type xssRecords struct {
	payload                         xssPayload
	pub, person, org, topic, region int64
	pubSlug, personSlug, orgSlug    string
	topicSlug, regionSlug           string
	inlineSlug                      string // the person the publication form created
	user                            int64
	refusedForms                    map[string]string // form → the page that sent it back with errors
	userPages                       map[string]string // the account's pages while it bore the payload as its name
}

// every sets each key to v.
func every(v string, keys ...string) url.Values {
	out := url.Values{}
	for _, k := range keys {
		out.Set(k, v)
	}
	return out
}

var (
	xssPersonFields = []string{"Given", "Family", "DroppingParticle", "NonDroppingParticle", "Suffix", "Literal", "Slug", "RoleLine", "Bio", "ORCID", "Photo"}
	xssTermFields   = []string{"Name", "Slug", "ParentID", "Description"}
	xssUserFields   = []string{"Email", "Name", "Role", "Password", "Confirm"}
	xssPubFields    = []string{"slug", "type", "title", "subtitle", "issued", "container_title", "volume", "issue", "number", "pages",
		"publisher", "place", "issn", "isbn", "doi", "url", "language", "related", "summary", "full_text", "publish_at",
		"c_person", "c_role", "c_given", "c_family", "c_literal", "topic", "region", "full_text_pdf", "version"}
	// xssPubFreeText are the publication's fields that take any text.
	xssPubFreeText = []string{"title", "subtitle", "container_title", "volume", "issue", "number", "pages", "publisher", "place", "summary", "full_text"}
)

// makeXSSRecords puts p through every form of the admin: once with p in
// every field, which the forms refuse (they must show it back escaped),
// and once with p in every field that takes free text, which they save.
func makeXSSRecords(t *testing.T, e *secEnv, c *secClient, i int, p xssPayload) *xssRecords {
	t.Helper()
	ctx := t.Context()
	x := &xssRecords{payload: p, refusedForms: map[string]string{}, userPages: map[string]string{}}
	base := fmt.Sprintf("xss-%d", i)
	saved := func(what, path string, form url.Values) string {
		t.Helper()
		res, body := c.post(path, form, tokenOwn)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("payload %s: save %s: %s\n%.1000s", p.name, what, res.Status, body)
		}
		return res.Header.Get("Location")
	}
	refused := func(what, path string, form url.Values) {
		t.Helper()
		res, body := c.post(path, form, tokenOwn)
		if res.StatusCode == http.StatusSeeOther {
			t.Errorf("payload %s: %s with the payload in every field was saved; the test expects slugs and identifiers to be refused", p.name, what)
			return
		}
		if res.StatusCode >= 500 {
			t.Fatalf("payload %s: %s with the payload in every field: %s", p.name, what, res.Status)
		}
		x.refusedForms[what] = body
	}

	refused("person", "/admin/people/new", every(p.text, xssPersonFields...))
	f := every(p.text, "Given", "Family", "DroppingParticle", "NonDroppingParticle", "Suffix", "RoleLine", "Bio")
	x.personSlug = base + "-person"
	f.Set("Slug", x.personSlug)
	saved("person", "/admin/people/new", f)
	f = every(p.text, "Literal", "RoleLine", "Bio")
	x.orgSlug = base + "-org"
	f.Set("Slug", x.orgSlug)
	saved("organization", "/admin/people/new", f)

	refused("topic", "/admin/topics/new", every(p.text, xssTermFields...))
	x.topicSlug = base + "-topic"
	f = every(p.text, "Name", "Description")
	f.Set("Slug", x.topicSlug)
	saved("topic", "/admin/topics/new", f)
	refused("region", "/admin/regions/new", every(p.text, xssTermFields...))
	x.regionSlug = base + "-region"
	f = every(p.text, "Name", "Description")
	f.Set("Slug", x.regionSlug)
	saved("region", "/admin/regions/new", f)

	refused("user", "/admin/users/new", every(p.text, xssUserFields...))
	// One account takes every payload as its name in turn, through the
	// form that renames it: an account per payload would cost a password
	// hash each.
	x.user = e.users["xss"].ID
	saved("user", fmt.Sprintf("/admin/users/%d/role", x.user), url.Values{"Name": {p.text}, "Role": {"contributor"}})
	for _, path := range []string{fmt.Sprintf("/admin/users/%d", x.user), "/admin/users"} {
		res, body := c.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, res.Status)
		}
		x.userPages[path] = body
	}
	for _, rec := range []struct {
		slug string
		id   *int64
	}{{x.personSlug, &x.person}, {x.orgSlug, &x.org}} {
		pp, err := e.st.PersonBySlug(ctx, rec.slug)
		if err != nil {
			t.Fatal(err)
		}
		*rec.id = pp.ID
	}
	tp, err := e.st.TopicBySlug(ctx, x.topicSlug)
	if err != nil {
		t.Fatal(err)
	}
	x.topic = tp.ID
	rg, err := e.st.RegionBySlug(ctx, x.regionSlug)
	if err != nil {
		t.Fatal(err)
	}
	x.region = rg.ID

	f = every(p.text, xssPubFields...)
	f.Set("action", "save")
	refused("publication", "/admin/publications/new", f)
	x.pubSlug = base + "-publication"
	f = every(p.text, xssPubFreeText...)
	f.Set("slug", x.pubSlug)
	f.Set("type", "report")
	f.Set("issued", "2021-03")
	f.Set("language", "en")
	// The third row creates a person with the publication, from the
	// payload as their name.
	f["c_person"] = []string{x.personSlug, x.orgSlug, ""}
	f["c_role"] = []string{"author", "author", "editor"}
	f["c_given"] = []string{"", "", p.text}
	f["c_family"] = []string{"", "", p.text}
	f["c_literal"] = []string{"", "", ""}
	f.Set("topic", strconv.FormatInt(x.topic, 10))
	f.Set("region", strconv.FormatInt(x.region, 10))
	f.Set("action", "publish")
	saved("publication", "/admin/publications/new", f)
	pub, err := e.st.PublicationBySlug(ctx, x.pubSlug)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Status != model.StatusPublished {
		t.Fatalf("payload %s: publication saved as %s, want published", p.name, pub.Status)
	}
	x.pub = pub.ID
	if len(pub.Contributions) != 3 || pub.Contributions[2].Person.Given != p.text {
		t.Fatalf("payload %s: the publication's contributors: %+v", p.name, pub.Contributions)
	}
	x.inlineSlug = pub.Contributions[2].Person.Slug
	return x
}

// scriptURLRE matches URL attribute values that run script or render a
// document of their own, as the browser reads them: entities decoded, and
// the spaces and control characters it skips removed.
var scriptURLRE = regexp.MustCompile(`(?i)^(?:javascript|vbscript|livescript):|^data:(?:text/html|application/|image/svg)`)

// urlAttrs are the attributes that hold URLs a browser may follow or load.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "data": true,
	"xlink:href": true, "poster": true, "background": true, "srcdoc": true, "codebase": true}

// liveElements are elements that no page of the site has of its own and
// that a payload could use to run script or take the page over.
var liveElements = map[string]bool{"iframe": true, "object": true, "embed": true, "base": true, "frame": true,
	"frameset": true, "applet": true, "svg": true, "math": true}

var ownScriptRE = regexp.MustCompile(`^/(?:admin/)?static/[a-z0-9._-]+(?:\?v=[a-z0-9]+)?$`)

// unsafeMarkup lists the live markup in an HTML page or fragment that a
// payload could have put there, reading it as a browser's tokenizer does:
// scripts other than the site's own files and JSON-LD, event handler
// attributes, script URLs, frames and plugins, base and refresh elements.
func unsafeMarkup(page string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		short := tok.String()
		if len(short) > 160 {
			short = short[:160] + "…"
		}
		attr := map[string]string{}
		for _, a := range tok.Attr {
			name := strings.ToLower(a.Key)
			if a.Namespace != "" {
				name = a.Namespace + ":" + name
			}
			attr[name] = a.Val
			if strings.HasPrefix(name, "on") {
				out = append(out, "event handler "+name+": "+short)
			}
			if urlAttrs[name] && scriptURLRE.MatchString(strings.Map(dropSpace, a.Val)) {
				out = append(out, "script URL in "+name+": "+short)
			}
		}
		switch name := strings.ToLower(tok.Data); {
		case name == "script":
			if !ownScriptRE.MatchString(attr["src"]) && attr["type"] != "application/ld+json" {
				out = append(out, "script element: "+short)
			}
		case liveElements[name]:
			out = append(out, "element: "+short)
		case name == "meta" && attr["http-equiv"] != "":
			out = append(out, "meta http-equiv: "+short)
		}
	}
}

// jsonLDRE finds the JSON-LD blocks of a page, their content in group 1.
var jsonLDRE = regexp.MustCompile(`(?is)<script type="application/ld\+json">(.*?)</script>`)

// dropSpace removes what a browser ignores inside a URL's scheme.
func dropSpace(r rune) rune {
	if r <= ' ' {
		return -1
	}
	return r
}

// checkHTML fails the test for live markup in page, or for a payload that
// carries markup and appears in it as written.
func checkHTML(t *testing.T, where, page string, payloads []xssPayload) {
	t.Helper()
	for _, bad := range unsafeMarkup(page) {
		t.Errorf("%s: %s", where, bad)
	}
	for _, m := range jsonLDRE.FindAllStringSubmatch(page, -1) {
		if strings.Contains(m[1], "<") {
			t.Errorf("%s: a \"<\" inside JSON-LD, which could end its script element: %.200s", where, m[1])
		}
	}
	for _, p := range payloads {
		if !strings.ContainsAny(p.text, `<>"'`) {
			continue
		}
		// JSON-LD is data in a script element the browser does not
		// run; quotes in it are JSON's business, and a "<" (which could
		// end the element) is checked for below.
		page := jsonLDRE.ReplaceAllString(page, "")
		if i := strings.Index(page, p.text); i >= 0 {
			t.Errorf("%s: payload %s appears unescaped: …%s…", where, p.name, page[max(0, i-120):min(len(page), i+len(p.text)+40)])
		}
	}
}

// checkFeed checks a feed as text: it must parse, carry no element a
// payload could have made, and its HTML content (Atom and JSON Feed's
// content_html, RSS descriptions) must be free of live markup once
// unescaped, since feed readers render it.
func checkFeed(t *testing.T, where, body string, payloads []xssPayload) {
	t.Helper()
	if strings.HasSuffix(where, ".json") {
		var doc struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Errorf("%s: not JSON: %v", where, err)
			return
		}
		for _, it := range doc.Items {
			for _, k := range []string{"content_html", "summary_html"} {
				if s, ok := it[k].(string); ok {
					checkHTML(t, where+" "+k, s, payloads)
				}
			}
		}
		return
	}
	dec := xml.NewDecoder(strings.NewReader(body))
	var stack []xml.StartElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s: not well-formed XML: %v", where, err)
			return
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			switch strings.ToLower(tk.Name.Local) {
			case "script", "iframe", "object", "embed", "svg", "img", "a", "body", "html":
				t.Errorf("%s: element <%s> inside the feed", where, tk.Name.Local)
			}
			stack = append(stack, tk)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			// An RSS item's description is HTML; the channel's is text.
			isHTML := top.Name.Local == "description" && len(stack) > 1 && stack[len(stack)-2].Name.Local == "item"
			for _, a := range top.Attr {
				if a.Name.Local == "type" && a.Value == "html" {
					isHTML = true
				}
			}
			if isHTML {
				checkHTML(t, where+" <"+top.Name.Local+">", string(tk), payloads)
			}
		}
	}
}

// xssHook runs in every document before the page's own scripts: it counts
// anything a payload could run (the payloads set window.__xss or call
// alert, confirm or prompt) and every Content-Security-Policy violation,
// which would mean markup tried to run and only the policy stopped it.
const xssHook = `(() => {
  window.__xss = 0;
  window.__csp = [];
  const hit = () => { window.__xss++; };
  window.alert = hit; window.confirm = hit; window.prompt = hit; window.print = hit;
  const csp = e => window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
  document.addEventListener("securitypolicyviolation", csp, true);
})();`

// xssAudit runs after a page has loaded and lists what a payload left: a
// run script or handler, a CSP violation, and live markup in the DOM as
// the browser parsed it (handlers, script URLs, frames, inline scripts).
const xssAudit = `(() => {
  const out = [];
  if (window.__xss) out.push("script ran: window.__xss = " + window.__xss);
  for (const v of window.__csp || []) out.push("CSP violation: " + v);
  const bad = /^(javascript|vbscript|livescript):|^data:(text\/html|application\/|image\/svg)/i;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      if (n.startsWith("on")) out.push("<" + tag + "> has " + n + "=" + a.value.slice(0, 80));
      if (["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc", "background"].includes(n) &&
          bad.test(a.value.replace(/[\u0000-\u0020]/g, ""))) out.push("<" + tag + "> " + n + "=" + a.value.slice(0, 80));
    }
    if (["iframe", "object", "embed", "base", "frame", "frameset", "applet", "svg", "math"].includes(tag)) out.push("element <" + tag + ">");
    if (tag === "meta" && /refresh/i.test(el.getAttribute("http-equiv") || "")) out.push("meta refresh");
    if (tag === "script") {
      const src = el.getAttribute("src");
      if (src) {
        if (new URL(src, location.href).origin !== location.origin) out.push("script from " + src);
      } else if ((el.getAttribute("type") || "").toLowerCase() !== "application/ld+json") {
        out.push("inline script: " + el.textContent.slice(0, 80));
      }
    }
  }
  return out;
})()`

// TestXSSCorpus puts every payload of testdata/xss through every text
// field of the publication, person, topic, region and user forms, then
// reads the public pages, the feeds and the admin's pages: as raw HTML,
// where no payload may appear as live markup, and in headless Chromium,
// where nothing may run.
func TestXSSCorpus(t *testing.T) {
	payloads := loadXSSCorpus(t)
	e := newSecEnv(t)
	admin := e.login("admin")
	admin.get("/admin/people/new")
	var recs []*xssRecords
	for i, p := range payloads {
		recs = append(recs, makeXSSRecords(t, e, admin, i, p))
	}
	if t.Failed() {
		t.FailNow()
	}

	// The forms sent back with errors show the payload as entered.
	for _, x := range recs {
		for form, body := range x.refusedForms {
			checkHTML(t, fmt.Sprintf("the %s form refused with payload %s", form, x.payload.name), body, payloads)
		}
		for path, body := range x.userPages {
			checkHTML(t, fmt.Sprintf("%s named with payload %s", path, x.payload.name), body, payloads)
		}
	}

	var htmlPages, feeds []string
	htmlPages = append(htmlPages, "/", "/search?q=xss", "/search?q=alert", "/admin/", "/admin/publications", "/admin/people",
		"/admin/people?q=alert", "/admin/topics", "/admin/regions", "/admin/users", "/admin/audit", "/admin/account")
	feeds = append(feeds, "/feed.atom", "/feed.rss", "/feed.json")
	for _, x := range recs {
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		htmlPages = append(htmlPages,
			"/publications/"+x.pubSlug, "/publications/"+x.pubSlug+"/cite?style=apa&format=html",
			"/experts/"+x.personSlug, "/experts/"+x.orgSlug, "/experts/"+x.inlineSlug, "/topics/"+x.topicSlug, "/regions/"+x.regionSlug,
			"/admin/publications/"+id(x.pub), "/admin/publications/"+id(x.pub)+"/revisions",
			"/admin/people/"+id(x.person), "/admin/people/"+id(x.org), "/admin/topics/"+id(x.topic),
			"/admin/regions/"+id(x.region))
		feeds = append(feeds, "/topics/"+x.topicSlug+"/feed.atom", "/regions/"+x.regionSlug+"/feed.rss",
			"/experts/"+x.personSlug+"/feed.json")
	}
	for _, path := range htmlPages {
		res, body := admin.get(path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", path, res.Status)
			continue
		}
		checkHTML(t, path, body, payloads)
		// The lists must really show the payloads' records, or checking
		// them proves nothing.
		if strings.HasPrefix(path, "/search") && !strings.Contains(body, `href="/publications/xss-`) {
			t.Errorf("GET %s lists none of the payloads' publications", path)
		}
	}
	for _, path := range feeds {
		res, body := admin.get(path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", path, res.Status)
			continue
		}
		checkFeed(t, path, body, payloads)
	}
	// The people picker's JSON is data, not a page: it must say so.
	if res, _ := admin.get("/admin/people.json?q=alert"); !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("people.json served as %q", res.Header.Get("Content-Type"))
	}

	t.Run("browser", func(t *testing.T) {
		testXSSInBrowser(t, e, htmlPages, recs)
	})
}

func testXSSInBrowser(t *testing.T, e *secEnv, pages []string, recs []*xssRecords) {
	bctx := browsertest.Start(t, browsertest.Options{Width: 800, Height: 600, Timeout: 5 * time.Minute})

	var dialogs sync.Map
	if err := chromedp.Listen(bctx, func(ev any) {
		if d, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
			dialogs.Store(d.URL+" "+d.Message, true)
			// fn must not send commands itself.
			go chromedp.Call(bctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	// Log the browser in with a session of the admin's.
	u, _ := url.Parse(e.srv.URL)
	var cookies []*network.CookieParam
	for _, ck := range e.login("admin").c.Jar.Cookies(u) {
		cookies = append(cookies, &network.CookieParam{Name: ck.Name, Value: ck.Value, URL: e.srv.URL + "/", HTTPOnly: true})
	}
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("network: %v", err)
	}
	if _, err := chromedp.Call(bctx, network.SetCookies, network.SetCookiesParams{Cookies: cookies}); err != nil {
		t.Fatalf("cookies: %v", err)
	}
	if _, err := chromedp.Call(bctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: xssHook}); err != nil {
		t.Fatalf("install the hook: %v", err)
	}
	visit := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		steps = append(steps,
			chromedp.WaitReady(chromedp.CSS("body")),
			chromedp.Sleep(50*time.Millisecond), // let error handlers and timers fire
		)
		sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			where, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`location.href + " «" + document.title + "» " + (document.querySelector("main") || document.body).innerText.slice(0, 300)`))
			t.Errorf("%s: %v (the browser is at %s)", what, err, where)
			return
		}
		problems, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](xssAudit))
		if err != nil {
			t.Errorf("%s: audit: %v", what, err)
			return
		}
		for _, p := range problems {
			t.Errorf("%s: %s", what, p)
		}
	}
	for _, p := range pages {
		visit(p, chromedp.Navigate(e.srv.URL+p))
	}
	// The forms as a person fills them in: every text field set to the
	// payload and sent, so that the page that comes back with the errors
	// is checked as the browser renders it.
	for _, x := range recs {
		payload, _ := json.Marshal(x.payload.text)
		fill := `(() => {
  const v = ` + string(payload) + `;
  const f = document.querySelector("main form[method=post]");
  for (const el of f.querySelectorAll("input[type=text], input:not([type]), input[type=search], input[type=url], input[type=email], textarea")) el.value = v;
  f.noValidate = true; // the browser's own checks would keep some payloads from the server
  f.querySelector("button[type=submit]").click();
  return true;
})()`
		for _, form := range []string{"/admin/people/new", "/admin/topics/new", "/admin/users/new", "/admin/publications/new"} {
			what := fmt.Sprintf("%s sent with payload %s", form, x.payload.name)
			if err := chromedp.Do(bctx, chromedp.Navigate(e.srv.URL+form), chromedp.WaitReady(chromedp.CSS("main form"))); err != nil {
				t.Errorf("%s: %v", what, err)
				continue
			}
			if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](fill)); err != nil {
				t.Errorf("%s: fill: %v", what, err)
				continue
			}
			// Every form comes back with errors: the slug, the e-mail
			// address or the date cannot be the payload.
			visit(what, chromedp.WaitReady(chromedp.CSS(".error-summary")))
		}
	}
	dialogs.Range(func(k, _ any) bool {
		t.Errorf("a dialog opened: %v", k)
		return true
	})
}
