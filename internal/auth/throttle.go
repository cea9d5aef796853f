package auth

import (
	"context"
	"fmt"
	"time"
)

// Login limits. Failed logins are counted in the store (store.Throttle),
// so every app server sees the same counts, under three keys:
//
//   - one account from one address: after PairLimit failures in Window,
//     further attempts are refused — the guesser of one password;
//   - one address, any account: after AddressLimit failures, refused —
//     the guesser trying many accounts;
//   - one account, any address: after AccountDelayAfter failures each
//     attempt waits a little longer, up to MaxAccountDelay, but is never
//     refused, so that an attacker spread over many addresses cannot lock
//     the account's owner out; the owner's right password from their own
//     address still works.
//
// A successful login forgets the failures of its account and address.
const (
	Window            = 15 * time.Minute
	PairLimit         = 5
	AddressLimit      = 30
	AccountDelayAfter = 10
	AccountDelayStep  = 200 * time.Millisecond
	MaxAccountDelay   = 2 * time.Second
)

// throttleKeys are the counter keys of one login attempt.
type throttleKeys struct {
	pair, address, account string
}

func newThrottleKeys(email, addr string) throttleKeys {
	a := throttleAddress(addr)
	return throttleKeys{
		pair:    "login.pair:" + a + " " + email,
		address: "login.address:" + a,
		account: "login.account:" + email,
	}
}

// checkThrottle returns a *ThrottledError when the account and address or
// the address alone have failed too often. Refused attempts are not
// counted: they test no password, and counting them would keep a patient
// owner locked out for as long as they kept retrying.
func (m *Manager) checkThrottle(ctx context.Context, k throttleKeys, email, addr string) error {
	now := m.now()
	for _, c := range []struct {
		key   string
		limit int
		what  string
	}{
		{k.pair, PairLimit, "account and address"},
		{k.address, AddressLimit, "address"},
	} {
		n, err := m.store.Hits(ctx, c.key, now, Window)
		if err != nil {
			return fmt.Errorf("auth: login %q: count failures: %w", email, err)
		}
		if n >= c.limit {
			m.log.WarnContext(ctx, "login refused: too many failures", "email", email, "address", addr, "by", c.what, "failures", n)
			// The counts do not say when the oldest failure leaves
			// the window, so this is the longest the wait can be.
			return &ThrottledError{RetryAfter: Window}
		}
	}
	return nil
}

// accountDelay waits before checking a password of an account that has
// failed often lately, from any address.
func (m *Manager) accountDelay(ctx context.Context, k throttleKeys) error {
	n, err := m.store.Hits(ctx, k.account, m.now(), Window)
	if err != nil {
		return fmt.Errorf("auth: login: count account failures: %w", err)
	}
	if d := accountDelayFor(n); d > 0 {
		if err := m.sleep(ctx, d); err != nil {
			return fmt.Errorf("auth: login: %w", err)
		}
	}
	return nil
}

// accountDelayFor returns the wait before an attempt on an account that
// has failed n times in the window.
func accountDelayFor(n int) time.Duration {
	if n < AccountDelayAfter {
		return 0
	}
	return min(time.Duration(n-AccountDelayAfter+1)*AccountDelayStep, MaxAccountDelay)
}

// recordFailure counts a failed login under all three keys.
func (m *Manager) recordFailure(ctx context.Context, k throttleKeys) error {
	now := m.now()
	for _, key := range []string{k.pair, k.address, k.account} {
		if _, err := m.store.Hit(ctx, key, now, Window); err != nil {
			return fmt.Errorf("auth: login: count failure: %w", err)
		}
	}
	return nil
}
