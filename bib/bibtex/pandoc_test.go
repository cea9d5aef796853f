package bibtex

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/imprintpub/imprint/csl"
)

// pandocSources are the five public .bib files of the development set, in
// the order they were merged; testdata/pandoc/README gives their origin.
var pandocExamples = flag.Int("pandoc-examples", 3, "differences to show per field in TestPandocAgreement")

var pandocSources = []string{"glottolog-gj.bib", "glottolog-bibliolux.bib", "biblatex-apa-test-references.bib",
	"gbt7714-examples.bib", "biblatex-gost-examples.bib"}

func readGzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// comparedFields are the parts of an item the agreement is measured on.
var comparedFields = []string{"type", "title", "author", "editor", "issued", "container-title", "volume", "issue", "page", "DOI"}

// norm renders one compared field of an item in a form that ignores what
// does not matter for agreement: markup, case (pandoc sentence-cases
// English titles), dash style and blanks.
func norm(it csl.Item, field string) string {
	switch field {
	case "type":
		return it.Type
	case "author", "editor":
		var parts []string
		for _, n := range it.Names[field] {
			fam := strings.Join(strings.Fields(n.DroppingParticle+" "+n.NonDroppingParticle+" "+n.Family), " ")
			parts = append(parts, foldText(fam+"|"+n.Given+"|"+n.Literal))
		}
		return strings.Join(parts, "; ")
	case "issued":
		d, ok := it.Dates["issued"]
		if !ok || len(d.Parts) == 0 || len(d.Parts[0]) == 0 {
			if d.Literal != "" {
				return foldText(d.Literal)
			}
			return ""
		}
		return strconv.Itoa(d.Parts[0][0])
	case "page":
		return strings.NewReplacer("–", "-", "—", "-", " ", "", "’", "'").Replace(it.Vars[field])
	}
	return foldText(it.Vars[field])
}

