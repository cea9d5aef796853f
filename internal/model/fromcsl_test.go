package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/imprintpub/imprint/csl"
)

// Every golden CSL item comes back from FromCSL to the same CSL view;
// display types come back as the CSL type they cite as.
func TestFromCSLRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "csl-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden CSL files: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var it csl.Item
		if err := json.Unmarshal(data, &it); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		p, notes := FromCSL(it)
		if len(notes) != 0 {
			t.Errorf("%s: notes %q", f, notes)
		}
		back := p.CSL()
		back.ID = it.ID // the slug, where the item had none
		if !reflect.DeepEqual(back, it) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v", f, back, it)
		}
	}
}

func TestFromCSL(t *testing.T) {
	it := csl.Item{
		ID: "Smith 2014", Type: "article",
		Names: map[string][]csl.Name{
			"author":           {{Given: "Plato"}, {Family: "安倍", Given: "晋三"}},
			"chair":            {{Family: "Kwon", Given: "Mira"}},
			"container-author": {{Family: "X"}},
		},
		Vars: map[string]string{"DOI": "https://doi.org/10.1/abc", "abstract": "An abstract.", "note": "n",
			"publisher-place": "Tokyo", "event-place": "Osaka", "title": "T"},
		Dates: map[string]csl.Date{
			"issued":   {Parts: [][]int{{2014}}, Season: "winter"},
			"accessed": {Parts: [][]int{{2020, 1, 1}}},
		},
	}
	p, notes := FromCSL(it)
	if p.Slug != "smith-2014" || p.Type != "article" || p.Status != StatusDraft || p.DOI != "10.1/abc" ||
		p.Summary != "An abstract." || p.Venue.Place != "Osaka" || p.Issued.Format() != "Winter 2014" {
		t.Errorf("FromCSL = %+v", p)
	}
	var got []string
	for _, c := range p.Contributions {
		got = append(got, string(c.Role)+":"+c.Person.DisplayName()+":"+c.Person.Slug)
	}
	want := []string{"author:Plato:plato", "author:安倍晋三:", "moderator:Mira Kwon:mira-kwon"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("contributions = %q, want %q", got, want)
	}
	wantNotes := []string{
		`names in "container-author" not kept: no matching role`,
		`field "note" not kept`,
		`field "publisher-place" not kept: its value is already set by another field`,
		`date "accessed" not kept`,
	}
	if !reflect.DeepEqual(notes, wantNotes) {
		t.Errorf("notes\n got %q\nwant %q", notes, wantNotes)
	}

	bad, notes := FromCSL(csl.Item{Type: "blog", Dates: map[string]csl.Date{"issued": {Parts: [][]int{{2013, 2, 30}}}}})
	if bad.Type != "document" || bad.Issued.Raw != "2013-02-30" || len(notes) != 2 {
		t.Errorf("bad item: %+v, notes %q", bad, notes)
	}
	raw, _ := FromCSL(csl.Item{Type: "book", Dates: map[string]csl.Date{"issued": {Raw: "Spring 2014"}}})
	if raw.Issued.Format() != "Spring 2014" || raw.Issued.Raw != "" {
		t.Errorf("raw date parsed as %+v", raw.Issued)
	}
}
