package cli

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

func TestMigrateData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imprint.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := demo.Load(t.Context(), st)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	url := pgtest.SchemaURL(t)

	code, out, errOut := run(t, "", "migrate-data", "--from", "sqlite://"+path, "--to", url)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "counts and digests match") {
		t.Errorf("output lacks the verification line:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "publications" && f[1] != strconv.Itoa(stats.Publications) {
			t.Errorf("publications row count %s, want %d", f[1], stats.Publications)
		}
	}
	// A second run into the same database is refused.
	if code, _, errOut := run(t, "", "migrate-data", "--from", path, "--to", url); code == 0 || !strings.Contains(errOut, "empty") {
		t.Errorf("second copy: exit %d, %s; want a refusal naming an empty database", code, errOut)
	}
}

func TestMigrateDataBadArguments(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--to", "postgres://localhost/x"}, "both --from and --to"},
		{[]string{"--from", filepath.Join(dir, "missing.db"), "--to", "postgres://localhost/x"}, "missing.db"},
		{[]string{"--from", filepath.Join(dir, "a.db"), "--to", filepath.Join(dir, "b.db")}, "must be a postgres:// URL"},
		{[]string{"--from", "mysql://x", "--to", "postgres://localhost/x"}, "unknown scheme"},
	} {
		code, _, errOut := run(t, "", append([]string{"migrate-data"}, tt.args...)...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want an error containing %q", tt.args, code, errOut, tt.want)
		}
	}
}
