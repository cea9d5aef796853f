package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// accountsAPI is what the admin keeps beside the content.
type accountsAPI interface {
	store.Accounts
	store.Sessions
	store.Throttle
}

// asAccounts fails the test unless s keeps accounts, sessions and
// throttle counters.
func asAccounts(t *testing.T, s store.Store) accountsAPI {
	t.Helper()
	a, ok := s.(accountsAPI)
	if !ok {
		t.Fatalf("%T does not implement store.Accounts, store.Sessions and store.Throttle", s)
	}
	return a
}

// testAccounts checks users, sessions and throttle counters.
func testAccounts(t *testing.T, s store.Store) {
	t.Helper()
	a := asAccounts(t, s)
	t.Run("Users", func(t *testing.T) { testUsers(t, a) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, a) })
	t.Run("Throttle", func(t *testing.T) { testThrottle(t, a) })
	t.Run("ConcurrentHits", func(t *testing.T) { testConcurrentHits(t, a) })
	t.Run("InTransaction", func(t *testing.T) { testAccountsInTx(t, s) })
}

// testHash is a well-formed argon2id PHC string; the store keeps it as
// given.
const testHash = "$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"

func newUser(email, name string, role model.AccountRole) *model.User {
	return &model.User{Email: email, Name: name, Role: role, PasswordHash: testHash}
}

