package auth

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

func TestSessionIdleExpiry(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	// Each visit just inside the idle timeout keeps the session alive.
	for i := range 3 {
		f.clk.Advance(2*time.Hour - time.Minute)
		if u, _ := f.visitWith(c); u == nil {
			t.Fatalf("visit %d, %s after the last: logged out", i+1, 2*time.Hour-time.Minute)
		}
	}
	f.clk.Advance(2 * time.Hour)
	u, w := f.visitWith(c)
	if u != nil {
		t.Fatal("still logged in after 2h idle")
	}
	if !clearsCookie(w, SessionCookie) {
		t.Error("the expired session's cookie was not cleared")
	}
}

func TestSessionIdleTimeoutConfigured(t *testing.T) {
	f := newFixture(t, Config{IdleTimeout: 10 * time.Minute})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	f.clk.Advance(9 * time.Minute)
	if u, _ := f.visitWith(c); u == nil {
		t.Fatal("logged out after 9 of 10 idle minutes")
	}
	f.clk.Advance(10 * time.Minute)
	if u, _ := f.visitWith(c); u != nil {
		t.Fatal("still logged in after 10 idle minutes")
	}
}

func TestSessionMaxAge(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	start := f.clk.Now()
	// Busy all week: one visit an hour.
	for f.clk.Now().Before(start.Add(7*24*time.Hour - time.Hour)) {
		f.clk.Advance(time.Hour)
		if u, _ := f.visitWith(c); u == nil {
			t.Fatalf("logged out %s after login despite hourly use", f.clk.Now().Sub(start))
		}
	}
	for _, s := range f.mem.sessions {
		if !s.ExpiresAt.Equal(start.Add(7 * 24 * time.Hour)) {
			t.Errorf("stored expiry %s, want the absolute limit %s", s.ExpiresAt, start.Add(7*24*time.Hour))
		}
	}
	f.clk.Advance(time.Hour)
	if u, _ := f.visitWith(c); u != nil {
		t.Fatal("still logged in 7 days after login")
	}
}

func TestSessionTouchedOncePerMinute(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	for _, step := range []struct {
		after       time.Duration
		wantTouches int
	}{
		{10 * time.Second, 0},
		{20 * time.Second, 0},
		{29 * time.Second, 0}, // 59 s after login
		{2 * time.Second, 1},  // 61 s
		{30 * time.Second, 1},
		{31 * time.Second, 2},
	} {
		f.clk.Advance(step.after)
		if u, _ := f.visitWith(c); u == nil {
			t.Fatal("logged out")
		}
		if f.mem.touches != step.wantTouches {
			t.Fatalf("%s after login: %d touches, want %d", f.clk.Now().Sub(newClock().Now()), f.mem.touches, step.wantTouches)
		}
	}
	for _, s := range f.mem.sessions {
		if !s.LastSeen.Equal(f.clk.Now()) || !s.ExpiresAt.Equal(f.clk.Now().Add(2*time.Hour)) {
			t.Errorf("after the last touch: last seen %s, expires %s", s.LastSeen, s.ExpiresAt)
		}
	}
}

