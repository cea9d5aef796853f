package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

func openStore(ctx context.Context, path string) (store.Store, error) { return Open(ctx, path) }

// TestCrashChild is the writer that TestKillMidWrite kills; on its own it
// does nothing.
func TestCrashChild(t *testing.T) {
	storetest.CrashChild(openStore)
}

// TestKillMidWrite kills a process writing to the database with SIGKILL
// and checks that the file is intact and keeps every acknowledged write.
func TestKillMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process; not in -short runs")
	}
	path := filepath.Join(t.TempDir(), "imprint.db")
	storetest.RunCrash(t, "TestCrashChild", path, 1000, openStore, func(t *testing.T, st store.Store) {
		db := st.(interface{ DB() *sql.DB }).DB()
		var result string
		if err := db.QueryRowContext(t.Context(), `PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
			t.Errorf("integrity_check: %q, %v", result, err)
		}
		rows, err := db.QueryContext(t.Context(), `PRAGMA foreign_key_check`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			t.Error("foreign_key_check found a dangling reference")
		}
	})
}
