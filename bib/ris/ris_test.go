package ris

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/csl"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

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

// lookup renders one part of an item: a variable, "type", "author.N" as
// "particle Family, Given, Suffix" (or the literal), or a date as y-m-d.
func lookup(it csl.Item, field string) string {
	if field == "type" {
		return it.Type
	}
	if name, idx, ok := strings.Cut(field, "."); ok {
		ns := it.Names[name]
		i := int(idx[0] - '0')
		if i >= len(ns) {
			return ""
		}
		return formatName(ns[i])
	}
	if d, ok := it.Dates[field]; ok {
		if d.Literal != "" {
			return d.Literal
		}
		var parts []string
		for _, p := range d.Parts[0] {
			parts = append(parts, strings.TrimLeft(strings.Repeat("0", 2)+itoa(p), "0"))
		}
		return strings.Join(parts, "-")
	}
	return it.Vars[field]
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestSamples reads RIS as Zotero and EndNote write it (written by hand
// after their documented output: CRLF, a BOM from EndNote, Y1 with
// slashes, wrapped N2, Zotero's DA and time-stamped Y2).
func TestSamples(t *testing.T) {
	tests := []struct {
		file, id, field, want string
	}{
		{"zotero.ris", "ris1", "type", "article-journal"},
		{"zotero.ris", "ris1", "author.1", "Ryde, Ulf"},
		{"zotero.ris", "ris1", "container-title", "Journal of Computational Chemistry"},
		{"zotero.ris", "ris1", "container-title-short", "J. Comput. Chem."},
		{"zotero.ris", "ris1", "issued", "1998-3"},
		{"zotero.ris", "ris1", "accessed", "2024-5-6"},
		{"zotero.ris", "ris1", "page", "377-395"},
		{"zotero.ris", "ris1", "ISSN", "0192-8651"},
		{"zotero.ris", "ris1", "DOI", "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"},
		{"zotero.ris", "ris1", "keyword", "electrostatic potential, atomic charges"},
		{"zotero.ris", "ris1", "note", "First note\nSecond note"},
		{"zotero.ris", "ris2", "author.0", "van Gennep, Arnold"},
		{"zotero.ris", "ris2", "number-of-pages", "288"},
		{"zotero.ris", "ris2", "title-short", "Rites de passage"},
		{"zotero.ris", "ris3", "type", "chapter"},
		{"zotero.ris", "ris3", "editor.0", "Westfahl, Gary"},
		{"zotero.ris", "ris3", "ISBN", "978-0-313-30846-1"},
		{"zotero.ris", "ris3", "page", "55-65"},
		{"zotero.ris", "ris4", "type", "webpage"},
		{"zotero.ris", "ris4", "author.0", "CTAN Team"},
		{"zotero.ris", "ris5", "author.0", "Nguyen, Thi Minh, Jr."},
		{"zotero.ris", "ris5", "genre", "PhD thesis"},
		{"endnote.ris", "ris1", "type", "chapter"},
		{"endnote.ris", "ris1", "author.0", "Kant, Immanuel"},
		{"endnote.ris", "ris1", "editor.0", "Akademie der Wissenschaften"},
		{"endnote.ris", "ris1", "issued", "1968"},
		{"endnote.ris", "ris1", "abstract", "An edition of Kant's collected works, volume five. The abstract continues on a second line, as EndNote wraps long fields."},
		{"endnote.ris", "ris2", "type", "paper-conference"},
		{"endnote.ris", "ris2", "editor.1", "Owen, G. E. L."},
		{"endnote.ris", "ris2", "title", "Le De Anima dans la tradition grècque"},
		{"endnote.ris", "ris2", "page", "281-324"},
		{"endnote.ris", "ris3", "number", "RC-6947"},
		{"endnote.ris", "ris3", "type", "report"},
		{"endnote.ris", "ris4", "container-title", "American Anthropologist"},
		{"endnote.ris", "ris4", "issued", "1991-3-1"},
	}
	cache := map[string]map[string]csl.Item{}
	for _, tc := range tests {
		byID, ok := cache[tc.file]
		if !ok {
			byID = map[string]csl.Item{}
			for _, it := range parseFile(t, filepath.Join("testdata", tc.file)) {
				byID[it.ID] = it
			}
			cache[tc.file] = byID
		}
		it, ok := byID[tc.id]
		if !ok {
			t.Errorf("%s: no item %q", tc.file, tc.id)
			continue
		}
		if got := lookup(it, tc.field); got != tc.want {
			t.Errorf("%s %s %s = %q, want %q", tc.file, tc.id, tc.field, got, tc.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, file := range []string{"zotero.ris", "endnote.ris", "examples.ris"} {
		t.Run(file, func(t *testing.T) {
			items := parseFile(t, filepath.Join("testdata", file))
			var buf bytes.Buffer
			if err := Write(&buf, items); err != nil {
				t.Fatal(err)
			}
			back, err := Parse(context.Background(), &buf, &Options{File: "out.ris"})
			if err != nil {
				t.Fatalf("reading our own output: %v", err)
			}
			if len(back) != len(items) {
				t.Fatalf("got %d items back, want %d", len(back), len(items))
			}
			for i := range items {
				if !reflect.DeepEqual(back[i], items[i]) {
					g, _ := json.Marshal(back[i])
					w, _ := json.Marshal(items[i])
					t.Errorf("item %q changed:\n got %s\nwant %s", items[i].ID, g, w)
				}
			}
		})
	}
}

// TestWriteGolden pins the exact output for the hand-written samples.
func TestWriteGolden(t *testing.T) {
	var items []csl.Item
	for _, f := range []string{"zotero.ris", "endnote.ris"} {
		items = append(items, parseFile(t, filepath.Join("testdata", f))...)
	}
	var buf bytes.Buffer
	if err := Write(&buf, items); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "samples.golden.ris")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from the output; run go test -update and review the diff", path)
	}
}

func TestWriteItem(t *testing.T) {
	it := csl.Item{ID: "x", Type: "article-journal",
		Names: map[string][]csl.Name{"author": {{Family: "Gennep", NonDroppingParticle: "van", Given: "Arnold"}, {Literal: "WHO"}}},
		Dates: map[string]csl.Date{"issued": {Parts: [][]int{{2013, 9, 21}}}},
		Vars:  map[string]string{"title": "A <i>Drosophila</i> study", "page": "10–20", "abstract": "line one\nline two"}}
	var buf bytes.Buffer
	if err := Write(&buf, []csl.Item{it}); err != nil {
		t.Fatal(err)
	}
	want := "TY  - JOUR\r\nID  - x\r\nAU  - van Gennep, Arnold\r\nAU  - WHO\r\nTI  - A Drosophila study\r\nPY  - 2013\r\nDA  - 2013/09/21\r\nSP  - 10\r\nEP  - 20\r\nAB  - line one line two\r\nER  - \r\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

func TestTypeMapping(t *testing.T) {
	for ris, want := range map[string]string{"JOUR": "article-journal", "BOOK": "book", "CHAP": "chapter",
		"CONF": "paper-conference", "CPAPER": "paper-conference", "THES": "thesis", "RPRT": "report",
		"ELEC": "webpage", "NEWS": "article-newspaper", "MGZN": "article-magazine", "GEN": "document",
		"PAT": "patent", "DATA": "dataset", "COMP": "software", "UNPB": "manuscript", "XYZ": "document"} {
		items, err := Parse(context.Background(), strings.NewReader("TY  - "+ris+"\nTI  - T\nER  - \n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if items[0].Type != want {
			t.Errorf("TY %s → %q, want %q", ris, items[0].Type, want)
		}
	}
	// Every CSL type we write reads back as itself, unless two CSL types
	// share one RIS type.
	shared := map[string]bool{"post": true, "broadcast": true}
	for cslType, ris := range typeFromCSL {
		if shared[cslType] {
			continue
		}
		if back := typeToCSL[ris]; back != cslType {
			t.Errorf("CSL %s → RIS %s → CSL %s", cslType, ris, back)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"latin1", "TY  - JOUR\nTI  - Caf\xe9 culture\nER  - \n", "refs.ris:2:10: not valid UTF-8"},
		{"utf16", "\xff\xfeT\x00Y\x00", "refs.ris:1: the file is UTF-16"},
		{"no ER at end", "TY  - JOUR\nTI  - A\n", `refs.ris:1: record has no ER line (end of file)`},
		{"no ER before TY", "TY  - JOUR\nID  - a1\nTI  - A\nTY  - BOOK\nER  - \n", `refs.ris:1: entry "a1": record has no ER line before the next TY at line 4`},
		{"tag outside", "TI  - A\nER  - \n", `refs.ris:1: field "TI": tag outside a record (missing TY line)`},
		{"bad month", "TY  - JOUR\nID  - k\nDA  - 2013/13/01\nER  - \n", `refs.ris:3: entry "k": field "DA": "2013/13/01": month 13 out of range`},
		{"empty type", "TY  - \nTI  - A\nER  - \n", `refs.ris:1: field "TY": empty reference type`},
		{"duplicate id", "TY  - JOUR\nID  - a\nER  - \nTY  - JOUR\nID  - a\nER  - \n", `refs.ris:4: entry "a": field "ID": duplicate record id`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(context.Background(), strings.NewReader(tc.src), &Options{File: "refs.ris"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tc.want)
			}
			var be *bib.Error
			if err != nil && !errors.As(err, &be) {
				t.Errorf("error %T is not a *bib.Error", err)
			}
		})
	}
}

func TestBOMAndLineEnds(t *testing.T) {
	for name, src := range map[string]string{
		"bom crlf": "\xef\xbb\xbfTY  - JOUR\r\nTI  - Été\r\nER  - \r\n",
		"lf":       "TY  - JOUR\nTI  - Été\nER  -\n",
		"loose":    "junk header\n\nTY - JOUR\nTI -  Été\nER\n",
	} {
		items, err := Parse(context.Background(), strings.NewReader(src), nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(items) != 1 || items[0].Vars["title"] != "Été" {
			t.Errorf("%s: got %+v", name, items)
		}
	}
}

func TestSkipInvalid(t *testing.T) {
	src := "TY  - JOUR\nID  - good1\nER  - \nTY  - JOUR\nID  - bad1\nPY  - 2001/14\nER  - \nTY  - JOUR\nID  - bad2\nTY  - BOOK\nID  - good2\nER  - \n"
	items, err := Parse(context.Background(), strings.NewReader(src), &Options{SkipInvalid: true})
	var list bib.ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("error = %v, want a list of 2", err)
	}
	if len(items) != 2 || items[0].ID != "good1" || items[1].ID != "good2" {
		t.Errorf("items = %+v", items)
	}
	if list[0].Entry != "bad1" || list[1].Entry != "bad2" {
		t.Errorf("skipped %q and %q", list[0].Entry, list[1].Entry)
	}
	// An encoding error stops even a skipping parse: the rest of the file
	// cannot be trusted.
	_, err = Parse(context.Background(), strings.NewReader("TY  - JOUR\nER  - \nTY  - JOUR\nTI  - \xe9\nER  - \n"), &Options{SkipInvalid: true})
	if err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("error = %v, want the encoding error", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"zotero.ris", "endnote.ris"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(string(data))
		}
	}
	f.Add("TY  - JOUR\nAU  - ,\nSP  - -\nDA  - /\nER  - \n")
	f.Add("TY  - BOOK\nPY  - 99999999999999999999\nER  - \n")
	f.Fuzz(func(t *testing.T, src string) {
		items, err := Parse(context.Background(), strings.NewReader(src), nil)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, items); err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(context.Background(), &buf, nil); err != nil {
			t.Fatalf("reading our own output: %v\n%q", err, buf.String())
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "examples.ris"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(context.Background(), bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCitationJS reads citation-js 0.8.2's RIS for biblatex's example
// database (see bib/bibtex/testdata/citationjs/README): values cut at 70
// characters mid-word must come back whole.
func TestCitationJS(t *testing.T) {
	items := parseFile(t, filepath.Join("testdata", "citationjs.ris"))
	if len(items) != 90 {
		t.Fatalf("got %d items, want 90", len(items))
	}
	byID := map[string]csl.Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	checks := []struct{ id, field, want string }{
		{"gillies", "title", `Herder and the Preparation of <span class="nocase">Goethe's</span> Idea of World Literature`},
		{"westfahl:space", "title", `The True Frontier: Confronting and Avoiding the Realities of Space in <span class="nocase">American</span> Science Fiction Films`},
		{"westfahl:space", "editor.0", "Westfahl, Gary"},
		{"westfahl:space", "page", "55-65"},
		{"aksin", "author.0", "Aksın, Özge"},
		{"matuz:doody", "editor.0", "Matuz, Roger"}, // a book's editor is A3
	}
	for _, c := range checks {
		it, ok := byID[c.id]
		if !ok {
			t.Errorf("no item %q", c.id)
			continue
		}
		if got := lookup(it, c.field); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.id, c.field, got, c.want)
		}
	}
}

// TestBookRoles pins the tags whose meaning depends on the type: a book's
// editors are A3 and its series T2 (A2 the series editors); elsewhere A2
// are the editors, T2 the container and T3 the series.
func TestBookRoles(t *testing.T) {
	src := "TY  - BOOK\nID  - b\nA2  - Series, Ed\nA3  - Book, Ed\nTI  - Book\nT2  - The Series\nER  - \n\n" +
		"TY  - CHAP\nID  - c\nA2  - Book, Ed\nA3  - Series, Ed\nTI  - Chapter\nT2  - The Book\nT3  - The Series\nER  - \n"
	items, err := Parse(context.Background(), strings.NewReader(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		for k, want := range map[string]string{"editor.0": "Book, Ed", "collection-editor.0": "Series, Ed", "collection-title": "The Series"} {
			if got := lookup(it, k); got != want {
				t.Errorf("%s %s = %q, want %q", it.ID, k, got, want)
			}
		}
	}
	if got := items[1].Vars["container-title"]; got != "The Book" {
		t.Errorf("chapter container = %q", got)
	}
	var buf bytes.Buffer
	if err := Write(&buf, items); err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(buf.String(), "\r\n", "\n"); got != src {
		t.Errorf("written back as\n%s\nwant\n%s", got, src)
	}
}
