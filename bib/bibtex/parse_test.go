package bibtex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/csl"
)

func parseString(t *testing.T, src string) []csl.Item {
	t.Helper()
	items, err := Parse(context.Background(), strings.NewReader(src), &Options{File: "test.bib"})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return items
}

func TestParseName(t *testing.T) {
	tests := []struct {
		in   string
		want csl.Name
	}{
		{"Donald E. Knuth", csl.Name{Given: "Donald E.", Family: "Knuth"}},
		{"Knuth, Donald E.", csl.Name{Given: "Donald E.", Family: "Knuth"}},
		{"Ludwig van Beethoven", csl.Name{Given: "Ludwig", NonDroppingParticle: "van", Family: "Beethoven"}},
		{"van Beethoven, Ludwig", csl.Name{Given: "Ludwig", NonDroppingParticle: "van", Family: "Beethoven"}},
		{"Jean de la Fontaine", csl.Name{Given: "Jean", NonDroppingParticle: "de la", Family: "Fontaine"}},
		{"de la Fontaine, Jr., Jean", csl.Name{Given: "Jean", NonDroppingParticle: "de la", Family: "Fontaine", Suffix: "Jr."}},
		{"King, Jr, Martin Luther", csl.Name{Given: "Martin Luther", Family: "King", Suffix: "Jr"}},
		{"{World Health Organization}", csl.Name{Literal: "World Health Organization"}},
		{"{Barnes and Noble}", csl.Name{Literal: "Barnes and Noble"}},
		{`Aks{\i}n, {\"O}zge`, csl.Name{Given: "Özge", Family: "Aksın"}},
		{`{\"O}zkal, Erhan`, csl.Name{Given: "Erhan", Family: "Özkal"}},
		{"Plato", csl.Name{Family: "Plato"}},
		{"{von Neumann}, John", csl.Name{Given: "John", Family: "von Neumann"}},
		{"Charles Louis Xavier Joseph de la Vallée Poussin", csl.Name{Given: "Charles Louis Xavier Joseph", NonDroppingParticle: "de la", Family: "Vallée Poussin"}},
		{"family=Gogh, given=Vincent, prefix=van, useprefix=true", csl.Name{Given: "Vincent", NonDroppingParticle: "van", Family: "Gogh"}},
		{"J.~R.~R. Tolkien", csl.Name{Given: "J. R. R.", Family: "Tolkien"}},
		{"others", Others},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseName(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("parseName(%q)\n got %+v\nwant %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseNames(t *testing.T) {
	got, err := parseNames("Smith, John and {Acme and Sons} AND Doe, Jane and others")
	if err != nil {
		t.Fatal(err)
	}
	want := []csl.Name{{Family: "Smith", Given: "John"}, {Literal: "Acme and Sons"}, {Family: "Doe", Given: "Jane"}, Others}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if _, err := parseNames("A, B, C, D"); err == nil {
		t.Error("a name with three commas parsed without error")
	}
}

// TestFormatNameRoundTrip checks that written names read back unchanged,
// including the cases that need protection.
func TestFormatNameRoundTrip(t *testing.T) {
	names := []csl.Name{
		{Family: "Knuth", Given: "Donald E."},
		{Family: "Beethoven", Given: "Ludwig", NonDroppingParticle: "van"},
		{Family: "King", Given: "Martin Luther", Suffix: "Jr."},
		{Literal: "World Health Organization"},
		{Literal: "Barnes and Noble"},
		{Family: "dos Santos", Given: "Maria"},
		{Family: "Vallée Poussin", Given: "Charles", NonDroppingParticle: "de la"},
		{Family: "Gogh", Given: "Vincent", NonDroppingParticle: "Van"},
		{Family: "Smith, Jones", Given: "Ann"},
		{Family: "Plato"},
		{Family: "Öztürk", Given: "Çağla"},
		Others,
	}
	for _, fl := range []Flavor{BibLaTeX, BibTeX} {
		for _, n := range names {
			if fl == BibTeX && n.NonDroppingParticle == "Van" {
				continue // BibTeX cannot keep an upper-case particle apart
			}
			s := formatName(n, fl)
			got, err := parseName(s)
			if err != nil {
				t.Errorf("flavour %d: %+v → %q: %v", fl, n, s, err)
				continue
			}
			if got != n {
				t.Errorf("flavour %d: %+v\n wrote %q\n  read %+v", fl, n, s, got)
			}
		}
	}
}

func TestParseEDTF(t *testing.T) {
	tests := []struct {
		in   string
		want csl.Date
	}{
		{"2013", csl.Date{Parts: [][]int{{2013}}}},
		{"2013-09", csl.Date{Parts: [][]int{{2013, 9}}}},
		{"2013-09-21", csl.Date{Parts: [][]int{{2013, 9, 21}}}},
		{"2013-09/2013-10", csl.Date{Parts: [][]int{{2013, 9}, {2013, 10}}}},
		{"1988/", csl.Date{Parts: [][]int{{1988}, {0}}}},
		{"1988/..", csl.Date{Parts: [][]int{{1988}, {0}}}},
		{"2013-21", csl.Date{Parts: [][]int{{2013}}, Season: "1"}},
		{"2013-24", csl.Date{Parts: [][]int{{2013}}, Season: "4"}},
		{"1850~", csl.Date{Parts: [][]int{{1850}}, Circa: true}},
		{"1850?", csl.Date{Parts: [][]int{{1850}}}},
		{"-0044-03-15", csl.Date{Parts: [][]int{{-45, 3, 15}}}}, // ISO year -44 is 45 BC
		{"0000", csl.Date{Parts: [][]int{{-1}}}},
		{"2000-02-29", csl.Date{Parts: [][]int{{2000, 2, 29}}}},
		{"2012-22/2013", csl.Date{Parts: [][]int{{2012}, {2013}}, Season: "2"}},
		{"2013-09-21T10:00:00", csl.Date{Parts: [][]int{{2013, 9, 21}}}},
		{"2020-01-02 10:00/2020-01-03", csl.Date{Parts: [][]int{{2020, 1, 2}, {2020, 1, 3}}}},
	}
	for _, tc := range tests {
		got, err := parseEDTF(tc.in)
		if err != nil {
			t.Errorf("parseEDTF(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseEDTF(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		if s, ok := formatEDTF(got); !ok {
			t.Errorf("formatEDTF(%+v) wrote nothing", got)
		} else if back, err := parseEDTF(s); err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("formatEDTF(%+v) = %q, reads back as %+v, %v", got, s, back, err)
		}
	}
	for _, bad := range []string{"", "2013-13", "2013-9", "2013-02-30", "1900-02-29", "May 2013", "2013-01-01-01", "/2013"} {
		if d, err := parseEDTF(bad); err == nil {
			t.Errorf("parseEDTF(%q) = %+v, want an error", bad, d)
		}
	}
}

func TestParseSyntax(t *testing.T) {
	src := `This text before the first entry is a comment, as is an e-mail a@b.
% so is a line comment with @article{fake,
@String{ jcp = "J. Comput." }
@string(ed = {Ed.})
@STRING{full = jcp # " " # {Phys.}}
@preamble{ "\newcommand{\noop}[1]{}" }
@comment{ @article{commented, title = {Not an entry}} }

@Article{ quoted,
  Author = "Doe, Jane and Roe, Richard",
  title  = "A {"}quoted{"} title with {Braces}",
  journal = full,
  year = 2001, month = mar,
  volume = 12 # "a",
  pages = {1--10}
}

@book(paren, title = {Paren (delimited) entry}, year = {1999},)
@misc{nofields}
`
	d := NewDecoder(strings.NewReader(src), &Options{File: "syn.bib"})
	var keys []string
	for {
		e, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		keys = append(keys, e.Key)
	}
	if want := []string{"quoted", "paren", "nofields"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("keys = %q, want %q", keys, want)
	}
	if got := d.Preamble(); got != `\newcommand{\noop}[1]{}` {
		t.Errorf("preamble = %q", got)
	}
	if got, _ := d.Macro("FULL"); got != "J. Comput. Phys." {
		t.Errorf("macro full = %q", got)
	}

	items := parseString(t, src)
	q := items[0]
	checks := map[string]string{
		"container-title": "J. Comput. Phys.",
		"title":           `A "quoted" title with <span class="nocase">Braces</span>`,
		"volume":          "12a",
		"page":            "1-10",
	}
	for k, want := range checks {
		if got := q.Vars[k]; got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got := q.Dates["issued"]; !reflect.DeepEqual(got.Parts, [][]int{{2001, 3}}) {
		t.Errorf("issued = %+v", got)
	}
	if n := q.Names["author"]; len(n) != 2 || n[1].Family != "Roe" {
		t.Errorf("authors = %+v", n)
	}
	if items[1].Type != "book" || items[2].Type != "document" {
		t.Errorf("types = %q, %q", items[1].Type, items[2].Type)
	}
}

func TestTypeMapping(t *testing.T) {
	tests := map[string]string{
		"article": "article-journal", "book": "book", "inbook": "chapter", "incollection": "chapter",
		"inproceedings": "paper-conference", "conference": "paper-conference", "report": "report",
		"techreport": "report", "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis",
		"online": "webpage", "misc": "document", "unpublished": "manuscript", "booklet": "pamphlet",
		"patent": "patent", "dataset": "dataset", "software": "software", "somethingelse": "document",
	}
	for bt, want := range tests {
		items := parseString(t, "@"+bt+"{k, title={T}}")
		if items[0].Type != want {
			t.Errorf("@%s → %q, want %q", bt, items[0].Type, want)
		}
	}
	items := parseString(t, `@article{m, entrysubtype={magazine}} @phdthesis{p, school={MIT}} @mastersthesis{q} @thesis{r, type={mathesis}, institution={Oxford}}`)
	if items[0].Type != "article-magazine" {
		t.Errorf("magazine subtype → %q", items[0].Type)
	}
	if g := items[1].Vars["genre"]; g != "PhD thesis" || items[1].Vars["publisher"] != "MIT" {
		t.Errorf("phdthesis → genre %q, publisher %q", g, items[1].Vars["publisher"])
	}
	if g := items[2].Vars["genre"]; g != "Master's thesis" {
		t.Errorf("mastersthesis → genre %q", g)
	}
	if g := items[3].Vars["genre"]; g != "Master's thesis" || items[3].Vars["publisher"] != "Oxford" {
		t.Errorf("thesis type=mathesis → genre %q, publisher %q", g, items[3].Vars["publisher"])
	}
}

func TestFieldMapping(t *testing.T) {
	src := `@inproceedings{full,
  author = {Doe, Jane and others},
  editor = {Roe, Richard},
  title = {Main},
  subtitle = {Sub},
  booktitle = {Proceedings of {IEEE}},
  series = {LNCS},
  number = {42},
  volume = {3},
  pages = {101-110},
  publisher = {Springer and {Barnes and Noble}},
  address = {Berlin},
  date = {2013-09-21/2013-09-23},
  urldate = {2020-01-02},
  doi = {10.1000/x_y},
  url = {https://example.org/a_b%20c},
  isbn = {978-3-16-148410-0},
  langid = {ngerman},
  keywords = {a, b},
  note = {A note},
  eventtitle = {Conf},
  venue = {Paris},
  eprint = {123456}, eprinttype = {pubmed},
}`
	it := parseString(t, src)[0]
	want := map[string]string{
		"title": "Main: Sub", "container-title": "Proceedings of <span class=\"nocase\">IEEE</span>",
		"collection-title": "LNCS", "collection-number": "42", "volume": "3", "page": "101-110",
		"publisher": "Springer; Barnes and Noble", "publisher-place": "Berlin", "DOI": "10.1000/x_y",
		"URL": "https://example.org/a_b%20c", "ISBN": "978-3-16-148410-0", "language": "de-DE",
		"keyword": "a, b", "note": "A note", "event-title": "Conf", "event-place": "Paris", "PMID": "123456",
	}
	for k, w := range want {
		if g := it.Vars[k]; g != w {
			t.Errorf("%s = %q, want %q", k, g, w)
		}
	}
	if len(it.Vars) != len(want) {
		b, _ := json.Marshal(it.Vars)
		t.Errorf("got %d variables, want %d: %s", len(it.Vars), len(want), b)
	}
	if a := it.Names["author"]; len(a) != 2 || !IsOthers(a[1]) {
		t.Errorf("author = %+v, want Doe and the et-al. marker", a)
	}
	if d := it.Dates["issued"]; !reflect.DeepEqual(d.Parts, [][]int{{2013, 9, 21}, {2013, 9, 23}}) {
		t.Errorf("issued = %+v", d)
	}
	if d := it.Dates["accessed"]; !reflect.DeepEqual(d.Parts, [][]int{{2020, 1, 2}}) {
		t.Errorf("accessed = %+v", d)
	}
}

func TestInheritance(t *testing.T) {
	src := `@inproceedings{child, author = {A, B}, title = {Paper}, crossref = {proc}, pages = {1--2}}
@proceedings{proc, title = {Proceedings Title}, subtitle = {Sub}, editor = {E, F}, year = {2001}, publisher = {P}, crossref = {mv}, shorttitle = {Short}}
@mvproceedings{mv, title = {Whole Series}, location = {L}}
@inbook{chap, title = {Chapter}, crossref = {bk}}
@book{bk, author = {Writer, W}, title = {The Book}, year = {1990}}
@article{art, title = {Art}, crossref = {per}}
@periodical{per, title = {The Journal}, year = {2005}, volume = {7}}
@xdata{pub, publisher = {Shared Press}, location = {Shared City}}
@book{xd, title = {X}, xdata = {pub}, year = 2000}
@incollection{bt, title = {BibTeX style}, crossref = {coll}}
@collection{coll, title = {Coll}, booktitle = {Coll}, year = {1999}}`
	items := parseString(t, src)
	byID := map[string]csl.Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	if _, ok := byID["pub"]; ok {
		t.Error("@xdata entry became an item")
	}
	c := byID["child"]
	for k, w := range map[string]string{"container-title": "Whole Series", "volume-title": "Proceedings Title: Sub", "publisher": "P", "publisher-place": "L", "title": "Paper"} {
		if g := c.Vars[k]; g != w {
			t.Errorf("child %s = %q, want %q", k, g, w)
		}
	}
	if _, ok := c.Vars["title-short"]; ok {
		t.Error("shorttitle was inherited")
	}
	if e := c.Names["editor"]; len(e) != 1 || e[0].Family != "E" {
		t.Errorf("child editor = %+v", e)
	}
	if y := c.Dates["issued"]; !reflect.DeepEqual(y.Parts, [][]int{{2001}}) {
		t.Errorf("child issued = %+v", y)
	}
	ch := byID["chap"]
	if ch.Vars["container-title"] != "The Book" || len(ch.Names["container-author"]) != 1 || len(ch.Names["author"]) != 1 {
		t.Errorf("inbook from book: %+v", ch)
	}
	if a := byID["art"]; a.Vars["container-title"] != "The Journal" || a.Vars["volume"] != "7" {
		t.Errorf("article from periodical: %+v", a.Vars)
	}
	if x := byID["xd"]; x.Vars["publisher"] != "Shared Press" || x.Vars["publisher-place"] != "Shared City" {
		t.Errorf("xdata: %+v", x.Vars)
	}
	if b := byID["bt"]; b.Vars["container-title"] != "Coll" {
		t.Errorf("BibTeX-style crossref: %+v", b.Vars)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"bad year", "@article{smith2013,\n  title = {T},\n  year = {20x3}, month = {jan}\n}", `refs.bib:3:3: entry "smith2013": field "year": "20x3" is not a year`},
		{"bad month", "@article{k,\n year = 2001,\n month = 13}", `refs.bib:3:2: entry "k": field "month": month 13 out of range`},
		{"bad date", "@book{k,\n  date = {2013-13}}", `refs.bib:2:3: entry "k": field "date": "2013-13": month 13 out of range`},
		{"undefined macro", "@book{k,\n  publisher = nosuch}", `refs.bib:2:15: entry "k": field "publisher": undefined macro "nosuch"`},
		{"missing comma", "@book{k,\n  title = {A}\n  year = {2000}}", `refs.bib:3:3: entry "k": field "title": want ',' or '}' after the field value, got 'y'`},
		{"missing equals", "@book{k,\n  title {A}}", `refs.bib:2:9: entry "k": field "title": want '=' after the field name, got '{'`},
		{"unterminated", "@book{k,\n  title = {A\n", `refs.bib:2:11: entry "k": field "title": unterminated value (end of file)`},
		{"unterminated quote", "@book{k,\n  title = \"A,\n  year = 2000\n@book{j, title={B}}", `refs.bib:2:11: entry "k": field "title": unterminated value (next entry starts at line 4)`},
		{"duplicate key", "@book{k, title={A}}\n@book{K, title={B}}", `refs.bib:2:1: entry "K": duplicate entry key (first at line 1)`},
		{"missing key", "@book{, title={A}}", `refs.bib:1:1: @book: missing entry key`},
		{"no delimiter", "@book k", `refs.bib:1:7: @book: want '{' or '(' after the entry type`},
		{"crossref cycle", "@book{a, crossref={b}}\n@book{b, crossref={a}}", `field "crossref"`},
		{"unbalanced name braces", "@book{k,\n author = {Smith, {J}}}", ``},
		{"too many commas", "@book{k,\n author = {A, B, C, D}}", `refs.bib:2:2: entry "k": field "author": name "A, B, C, D" has too many commas`},
		{"huge field", "@book{k, title = {" + strings.Repeat("x", 2000) + "}}", `value longer than 1000 bytes`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(context.Background(), strings.NewReader(tc.src), &Options{File: "refs.bib", MaxFieldSize: 1000})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tc.want)
			}
			var be *bib.Error
			if !errors.As(err, &be) {
				t.Errorf("error %T is not a *bib.Error", err)
			}
		})
	}
}

