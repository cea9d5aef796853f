package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// TestSQLStores runs the login, session and throttling scenarios on the
// real stores, with two Managers standing for two app servers sharing one
// database.
func TestSQLStores(t *testing.T) {
	backends := []struct {
		name string
		open func(t *testing.T) *sqlstore.Store
	}{
		{"sqlite", func(t *testing.T) *sqlstore.Store {
			st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "imprint.db"))
			if err != nil {
				t.Fatal(err)
			}
			return st
		}},
		{"postgres", func(t *testing.T) *sqlstore.Store {
			st, err := postgres.Open(context.Background(), pgtest.SchemaURL(t))
			if err != nil {
				t.Fatal(err)
			}
			return st
		}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			t.Cleanup(func() { st.Close() })
			as, ok := any(st).(Store)
			if !ok {
				t.Fatalf("the %s store does not implement auth.Store", b.name)
			}
			for _, sc := range []struct {
				name string
				run  func(t *testing.T, one, two *fixture)
			}{
				{"login and logout", sqlLoginLogout},
				{"brute force across servers", sqlBruteForce},
				{"session expiry", sqlExpiry},
				{"disabled account", sqlDisabled},
			} {
				t.Run(sc.name, func(t *testing.T) {
					one := newFixture(t, Config{Store: as})
					two := newFixture(t, Config{Store: as, Now: one.clk.Now})
					two.clk = one.clk
					// Each scenario has its own accounts and addresses,
					// since they share the database.
					sc.run(t, one, two)
				})
			}
		})
	}
}

// scenarioEmail makes an address unique to the running scenario.
func scenarioEmail(name string) string {
	return fmt.Sprintf("%s.%d@example.org", name, time.Now().UnixNano())
}

func sqlLoginLogout(t *testing.T, one, two *fixture) {
	email := scenarioEmail("login")
	u := one.addUser(email, editorPW, model.AccountEditor)
	c := one.mustLogin(email, editorPW)
	// The other server knows the session.
	if got, _ := two.visitWith(c); got == nil || got.ID != u.ID {
		t.Fatalf("server two: user %v, want %d", got, u.ID)
	}
	tok := one.tokenFor(c)
	if tok != two.tokenFor(c) {
		t.Error("the servers derive different CSRF tokens for one session")
	}
	if err := two.verify(csrfRequest{field: tok}.build(c)); err != nil {
		t.Errorf("server two refuses server one's CSRF token: %v", err)
	}
	w := newRecorder()
	if err := one.m.Logout(w, request("POST", "/admin/logout", addrA, c)); err != nil {
		t.Fatal(err)
	}
	if got, _ := two.visitWith(c); got != nil {
		t.Error("server two still knows the session after logout on server one")
	}
	es, err := one.st.ListAudit(context.Background(), store.AuditQuery{UserID: u.ID})
	if err != nil || len(es) != 2 || es[0].Action != "logout" || es[1].Action != "login" || es[1].Address != "192.0.2.1" {
		t.Errorf("audit of %d: %+v, %v", u.ID, es, err)
	}
}

func sqlBruteForce(t *testing.T, one, two *fixture) {
	email := scenarioEmail("brute")
	one.addUser(email, editorPW, model.AccountEditor)
	const a, b = "198.51.100.77", "203.0.113.77"
	// Guesses alternate between the servers; the counts are shared.
	for i := range PairLimit {
		f := []*fixture{one, two}[i%2]
		if _, _, err := f.login(email, fmt.Sprintf("guess %d guess %d", i, i), a); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
		one.clk.Advance(time.Second)
	}
	for _, f := range []*fixture{one, two} {
		var te *ThrottledError
		if _, _, err := f.login(email, editorPW, a); !errors.As(err, &te) {
			t.Fatalf("right password from the guessing address: %v, want ThrottledError", err)
		}
	}
	if _, _, err := two.login(email, editorPW, b); err != nil {
		t.Fatalf("right password from another address: %v", err)
	}
	one.clk.Advance(Window)
	if _, _, err := one.login(email, editorPW, a); err != nil {
		t.Fatalf("right password after the window: %v", err)
	}
	// A day on, the address's and the account's counts are swept away.
	one.clk.Advance(25 * time.Hour)
	if _, keys, err := two.m.Sweep(context.Background()); err != nil || keys < 2 {
		t.Errorf("Sweep = %d keys, %v; want at least this scenario's 2", keys, err)
	}
}

func sqlExpiry(t *testing.T, one, two *fixture) {
	email := scenarioEmail("expiry")
	one.addUser(email, editorPW, model.AccountEditor)
	c := one.mustLogin(email, editorPW)
	two.mustLogin(email, editorPW) // a browser never seen again
	one.clk.Advance(90 * time.Minute)
	if got, _ := two.visitWith(c); got == nil {
		t.Fatal("logged out after 90 idle minutes")
	}
	one.clk.Advance(90 * time.Minute) // 90 since the last visit
	if got, _ := one.visitWith(c); got == nil {
		t.Fatal("logged out 90 minutes after the last visit")
	}
	one.clk.Advance(2*time.Hour + time.Second)
	got, w := two.visitWith(c)
	if got != nil || !clearsCookie(w, SessionCookie) {
		t.Fatalf("after 2h idle: user %v", got)
	}
	if n, err := one.m.DeleteExpiredSessions(context.Background()); err != nil || n < 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want at least the forgotten browser's session", n, err)
	}
}

func sqlDisabled(t *testing.T, one, two *fixture) {
	email := scenarioEmail("disabled")
	u := one.addUser(email, editorPW, model.AccountEditor)
	c1 := one.mustLogin(email, editorPW)
	c2 := two.mustLogin(email, editorPW)
	u.Disabled = true
	if err := one.st.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	for i, c := range []*http.Cookie{c1, c2} {
		if got, _ := []*fixture{two, one}[i].visitWith(c); got != nil {
			t.Errorf("session %d of a disabled account still works", i+1)
		}
	}
	if _, _, err := one.login(email, editorPW, addrB); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("disabled account logged in: %v", err)
	}
	u.Disabled = false
	if err := one.st.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	c3 := two.mustLogin(email, editorPW)
	n, err := one.m.LogoutEverywhere(context.Background(), u.ID)
	if err != nil || n != 1 {
		t.Errorf("LogoutEverywhere = %d, %v; want 1", n, err)
	}
	if got, _ := two.visitWith(c3); got != nil {
		t.Error("the session survived LogoutEverywhere")
	}
}
