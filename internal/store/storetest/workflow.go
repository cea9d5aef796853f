package storetest

import (
	"testing"

	"github.com/imprintpub/imprint/internal/store"
)

// testWorkflow checks revisions, audit log, trash and schedule.
func testWorkflow(t *testing.T, s store.Store) {
	t.Helper()
	_ = s
}