// tokenHash is what the session cookie's token is stored as.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func testUsers(t *testing.T, a accountsAPI) {
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	ed := newUser("editor@example.org", "Ed Itor", model.AccountEditor)
	must(t, a.CreateUser(ctx, ed))
	if ed.ID == 0 || ed.CreatedAt.Before(before) || !ed.UpdatedAt.Equal(ed.CreatedAt) {
		t.Errorf("CreateUser did not set ID and timestamps: %+v", ed)
	}
	got, err := a.User(ctx, ed.ID)
	must(t, err)
	if !reflect.DeepEqual(*got, *ed) {
		t.Errorf("User(%d)\n got %+v\nwant %+v", ed.ID, *got, *ed)
	}
	got, err = a.UserByEmail(ctx, "editor@example.org")
	must(t, err)
	if !reflect.DeepEqual(*got, *ed) {
		t.Errorf("UserByEmail\n got %+v\nwant %+v", *got, *ed)
	}

	_, err = a.User(ctx, ed.ID+1000)
	wantErr(t, err, store.ErrNotFound, fmt.Sprintf("user %d", ed.ID+1000))
	_, err = a.UserByEmail(ctx, "nobody@example.org")
	wantErr(t, err, store.ErrNotFound, "nobody@example.org")
	// Addresses are stored lower-cased and compared as stored.
	_, err = a.UserByEmail(ctx, "Editor@example.org")
	wantErr(t, err, store.ErrNotFound)

	dup := newUser("editor@example.org", "Someone Else", model.AccountAdmin)
	wantErr(t, a.CreateUser(ctx, dup), store.ErrConflict, "editor@example.org")
	if dup.ID != 0 {
		t.Errorf("a refused CreateUser set ID %d", dup.ID)
	}

	refused := []struct {
		field string
		u     *model.User
	}{
		{"Email", newUser("", "No Address", model.AccountEditor)},
		{"Email", newUser("Upper@example.org", "Upper", model.AccountEditor)},
		{"Email", newUser("Ed <ed@example.org>", "Named", model.AccountEditor)},
		{"Name", newUser("line@example.org", "Two\nLines", model.AccountEditor)},
		{"Role", newUser("role@example.org", "Root", "root")},
		{"PasswordHash", &model.User{Email: "plain@example.org", Role: model.AccountEditor, PasswordHash: "hunter2"}},
	}
	for _, tt := range refused {
		wantFieldError(t, a.CreateUser(ctx, tt.u), tt.field)
	}

	// Listed by address as bytes: "a.z@" before "a@" ('.' < '@'), which
	// a locale's collation that skips punctuation would not give.
	for _, u := range []*model.User{
		newUser("zoe@example.org", "Zoë", model.AccountContributor),
		newUser("a@example.org", "A", model.AccountAdmin),
		newUser("a.z@example.org", "A. Z.", model.AccountContributor),
	} {
		must(t, a.CreateUser(ctx, u))
	}
	all, err := a.ListUsers(ctx)
	must(t, err)
	var emails []string
	for _, u := range all {
		emails = append(emails, u.Email)
	}
	if want := []string{"a.z@example.org", "a@example.org", "editor@example.org", "zoe@example.org"}; !slices.Equal(emails, want) {
		t.Errorf("ListUsers = %q, want %q (no refused user stored)", emails, want)
	}

	// Update: role, name, password hash, address; CreatedAt is kept.
	created := ed.CreatedAt
	ed.Role, ed.Name = model.AccountAdmin, "Ed Itor-Chief"
	ed.PasswordHash = strings.Replace(testHash, "t=3", "t=4", 1)
	ed.Email = "chief@example.org"
	ed.CreatedAt = time.Time{} // the store reads it back
	must(t, a.UpdateUser(ctx, ed))
	if !ed.CreatedAt.Equal(created) || ed.UpdatedAt.Before(created) {
		t.Errorf("UpdateUser timestamps: created %v (want %v), updated %v", ed.CreatedAt, created, ed.UpdatedAt)
	}
	got, err = a.User(ctx, ed.ID)
	must(t, err)
	if !reflect.DeepEqual(*got, *ed) {
		t.Errorf("after UpdateUser\n got %+v\nwant %+v", *got, *ed)
	}
	_, err = a.UserByEmail(ctx, "editor@example.org")
	wantErr(t, err, store.ErrNotFound)

	taken := *ed
	taken.Email = "zoe@example.org"
	wantErr(t, a.UpdateUser(ctx, &taken), store.ErrConflict, "zoe@example.org")
	missing := *ed
	missing.ID, missing.Email = ed.ID+1000, "missing@example.org"
	wantErr(t, a.UpdateUser(ctx, &missing), store.ErrNotFound, fmt.Sprintf("user %d", missing.ID))
	bad := *ed
	bad.Role = "owner"
	wantFieldError(t, a.UpdateUser(ctx, &bad), "Role")
	got, err = a.User(ctx, ed.ID)
	must(t, err)
	if !reflect.DeepEqual(*got, *ed) {
		t.Errorf("refused updates changed the account\n got %+v\nwant %+v", *got, *ed)
	}

	// Disabling an account ends its sessions, and only its own.
	zoe, err := a.UserByEmail(ctx, "zoe@example.org")
	must(t, err)
	now := time.Now().UTC()
	for i, uid := range []int64{ed.ID, ed.ID, zoe.ID} {
		must(t, a.CreateSession(ctx, &store.Session{TokenHash: tokenHash(fmt.Sprint("disable-", i)), UserID: uid, ExpiresAt: now.Add(time.Hour)}))
	}
	ed.Disabled = true
	must(t, a.UpdateUser(ctx, ed))
	got, err = a.User(ctx, ed.ID)
	must(t, err)
	if !got.Disabled {
		t.Errorf("disabled account reads back as %+v", got)
	}
	for i, want := range []bool{false, false, true} {
		_, err := a.Session(ctx, tokenHash(fmt.Sprint("disable-", i)), now)
		if found := err == nil; found != want {
			t.Errorf("session %d after disabling its account or another: found %v (%v), want %v", i, found, err, want)
		}
	}
	ed.Disabled = false
	must(t, a.UpdateUser(ctx, ed))
	if got, err := a.User(ctx, ed.ID); err != nil || got.Disabled {
		t.Errorf("re-enabled account reads back as %+v, %v", got, err)
	}
}

