package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDatabaseLocation(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, flag, env, want string
	}{
		{"flag wins", "postgres://a@h/db", "postgres://b@h/db", "postgres://a@h/db"},
		{"environment next", "", "postgres://b@h/db", "postgres://b@h/db"},
		{"data directory last", "", "", filepath.Join(dir, databaseFile)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(databaseEnv, tt.env)
			got, err := databaseLocation(tt.flag, dir)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("databaseLocation(%q, dir) with %s=%q = %q, want %q", tt.flag, databaseEnv, tt.env, got, tt.want)
			}
		})
	}

	// The data directory is only checked when it is used.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(databaseEnv, "")
	if _, err := databaseLocation("", file); err == nil {
		t.Error("a data directory that is a file was accepted")
	}
	if _, err := databaseLocation("x.db", file); err != nil {
		t.Errorf("--database given, yet the unused data directory was checked: %v", err)
	}
}
