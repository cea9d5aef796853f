package bibtex

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/imprintpub/imprint/csl"
)

const examplesFile = "testdata/biblatex/biblatex-examples.bib"

func parseFile(t *testing.T, path string) []csl.Item {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := Parse(context.Background(), f, &Options{File: path})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return items
}

// TestRoundTrip writes parsed items and reads them back: every item must
// come back equal, in both flavours.
func TestRoundTrip(t *testing.T) {
	items := parseFile(t, examplesFile)
	for _, tc := range []struct {
		name    string
		flavor  Flavor
		protect bool
	}{{"biblatex", BibLaTeX, false}, {"bibtex", BibTeX, false}, {"biblatex-protected", BibLaTeX, true}, {"bibtex-protected", BibTeX, true}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, items, &WriteOptions{Flavor: tc.flavor, ProtectCase: tc.protect}); err != nil {
				t.Fatal(err)
			}
			if tc.flavor == BibTeX {
				if i := strings.IndexFunc(buf.String(), func(r rune) bool { return r >= utf8.RuneSelf }); i >= 0 {
					t.Errorf("BibTeX output is not ASCII at byte %d: %q", i, buf.String()[max(0, i-40):i+10])
				}
			}
			back, err := Parse(context.Background(), bytes.NewReader(buf.Bytes()), &Options{File: tc.name + ".bib"})
			if err != nil {
				t.Fatalf("reading our own output: %v", err)
			}
			if len(back) != len(items) {
				t.Fatalf("got %d items back, want %d", len(back), len(items))
			}
			for i := range items {
				want := items[i]
				if tc.flavor == BibTeX {
					want = bibtexExpressible(want)
				}
				if tc.protect {
					want = protected(want, back[i])
				}
				if !reflect.DeepEqual(back[i], want) {
					g, _ := json.Marshal(back[i])
					w, _ := json.Marshal(want)
					t.Errorf("item %q changed:\n got %s\nwant %s", want.ID, g, w)
				}
			}
		})
	}
}

// bibtexExpressible drops what the classic BibTeX types cannot carry: their
// misc stands for every newer type.
func bibtexExpressible(it csl.Item) csl.Item {
	if it.Type == "periodical" && it.Vars["issue"] != "" {
		// A periodical's issue is written as BibTeX's number of the @misc.
		vars := map[string]string{}
		for k, v := range it.Vars {
			vars[k] = v
		}
		vars["number"] = vars["issue"]
		delete(vars, "issue")
		it.Vars = vars
	}
	switch typeFromCSL[it.Type][1] {
	case "misc":
		it.Type = "document"
	case "incollection":
		it.Type = "chapter"
	}
	return it
}

// protected returns want with each variable that came back differing from
// it only by nocase spans around single words — the writer's deliberate
// protection of capitals (protectCase) — replaced by what came back: the
// only change a round trip may make to the text. (Inside \emph{…} our
// reader takes BibTeX's braces as no protection, so the spans that come
// back can be fewer than protectCase added.)
func protected(want, back csl.Item) csl.Item {
	vars := make(map[string]string, len(want.Vars))
	for k, v := range want.Vars {
		if b := back.Vars[k]; b != v && wordSpans.ReplaceAllString(b, "$1") == wordSpans.ReplaceAllString(v, "$1") {
			v = b
		}
		vars[k] = v
	}
	want.Vars = vars
	return want
}

var wordSpans = regexp.MustCompile(`<span class="nocase">([^\s<]*)</span>`)