func testSessions(t *testing.T, a accountsAPI) {
	ctx := context.Background()
	ann := newUser("ann@example.org", "Ann", model.AccountEditor)
	bob := newUser("bob@example.org", "Bob", model.AccountContributor)
	must(t, a.CreateUser(ctx, ann))
	must(t, a.CreateUser(ctx, bob))

	t0 := time.Date(2026, 3, 1, 9, 0, 0, 123456000, time.UTC)
	s1 := store.Session{TokenHash: tokenHash("one"), UserID: ann.ID, CreatedAt: t0, LastSeen: t0,
		ExpiresAt: t0.Add(time.Hour), Address: "2001:db8::7", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
	must(t, a.CreateSession(ctx, &s1))
	got, err := a.Session(ctx, s1.TokenHash, t0.Add(30*time.Minute))
	must(t, err)
	if !reflect.DeepEqual(*got, s1) {
		t.Errorf("Session\n got %+v\nwant %+v", *got, s1)
	}
	// Expired from ExpiresAt on.
	for _, at := range []time.Time{t0.Add(time.Hour), t0.Add(2 * time.Hour)} {
		_, err := a.Session(ctx, s1.TokenHash, at)
		wantErr(t, err, store.ErrNotFound, "session")
	}
	_, err = a.Session(ctx, tokenHash("never issued"), t0)
	wantErr(t, err, store.ErrNotFound, "session")
	if err != nil && strings.Contains(err.Error(), tokenHash("never issued")) {
		t.Errorf("not-found error %q repeats the token hash", err)
	}

	dup := s1
	dup.UserID = bob.ID
	wantErr(t, a.CreateSession(ctx, &dup), store.ErrConflict)
	orphan := store.Session{TokenHash: tokenHash("orphan"), UserID: bob.ID + 1000, ExpiresAt: t0.Add(time.Hour)}
	wantErr(t, a.CreateSession(ctx, &orphan), store.ErrConflict)

	refused := []struct {
		field string
		s     store.Session
	}{
		{"TokenHash", store.Session{TokenHash: "", UserID: ann.ID, ExpiresAt: t0.Add(time.Hour)}},
		{"TokenHash", store.Session{TokenHash: "the-token-itself", UserID: ann.ID, ExpiresAt: t0.Add(time.Hour)}},
		{"TokenHash", store.Session{TokenHash: strings.ToUpper(tokenHash("upper")), UserID: ann.ID, ExpiresAt: t0.Add(time.Hour)}},
		{"UserID", store.Session{TokenHash: tokenHash("nobody"), ExpiresAt: t0.Add(time.Hour)}},
		{"ExpiresAt", store.Session{TokenHash: tokenHash("forever"), UserID: ann.ID}},
		{"ExpiresAt", store.Session{TokenHash: tokenHash("backwards"), UserID: ann.ID, CreatedAt: t0, ExpiresAt: t0}},
		{"Address", store.Session{TokenHash: tokenHash("long address"), UserID: ann.ID, ExpiresAt: t0.Add(time.Hour), Address: strings.Repeat("1", 101)}},
	}
	for _, tt := range refused {
		s := tt.s
		wantFieldError(t, a.CreateSession(ctx, &s), tt.field)
	}

	// Zero CreatedAt and LastSeen are now; a long User-Agent is
	// shortened whole characters at a time.
	before := time.Now().Add(-time.Second)
	s2 := store.Session{TokenHash: tokenHash("two"), UserID: ann.ID, ExpiresAt: time.Now().Add(24 * time.Hour),
		UserAgent: strings.Repeat("é", 400)}
	must(t, a.CreateSession(ctx, &s2))
	if s2.CreatedAt.Before(before) || !s2.LastSeen.Equal(s2.CreatedAt) || len(s2.UserAgent) > 500 || len(s2.UserAgent) < 498 || !strings.HasPrefix(strings.Repeat("é", 400), s2.UserAgent) {
		t.Errorf("CreateSession with zero times and a long User-Agent gave %+v", s2)
	}
	got, err = a.Session(ctx, s2.TokenHash, time.Now())
	must(t, err)
	if !reflect.DeepEqual(*got, s2) {
		t.Errorf("Session\n got %+v\nwant %+v", *got, s2)
	}

	// Touch: LastSeen alone, then with a new expiry.
	must(t, a.TouchSession(ctx, s1.TokenHash, t0.Add(40*time.Minute), time.Time{}))
	got, err = a.Session(ctx, s1.TokenHash, t0.Add(41*time.Minute))
	must(t, err)
	if !got.LastSeen.Equal(t0.Add(40*time.Minute)) || !got.ExpiresAt.Equal(s1.ExpiresAt) || !got.CreatedAt.Equal(t0) {
		t.Errorf("after touching without extending: %+v", got)
	}
	must(t, a.TouchSession(ctx, s1.TokenHash, t0.Add(50*time.Minute), t0.Add(3*time.Hour)))
	got, err = a.Session(ctx, s1.TokenHash, t0.Add(2*time.Hour))
	must(t, err)
	if !got.LastSeen.Equal(t0.Add(50*time.Minute)) || !got.ExpiresAt.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("after touching and extending: %+v", got)
	}
	wantErr(t, a.TouchSession(ctx, tokenHash("never issued"), t0, time.Time{}), store.ErrNotFound, "session")
	// An expired session is gone: touching it does not revive it.
	wantErr(t, a.TouchSession(ctx, s1.TokenHash, t0.Add(3*time.Hour), t0.Add(5*time.Hour)), store.ErrNotFound, "session")
	_, err = a.Session(ctx, s1.TokenHash, t0.Add(4*time.Hour))
	wantErr(t, err, store.ErrNotFound)

	// Delete one; deleting it again is no error.
	must(t, a.DeleteSession(ctx, s2.TokenHash))
	_, err = a.Session(ctx, s2.TokenHash, t0)
	wantErr(t, err, store.ErrNotFound)
	must(t, a.DeleteSession(ctx, s2.TokenHash))

	// Delete every session of one user.
	for i, uid := range []int64{ann.ID, ann.ID, ann.ID, bob.ID} {
		must(t, a.CreateSession(ctx, &store.Session{TokenHash: tokenHash(fmt.Sprint("user-", i)), UserID: uid, ExpiresAt: t0.Add(time.Hour)}))
	}
	// s1 belongs to ann too (expired at these times but still stored).
	n, err := a.DeleteUserSessions(ctx, ann.ID)
	must(t, err)
	if n != 4 {
		t.Errorf("DeleteUserSessions(ann) = %d, want 4", n)
	}
	if _, err := a.Session(ctx, tokenHash("user-3"), t0); err != nil {
		t.Errorf("bob's session after ending ann's: %v", err)
	}
	if n, err := a.DeleteUserSessions(ctx, ann.ID); err != nil || n != 0 {
		t.Errorf("DeleteUserSessions again = %d, %v; want 0, nil", n, err)
	}
	if n, err := a.DeleteUserSessions(ctx, bob.ID); err != nil || n != 1 {
		t.Errorf("DeleteUserSessions(bob) = %d, %v; want 1, nil", n, err)
	}

	// Sweep: those expiring at or before now go.
	for i, exp := range []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour} {
		must(t, a.CreateSession(ctx, &store.Session{TokenHash: tokenHash(fmt.Sprint("sweep-", i)), UserID: bob.ID, CreatedAt: t0, ExpiresAt: t0.Add(exp)}))
	}
	n, err = a.DeleteExpiredSessions(ctx, t0.Add(2*time.Hour))
	must(t, err)
	if n != 2 {
		t.Errorf("DeleteExpiredSessions = %d, want 2", n)
	}
	if _, err := a.Session(ctx, tokenHash("sweep-2"), t0.Add(2*time.Hour)); err != nil {
		t.Errorf("the session still valid was swept: %v", err)
	}
	if n, err := a.DeleteUserSessions(ctx, bob.ID); err != nil || n != 1 {
		t.Errorf("after the sweep bob has %d sessions (%v), want 1", n, err)
	}
}

