package auth

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

const (
	editorEmail = "editor@example.org"
	editorPW    = "correct horse battery staple"
	addrA       = "198.51.100.7"
	addrB       = "203.0.113.9"
)

func TestLoginSuccess(t *testing.T) {
	f := newFixture(t, Config{})
	want := f.addUser(editorEmail, editorPW, model.AccountEditor)
	c, u, err := f.login("  Editor@Example.ORG ", editorPW, addrA)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != want.ID {
		t.Errorf("logged in user %d, want %d", u.ID, want.ID)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Errorf("cookie %s: want HttpOnly, SameSite=Lax, Path=/ and not Secure over plain HTTP", c)
	}
	token, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(token) != 32 {
		t.Fatalf("cookie value %q is not 32 bytes of base64url: %v", c.Value, err)
	}
	sum := sha256.Sum256(token)
	s, err := f.st.Session(context.Background(), hex.EncodeToString(sum[:]), f.clk.Now())
	if err != nil {
		t.Fatalf("no session stored under the token's SHA-256: %v", err)
	}
	for _, x := range f.mem.sessions {
		if strings.Contains(x.TokenHash, c.Value) {
			t.Error("the store holds the token itself")
		}
	}
	if s.UserID != u.ID || s.Address != addrA || !s.ExpiresAt.Equal(f.clk.Now().Add(2*time.Hour)) {
		t.Errorf("session %+v: want user %d, address %s, expiry in 2h", s, u.ID, addrA)
	}
	if got, _ := f.visitWith(c); got == nil || got.ID != u.ID {
		t.Errorf("Middleware with the new cookie: user %v, want %d", got, u.ID)
	}
	entries, _ := f.st.ListAudit(context.Background(), store.AuditQuery{Action: "login"})
	if len(entries) != 1 || entries[0].UserID != u.ID || entries[0].Address != addrA || entries[0].Target != userTarget(u.ID) {
		t.Errorf("audit %+v: want one login by user %d from %s", entries, u.ID, addrA)
	}
}

func TestLoginSecureCookie(t *testing.T) {
	for _, tc := range []struct {
		name   string
		trust  bool
		tls    bool
		header string
		want   bool
	}{
		{"plain HTTP", false, false, "", false},
		{"TLS", false, true, "", true},
		{"proxy says https, trusted", true, false, "https", true},
		{"proxy says https, list", true, false, "https, http", true},
		{"proxy says http, trusted", true, false, "http", false},
		{"client says https, not trusted", false, false, "https", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, Config{TrustProxy: tc.trust})
			f.addUser(editorEmail, editorPW, model.AccountEditor)
			r := request("POST", "/admin/login", addrA)
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tc.header != "" {
				r.Header.Set("X-Forwarded-Proto", tc.header)
			}
			w := httptest.NewRecorder()
			if _, err := f.m.Login(w, r, editorEmail, editorPW); err != nil {
				t.Fatal(err)
			}
			if c := responseCookie(w, SessionCookie); c.Secure != tc.want {
				t.Errorf("Secure = %v, want %v", c.Secure, tc.want)
			}
		})
	}
}

func TestLoginFailures(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	gone := f.addUser("gone@example.org", editorPW, model.AccountAdmin)
	gone.Disabled = true
	if err := f.st.UpdateUser(context.Background(), gone); err != nil {
		t.Fatal(err)
	}
	broken := &model.User{Email: "broken@example.org", Role: model.AccountEditor, PasswordHash: "$argon2id$v=19$garbage"}
	if err := f.st.CreateUser(context.Background(), broken); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, email, pw, detail string
	}{
		{"unreadable stored hash", "broken@example.org", editorPW, "stored password hash unreadable"},
		{"wrong password", editorEmail, "correct horse battery stapler", "wrong password"},
		{"empty password", editorEmail, "", "wrong password"},
		{"unknown account", "nobody@example.org", editorPW, `no such account: "nobody@example.org"`},
		{"disabled account", "gone@example.org", editorPW, "account disabled"},
		{"overlong password", editorEmail, strings.Repeat("x", 5000), "password too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.mem.sessionCount()
			_, u, err := f.login(tc.email, tc.pw, addrA)
			if !errors.Is(err, ErrInvalidCredentials) || u != nil {
				t.Fatalf("Login = %v, %v; want ErrInvalidCredentials", u, err)
			}
			if f.mem.sessionCount() != before {
				t.Error("a failed login created a session")
			}
			entries, _ := f.st.ListAudit(context.Background(), store.AuditQuery{Action: "login.failed"})
			e := entries[0]
			if e.Address != addrA || e.UserID != 0 || e.Detail != tc.detail {
				t.Errorf("audit %+v: want address %s, no user, detail %q", e, addrA, tc.detail)
			}
			if tc.pw != "" && strings.Contains(fmt.Sprintf("%+v", entries), tc.pw) {
				t.Error("the audit log holds the password")
			}
		})
	}
}

