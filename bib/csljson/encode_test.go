package csljson

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/imprintpub/imprint/csl"
)

// viaEncodingJSON is the item as encoding/json writes it with Write's
// settings: the reference the direct encoder must match byte for byte.
func viaEncodingJSON(t testing.TB, it *csl.Item) []byte {
	m := map[string]any{"id": it.ID}
	for k, v := range it.Vars {
		if kd, ok := cslSchema.fields[k]; ok && (kd == kindString || kd == kindStringNum) && k != "id" && k != "type" {
			m[k] = v
		}
	}
	for k, v := range it.Names {
		if kd, ok := cslSchema.fields[k]; ok && kd == kindNames {
			m[k] = v
		}
	}
	for k, d := range it.Dates {
		if kd, ok := cslSchema.fields[k]; ok && kd == kindDate {
			dm := map[string]any{}
			if len(d.Parts) > 0 {
				dm["date-parts"] = d.Parts
			}
			if d.Season != "" {
				dm["season"] = d.Season
			}
			if d.Circa {
				dm["circa"] = true
			}
			if d.Literal != "" {
				dm["literal"] = d.Literal
			}
			if d.Raw != "" {
				dm["raw"] = d.Raw
			}
			m[k] = dm
		}
	}
	if it.Type != "" {
		m["type"] = it.Type
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// TestEncoderMatchesEncodingJSON compares the direct encoder with
// encoding/json on real items and on strings and shapes chosen to reach
// every escape and every empty case.
func TestEncoderMatchesEncodingJSON(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "dev-refs-300.json"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := Parse(context.Background(), bytes.NewReader(data), &Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	odd := "quote\" back\\ nl\n cr\r tab\t bs\b ff\f nul\x00 esc\x1b del\x7f <i>&amp;</i> \u2028\u2029 bad\xff\xfe é 🙂"
	items = append(items,
		csl.Item{ID: odd, Type: "book", Vars: map[string]string{"title": odd, "note": "", "volume": "12"}},
		csl.Item{ID: "names", Names: map[string][]csl.Name{
			"author": {{}, {Family: "de la Fontaine", Given: odd, DroppingParticle: "d'", NonDroppingParticle: "van",
				Suffix: "Jr.", CommaSuffix: true, StaticOrdering: true, ParseNames: &no, IsInstitution: true, ORCID: "https://orcid.org/0000-0002-1825-0097"}},
			"editor":     {},
			"translator": nil,
			"composer":   {{Literal: "Org", ParseNames: &yes}},
		}},
		csl.Item{ID: "dates", Dates: map[string]csl.Date{
			"issued":    {Parts: [][]int{{2013, 9}, {2013, 10}}, Season: "2", Circa: true, Literal: odd, Raw: "2013-09/2013-10"},
			"accessed":  {},
			"submitted": {Parts: [][]int{{}, nil, {-44}}},
		}},
		csl.Item{ID: "unknown", Vars: map[string]string{"not-a-variable": "x", "id": "shadow", "type": "shadow"}},
	)
	for i := range items {
		got := marshalItem(&items[i])
		if want := viaEncodingJSON(t, &items[i]); !bytes.Equal(got, want) {
			t.Errorf("item %d (%q):\ngot  %s\nwant %s", i, items[i].ID, got, want)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "dev-refs-300.json"))
	if err != nil {
		b.Fatal(err)
	}
	items, err := Parse(context.Background(), bytes.NewReader(data), &Options{Lenient: true})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, items); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
