package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/bib/csljson"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/storeopen"
)

// summaryRE reads the summary line of one imported file.
var summaryRE = regexp.MustCompile(`(\d+) created, (\d+) updated, (\d+) unchanged, (\d+) skipped; (\d+) people created`)

func summaryOf(t *testing.T, out string) []string {
	t.Helper()
	m := summaryRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary in output:\n%s", out)
	}
	return m[1:]
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func exportCount(t *testing.T, data string, args ...string) int {
	t.Helper()
	code, out, errOut := run(t, "", append([]string{"export", "--format", "csljson", "--data", data}, args...)...)
	if code != 0 {
		t.Fatalf("export %v: exit %d: %s", args, code, errOut)
	}
	items, err := csljson.Parse(context.Background(), strings.NewReader(out), nil)
	if err != nil {
		t.Fatalf("export output: %v\n%s", err, out)
	}
	return len(items)
}

// ethnologyBib shares no work with testdata/import/zotero.ris.
const ethnologyBib = `@book{malinowski1922,
  author = {Malinowski, Bronis{\l}aw},
  title = {Argonauts of the {Western Pacific}},
  publisher = {Routledge}, address = {London}, year = 1922,
}
@incollection{mead1928,
  author = {Mead, Margaret}, editor = {Boas, Franz},
  title = {Coming of Age in {Samoa}}, booktitle = {Studies in Culture},
  pages = {1--24}, year = 1928,
}
`

func TestImportCommand(t *testing.T) {
	data := t.TempDir()
	bibFile := writeFile(t, t.TempDir(), "refs.bib", ethnologyBib)
	risFile := filepath.Join("testdata", "import", "zotero.ris")

	// A dry run reports and writes nothing.
	code, out, errOut := run(t, "", "import", "--dry-run", "--data", data, bibFile, risFile)
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "dry run: nothing written") || summaryOf(t, out)[0] != "2" {
		t.Errorf("dry run output:\n%s", out)
	}
	if n := exportCount(t, data, "--drafts"); n != 0 {
		t.Fatalf("dry run wrote %d publications", n)
	}

	code, out, errOut = run(t, "", "import", "--data", data, bibFile, risFile)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	created := exportCount(t, data, "--drafts")
	if created < 3 || !strings.Contains(out, "refs.bib: 2 created") {
		t.Fatalf("import created %d publications:\n%s", created, out)
	}
	// New publications are drafts: nothing is exported without --drafts.
	if n := exportCount(t, data); n != 0 {
		t.Errorf("%d published after an import without --publish", n)
	}

	code, out, errOut = run(t, "", "import", "--data", data, bibFile, risFile)
	if code != 0 {
		t.Fatalf("second import: exit %d: %s", code, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if s := summaryRE.FindStringSubmatch(line); s != nil && (s[1] != "0" || s[2] != "0" || s[5] != "0") {
			t.Errorf("second import changed something: %s", line)
		}
	}
	if n := exportCount(t, data, "--drafts"); n != created {
		t.Errorf("second import: %d publications, want %d", n, created)
	}
}

func TestImportBadEntry(t *testing.T) {
	data := t.TempDir()
	bad := writeFile(t, t.TempDir(), "bad.bib", convertBib+`
@article{broken, title = {A DOI that is not one}, year = 2020, doi = {see the publisher}}
`)
	code, out, errOut := run(t, "", "import", "--data", data, bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1; out:\n%s", code, out)
	}
	for _, want := range []string{"bad.bib", `entry "broken"`, `field "DOI"`, "nothing imported"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("error output does not mention %q:\n%s", want, errOut)
		}
	}
	if n := exportCount(t, data, "--drafts"); n != 0 {
		t.Fatalf("failed import wrote %d publications", n)
	}
	code, out, errOut = run(t, "", "import", "--skip-invalid", "--publish", "--data", data, bad)
	if code != 0 {
		t.Fatalf("--skip-invalid: exit %d: %s", code, errOut)
	}
	if s := summaryOf(t, out); s[0] != "2" || s[3] != "1" || !strings.Contains(out, `bad.bib: item 2: entry "broken": field "DOI"`) {
		t.Errorf("--skip-invalid output:\n%s", out)
	}
	if n := exportCount(t, data); n != 2 {
		t.Errorf("--publish: %d published, want 2", n)
	}
}