func TestLoginRotatesSession(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	first := f.mustLogin(editorEmail, editorPW)
	second, _, err := f.login(editorEmail, editorPW, addrA, first)
	if err != nil {
		t.Fatal(err)
	}
	if second.Value == first.Value {
		t.Fatal("login kept the session token the request carried")
	}
	if u, _ := f.visitWith(first); u != nil {
		t.Error("the session from before the login still works")
	}
	if u, _ := f.visitWith(second); u == nil {
		t.Error("the new session does not work")
	}
	if n := f.mem.sessionCount(); n != 1 {
		t.Errorf("%d sessions stored, want 1", n)
	}
}

// TestBruteForce is the check: wrong passwords from one address
// get refused, and the right password from another address still works.
func TestBruteForce(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	for i := 1; i <= PairLimit; i++ {
		if _, _, err := f.login(editorEmail, fmt.Sprintf("guess number %d!", i), addrA); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("guess %d: %v, want ErrInvalidCredentials", i, err)
		}
		f.clk.Advance(10 * time.Second)
	}
	for _, pw := range []string{"guess number 6!", editorPW} {
		_, _, err := f.login(editorEmail, pw, addrA)
		var te *ThrottledError
		if !errors.As(err, &te) {
			t.Fatalf("attempt with %q after %d failures: %v, want a ThrottledError", pw, PairLimit, err)
		}
		if te.RetryAfter <= 0 || te.RetryAfter > Window {
			t.Errorf("RetryAfter %s outside (0, %s]", te.RetryAfter, Window)
		}
		if !strings.Contains(err.Error(), "try again in 15m") {
			t.Errorf("error %q does not say when to try again", err)
		}
	}
	if _, _, err := f.login(editorEmail, editorPW, addrB); err != nil {
		t.Fatalf("right password from another address: %v", err)
	}
	// Still refused from A until the failures leave the window.
	if _, _, err := f.login(editorEmail, editorPW, addrA); err == nil {
		t.Fatal("right password from the throttled address was accepted within the window")
	}
	f.clk.Advance(Window)
	if _, _, err := f.login(editorEmail, editorPW, addrA); err != nil {
		t.Fatalf("right password from A after the window: %v", err)
	}
	if got := f.sleeps(); len(got) != 0 {
		t.Errorf("delays %v before %d failures of the account", got, AccountDelayAfter)
	}
}

func TestSuccessResetsFailures(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	fail := func(n int) error {
		for i := range n {
			if _, _, err := f.login(editorEmail, "not the password", addrA); !errors.Is(err, ErrInvalidCredentials) {
				return fmt.Errorf("failure %d: %w", i+1, err)
			}
		}
		return nil
	}
	if err := fail(PairLimit - 1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.login(editorEmail, editorPW, addrA); err != nil {
		t.Fatal(err)
	}
	// A typo or two after a good login starts from zero again.
	if err := fail(PairLimit); err != nil {
		t.Fatal(err)
	}
	var te *ThrottledError
	if _, _, err := f.login(editorEmail, editorPW, addrA); !errors.As(err, &te) {
		t.Fatalf("after %d fresh failures: %v, want ThrottledError", PairLimit, err)
	}
}

func TestAddressLimit(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	// One guess at each of many accounts: the pair limit never trips.
	for i := range AddressLimit {
		if _, _, err := f.login(fmt.Sprintf("user%d@example.org", i), "some password here", addrA); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	var te *ThrottledError
	if _, _, err := f.login(editorEmail, editorPW, addrA); !errors.As(err, &te) {
		t.Fatalf("after %d failures from the address: %v, want ThrottledError", AddressLimit, err)
	}
	if _, _, err := f.login(editorEmail, editorPW, addrB); err != nil {
		t.Fatalf("from another address: %v", err)
	}
}

// TestAccountDelay: failures spread over many addresses slow every
// attempt on the account but never refuse the owner's right password.
func TestAccountDelay(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	for i := range AccountDelayAfter + 12 {
		addr := fmt.Sprintf("192.0.2.%d", i+10)
		if _, _, err := f.login(editorEmail, "wrong password!", addr); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("attempt %d from %s: %v", i+1, addr, err)
		}
	}
	got := f.sleeps()
	want := []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, 600 * time.Millisecond}
	if len(got) != 12 || !slices.Equal(got[:3], want) || got[len(got)-1] != MaxAccountDelay {
		t.Errorf("delays %v: want 12, starting %v and ending at %s", got, want, MaxAccountDelay)
	}
	if _, _, err := f.login(editorEmail, editorPW, addrB); err != nil {
		t.Fatalf("the owner's right password: %v", err)
	}
	if last := f.sleeps()[len(f.sleeps())-1]; last != MaxAccountDelay {
		t.Errorf("the owner waited %s, want %s", last, MaxAccountDelay)
	}
}

