package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/storeopen"
)

func demoRun(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runDemo(t.Context(), Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, args)
	return out.String(), errOut.String(), err
}

var generatedRE = regexp.MustCompile(`^generated (\d+) publications \((\d+) already there\), (\d+) people, (\d+) topics, (\d+) regions in [0-9.]+m?s \(\d+ publications/s\); ranked (\d+) related lists in [0-9.]+m?s\n$`)

func TestDemoGenerate(t *testing.T) {
	data := t.TempDir()
	out, errOut, err := demoRun(t, "generate", "--count", "250", "--seed", "3", "--data", data)
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, errOut)
	}
	m := generatedRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output %q does not report counts and time", out)
	}
	if m[1] != "250" || m[2] != "0" || m[3] != "12" || m[4] != "11" || m[5] != "11" || m[6] != "250" {
		t.Errorf("counts %v, want 250 publications, 0 there, 12 people, 11 topics, 11 regions, 250 lists", m[1:])
	}
	if !strings.Contains(errOut, "250 of 250 publications") {
		t.Errorf("no progress on standard error: %q", errOut)
	}

	st, err := storeopen.Open(t.Context(), filepath.Join(data, databaseFile))
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.ListPublications(t.Context(), store.PublicationQuery{Limit: 1})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	if page.Total != 250 {
		t.Errorf("database holds %d publications, want 250", page.Total)
	}
	// Pages read their lists; nothing is ranked on a reader's request.
	entries, found, err := st.RelatedList(t.Context(), page.Items[0].ID)
	st.Close()
	if err != nil || !found || len(entries) == 0 {
		t.Errorf("stored related list of %s: %v entries, found %v, error %v", page.Items[0].Slug, len(entries), found, err)
	}

	// The same seed again adds nothing; more of it adds the rest.
	out, _, err = demoRun(t, "generate", "--count", "300", "--seed", "3", "--data", data, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	if m := generatedRE.FindStringSubmatch(out); m == nil || m[1] != "50" || m[2] != "250" || m[3] != "0" || m[6] != "300" {
		t.Errorf("second run: %q, want 50 new and 250 already there, no new people, 300 lists", out)
	}
}

func TestDemoUsage(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr error
		stderr  string
	}{
		{nil, errUsage, "Usage: imprint demo generate"},
		{[]string{"-h"}, nil, "Usage: imprint demo generate"},
		{[]string{"frobnicate"}, errUsage, `unknown subcommand "frobnicate"`},
		{[]string{"generate"}, errUsage, "--count 0: want 1 to"},
		{[]string{"generate", "--count", "-5"}, errUsage, "--count -5"},
		{[]string{"generate", "--count", "ten"}, errUsage, "invalid value"},
		{[]string{"generate", "--count", "5", "extra"}, errUsage, `unexpected argument "extra"`},
		{[]string{"generate", "-h"}, flag.ErrHelp, "-seed"},
	}
	for _, tt := range tests {
		_, errOut, err := demoRun(t, tt.args...)
		if !errors.Is(err, tt.wantErr) && !(tt.wantErr == nil && err == nil) {
			t.Errorf("%q: error %v, want %v", tt.args, err, tt.wantErr)
		}
		if !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%q: stderr %q lacks %q", tt.args, errOut, tt.stderr)
		}
	}
}

func TestDemoGenerateBadDatabase(t *testing.T) {
	_, _, err := demoRun(t, "generate", "--count", "5", "--database", "mysql://nowhere/db")
	if err == nil || !strings.Contains(err.Error(), "mysql") {
		t.Errorf("error %v, want one naming the unknown database scheme", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errOut bytes.Buffer
	err = runDemo(ctx, Stdio{Out: &out, Err: &errOut}, []string{"generate", "--count", "5", "--data", t.TempDir()})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}