func foldText(s string) string {
	s = stripTags(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u00a0' || r == '\u2009' || r == '\u202f':
			return ' '
		case r == '’' || r == '‘' || r == '“' || r == '”' || r == '"':
			return '\'' // quote style is presentation: pandoc writes ‘…’ as “…”
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// knownDifference explains a difference between our reading and pandoc's
// that is pandoc's (version 2.17, the one that made the reference set), or
// a deliberate choice of ours. It returns the reason, or "" when the
// difference is unexplained.
func knownDifference(field, ours, theirs string, bibType string, e *Entry) string {
	switch {
	case bibType == "periodical":
		return "pandoc reads @periodical as an article in the periodical; CSL 1.0.2 has a periodical type"
	case field == "issued" && theirs == "" && ours != "":
		if y, ok := e.Get("year"); ok {
			if _, err := strconv.Atoi(strings.TrimSpace(y)); err != nil {
				return "pandoc drops years that are not numbers (\"to appear\", \"1994-2000\"); we keep them as literal dates or ranges"
			}
		}
	case field == "type" && (ours == "standard" && theirs == "legislation" || ours == "software" && theirs == "book"):
		return "pandoc 2.17 predates CSL 1.0.2's standard and software types"
	case field == "title" && strings.HasPrefix(theirs, ours+": ") && e != nil && hasFields(e, "maintitle", "subtitle"):
		return "pandoc appends a volume's subtitle to the title of the multi-volume work"
	case field == "title" && strings.HasPrefix(bibType, "supp"):
		return "pandoc does not apply inheritance to @suppbook and @suppcollection"
	case field == "container-title" && theirs == "" && ours != "" && (bibType == "conference" || strings.HasPrefix(bibType, "supp")):
		return "pandoc neither types @conference nor applies inheritance to @suppbook and @suppcollection"
	case field == "issue" && theirs == "" && ours != "":
		if _, hasNumber := e.Get("number"); !hasNumber {
			if _, hasIssue := e.Get("issue"); hasIssue {
				return "pandoc drops BibLaTeX's issue field when there is no number"
			}
		}
	case (field == "author" || field == "editor") && theirs != "" && strings.ReplaceAll(theirs, "||", "") != theirs:
		// "3. А. Кузичевой": BibTeX puts a caseless first word among the
		// first names; pandoc makes the whole name the family name.
		if f, g, ok := strings.Cut(ours, "|"); ok && strings.TrimSuffix(g, "|")+" "+f+"||" == theirs {
			return "a caseless first word is a first name in BibTeX; pandoc makes it part of the family name"
		}
	}
	if field == "title" || field == "container-title" {
		han := func(s string) string {
			var kept []string
			for _, w := range strings.Fields(strings.Map(func(r rune) rune {
				if unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef {
					return ' '
				}
				return r
			}, s)) {
				if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
					kept = append(kept, w)
				}
			}
			return strings.Join(kept, " ")
		}
		if ours != theirs && han(ours) == han(theirs) {
			return "pandoc drops \\zh{…} (the Chinese characters of Glottolog titles)"
		}
		noSpace := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if noSpace(ours) == noSpace(theirs) {
			return "pandoc drops \\quad between words"
		}
	}
	return ""
}

// TestPandocAgreement reads the five .bib files and compares every item with
// pandoc 2.17's reading of the same entries (the development reference
// set) on type, title, author and editor names, issued year, container
// title, volume, issue, page and DOI. An item agrees when all of these do,
// or when every difference is a known one (knownDifference). The test fails
// below the agreement floors; -v prints the per-field table.
func TestPandocAgreement(t *testing.T) {
	var ref []csl.Item
	if err := json.Unmarshal(readGzip(t, filepath.Join("testdata", "pandoc", "pandoc-dev-refs.json.gz")), &ref); err != nil {
		t.Fatal(err)
	}
	ours := map[string]csl.Item{}
	entries := map[string]*Entry{}
	for _, name := range pandocSources {
		data := readGzip(t, filepath.Join("testdata", "pandoc", name+".gz"))
		items, err := Parse(context.Background(), bytes.NewReader(data), &Options{File: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, it := range items {
			ours[it.ID] = it
		}
		es, err := ParseEntries(context.Background(), bytes.NewReader(data), &Options{File: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range es {
			entries[es[i].Key] = &es[i]
		}
	}
	diffs := map[string]int{}
	reasons := map[string]int{}
	examples := map[string][]string{}
	exact, explained, missing := 0, 0, 0
	for _, want := range ref {
		got, ok := ours[want.ID]
		if !ok {
			missing++
			t.Errorf("missing item %q", want.ID)
			continue
		}
		e := entries[want.ID]
		same, unexplained := true, false
		for _, f := range comparedFields {
			g, w := norm(got, f), norm(want, f)
			if f == "type" && w == "document" {
				continue // pandoc 2.17 leaves many BibLaTeX types untyped
			}
			if g == w {
				continue
			}
			same = false
			if r := knownDifference(f, g, w, e.Type, e); r != "" {
				reasons[r]++
				continue
			}
			unexplained = true
			diffs[f]++
			if len(examples[f]) < *pandocExamples {
				examples[f] = append(examples[f], fmt.Sprintf("%s: ours %q, pandoc %q", want.ID, g, w))
			}
		}
		if same {
			exact++
		}
		if !unexplained {
			explained++
		}
	}
	n := float64(len(ref))
	pctExact, pct := 100*float64(exact)/n, 100*float64(explained)/n
	t.Logf("agreement with pandoc: %d of %d items identical (%.1f%%); %d (%.1f%%) counting known pandoc differences; %d missing",
		exact, len(ref), pctExact, explained, pct, missing)
	for _, r := range sortedKeys(reasons) {
		t.Logf("  known: %4d × %s", reasons[r], r)
	}
	for _, f := range sortedKeys(diffs) {
		t.Logf("  unexplained %-16s %4d", f, diffs[f])
		for _, e := range examples[f] {
			t.Logf("      %s", e)
		}
	}
	if pct < agreementFloor {
		t.Errorf("agreement %.1f%% is below the floor of %.1f%%", pct, agreementFloor)
	}
	if pctExact < exactFloor {
		t.Errorf("identical items %.1f%% below the floor of %.1f%%", pctExact, exactFloor)
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// agreementFloor and exactFloor are the measured agreements, rounded down;
// raise them when the reader improves.
const (
	agreementFloor = 99.8
	exactFloor     = 94.8
)

// BenchmarkParseReal parses the five real-world files (1.3 MB of BibTeX
// and BibLaTeX) to CSL items; the MB/s figure is the reader's throughput.
func BenchmarkParseReal(b *testing.B) {
	var files [][]byte
	total := 0
	for _, name := range pandocSources {
		data := readGzip(b, filepath.Join("testdata", "pandoc", name+".gz"))
		files = append(files, data)
		total += len(data)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			if _, err := Parse(context.Background(), bytes.NewReader(data), nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func hasFields(e *Entry, names ...string) bool {
	for _, n := range names {
		if _, ok := e.Get(n); !ok {
			return false
		}
	}
	return true
}

// TestPandocWritten reads what pandoc writes as BibTeX and BibLaTeX for 300
// real items and compares the result with the CSL-JSON items pandoc wrote
// them from: our reader must take in another tool's output with the
// compared fields intact.
func TestPandocWritten(t *testing.T) {
	var ref []csl.Item
	if err := json.Unmarshal(readGzip(t, filepath.Join("testdata", "pandoc", "pandoc-dev-refs.json.gz")), &ref); err != nil {
		t.Fatal(err)
	}
	byID := map[string]csl.Item{}
	for _, it := range ref {
		byID[it.ID] = it
	}
	for _, flavor := range []string{"biblatex", "bibtex"} {
		t.Run(flavor, func(t *testing.T) {
			name := "pandoc-written-300." + flavor + ".bib"
			items, err := Parse(context.Background(), bytes.NewReader(readGzip(t, filepath.Join("testdata", "pandoc", name+".gz"))), &Options{File: name})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 300 {
				t.Fatalf("got %d items, want 300", len(items))
			}
			agree := 0
			diffs := map[string]int{}
			for _, got := range items {
				want, ok := byID[got.ID]
				if !ok {
					t.Errorf("item %q is not in the reference set", got.ID)
					continue
				}
				same := true
				for _, f := range comparedFields {
					if f == "type" {
						continue // BibTeX has fewer types than CSL: pandoc maps many to @misc
					}
					if g, w := norm(got, f), norm(want, f); g != w {
						same = false
						diffs[f]++
						if diffs[f] <= *pandocExamples {
							t.Logf("%s %s: ours %q, source %q", got.ID, f, g, w)
						}
					}
				}
				if same {
					agree++
				}
			}
			t.Logf("%s: %d of 300 items intact; differences per field: %v", flavor, agree, diffs)
			if floor := writtenFloor[flavor]; agree < floor {
				t.Errorf("%d items intact, below the floor of %d", agree, floor)
			}
		})
	}
}

// writtenFloor is the measured number of intact items per flavour. The
// rest are pandoc 2.17's writer's doing: literal names written without
// protecting braces ("author = {ISO}", read by every BibTeX tool as a
// family name), suffixes glued to the family name ("King Jr., M. L."),
// maintitle left out for chapters of multi-volume works, and DOIs left out
// of the BibTeX flavour.
var writtenFloor = map[string]int{"biblatex": 276, "bibtex": 269}