func testThrottle(t *testing.T, a accountsAPI) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	const window = 10 * time.Minute
	key, other := "login:ann@example.org", "login-addr:192.0.2.7"

	hits := []struct {
		key  string
		at   time.Duration
		want int
	}{
		{key, 0, 1},
		{key, time.Minute, 2},
		{other, time.Minute, 1},
		{key, 2 * time.Minute, 3},
		// Two events at one instant both count.
		{key, 2 * time.Minute, 4},
		// (at-window, at]: the event at t0 has left the window.
		{key, window, 4},
		// The Hit at t0+1m leaves the window: pruned.
		{key, window + time.Minute + time.Microsecond, 4},
	}
	for _, h := range hits {
		n, err := a.Hit(ctx, h.key, t0.Add(h.at), window)
		must(t, err)
		if n != h.want {
			t.Errorf("Hit(%q, t0+%v) = %d, want %d", h.key, h.at, n, h.want)
		}
	}
	counts := []struct {
		key    string
		at     time.Duration
		window time.Duration
		want   int
	}{
		{key, window + time.Minute + time.Microsecond, window, 4},
		{key, window + time.Minute + time.Microsecond, time.Minute, 1},
		{key, 2 * time.Minute, window, 2}, // t0 and t0+1m pruned by the last Hit
		{key, 12*time.Minute + time.Microsecond, window, 2},
		{key, 30 * time.Minute, window, 0},
		{other, time.Minute, window, 1},
		{other, 11 * time.Minute, window, 0},
		{"login:never@example.org", 0, window, 0},
	}
	for _, c := range counts {
		n, err := a.Hits(ctx, c.key, t0.Add(c.at), c.window)
		must(t, err)
		if n != c.want {
			t.Errorf("Hits(%q, t0+%v, %v) = %d, want %d", c.key, c.at, c.window, n, c.want)
		}
	}
	// Hits records nothing.
	if n, _ := a.Hits(ctx, other, t0.Add(time.Minute), window); n != 1 {
		t.Errorf("Hits after Hits = %d, want 1", n)
	}

	// A Hit long after prunes the key's old events, not another key's.
	n, err := a.Hit(ctx, key, t0.Add(time.Hour), window)
	must(t, err)
	if n != 1 {
		t.Errorf("Hit an hour later = %d, want 1", n)
	}
	if n, _ := a.Hits(ctx, key, t0.Add(window+time.Minute), time.Hour); n != 0 {
		t.Errorf("old events of %q after a later Hit: %d, want pruned", key, n)
	}
	if n, _ := a.Hits(ctx, other, t0.Add(time.Minute), window); n != 1 {
		t.Errorf("events of %q after a Hit of %q: %d, want 1 (not pruned)", other, key, n)
	}
	// An event from a server whose clock is behind counts in its own
	// window and leaves the later one in place.
	n, err = a.Hit(ctx, key, t0.Add(time.Hour-time.Minute), window)
	must(t, err)
	if n != 1 {
		t.Errorf("late Hit = %d, want 1 (the later event is outside its window)", n)
	}
	if n, _ := a.Hits(ctx, key, t0.Add(time.Hour), window); n != 2 {
		t.Errorf("Hits after a late Hit = %d, want 2", n)
	}

	must(t, a.ResetHits(ctx, key))
	if n, _ := a.Hits(ctx, key, t0.Add(time.Hour), window); n != 0 {
		t.Errorf("Hits after ResetHits = %d, want 0", n)
	}
	if n, err := a.Hit(ctx, key, t0.Add(time.Hour), window); err != nil || n != 1 {
		t.Errorf("Hit after ResetHits = %d, %v; want 1", n, err)
	}
	must(t, a.ResetHits(ctx, "login:never@example.org"))
	if n, _ := a.Hits(ctx, other, t0.Add(time.Minute), window); n != 1 {
		t.Errorf("ResetHits of other keys changed %q: %d, want 1", other, n)
	}

	for _, bad := range []struct {
		key    string
		window time.Duration
	}{{"", window}, {key, 0}, {key, -time.Minute}, {strings.Repeat("k", 401), window}} {
		if _, err := a.Hit(ctx, bad.key, t0, bad.window); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Hit(%.20q, %v) error = %v, want ErrInvalid", bad.key, bad.window, err)
		}
		if _, err := a.Hits(ctx, bad.key, t0, bad.window); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Hits(%.20q, %v) error = %v, want ErrInvalid", bad.key, bad.window, err)
		}
	}

	// The SQL backends also sweep keys that went quiet.
	pruner, ok := a.(interface {
		PruneHits(ctx context.Context, before time.Time) (int, error)
	})
	if !ok {
		return
	}
	// key: events at t0+58m (from a slow clock: the key's latest event
	// stays t0+60m) and t0+60m; other: t0+1m.
	if n, err := a.Hit(ctx, key, t0.Add(58*time.Minute), window); err != nil || n != 1 {
		t.Errorf("late Hit = %d, %v; want 1", n, err)
	}
	n, err = pruner.PruneHits(ctx, t0.Add(59*time.Minute))
	must(t, err)
	if n != 1 {
		t.Errorf("PruneHits forgot %d keys, want 1 (%q)", n, other)
	}
	if n, _ := a.Hits(ctx, other, t0.Add(time.Minute), window); n != 0 {
		t.Errorf("events of a quiet key after PruneHits: %d, want 0", n)
	}
	if n, _ := a.Hits(ctx, key, t0.Add(time.Hour), window); n != 1 {
		t.Errorf("events of a live key after PruneHits: %d, want 1 (the one after the cut)", n)
	}
	if n, _ := a.Hits(ctx, key, t0.Add(58*time.Minute), window); n != 0 {
		t.Errorf("old events of a live key after PruneHits: %d, want 0", n)
	}
	if n, err := a.Hit(ctx, other, t0.Add(2*time.Hour), window); err != nil || n != 1 {
		t.Errorf("Hit of a pruned key = %d, %v; want 1", n, err)
	}
}