// TestLenient pins what real files contain and BibTeX itself accepts with
// at most a warning: the entry is read, not rejected.
func TestLenient(t *testing.T) {
	items := parseString(t, `@book{dup, title = {First}, title = {Second}, year = 2001, month = {May 29 - June 1}}
@inbook{orphan, title = {T}, crossref = {nowhere}}
@book{noFamily, editor = {, Unité d'Eurydice}, author = {Dalen, Dirk van and Turner, R.L.}}`)
	if got := items[0].Vars["title"]; got != "First" {
		t.Errorf("repeated field: title = %q, want the first", got)
	}
	if got := items[0].Dates["issued"]; !reflect.DeepEqual(got.Parts, [][]int{{2001}}) {
		t.Errorf("free-text month: issued = %+v, want the year", got)
	}
	if items[1].Vars["title"] != "T" {
		t.Errorf("missing crossref parent: %+v", items[1])
	}
	if e := items[2].Names["editor"]; len(e) != 1 || e[0] != (csl.Name{Given: "Unité d'Eurydice"}) {
		t.Errorf("name without family: %+v", e)
	}
	want := []csl.Name{{Family: "Dalen", Given: "Dirk", NonDroppingParticle: "van"}, {Family: "Turner", Given: "R. L."}}
	if a := items[2].Names["author"]; !reflect.DeepEqual(a, want) {
		t.Errorf("authors = %+v, want %+v", a, want)
	}
}

