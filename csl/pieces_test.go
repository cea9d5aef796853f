package csl

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseRawDate(t *testing.T) {
	tests := []struct {
		raw        string
		start, end [3]int
		hasEnd, ok bool
	}{
		{"1965-06-01", [3]int{1965, 6, 1}, [3]int{}, false, true},
		{"1965-06", [3]int{1965, 6, 0}, [3]int{}, false, true},
		{"June 1965", [3]int{1965, 6, 0}, [3]int{}, false, true},
		{"1 June 1965", [3]int{1965, 6, 1}, [3]int{}, false, true},
		{"June 1, 1965", [3]int{1965, 6, 1}, [3]int{}, false, true},
		{"Spring 2000", [3]int{2000, 13, 0}, [3]int{}, false, true},
		{"1999/2001", [3]int{1999, 0, 0}, [3]int{2001, 0, 0}, true, true},
		{"1999-2000", [3]int{1999, 0, 0}, [3]int{2000, 0, 0}, true, true},
		{"not a date", [3]int{}, [3]int{}, false, false},
	}
	for _, tt := range tests {
		got, ok := parseRawDate(tt.raw)
		if ok != tt.ok {
			t.Errorf("parseRawDate(%q) ok = %v, want %v", tt.raw, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if got.start != tt.start || got.hasEnd != tt.hasEnd || (tt.hasEnd && got.end != tt.end) {
			t.Errorf("parseRawDate(%q) = %v–%v (range %v), want %v–%v (range %v)", tt.raw, got.start, got.end, got.hasEnd, tt.start, tt.end, tt.hasEnd)
		}
	}
}

func TestInitializeName(t *testing.T) {
	tests := []struct {
		given, with string
		initialize  bool
		want        string
	}{
		{"John Edward", ". ", true, "J. E."},
		{"John Edward", ".", true, "J.E."},
		{"John Edward", "", true, "JE"},
		{"Jean-Paul", ". ", true, "J.-P."},
		{"Ph. M.E.", ". ", true, "Ph. M. E."},
		{"ME", ".", true, "M."},
		{"M E", ".", false, "M.E."},
		{"John M.E.", ".", false, "John M.E."},
		{"G-ping", "", true, "G"},
	}
	for _, tt := range tests {
		if got := initializeName(tt.given, tt.with, tt.initialize, true); got != tt.want {
			t.Errorf("initializeName(%q, %q, %v) = %q, want %q", tt.given, tt.with, tt.initialize, got, tt.want)
		}
	}
}

func TestParseParticles(t *testing.T) {
	tests := []struct {
		in   Name
		want Name
	}{
		{Name{Family: "van Gogh", Given: "Vincent"}, Name{Family: "Gogh", Given: "Vincent", NonDroppingParticle: "van"}},
		{Name{Family: "Humboldt", Given: "Alexander von"}, Name{Family: "Humboldt", Given: "Alexander", DroppingParticle: "von"}},
		{Name{Family: "Doe", Given: "John, III"}, Name{Family: "Doe", Given: "John", Suffix: "III"}},
		{Name{Family: `"van Happel"`, Given: "Eduard"}, Name{Family: "van Happel", Given: "Eduard"}},
		{Name{Family: "Smith", Given: "John"}, Name{Family: "Smith", Given: "John"}},
	}
	for _, tt := range tests {
		if got := parseParticles(tt.in); got != tt.want {
			t.Errorf("parseParticles(%+v) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestTitleCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"the lord of the rings", "The Lord of the Rings"},
		{"a tale of two cities: a story", "A Tale of Two Cities: A Story"},
		{"out-of-fashion initiatives", "Out-of-Fashion Initiatives"},
		{"DNA and the iPhone", "DNA and the iPhone"},
		{"sight and sound on", "Sight and Sound On"},
	}
	for _, tt := range tests {
		o := leaf(tt.in)
		applyTextCase(o, "title", true)
		if o.text != tt.want {
			t.Errorf("title case of %q = %q, want %q", tt.in, o.text, tt.want)
		}
	}
	// non-English items are left alone
	o := leaf("la vie en rose")
	applyTextCase(o, "title", false)
	if o.text != "la vie en rose" {
		t.Errorf("title case changed a non-English title: %q", o.text)
	}
}

func TestSentenceAndOtherCases(t *testing.T) {
	tests := []struct{ tc, in, want string }{
		{"sentence", "THE LORD OF THE RINGS", "The lord of the rings"},
		{"capitalize-first", "second edition", "Second edition"},
		{"capitalize-first", "2nd edition", "2nd edition"},
		{"capitalize-all", "second revised edition", "Second Revised Edition"},
		{"uppercase", "abc", "ABC"},
		{"lowercase", "ABC", "abc"},
	}
	for _, tt := range tests {
		o := leaf(tt.in)
		applyTextCase(o, tt.tc, true)
		if o.text != tt.want {
			t.Errorf("%s of %q = %q, want %q", tt.tc, tt.in, o.text, tt.want)
		}
	}
}

func TestPageRanges(t *testing.T) {
	tests := []struct{ in, format, want string }{
		{"321-328", "", "321–328"},
		{"321-328", "expanded", "321–328"},
		{"321-28", "expanded", "321–328"},
		{"321-328", "minimal", "321–8"},
		{"321-328", "minimal-two", "321–28"},
		{"101-108", "chicago", "101–8"},
		{"1496-1504", "chicago", "1496–1504"},
		{"71-72", "chicago-16", "71–72"},
		{"42-45, 50-57", "minimal", "42–5, 50–7"},
		{"xxv-xxviii", "", "xxv–xxviii"},
		{"266-290 Neudr. in: Bach", "", "266-290 Neudr. in: Bach"},
		{"12", "minimal", "12"},
	}
	for _, tt := range tests {
		if got := pageRanges(tt.in, tt.format, "–"); got != tt.want {
			t.Errorf("pageRanges(%q, %q) = %q, want %q", tt.in, tt.format, got, tt.want)
		}
	}
}

func TestRoman(t *testing.T) {
	tests := map[int]string{1: "I", 4: "IV", 9: "IX", 14: "XIV", 40: "XL", 1990: "MCMXC", 3999: "MMMCMXCIX", 0: "0", 4000: "4000"}
	for n, want := range tests {
		if got := roman(n); got != want {
			t.Errorf("roman(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestIsNumeric(t *testing.T) {
	tests := map[string]bool{
		"12": true, "2nd": true, "12-15": true, "2, 3": true, "2 & 4": true, "L2d": true,
		"": false, "twelve": false, "12 pages": false, "3-": false,
	}
	for s, want := range tests {
		if got := isNumeric(s); got != want {
			t.Errorf("isNumeric(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestOrdinalSuffix(t *testing.T) {
	loc, err := ParseLocale(mustRead(t, "testdata/locales/locales-en-US.xml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[int]string{1: "st", 2: "nd", 3: "rd", 4: "th", 11: "th", 12: "th", 13: "th", 21: "st", 22: "nd", 101: "st", 111: "th"}
	for n, want := range tests {
		if got := loc.ordinalSuffix(n, ""); got != want {
			t.Errorf("ordinalSuffix(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestYearSuffixLetters(t *testing.T) {
	tests := map[int]string{1: "a", 2: "b", 26: "z", 27: "aa", 28: "ab", 52: "az", 53: "ba"}
	for n, want := range tests {
		if got := yearSuffixLetters(n); got != want {
			t.Errorf("yearSuffixLetters(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseStyleErrors(t *testing.T) {
	const head = `<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><id>x</id><title>x</title></info>`
	tests := []struct {
		name, style string
		wantLine    int
		wantText    string
	}{
		{"recursion", head + "\n<macro name=\"a\"><text macro=\"b\"/></macro>\n<macro name=\"b\">\n<text macro=\"a\"/></macro><citation><layout><text macro=\"a\"/></layout></citation></style>", 0, "calls itself"},
		{"unknown macro", head + "\n<citation><layout>\n<text macro=\"missing\"/></layout></citation></style>", 3, `unknown macro "missing"`},
		{"malformed xml", head + "\n<citation><layout>\n<text variable=\"title\"></layout></citation></style>", 3, "line 3"},
		{"no citation", head + "</style>", 1, "no <citation>"},
		{"bad match", head + "\n<citation><layout><choose>\n<if match=\"some\" type=\"book\"/></choose></layout></citation></style>", 3, "match"},
		{"not a style", `<locale/>`, 1, "root element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStyle([]byte(tt.style))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not mention %q", err, tt.wantText)
			}
			var pe *ParseError
			if tt.wantLine > 0 && errors.As(err, &pe) && pe.Line != tt.wantLine {
				t.Errorf("error line %d, want %d (%v)", pe.Line, tt.wantLine, err)
			}
		})
	}
}

// TestRenderAPI exercises the public entry points on a small style: cites,
// bibliography, both formats, and the error for an unknown cite id.
func TestRenderAPI(t *testing.T) {
	style := `<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><id>t</id><title>T</title></info>
<citation disambiguate-add-year-suffix="true"><layout prefix="(" suffix=")" delimiter="; ">
<group delimiter=" "><names variable="author"><name form="short"/></names><date variable="issued"><date-part name="year"/></date></group>
</layout></citation>
<bibliography><sort><key variable="author"/></sort><layout suffix=".">
<group delimiter=". "><names variable="author"><name name-as-sort-order="all" initialize-with=". "/></names>
<date variable="issued"><date-part name="year"/></date><text variable="title" font-style="italic"/></group>
</layout></bibliography></style>`
	items, err := ParseItems([]byte(`[
 {"id":"a","type":"book","title":"Tom & Jerry","author":[{"family":"Roe","given":"Jane"}],"issued":{"date-parts":[[2001]]}},
 {"id":"b","type":"book","title":"Second","author":[{"family":"Doe","given":"John"}],"issued":{"date-parts":[[2000]]}},
 {"id":"c","type":"book","title":"Third","author":[{"family":"Doe","given":"John"}],"issued":{"date-parts":[[2000]]}}]`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseStyle([]byte(style))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProcessor(s, Options{LoadLocale: testLocaleLoader})
	if err != nil {
		t.Fatal(err)
	}
	cites, bib, err := p.Render(items, []Citation{{Cites: []Cite{{ID: "b"}, {ID: "a"}}}, {Cites: []Cite{{ID: "c"}}}}, HTML)
	if err != nil {
		t.Fatal(err)
	}
	wantCites := []string{"(Doe 2000a; Roe 2001)", "(Doe 2000b)"}
	for i, w := range wantCites {
		if cites[i] != w {
			t.Errorf("cite %d = %q, want %q", i, cites[i], w)
		}
	}
	wantBib := "<div class=\"csl-bib-body\">\n  <div class=\"csl-entry\">Doe, J. 2000a. <i>Second</i>.</div>\n" +
		"  <div class=\"csl-entry\">Doe, J. 2000b. <i>Third</i>.</div>\n  <div class=\"csl-entry\">Roe, J. 2001. <i>Tom &#38; Jerry</i>.</div>\n</div>"
	if got := bib.HTML(); got != wantBib {
		t.Errorf("bibliography:\n%s\nwant:\n%s", got, wantBib)
	}
	text, err := p.Bibliography(items, Text)
	if err != nil {
		t.Fatal(err)
	}
	if got := text.Entries[2].Text; got != "Roe, J. 2001. Tom & Jerry." {
		t.Errorf("text entry = %q", got)
	}
	each, err := p.CiteEach(items, Text)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(each, "|") != "(Roe 2001)|(Doe 2000a)|(Doe 2000b)" {
		t.Errorf("CiteEach = %q", each)
	}
	if _, _, err := p.Render(items, []Citation{{Cites: []Cite{{ID: "zzz"}}}}, Text); err == nil || !strings.Contains(err.Error(), `"zzz"`) {
		t.Errorf("unknown id: err = %v, want one naming the id", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := readFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readFile(path string) ([]byte, error) { return os.ReadFile(path) }

// TestMalformedInputsNeverPanic feeds truncated and mangled styles and items
// through the whole pipeline: every outcome must be a result or an error.
func TestMalformedInputsNeverPanic(t *testing.T) {
	style, err := os.ReadFile("testdata/suite/fullstyles_APA.txt")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseFixture("fullstyles_APA", style)
	if err != nil {
		t.Fatal(err)
	}
	csl := f.sections["CSL"]
	items := []byte(f.sections["INPUT"])
	parsed := 0
	for cut := 0; cut < len(csl); cut += len(csl)/97 + 1 {
		variants := []string{csl[:cut], csl[:cut] + "</style>", strings.Replace(csl, csl[cut:cut+1], "<", 1)}
		for _, v := range variants {
			s, err := ParseStyle([]byte(v))
			if err != nil {
				continue
			}
			parsed++
			p, err := NewProcessor(s, Options{LoadLocale: testLocaleLoader})
			if err != nil {
				continue
			}
			its, err := ParseItems(items)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := p.Render(its, []Citation{{Cites: []Cite{{ID: its[0].ID, Locator: "12-15", Label: "page"}}}}, HTML); err != nil && strings.Contains(err.Error(), "internal error") {
				t.Errorf("cut %d: %v", cut, err)
			}
		}
	}
	if parsed == 0 {
		t.Error("no variant parsed; the test exercises nothing")
	}
	bad := []string{`[{"id":"a","author":"not a list"}]`, `[{"id":"a","issued":{"date-parts":[["x"]]}}]`, `{"id":"a"}`, `[{"id":{}}]`}
	for _, b := range bad {
		if _, err := ParseItems([]byte(b)); err == nil {
			t.Errorf("ParseItems(%s) accepted malformed input", b)
		}
	}
	odd := `[{"id":"a","type":"book","issued":{"date-parts":[[2000,99,99],[0]]},"page":"-","volume":"--",
	  "author":[{"family":"","given":""},{"literal":""}],"title":"<i><b>unclosed","edition":"x-y-z"}]`
	its, err := ParseItems([]byte(odd))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseStyle([]byte(csl))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProcessor(s, Options{LoadLocale: testLocaleLoader})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Bibliography(its, Text); err != nil {
		t.Errorf("odd item: %v", err)
	}
}

// TestProcessorConcurrentUse renders the same document from several
// goroutines with one Processor; every result must equal the serial one
// (run with -race to check for shared mutable state).
func TestProcessorConcurrentUse(t *testing.T) {
	data, err := os.ReadFile("testdata/suite/fullstyles_APA.txt")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseFixture("fullstyles_APA", data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseStyle([]byte(f.sections["CSL"]))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProcessor(s, Options{LoadLocale: testLocaleLoader})
	if err != nil {
		t.Fatal(err)
	}
	items, err := ParseItems([]byte(f.sections["INPUT"]))
	if err != nil {
		t.Fatal(err)
	}
	var cits []Citation
	for i, it := range items {
		cits = append(cits, Citation{Cites: []Cite{{ID: it.ID}}, NoteIndex: i + 1})
	}
	want, wantBib, err := p.Render(items, cits, HTML)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan string, 8)
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- true }()
			got, bib, err := p.Render(items, cits, HTML)
			if err != nil {
				errs <- err.Error()
				return
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") || bib.HTML() != wantBib.HTML() {
				errs <- "concurrent output differs from the serial one"
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestRenderNumbersInFirstCiteOrder checks that a numeric style numbers the
// references of a document in the order they are first cited.
func TestRenderNumbersInFirstCiteOrder(t *testing.T) {
	style := `<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><id>n</id><title>N</title></info>
<citation><layout prefix="[" suffix="]" delimiter=","><text variable="citation-number"/></layout></citation>
<bibliography><layout><text variable="citation-number" suffix=". "/><text variable="title"/></layout></bibliography></style>`
	s, err := ParseStyle([]byte(style))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProcessor(s, Options{LoadLocale: testLocaleLoader})
	if err != nil {
		t.Fatal(err)
	}
	items, err := ParseItems([]byte(`[{"id":"a","title":"A"},{"id":"b","title":"B"},{"id":"c","title":"C"}]`))
	if err != nil {
		t.Fatal(err)
	}
	cites, bib, err := p.Render(items, []Citation{{Cites: []Cite{{ID: "b"}}}, {Cites: []Cite{{ID: "a"}, {ID: "b"}}}}, Text)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cites, " "); got != "[1] [2,1]" {
		t.Errorf("cites = %q, want %q", got, "[1] [2,1]")
	}
	var entries []string
	for _, e := range bib.Entries {
		entries = append(entries, e.Text)
	}
	if got := strings.Join(entries, "|"); got != "1. B|2. A|3. C" {
		t.Errorf("bibliography = %q", got)
	}
}