// testConcurrentHits hits one key from many goroutines at once, as app
// servers do when a password is guessed in parallel: every event counts,
// and each Hit sees those before it, so that the counts returned are
// exactly 1…n. Two keys are hit at once, one of them new, so that the
// race to create a key's first row is exercised too.
func testConcurrentHits(t *testing.T, a accountsAPI) {
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	const goroutines, each = 12, 5
	keys := []string{"login:race@example.org", "login-addr:198.51.100.9"}
	var mu sync.Mutex
	got := map[string][]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, goroutines*each*len(keys))
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range each * len(keys) {
				key := keys[(g+i)%len(keys)]
				n, err := a.Hit(ctx, key, at, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				got[key] = append(got[key], n)
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Hit: %v", err)
	}
	want := make([]int, goroutines*each)
	for i := range want {
		want[i] = i + 1
	}
	for _, key := range keys {
		counts := got[key]
		slices.Sort(counts)
		if !slices.Equal(counts, want) {
			t.Errorf("concurrent Hits of %q returned %v, want each of 1…%d once", key, counts, len(want))
		}
		if n, err := a.Hits(ctx, key, at.Add(time.Minute), time.Hour); err != nil || n != len(want) {
			t.Errorf("Hits(%q) after concurrent Hits = %d, %v; want %d", key, n, err, len(want))
		}
	}
}

