package postgres

import (
	"context"
	"testing"

	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

func openStore(ctx context.Context, url string) (store.Store, error) { return Open(ctx, url) }

// TestCrashChild is the writer that TestKillMidWrite kills; on its own it
// does nothing.
func TestCrashChild(t *testing.T) {
	storetest.CrashChild(openStore)
}

// TestKillMidWrite kills an app process writing to PostgreSQL with SIGKILL
// mid-transaction and checks that every acknowledged write is there, whole.
func TestKillMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process; not in -short runs")
	}
	storetest.RunCrash(t, "TestCrashChild", pgtest.SchemaURL(t), 1000, openStore, nil)
}
