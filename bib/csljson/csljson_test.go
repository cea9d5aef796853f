package csljson

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

func TestSchemaLoaded(t *testing.T) {
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	s := cslSchema
	for _, typ := range []string{"article-journal", "book", "chapter", "webpage", "thesis", "document", "software", "standard"} {
		if !s.types[typ] {
			t.Errorf("type %q missing from the schema tables", typ)
		}
	}
	if len(s.types) < 40 {
		t.Errorf("only %d types", len(s.types))
	}
	for f, want := range map[string]kind{"author": kindNames, "issued": kindDate, "title": kindString,
		"volume": kindStringNum, "categories": kindStrings, "custom": kindObject, "id": kindStringNum} {
		if got, ok := s.fields[f]; !ok || got != want {
			t.Errorf("field %q: kind %v (%v), want %v", f, got, ok, want)
		}
	}
	if s.nameFields["comma-suffix"] != kindStringBool || s.nameFields["family"] != kindString {
		t.Errorf("name fields: %v", s.nameFields)
	}
	if _, ok := s.dateFields["date-parts"]; !ok {
		t.Error("date fields lack date-parts")
	}
}

// TestRealItems reads 300 real-world items (pandoc's output) with unknown
// fields allowed (pandoc adds "other-ids"), and round-trips them.
func TestRealItems(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "dev-refs-300.json"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := Parse(context.Background(), bytes.NewReader(data), &Options{File: "dev-refs-300.json", Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 300 {
		t.Fatalf("got %d items", len(items))
	}
	// Compare with csl's own reading of the same file.
	want, err := csl.ParseItems(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(items, want) {
		t.Error("items differ from csl.ParseItems' reading")
	}
	var buf bytes.Buffer
	if err := Write(&buf, items); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(context.Background(), &buf, &Options{File: "out.json"})
	if err != nil {
		t.Fatalf("reading our own output strictly: %v", err)
	}
	for i := range items {
		want := items[i]
		delete(want.Vars, "other-ids") // not in the schema, so not written
		if !reflect.DeepEqual(back[i], want) {
			g, _ := json.Marshal(back[i])
			w, _ := json.Marshal(want)
			t.Errorf("item %d changed:\n got %s\nwant %s", i, g, w)
		}
	}
	// Strict reading rejects pandoc's extra field and says where.
	_, err = Parse(context.Background(), bytes.NewReader(data), &Options{File: "dev-refs-300.json"})
	if err == nil || !strings.Contains(err.Error(), `field "other-ids": not a CSL-JSON field`) {
		t.Errorf("strict parse error = %v", err)
	}
}

func TestLoadSchemaErrors(t *testing.T) {
	for name, src := range map[string]string{
		"not json":       `{`,
		"no items":       `{"definitions": {}}`,
		"no definitions": `{"items": {"properties": {"type": {"type": "string", "enum": ["book"]}}}}`,
		"odd kind":       `{"items": {"properties": {"title": {"type": "integer"}}}, "definitions": {"name-variable": {"anyOf": [{"properties": {}}]}, "date-variable": {"anyOf": [{"properties": {}}]}}}`,
	} {
		if _, err := loadSchema([]byte(src)); err == nil {
			t.Errorf("%s: loadSchema accepted it", name)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"bad type", `[{"id": "a", "type": "journalArticle"}]`,
			`in.json:1:22: item 0: entry "a": field "type": "journalArticle" is not a CSL item type (did you mean "article-journal"?)`},
		{"second item", "[\n {\"id\": \"a\", \"type\": \"book\"},\n {\"id\": 7, \"type\": \"book\",\n  \"title\": 12}\n]",
			`in.json:4:12: item 1: entry "7": field "title": want a string, got a number`},
		{"names not array", `[{"id": "a", "type": "book", "author": {"family": "X"}}]`, `field "author": want an array of names, got an object`},
		{"bad name part", `[{"id": "a", "type": "book", "author": [{"family": "X", "first": "Y"}]}]`, `field "author": name 0: "first" is not a name part`},
		{"name part kind", `[{"id": "a", "type": "book", "author": [{"family": ["X"]}]}]`, `name 0: "family": want a string, got an array`},
		{"date string", `[{"id": "a", "type": "book", "issued": "2001"}]`, `field "issued": want a date object, got a string`},
		{"date parts shape", `[{"id": "a", "type": "book", "issued": {"date-parts": [[2001, 1, 2, 3]]}}]`, `"date-parts"[0]: want one to three numbers, got 4`},
		{"date three parts", `[{"id": "a", "type": "book", "issued": {"date-parts": [[2001], [2002], [2003]]}}]`, `want one or two dates, got 3`},
		{"date unknown key", `[{"id": "a", "type": "book", "issued": {"year": 2001}}]`, `"year" is not a date field`},
		{"date non-numeric", `[{"id": "a", "type": "book", "issued": {"date-parts": [["spring"]]}}]`, `entry "a": `},
		{"missing id", `[{"type": "book"}]`, `item 0: field "id": missing`},
		{"missing type", `[{"id": "x"}]`, `entry "x": field "type": missing`},
		{"unknown field", `[{"id": "x", "type": "book", "titel": "T"}]`, `field "titel": not a CSL-JSON field`},
		{"duplicate id", `[{"id": "x", "type": "book"}, {"id": "x", "type": "book"}]`, `item 1: entry "x": field "id": duplicate id (first used by item 0)`},
		{"duplicate field", `[{"id": "x", "type": "book", "title": "A", "title": "B"}]`, `field "title": given twice`},
		{"not an object", `[1]`, `item 0: want an item object, got a number`},
		{"syntax", "[\n{\"id\": \"x\",, }]", `in.json:2:12: invalid JSON`},
		{"syntax in second item", "[{\"id\": \"x\", \"type\": \"book\"},\n {\"id\": \"y\" \"type\": \"book\"}]", `in.json:2:13: invalid JSON`},
		{"truncated", `[{"id": "x", "type": "book"}`, `invalid JSON: unexpected end of input`},
		{"not an array", `"x"`, `want a JSON array of items`},
		{"empty", ``, `empty input`},
		{"trailing", `[] []`, `data after the end of the array`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(context.Background(), strings.NewReader(tc.src), &Options{File: "in.json"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tc.want)
			}
			var be *bib.Error
			if !errors.As(err, &be) {
				t.Errorf("error %T is not a *bib.Error", err)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	src := `{"id": 12, "type": "book", "title": "Single <i>object</i> & more", "volume": 3,
	  "author": [{"family": "Doe", "given": "J.", "comma-suffix": "true", "parse-names": false}, {"literal": "WHO"}],
	  "issued": {"date-parts": [["2001", 2], [2002]], "circa": 1}, "custom": {"x": [1]}, "categories": ["a"]}`
	items, err := Parse(context.Background(), strings.NewReader("\xef\xbb\xbf"+src), nil)
	if err != nil {
		t.Fatal(err)
	}
	it := items[0]
	if it.ID != "12" || it.Vars["volume"] != "3" || it.Vars["title"] != "Single <i>object</i> & more" {
		t.Errorf("item = %+v", it)
	}
	if d := it.Dates["issued"]; !reflect.DeepEqual(d.Parts, [][]int{{2001, 2}, {2002}}) || !d.Circa {
		t.Errorf("issued = %+v", d)
	}
	if n := it.Names["author"]; len(n) != 2 || !n[0].CommaSuffix || n[1].Literal != "WHO" {
		t.Errorf("author = %+v", n)
	}
}

func TestSkipInvalid(t *testing.T) {
	src := `[{"id": "a", "type": "book"}, {"id": "b", "type": "bogus"}, {"id": "c", "type": "book", "title": 1}, {"id": "d", "type": "book"}]`
	items, err := Parse(context.Background(), strings.NewReader(src), &Options{SkipInvalid: true})
	var list bib.ErrorList
	if !errors.As(err, &list) || len(list) != 2 || list[0].Entry != "b" || list[1].Entry != "c" {
		t.Fatalf("error = %v", err)
	}
	if len(items) != 2 || items[0].ID != "a" || items[1].ID != "d" {
		t.Errorf("items = %+v", items)
	}
}

func TestWriteGolden(t *testing.T) {
	items := []csl.Item{
		{ID: "b", Type: "book", Names: map[string][]csl.Name{"author": {{Family: "Müller", Given: "Jörg"}, {Literal: "A & B"}}},
			Dates: map[string]csl.Date{"issued": {Parts: [][]int{{2001, 2}}, Circa: true}},
			Vars:  map[string]string{"title": "<i>Italic</i> & more", "volume": "3"}},
		{ID: "a", Type: "article-journal", Vars: map[string]string{"title": "Second"}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, items); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "write.golden.json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("output differs from %s:\n%s", path, buf.String())
	}
	back, err := Parse(context.Background(), &buf, nil)
	if err != nil || !reflect.DeepEqual(back, items) {
		t.Errorf("read back %+v, %v", back, err)
	}
	var empty bytes.Buffer
	if err := Write(&empty, nil); err != nil || empty.String() != "[]\n" {
		t.Errorf("empty write = %q, %v", empty.String(), err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`[{"id": "a", "type": "book", "author": [{"family": "X"}], "issued": {"date-parts": [[2001]]}}]`)
	f.Add(`{"id": 1, "type": "chapter", "page": 5}`)
	f.Add(`[{"id": "a", "type": "book", "issued": {"date-parts": [["2001", "x"]]}}]`)
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
			t.Fatalf("reading our own output: %v\n%s", err, buf.String())
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "dev-refs-300.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(context.Background(), bytes.NewReader(data), &Options{Lenient: true}); err != nil {
			b.Fatal(err)
		}
	}
}