func TestAccountDelayFor(t *testing.T) {
	for n, want := range map[int]time.Duration{
		0: 0, 9: 0, 10: 200 * time.Millisecond, 11: 400 * time.Millisecond,
		19: 2 * time.Second, 20: 2 * time.Second, 1000: 2 * time.Second,
	} {
		if got := accountDelayFor(n); got != want {
			t.Errorf("accountDelayFor(%d) = %s, want %s", n, got, want)
		}
	}
}

// TestAccountDelayWaits checks the real sleep: it waits, and gives up when
// the request does.
func TestAccountDelayWaits(t *testing.T) {
	start := time.Now()
	if err := sleepContext(context.Background(), 30*time.Millisecond); err != nil || time.Since(start) < 30*time.Millisecond {
		t.Errorf("sleepContext returned %v after %s", err, time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleepContext with a cancelled context = %v", err)
	}
}

// TestUnknownEmailCostsAHash: an address without an account takes as long
// to refuse as a wrong password, so timing does not reveal accounts.
func TestUnknownEmailCostsAHash(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	timeLogin := func(email string, i int) time.Duration {
		start := time.Now()
		if _, _, err := f.login(email, "not the password", fmt.Sprintf("192.0.2.%d", i)); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatal(err)
		}
		return time.Since(start)
	}
	var known, unknown []time.Duration
	for i := range 7 {
		known = append(known, timeLogin(editorEmail, i))
		unknown = append(unknown, timeLogin("nobody@example.org", 100+i))
	}
	slices.Sort(known)
	slices.Sort(unknown)
	// Medians, with a generous ratio since other work shares the CPU. An
	// unknown address that skipped the hash would take microseconds, the
	// hash (testParams) milliseconds.
	if unknown[3] < known[3]/3 {
		t.Errorf("unknown address refused in %s, wrong password in %s", unknown[3], known[3])
	}
}

func TestLoginWaitsForHashSlot(t *testing.T) {
	f := newFixture(t, Config{MaxConcurrentHashes: 1})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	f.m.hashSlots <- struct{}{} // another login is hashing
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r := request("POST", "/admin/login", addrA).WithContext(ctx)
	_, err := f.m.Login(httptest.NewRecorder(), r, editorEmail, editorPW)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Login while the only slot is taken = %v, want the context's deadline", err)
	}
	<-f.m.hashSlots
	if _, _, err := f.login(editorEmail, editorPW, addrA); err != nil {
		t.Fatalf("Login with the slot free: %v", err)
	}
}

// TestLoginOldHash: a hash with other parameters (older, cheaper ones)
// still logs in, and the login leaves it as it is.
func TestLoginOldHash(t *testing.T) {
	f := newFixture(t, Config{})
	u := &model.User{Email: "ref@example.org", Role: model.AccountEditor, PasswordHash: referenceHash}
	if err := f.st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.login("ref@example.org", "correct horse battery staple", addrA); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.st.User(context.Background(), u.ID); got.PasswordHash != referenceHash {
		t.Errorf("hash after login %q, want it unchanged", got.PasswordHash)
	}
}

func TestLoginStoreDown(t *testing.T) {
	f := newFixture(t, Config{})
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	f.mem.setFail(errDown)
	_, _, err := f.login(editorEmail, editorPW, addrA)
	if !errors.Is(err, errDown) {
		t.Fatalf("Login with the store down = %v, want its error", err)
	}
}

func TestNewConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no store", Config{}, "Store is required"},
		{"negative", Config{Store: newMemStore(), MaxAge: -time.Hour}, "must not be negative"},
		{"idle too short", Config{Store: newMemStore(), IdleTimeout: time.Minute}, "IdleTimeout"},
	} {
		if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: New = %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	m, err := New(Config{Store: newMemStore()})
	if err != nil {
		t.Fatal(err)
	}
	if m.idle != 2*time.Hour || m.maxAge != 7*24*time.Hour || m.proxyHops != 1 || cap(m.hashSlots) != 4 {
		t.Errorf("defaults: idle %s, max age %s, hops %d, slots %d", m.idle, m.maxAge, m.proxyHops, cap(m.hashSlots))
	}
}

// TestLoginHugeEmail: whatever is posted as the address, the throttle keys
// and the audit log stay small.
func TestLoginHugeEmail(t *testing.T) {
	f := newFixture(t, Config{})
	huge := strings.Repeat("a", 100000) + "@example.org"
	if _, _, err := f.login(huge, editorPW, addrA); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("Login = %v, want ErrInvalidCredentials", err)
	}
	for key := range f.mem.hits {
		if len(key) > 400 {
			t.Errorf("throttle key of %d bytes", len(key))
		}
	}
	e := f.mem.audit[0]
	if len(e.Detail) > maxAuditDetail {
		t.Errorf("audit detail of %d bytes", len(e.Detail))
	}
}

// hangUpStore cancels the request when the account is looked up, as a
// client hanging up mid-login does, and fails writes under a cancelled
// context, as a database driver does.
type hangUpStore struct {
	*memStore
	cancel context.CancelFunc
}

func (s hangUpStore) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	s.cancel()
	return s.memStore.UserByEmail(ctx, email)
}

func (s hangUpStore) Hit(ctx context.Context, key string, at time.Time, window time.Duration) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return s.memStore.Hit(ctx, key, at, window)
}

// TestFailureCountedAfterHangUp: a guesser who hangs up once the password
// is being checked is counted all the same.
func TestFailureCountedAfterHangUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mem := newMemStore()
	f := newFixture(t, Config{Store: hangUpStore{mem, cancel}})
	f.mem = mem
	f.addUser(editorEmail, editorPW, model.AccountEditor)
	r := request("POST", "/admin/login", addrA).WithContext(ctx)
	if _, err := f.m.Login(newRecorder(), r, editorEmail, "a wrong guess!"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("Login = %v, want ErrInvalidCredentials", err)
	}
	if len(mem.hits) != 3 {
		t.Errorf("failure counted under %d keys, want 3", len(mem.hits))
	}
	if len(mem.audit) != 1 || mem.audit[0].Action != "login.failed" {
		t.Errorf("audit %+v: want the failed login", mem.audit)
	}
}

// TestConcurrentGuesses: guesses sent all at once are held to the limit,
// give or take the guesses hashed at the same moment.
func TestConcurrentGuesses(t *testing.T) {
	for _, slots := range []int{1, 4} {
		t.Run(fmt.Sprintf("%d slots", slots), func(t *testing.T) {
			// Slow writes, as a database's are, widen the gap between
			// a check and a count for a guess to slip through.
			mem := newMemStore()
			f := newFixture(t, Config{MaxConcurrentHashes: slots, Store: slowHitStore{mem}})
			f.mem = mem
			f.addUser(editorEmail, editorPW, model.AccountEditor)
			const guesses = 20
			errs := make(chan error, guesses)
			for i := range guesses {
				go func() {
					_, err := f.m.Login(newRecorder(), request("POST", "/admin/login", addrA), editorEmail, fmt.Sprintf("parallel guess %d", i))
					errs <- err
				}()
			}
			checked, throttled := 0, 0
			for range guesses {
				var te *ThrottledError
				switch err := <-errs; {
				case errors.Is(err, ErrInvalidCredentials):
					checked++
				case errors.As(err, &te):
					throttled++
				default:
					t.Errorf("unexpected error %v", err)
				}
			}
			if checked < PairLimit || checked > PairLimit+slots-1 {
				t.Errorf("%d guesses checked with %d slots, want %d to %d", checked, slots, PairLimit, PairLimit+slots-1)
			}
			if checked+throttled != guesses {
				t.Errorf("%d checked + %d throttled != %d", checked, throttled, guesses)
			}
		})
	}
}

// slowHitStore takes a while to count a failure.
type slowHitStore struct{ *memStore }

func (s slowHitStore) Hit(ctx context.Context, key string, at time.Time, window time.Duration) (int, error) {
	time.Sleep(5 * time.Millisecond)
	return s.memStore.Hit(ctx, key, at, window)
}
