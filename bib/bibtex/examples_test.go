package bibtex

import (
	"bytes"
	"context"
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

// TestBiblatexExamples reads the whole of biblatex's own example database
// (testdata/biblatex, from Debian's texlive-bibtex-extra) and spot-checks
// entries that exercise the harder rules.
func TestBiblatexExamples(t *testing.T) {
	items := parseFile(t, examplesFile)
	// 100 entries: 8 @string, 2 @set are not items.
	if len(items) != 90 {
		t.Errorf("got %d items, want 90", len(items))
	}
	byID := map[string]csl.Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	tests := []struct {
		id, field, want string
	}{
		{"aksin", "container-title", "J.\u00a0Organomet. Chem."}, // @string macro with a tie
		{"aksin", "author.0", "Aksın, Özge"},
		{"aksin", "author.3", "Çetinkaya, Bekir"},
		{"aksin", "page", "3027-3036"},
		{"herrmann", "title", `A carbocyclic carbene as an efficient catalyst ligand for <span class="nocase">C–C</span> coupling reactions`},
		{"westfahl:space", "container-title", "Space and Beyond: The Frontier Theme in Science Fiction"}, // crossref: title → booktitle
		{"westfahl:space", "editor.0", "Westfahl, Gary"},
		{"westfahl:space", "publisher-place", "Westport, Conn.; London"},
		{"westfahl:space", "type", "chapter"},
		{"vangennep", "author.0", "van Gennep, Arnold"},
		{"vangennep", "language", "fr"},
		{"spiegelberg", "title", "“Intention” und “Intentionalität” in der Scholastik, bei Brentano und Husserl"},
		{"cicero", "title", "De natura deorum. Über das Wesen der Götter"},
		{"kant:kpv", "container-author.0", "Kant, Immanuel"},
		{"kant:kpv", "volume-title", "Kritik der praktischen Vernunft. Kritik der Urtheilskraft"},
		{"kant:kpv", "container-title", "Kants Werke. Akademie Textausgabe"},
		{"ctan", "type", "webpage"},
		{"ctan", "accessed", "2006-10-01"},
		{"ctan", "URL", "http://www.ctan.org"},
		{"baez/online", "issued", "2004-10-27"},
		{"baez/online", "archive_location", "math/0307200v3"},
		{"jaffe", "issued", "1885/1888"},
		{"sigfridsson", "DOI", "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"},
		{"shore", "issued", "1991-03"},
		{"iliad", "publisher-place", "Düsseldorf; Zürich"},
		{"knuth:ct:b", "title", "Computers & Typesetting"}, // mvbook → book: title → maintitle, the work's title
		{"knuth:ct:b", "volume-title", "TeX: The Program"},
		{"knuth:ct:b", "volume", "B"},
		{"nietzsche:ksa1", "title", "Sämtliche Werke: Kritische Studienausgabe"},
		{"nietzsche:ksa1", "volume-title", "Die Geburt der Tragödie. Unzeitgemäße Betrachtungen I–IV. Nachgelassene Schriften 1870–1973"},
		{"coleridge", "volume", "7.2"}, // volume and part as BibLaTeX prints them
		{"nietzsche:ksa1", "publisher", "Deutscher Taschenbuch-Verlag; Walter de Gruyter"},
		{"loh", "genre", "Master's thesis"},
		{"geer", "genre", "PhD thesis"},
		{"almendro", "type", "patent"},
		{"laufenberg", "type", "patent"},
	}
	for _, tc := range tests {
		it, ok := byID[tc.id]
		if !ok {
			t.Errorf("no item %q", tc.id)
			continue
		}
		if got := lookup(it, tc.field); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.id, tc.field, got, tc.want)
		}
	}
}

// lookup renders one part of an item for comparison: a variable, "type",
// "author.N" (as "von Family, Given"), or a date in ISO form.
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
		n := ns[i]
		fam := strings.TrimSpace(n.NonDroppingParticle + " " + n.Family)
		return fam + ", " + n.Given
	}
	if d, ok := it.Dates[field]; ok {
		s, _ := formatEDTF(d)
		return s
	}
	return it.Vars[field]
}

// TestWriteGolden pins the exact output of both flavours for the example
// database; run with -update after a deliberate change.
func TestWriteGolden(t *testing.T) {
	items := parseFile(t, examplesFile)
	for _, tc := range []struct {
		file   string
		flavor Flavor
	}{{"examples.biblatex.golden", BibLaTeX}, {"examples.bibtex.golden", BibTeX}} {
		var buf bytes.Buffer
		if err := Write(&buf, items, &WriteOptions{Flavor: tc.flavor}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", tc.file)
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s differs from the output; run go test -update and review the diff", path)
		}
		// Writing is stable: a second run gives the same bytes.
		var again bytes.Buffer
		_ = Write(&again, items, &WriteOptions{Flavor: tc.flavor})
		if !bytes.Equal(buf.Bytes(), again.Bytes()) {
			t.Errorf("%s: two writes of the same items differ", tc.file)
		}
	}
}