func TestExportRoundTrip(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	if code, _, errOut := run(t, "", "import", "--publish", "--data", data, writeFile(t, dir, "refs.bib", convertBib), filepath.Join("testdata", "import", "zotero.ris")); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	for _, format := range []string{"csljson", "biblatex", "bibtex", "ris"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(dir, "export."+format)
			if code, _, errOut := run(t, "", "export", "--format", format, "--out", out, "--data", data); code != 0 {
				t.Fatalf("export: %s", errOut)
			}
			code, stdout, errOut := run(t, "", "import", "--data", data, out)
			if code != 0 {
				t.Fatalf("re-import: %s", errOut)
			}
			s := summaryOf(t, stdout)
			if s[0] != "0" || s[1] != "0" || s[4] != "0" || s[2] == "0" {
				t.Errorf("re-import of the %s export: %s", format, stdout)
			}
		})
	}
}

func TestExportFilters(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	st, err := storeopen.Open(ctx, filepath.Join(data, databaseFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, topic := range []*model.Topic{{Slug: "chemistry", Name: "Chemistry"}, {Slug: "ethnology", Name: "Ethnology"}} {
		if err := st.CreateTopic(ctx, topic); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	dir := t.TempDir()
	risFile := filepath.Join("testdata", "import", "zotero.ris")
	if code, _, errOut := run(t, "", "import", "--publish", "--topic", "chemistry", "--data", data, risFile); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if code, _, errOut := run(t, "", "import", "--publish", "--topic", "ethnology", "--data", data, writeFile(t, dir, "refs.bib", ethnologyBib)); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	all := exportCount(t, data)
	chem := exportCount(t, data, "--topic", "chemistry")
	ethno := exportCount(t, data, "--topic", "ethnology")
	if ethno != 2 || chem < 2 || chem+ethno != all {
		t.Errorf("all %d, chemistry %d, ethnology %d", all, chem, ethno)
	}
	// Franz Boas edited one of them.
	if n := exportCount(t, data, "--expert", "franz-boas"); n != 1 {
		t.Errorf("--expert franz-boas: %d publications, want 1", n)
	}
	if n := exportCount(t, data, "--expert", "franz-boas", "--topic", "chemistry"); n != 0 {
		t.Errorf("--expert franz-boas --topic chemistry: %d publications, want 0", n)
	}
	if code, _, errOut := run(t, "", "export", "--format", "ris", "--expert", "nobody", "--data", data); code != 1 || !strings.Contains(errOut, "nobody") {
		t.Errorf("--expert nobody: exit %d: %s", code, errOut)
	}
}

func TestCiteReadsBibTeXAndRIS(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{writeFile(t, dir, "refs.bib", convertBib), filepath.Join("testdata", "import", "zotero.ris")} {
		t.Run(filepath.Ext(f), func(t *testing.T) {
			code, out, errOut := run(t, "", "cite", "--style", "apa", f)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, "Sigfridsson, E., & Ryde, U. (1998)") {
				t.Errorf("bibliography:\n%s", out)
			}
		})
	}
	// From standard input the content tells the format.
	if code, out, errOut := run(t, convertBib, "cite", "--style", "apa"); code != 0 || !strings.Contains(out, "van Gennep") {
		t.Errorf("cite from standard input: exit %d: %s%s", code, out, errOut)
	}
}

// An import that publishes refreshes the stored "More on This Topic"
// lists, so that the new publications appear beside each other at once.
func TestImportRefreshesRelatedLists(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	st, err := storeopen.Open(ctx, filepath.Join(data, databaseFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateTopic(ctx, &model.Topic{Slug: "ethnology", Name: "Ethnology"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, _, errOut := run(t, "", "import", "--publish", "--topic", "ethnology", "--data", data, writeFile(t, t.TempDir(), "refs.bib", ethnologyBib)); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	st, err = storeopen.Open(ctx, filepath.Join(data, databaseFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.ListPublications(ctx, store.PublicationQuery{Status: model.StatusPublished})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("%v publications, %v; want 2", page, err)
	}
	for i, p := range page.Items {
		list, ok, err := st.RelatedList(ctx, p.ID)
		if err != nil || !ok {
			t.Fatalf("%s: no stored list (%v)", p.Slug, err)
		}
		other := page.Items[1-i].ID
		if len(list) != 1 || list[0].ID != other {
			t.Errorf("%s: stored list %+v, want the other import (%d)", p.Slug, list, other)
		}
	}
}