// testAccountsInTx checks that the Store WithTx hands out keeps accounts,
// sessions and counters in its transaction: seen inside, gone on
// rollback, kept on commit.
func testAccountsInTx(t *testing.T, s store.Store) {
	ctx := context.Background()
	tr, ok := s.(store.Transactor)
	if !ok {
		t.Fatalf("%T does not implement store.Transactor, which the admin needs with accounts", s)
	}
	a := asAccounts(t, s)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	errRollback := errors.New("roll back")
	for _, commit := range []bool{false, true} {
		email := fmt.Sprintf("tx-%v@example.org", commit)
		err := tr.WithTx(ctx, func(tx store.Store) error {
			ta := asAccounts(t, tx)
			u := newUser(email, "In a transaction", model.AccountEditor)
			if err := ta.CreateUser(ctx, u); err != nil {
				return err
			}
			if got, err := ta.UserByEmail(ctx, email); err != nil || got.ID != u.ID {
				t.Errorf("inside the transaction UserByEmail = %+v, %v; want ID %d", got, err, u.ID)
			}
			if err := ta.CreateSession(ctx, &store.Session{TokenHash: tokenHash(email), UserID: u.ID, ExpiresAt: at.Add(time.Hour)}); err != nil {
				return err
			}
			if _, err := ta.Session(ctx, tokenHash(email), at); err != nil {
				t.Errorf("inside the transaction Session: %v", err)
			}
			for want := 1; want <= 2; want++ {
				n, err := ta.Hit(ctx, email, at, time.Minute)
				if err != nil {
					return err
				}
				if n != want {
					t.Errorf("inside the transaction Hit = %d, want %d", n, want)
				}
			}
			if !commit {
				return errRollback
			}
			return nil
		})
		if commit {
			must(t, err)
		} else if !errors.Is(err, errRollback) {
			t.Fatalf("WithTx = %v, want its function's error", err)
		}
		_, userErr := a.UserByEmail(ctx, email)
		_, sessionErr := a.Session(ctx, tokenHash(email), at)
		hits, err := a.Hits(ctx, email, at, time.Minute)
		must(t, err)
		if commit && (userErr != nil || sessionErr != nil || hits != 2) {
			t.Errorf("after commit: user %v, session %v, hits %d; want all kept", userErr, sessionErr, hits)
		}
		if !commit && (!errors.Is(userErr, store.ErrNotFound) || !errors.Is(sessionErr, store.ErrNotFound) || hits != 0) {
			t.Errorf("after rollback: user %v, session %v, hits %d; want nothing kept", userErr, sessionErr, hits)
		}
	}
}
