package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the command line with stdin and returns its exit status and
// output streams.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "cite", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCiteMatchesCiteproc compares imprint cite with the output of the
// reference implementation for the same items.
func TestCiteMatchesCiteproc(t *testing.T) {
	tests := []struct {
		style, mode, golden string
	}{
		{"apa", "bibliography", "three.apa.txt"},
		{"apa", "citation", "three.apa.cite.txt"},
		{"ieee", "bibliography", "three.ieee.txt"},
		{"ieee", "citation", "three.ieee.cite.txt"},
		{"chicago-notes-bibliography", "bibliography", "three.chicago-notes-bibliography.txt"},
		{"chicago-notes-bibliography", "citation", "three.chicago-notes-bibliography.cite.txt"},
		// The old id of the same style, through renamed-styles.json.
		{"chicago-fullnote-bibliography", "citation", "three.chicago-notes-bibliography.cite.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.style+"/"+tt.mode, func(t *testing.T) {
			code, out, errOut := run(t, "", "cite", "--style", tt.style, "--mode", tt.mode, "testdata/cite/three.json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if want := readGolden(t, tt.golden); out != want {
				t.Errorf("output differs from citeproc-js\n got:\n%s\nwant:\n%s", out, want)
			}
		})
	}
}

func TestCiteDefaultsAndInputs(t *testing.T) {
	items := readGolden(t, "three.json")
	want := readGolden(t, "three.apa.txt")
	for _, args := range [][]string{
		{"cite"},      // apa, bibliography, text, stdin
		{"cite", "-"}, // stdin named
		{"cite", "--format", "text", "--mode", "bibliography", "--style", "http://www.zotero.org/styles/apa"},
	} {
		code, out, errOut := run(t, items, args...)
		if code != 0 || out != want {
			t.Errorf("%q: exit %d, stderr %q\n got: %q\nwant: %q", args, code, errOut, out, want)
		}
	}
	// Flags after the file name.
	code, out, _ := run(t, "", "cite", "testdata/cite/three.json", "--style", "ieee")
	if code != 0 || out != readGolden(t, "three.ieee.txt") {
		t.Errorf("flags after FILE: exit %d, output %q", code, out)
	}
}

func TestCiteDependentStyle(t *testing.T) {
	// vancouver-nlm only names nlm-citation-sequence as its parent.
	_, parent, _ := run(t, "", "cite", "--style", "nlm-citation-sequence", "testdata/cite/three.json")
	code, dep, errOut := run(t, "", "cite", "--style", "vancouver-nlm", "testdata/cite/three.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if dep != parent || strings.Count(dep, "\n") != 3 {
		t.Errorf("dependent style output %q, parent's %q", dep, parent)
	}
}

func TestCiteHTML(t *testing.T) {
	code, out, errOut := run(t, "", "cite", "--format", "html", "testdata/cite/three.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, `<div class="csl-bib-body">`) || !strings.HasSuffix(out, "</div>\n") {
		t.Errorf("not csl-bib-body markup:\n%s", out)
	}
	if n := strings.Count(out, `<div class="csl-entry">`); n != 3 {
		t.Errorf("%d csl-entry divs, want 3:\n%s", n, out)
	}
	// "Physiology & Behavior" must be escaped the way the CSL test suite does.
	if !strings.Contains(out, "Physiology &#38; Behavior") {
		t.Errorf("ampersand not escaped as &#38;:\n%s", out)
	}
}

func TestCiteStyleFile(t *testing.T) {
	dir := t.TempDir()
	style := `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Test</title><id>test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title" text-case="uppercase"/></layout></bibliography>
</style>`
	path := filepath.Join(dir, "mine.csl")
	if err := os.WriteFile(path, []byte(style), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, `[{"id":"a","type":"book","title":"One"},{"id":"b","type":"book","title":"Two"}]`, "cite", "--style", path, "--mode", "citation")
	if code != 0 || out != "One\nTwo\n" {
		t.Errorf("citation: exit %d, out %q, err %q", code, out, errOut)
	}
	code, out, errOut = run(t, `[{"id":"a","type":"book","title":"One"}]`, "cite", "--style", path)
	if code != 0 || out != "ONE\n" {
		t.Errorf("bibliography: exit %d, out %q, err %q", code, out, errOut)
	}
}

func TestCiteErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.csl")
	os.WriteFile(broken, []byte("<style xmlns=\"http://purl.org/net/xbiblio/csl\" version=\"1.0\">\n<info><title>x</title>\n<citation><layout><text variable=\"title\"></layout></citation>\n</style>\n"), 0o644)
	noBib := filepath.Join(dir, "nobib.csl")
	os.WriteFile(noBib, []byte(`<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>x</title><id>x</id></info><citation><layout><text variable="title"/></layout></citation></style>`), 0o644)
	valid := `[{"id":"a","type":"book","title":"One"}]`
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []string // substrings of stderr
	}{
		{"unknown style", valid, []string{"cite", "--style", "chicago-notes-bibliograpy"}, 1,
			[]string{`unknown style "chicago-notes-bibliograpy"`, "did you mean chicago-notes-bibliography"}},
		{"missing style file", valid, []string{"cite", "--style", filepath.Join(dir, "none.csl")}, 1, []string{"none.csl"}},
		{"malformed style", valid, []string{"cite", "--style", broken}, 1, []string{"broken.csl", "line 3"}},
		{"style without bibliography", valid, []string{"cite", "--style", noBib}, 1, []string{"--mode citation"}},
		{"unknown locale", valid, []string{"cite", "--locale", "xx-YY"}, 1, []string{`unknown locale "xx-YY"`, "en-US"}},
		{"JSON syntax", "[\n {\"id\": \"a\",\n  \"title\": }\n]", []string{"cite"}, 1, []string{"standard input:3:"}},
		{"JSON object", `{"id":"a"}`, []string{"cite"}, 1, []string{"want an array"}},
		{"empty input", "", []string{"cite"}, 1, []string{"empty input"}},
		{"bad field", `[{"id":"a","type":"book","title":"x"},{"id":"smith2020","type":"book","author":"Smith"}]`, []string{"cite"}, 1,
			[]string{`"smith2020"`, `"author"`}},
		{"bad date", `[{"id":"d1","type":"book","issued":{"date-parts":"2020"}}]`, []string{"cite"}, 1, []string{`"d1"`, `"issued"`}},
		{"missing input file", "", []string{"cite", filepath.Join(dir, "nope.json")}, 1, []string{"nope.json"}},
		{"two files", "", []string{"cite", "a.json", "b.json"}, 2, []string{"one input file"}},
		{"bad format", valid, []string{"cite", "--format", "rtf"}, 2, []string{`--format "rtf"`}},
		{"bad mode", valid, []string{"cite", "--mode", "notes"}, 2, []string{`--mode "notes"`}},
		{"unknown flag", valid, []string{"cite", "--styel", "apa"}, 2, []string{"styel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stdout %q, stderr %q)", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not mention %q", errOut, w)
				}
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine") {
				t.Errorf("stderr shows a crash: %s", errOut)
			}
		})
	}
}

func TestCiteInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := Run(ctx, []string{"cite", "testdata/cite/three.json"}, Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	// The command either finished before noticing or reports the interrupt;
	// it must not hang.
	if code != 0 && !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
