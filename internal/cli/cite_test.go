package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/cslstyles"
)

// run executes the command line with stdin and returns its exit status and
// output streams.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "cite", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// library formats items the way imprint cite should: the bundled style,
// its loaders, one line per entry or citation. Whether the processor's
// output is right is csl's concern (csl/refs_test.go compares it with
// citeproc-js); this checks that the command wires it up faithfully.
func library(t *testing.T, styleID, locale, mode string, f csl.Format, itemsJSON string) string {
	t.Helper()
	data, err := cslstyles.Style(styleID)
	if err != nil {
		t.Fatal(err)
	}
	st, err := csl.ParseStyle(data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := csl.NewProcessor(st, csl.Options{Locale: locale, LoadLocale: cslstyles.Locale, LoadStyle: cslstyles.Style})
	if err != nil {
		t.Fatal(err)
	}
	items, err := csl.ParseItems([]byte(itemsJSON))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	if mode == "citation" {
		lines, err = p.CiteEach(items, f)
	} else {
		var bib *csl.Bibliography
		bib, err = p.Bibliography(items, f)
		if err == nil && f == csl.HTML {
			return bib.HTML() + "\n"
		}
		if bib != nil {
			for _, e := range bib.Entries {
				lines = append(lines, e.Text)
			}
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestCiteMatchesLibrary(t *testing.T) {
	items := readTestdata(t, "three.json")
	tests := []struct {
		args                []string
		style, locale, mode string
		format              csl.Format
	}{
		{[]string{"--style", "apa"}, "apa", "", "bibliography", csl.Text},
		{[]string{"--style", "apa", "--mode", "citation"}, "apa", "", "citation", csl.Text},
		{[]string{"--style", "ieee", "--format", "html"}, "ieee", "", "bibliography", csl.HTML},
		{[]string{"--style", "chicago-notes-bibliography", "--mode", "citation", "--format", "html"}, "chicago-notes-bibliography", "", "citation", csl.HTML},
		// Renamed ids and style URLs reach the same style.
		{[]string{"--style", "chicago-fullnote-bibliography", "--mode", "citation"}, "chicago-notes-bibliography", "", "citation", csl.Text},
		{[]string{"--style", "http://www.zotero.org/styles/nature"}, "nature", "", "bibliography", csl.Text},
		// --locale overrides the style's default-locale.
		{[]string{"--style", "apa", "--locale", "de-DE"}, "apa", "de-DE", "bibliography", csl.Text},
		{[]string{"--style", "nature", "--locale", "en-US"}, "nature", "en-US", "bibliography", csl.Text},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, items, append([]string{"cite"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if want := library(t, tt.style, tt.locale, tt.mode, tt.format, items); out != want {
				t.Errorf("output differs from the library's\n got:\n%s\nwant:\n%s", out, want)
			}
			if tt.format == csl.Text {
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if len(lines) != 3 {
					t.Fatalf("%d lines for 3 items:\n%s", len(lines), out)
				}
				// Citations keep input order.
				for i, name := range []string{"Feldstein", "Kramer", "Todrank"} {
					if tt.mode == "citation" && !strings.Contains(lines[i], name) {
						t.Errorf("citation %d does not name %s: %q", i+1, name, lines[i])
					}
				}
			}
		})
	}
	// The locale must reach the processor: APA's "Eds." is German "Hrsg.".
	_, en, _ := run(t, items, "cite")
	_, de, _ := run(t, items, "cite", "--locale", "de-DE")
	if en == de {
		t.Errorf("--locale de-DE changed nothing:\n%s", de)
	}
}

func TestCiteInputs(t *testing.T) {
	items := readTestdata(t, "three.json")
	want := library(t, "apa", "", "bibliography", csl.Text, items)
	for _, args := range [][]string{
		{"cite"},      // apa, bibliography, text, stdin
		{"cite", "-"}, // stdin named
		{"cite", "testdata/cite/three.json"},
		{"cite", "--format", "text", "--mode", "bibliography", "--style", "apa.csl", "testdata/cite/three.json"},
	} {
		code, out, errOut := run(t, items, args...)
		if code != 0 || out != want {
			t.Errorf("%q: exit %d, stderr %q\n got: %q\nwant: %q", args, code, errOut, out, want)
		}
	}
	// Flags after the file name.
	code, out, _ := run(t, "", "cite", "testdata/cite/three.json", "--style", "ieee", "--mode", "citation")
	if want := library(t, "ieee", "", "citation", csl.Text, items); code != 0 || out != want {
		t.Errorf("flags after FILE: exit %d, output %q, want %q", code, out, want)
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
	recursive := filepath.Join(dir, "recursive.csl")
	os.WriteFile(recursive, []byte(`<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>x</title><id>x</id></info>
<macro name="a"><text macro="b"/></macro>
<macro name="b"><text macro="a"/></macro>
<citation><layout><text macro="a"/></layout></citation>
</style>`), 0o644)
	badLocale := filepath.Join(dir, "badlocale.csl")
	os.WriteFile(badLocale, []byte(`<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>x</title><id>x</id></info>
<locale xml:lang="en"><terms><term form="short">ed.</term></terms></locale>
<citation><layout><text term="editor"/></layout></citation>
</style>`), 0o644)
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
		{"recursive macros", valid, []string{"cite", "--style", recursive, "--mode", "citation"}, 1, []string{"recursive.csl", "line"}},
		{"malformed style locale", valid, []string{"cite", "--style", badLocale, "--mode", "citation"}, 1, []string{"badlocale.csl", "line 3"}},
		{"item not an object", `[1]`, []string{"cite"}, 1, []string{"item 0"}},
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
	// Standard input that never ends: only the interrupt can stop the
	// command.
	stdin, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- Run(ctx, []string{"cite"}, Stdio{In: stdin, Out: &out, Err: &errb}) }()
	select {
	case code := <-done:
		if code != 1 || !strings.Contains(errb.String(), "interrupted") {
			t.Errorf("exit %d, stderr %q; want 1 and an interrupted message", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("imprint cite did not stop when interrupted while reading standard input")
	}
}

// FuzzCite feeds arbitrary input to imprint cite: whatever it is, the
// command must answer with output or an error, never a crash.
// go test ./internal/cli -run '^$' -fuzz FuzzCite -fuzztime 1m
func FuzzCite(f *testing.F) {
	three, err := os.ReadFile("testdata/cite/three.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(three), "apa", false)
	f.Add(`[{"id":"a","type":"book","issued":{"date-parts":[[2020,13,40]]},"author":[{"literal":""}]}]`, "ieee", true)
	f.Add(`[{"id":"a","type":"chapter","page":"x-","title":"<i>a</b>","edition":"2nd"}]`, "chicago-notes-bibliography", true)
	f.Fuzz(func(t *testing.T, input, style string, citation bool) {
		if style != "apa" && style != "ieee" && style != "chicago-notes-bibliography" {
			style = "apa"
		}
		mode := "bibliography"
		if citation {
			mode = "citation"
		}
		// A hang is a failure too: interrupt after a generous delay.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var out, errb bytes.Buffer
		code := Run(ctx, []string{"cite", "--style", style, "--mode", mode}, Stdio{In: strings.NewReader(input), Out: &out, Err: &errb})
		errOut := errb.String()
		if strings.Contains(errOut, "interrupted") {
			t.Fatalf("no answer within 5s for input %q", input)
		}
		if code != 0 && code != 1 {
			t.Errorf("exit %d: %s", code, errOut)
		}
		if strings.Contains(errOut, "internal error") {
			t.Errorf("processor failed: %s", errOut)
		}
	})
}