func TestWriteFields(t *testing.T) {
	it := csl.Item{ID: "x", Type: "article-journal",
		Names: map[string][]csl.Name{"author": {{Family: "Müller", Given: "Jörg"}, Others}},
		Dates: map[string]csl.Date{"issued": {Parts: [][]int{{2013, 9}}}},
		Vars: map[string]string{"title": "Costs & benefits: 50% of <i>E. coli</i> in {braces}", "container-title": "Nature",
			"page": "10-20", "issue": "3", "DOI": "10.1/x_{y}"}}
	tests := []struct {
		flavor Flavor
		want   []string
	}{
		{BibLaTeX, []string{"@article{x,", "author = {Müller, Jörg and others}", `title = {Costs \& benefits: 50\% of \textit{E. coli} in \{braces\}}`,
			"journaltitle = {Nature}", "number = {3}", "pages = {10--20}", "date = {2013-09}", `doi = {10.1/x_\{y\}}`}},
		{BibTeX, []string{"@article{x,", `author = {M{\"u}ller, J{\"o}rg and others}`, "journal = {Nature}", "year = {2013}", "month = sep,"}},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		if err := Write(&buf, []csl.Item{it}, &WriteOptions{Flavor: tc.flavor}); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("flavour %d: output lacks %q:\n%s", tc.flavor, w, buf.String())
			}
		}
	}
}

func TestKeys(t *testing.T) {
	mk := func(id, family string, year int, title string) csl.Item {
		it := csl.Item{ID: id, Type: "book", Vars: map[string]string{"title": title}}
		if family != "" {
			it.Names = map[string][]csl.Name{"author": {{Family: family, Given: "A."}}}
		}
		if year != 0 {
			it.Dates = map[string]csl.Date{"issued": {Parts: [][]int{{year}}}}
		}
		return it
	}
	items := []csl.Item{
		mk("", "Smith", 2013, "The Climate of Change"),
		mk("", "Smith", 2013, "Climate Models"),
		mk("", "Gödel", 1931, "Über formal unentscheidbare Sätze"),
		mk("keep:me", "Doe", 2000, "Kept"),
		mk("has space", "de la Fontaine", 1668, "Fables"),
		mk("", "", 0, "An Anonymous Work"),
		mk("keep:me", "Roe", 2001, "Duplicate id"),
	}
	got := Keys(items, false)
	want := []string{"smith2013climatea", "smith2013climateb", "godel1931uber", "keep:me", "fontaine1668fables", "anonndanonymous", "roe2001duplicate"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Keys(keep) =\n %q\nwant\n %q", got, want)
	}
	gen := Keys(items, true)
	if gen[3] != "doe2000kept" {
		t.Errorf("Keys(generate)[3] = %q, want doe2000kept", gen[3])
	}
	seen := map[string]bool{}
	for _, k := range gen {
		if seen[k] || !validKey(k) {
			t.Errorf("generated key %q is duplicated or invalid", k)
		}
		seen[k] = true
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(examplesFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(context.Background(), bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCitationJS reads what citation-js writes (testdata/citationjs): its
// accents with a blank ({\" O}), \i{}, per-word protection, and keys that
// repeat, which are reported and skipped.
func TestCitationJS(t *testing.T) {
	for _, name := range []string{"examples.bibtex.bib", "examples.biblatex.bib"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "citationjs", name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			items, err := Parse(context.Background(), f, &Options{File: name, SkipInvalid: true})
			var list bib.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error = %v, want the repeated keys listed", err)
			}
			for _, e := range list {
				if !strings.Contains(e.Error(), "duplicate entry key") {
					t.Errorf("unexpected error: %v", e)
				}
			}
			if len(items)+len(list) != 90 || len(list) != 10 {
				t.Errorf("%d items and %d skipped, want 80 and 10", len(items), len(list))
			}
			byID := map[string]csl.Item{}
			for _, it := range items {
				byID[it.ID] = it
			}
			checks := []struct{ id, field, want string }{
				{"Aksn2006Effect", "author.0", "Aksın, Özge"},
				{"Aksn2006Effect", "author.3", "Çetinkaya, Bekir"},
				{"Aksn2006Effect", "page", "3027-3036"},
				{"Westfahl2000True", "container-title", "Space and Beyond: The Frontier Theme in Science Fiction"},
				{"Westfahl2000True", "issued", "2000"},
			}
			for _, c := range checks {
				it, ok := byID[c.id]
				if !ok {
					t.Errorf("no item %q", c.id)
					continue
				}
				if got := stripTags(lookup(it, c.field)); got != c.want {
					t.Errorf("%s %s = %q, want %q", c.id, c.field, got, c.want)
				}
			}
		})
	}
}