func TestSkipInvalid(t *testing.T) {
	src := `@book{good1, title = {One}, year = 2001}
@book{bad1, title = {Two}, year = {20x1}, month = 1}
@book{bad2, title = {Three
@book{good2, title = {Four}, year = 2004}
@book{bad3, title = undefinedmacro}
@book{good3, title = {Five}}
`
	items, err := Parse(context.Background(), strings.NewReader(src), &Options{File: "mixed.bib", SkipInvalid: true})
	var list bib.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error = %v, want a bib.ErrorList", err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if want := []string{"good1", "good2", "good3"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("items = %q, want %q", ids, want)
	}
	var bad []string
	for _, e := range list {
		bad = append(bad, e.Entry)
	}
	if want := []string{"bad2", "bad3", "bad1"}; !reflect.DeepEqual(bad, want) {
		t.Errorf("skipped = %q, want %q (syntax errors first, then conversion errors)", bad, want)
	}
	// Without the option the first error fails the whole parse.
	if items, err := Parse(context.Background(), strings.NewReader(src), nil); err == nil || items != nil {
		t.Errorf("default Parse = %d items, %v; want nil and an error", len(items), err)
	}
}

func TestParseCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Parse(ctx, strings.NewReader("@book{a, title={A}}"), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

// TestReaderShapes reads the example database through readers that return
// one byte at a time or data with the final error, which exercises buffer
// refills and push-back across them, and a reader that fails.
func TestReaderShapes(t *testing.T) {
	data, err := os.ReadFile(examplesFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(context.Background(), bytes.NewReader(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{
		"one byte":   iotest.OneByteReader(bytes.NewReader(data)),
		"half":       iotest.HalfReader(bytes.NewReader(data)),
		"data + EOF": iotest.DataErrReader(bytes.NewReader(data)),
	} {
		got, err := Parse(context.Background(), r, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: items differ from a whole-buffer read", name)
		}
	}
	broken := io.MultiReader(strings.NewReader("@book{a, title = {A}}\n@book{b, title = {B"), iotest.ErrReader(errors.New("disk on fire")))
	if _, err := Parse(context.Background(), broken, &Options{File: "x.bib"}); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("error = %v, want the reader's error", err)
	}
}

// TestUsedFields checks that every field the conversion looks up is in
// usedFields, which decides what gets converted at all.
func TestUsedFields(t *testing.T) {
	src, err := os.ReadFile("convert.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`text\["([a-z]+)"\]|title\("([a-z]*)"\)`)
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		names := []string{m[1]}
		if m[1] == "" {
			names = []string{m[2] + "title", m[2] + "subtitle", m[2] + "titleaddon"}
		}
		for _, n := range names {
			if !usedFields[n] {
				t.Errorf("convert.go reads field %q, which usedFields lacks", n)
			}
		}
	}
}

// TestMacros covers macro expansion: definitions are expanded when read,
// so a macro referring to itself or to a later one is simply undefined
// (no cycle can form), and values stay bounded however they are doubled.
func TestMacros(t *testing.T) {
	items := parseString(t, `@string{a = "x"} @string{b = a # a} @string{A = b # "-" # b}
@misc{k, note = A # { and } # jan}`)
	if got := items[0].Vars["note"]; got != "xx-xx and January" {
		t.Errorf("note = %q", got)
	}
	for _, src := range []string{`@string{self = self} @misc{k, note = self}`, `@string{p = q} @string{q = {x}}`} {
		if _, err := Parse(context.Background(), strings.NewReader(src), nil); err == nil || !strings.Contains(err.Error(), "undefined macro") {
			t.Errorf("%s: error = %v, want an undefined macro", src, err)
		}
	}
	var b strings.Builder
	b.WriteString(`@string{m0 = "xxxxxxxx"}`)
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "@string{m%d = m%d # m%d}\n", i, i-1, i-1)
	}
	_, err := Parse(context.Background(), strings.NewReader(b.String()), &Options{MaxFieldSize: 1 << 16})
	if err == nil || !strings.Contains(err.Error(), "value longer than 65536 bytes") {
		t.Errorf("doubling macros: error = %v, want the size bound", err)
	}
}

func TestYearField(t *testing.T) {
	tests := []struct {
		year string
		want csl.Date
	}{
		{"1998", csl.Date{Parts: [][]int{{1998}}}},
		{"1908-13", csl.Date{Parts: [][]int{{1908}, {1913}}}},
		{"1994--2000", csl.Date{Parts: [][]int{{1994}, {2000}}}},
		{"1999/00", csl.Date{Literal: "1999/00"}}, // not increasing: kept as written
		{"to appear", csl.Date{Literal: "to appear"}},
		{"1998a", csl.Date{Literal: "1998a"}},
	}
	for _, tc := range tests {
		items := parseString(t, "@book{k, year = {"+tc.year+"}}")
		if got := items[0].Dates["issued"]; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("year %q → %+v, want %+v", tc.year, got, tc.want)
		}
	}
}