func TestMiddlewareDisabledUser(t *testing.T) {
	f := newFixture(t, Config{})
	u := f.addUser(editorEmail, editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	other := f.mustLogin(editorEmail, editorPW) // a second browser
	u.Disabled = true
	if err := f.st.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	got, w := f.visitWith(c)
	if got != nil {
		t.Fatal("a disabled account's session still works")
	}
	if !clearsCookie(w, SessionCookie) {
		t.Error("cookie not cleared")
	}
	if n := f.mem.sessionCount(); n != 0 {
		t.Errorf("%d sessions left; a disabled account's sessions all end", n)
	}
	if got, _ := f.visitWith(other); got != nil {
		t.Error("the second browser is still logged in")
	}
}

func TestMiddlewareDeletedSessions(t *testing.T) {
	f := newFixture(t, Config{})
	u := f.addUser(editorEmail, editorPW, model.AccountEditor)
	f.addUser("admin@example.org", editorPW, model.AccountAdmin)
	c1 := f.mustLogin(editorEmail, editorPW)
	c2 := f.mustLogin(editorEmail, editorPW)
	admin := f.mustLogin("admin@example.org", editorPW)
	n, err := f.m.LogoutEverywhere(context.Background(), u.ID)
	if err != nil || n != 2 {
		t.Fatalf("LogoutEverywhere = %d, %v; want 2 sessions", n, err)
	}
	for _, c := range []*http.Cookie{c1, c2} {
		if got, w := f.visitWith(c); got != nil || !clearsCookie(w, SessionCookie) {
			t.Errorf("after logout everywhere: user %v, cookie cleared %v", got, clearsCookie(w, SessionCookie))
		}
	}
	if got, _ := f.visitWith(admin); got == nil {
		t.Error("another account's session ended too")
	}
}

func TestMiddlewareDeletedUser(t *testing.T) {
	f := newFixture(t, Config{})
	u := f.addUser(editorEmail, editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	delete(f.mem.users, u.ID)
	if got, w := f.visitWith(c); got != nil || !clearsCookie(w, SessionCookie) {
		t.Fatalf("session of a deleted account: user %v", got)
	}
	if f.mem.sessionCount() != 0 {
		t.Error("the orphaned session was kept")
	}
}

func TestMiddlewareBadCookies(t *testing.T) {
	f := newFixture(t, Config{})
	for _, v := range []string{"garbage", strings.Repeat("A", 43), strings.Repeat("*", 43), ""} {
		got, w := f.visitWith(&http.Cookie{Name: SessionCookie, Value: v})
		if got != nil {
			t.Errorf("cookie %q logged someone in", v)
		}
		if v != "" && !clearsCookie(w, SessionCookie) {
			t.Errorf("cookie %q not cleared", v)
		}
	}
	if got, w := f.visitWith(nil); got != nil || len(w.Result().Cookies()) != 0 {
		t.Error("a request without cookies got a user or a cookie")
	}
}

func TestMiddlewareStoreDown(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	f.mem.setFail(errDown)
	_, w, ran := f.visit(request("GET", "/admin/", addrA, c))
	if ran || w.Code != http.StatusInternalServerError {
		t.Fatalf("store down: handler ran %v, status %d; want 500 without the handler", ran, w.Code)
	}
	// Without a cookie there is nothing to read: the request goes on.
	if _, _, ran := f.visit(request("GET", "/", addrA)); !ran {
		t.Error("a request without a session cookie was refused")
	}
}

func TestLogout(t *testing.T) {
	f := newFixture(t, Config{})
	u := f.addUser(editorEmail, editorPW, model.AccountEditor)
	for _, viaMiddleware := range []bool{true, false} {
		c := f.mustLogin(editorEmail, editorPW)
		r := request("POST", "/admin/logout", addrB, c)
		w := newRecorder()
		if viaMiddleware {
			h := f.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if err := f.m.Logout(w, r); err != nil {
					t.Error(err)
				}
			}))
			h.ServeHTTP(w, r)
		} else if err := f.m.Logout(w, r); err != nil {
			t.Fatal(err)
		}
		if !clearsCookie(w, SessionCookie) {
			t.Errorf("middleware %v: logout did not clear the cookie", viaMiddleware)
		}
		if got, _ := f.visitWith(c); got != nil {
			t.Errorf("middleware %v: the session works after logout", viaMiddleware)
		}
		entries, _ := f.st.ListAudit(context.Background(), store.AuditQuery{Action: "logout"})
		if len(entries) == 0 || entries[0].UserID != u.ID || entries[0].Address != addrB {
			t.Errorf("middleware %v: audit %+v: want a logout by %d from %s", viaMiddleware, entries, u.ID, addrB)
		}
	}
	if f.mem.sessionCount() != 0 {
		t.Errorf("%d sessions left after logging both out", f.mem.sessionCount())
	}
	// Logging out without a session is harmless.
	if err := f.m.Logout(newRecorder(), request("POST", "/admin/logout", addrA)); err != nil {
		t.Errorf("Logout without a session: %v", err)
	}
}

func TestAudit(t *testing.T) {
	f := newFixture(t, Config{TrustProxy: true})
	u := f.addUser(editorEmail, editorPW, model.AccountEditor)
	c := f.mustLogin(editorEmail, editorPW)
	r := request("POST", "/admin/publications/7/publish", "10.0.0.2", c)
	r.Header.Set("X-Forwarded-For", addrB)
	h := f.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := f.m.Audit(r.Context(), r, "publication.publish", "publication:7", "scheduled → published"); err != nil {
			t.Error(err)
		}
	}))
	h.ServeHTTP(newRecorder(), r)
	entries, _ := f.st.ListAudit(context.Background(), store.AuditQuery{Action: "publication.publish"})
	want := store.AuditEntry{ID: entries[0].ID, At: f.clk.Now(), UserID: u.ID, UserName: "editor", Action: "publication.publish",
		Target: "publication:7", Address: addrB, Detail: "scheduled → published"}
	if len(entries) != 1 || entries[0] != want {
		t.Errorf("audit %+v\nwant %+v", entries, want)
	}
	if err := f.m.Audit(context.Background(), nil, "", "x", ""); err == nil {
		t.Error("Audit without an action succeeded")
	}
	if err := f.m.Audit(context.Background(), nil, "publication.publish", "publication:8", "by the schedule"); err != nil {
		t.Errorf("Audit without a request: %v", err)
	}
}

func TestSweep(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	old := f.mustLogin(editorEmail, editorPW)
	if _, _, err := f.login("nobody@example.org", "a wrong password", addrA); err == nil {
		t.Fatal("unknown account logged in")
	}
	f.clk.Advance(25 * time.Hour)
	if _, _, err := f.login("other@example.org", "a wrong password", addrB); err == nil {
		t.Fatal("unknown account logged in")
	}
	// The next login sweeps: the first session (expired) and the first
	// failure's keys (a day old) go; the recent failure's keys stay.
	f.mustLogin(editorEmail, editorPW)
	if u, _ := f.visitWith(old); u != nil {
		t.Fatal("the old session works")
	}
	if n := f.mem.sessionCount(); n != 1 {
		t.Errorf("%d sessions after the sweep, want 1", n)
	}
	for k := range f.mem.hits {
		if strings.Contains(k, "nobody@") || strings.Contains(k, addrA) {
			t.Errorf("key %q older than a day was kept", k)
		}
	}
	if len(f.mem.hits) != 3 {
		t.Errorf("%d keys kept, want the recent failure's 3", len(f.mem.hits))
	}
	f.mem.setFail(errDown)
	if _, _, err := f.m.Sweep(context.Background()); err == nil {
		t.Error("Sweep with the store down succeeded")
	}
}
