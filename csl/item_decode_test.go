package csl

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
)

// TestParseItemsAsUnmarshal checks that ParseItems, which decodes the
// document once, builds the same items as Item.UnmarshalJSON on each
// element, over the real references and over the odd shapes producers
// write, and that both reject the same inputs.
func TestParseItemsAsUnmarshal(t *testing.T) {
	refs, err := os.ReadFile("testdata/refs/dev-refs.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in string
		wantErr  bool
	}{
		{"refs", string(refs), false},
		{"empty", `[]`, false},
		{"numbers and booleans", `[{"id": 7, "type": "book", "volume": 12, "page": 1.50, "edition": 2e1, "flag": true, "no": false}]`, false},
		{"nulls", `[{"id": null, "title": null, "author": [null, {"family": null, "given": "A"}], "issued": {"date-parts": [null, [2001, null]], "season": null}}]`, false},
		{"name flags", `[{"id": "a", "author": [{"family": "X", "comma-suffix": 1, "static-ordering": "true", "isInstitution": "0", "parse-names": false}, {"literal": "Y", "parse-names": "x"}]}]`, false},
		{"date shapes", `[{"id": "a", "issued": "2001-02-03", "accessed": {"raw": "May 2001", "circa": 1, "literal": 5}, "original-date": {"Date-Parts": [["1999", " 2 "]], "season": 3}}]`, false},
		{"date part ends at empty", `[{"id": "a", "issued": {"date-parts": [[2001, "", 5], []]}}]`, false},
		{"ignored objects", `[{"id": "a", "custom": {"x": 1}, "tags": ["a"], "type": "book"}]`, false},
		{"duplicate ids", `[{"id": "a", "title": "One"}, {"id": "a", "title": "Two"}]`, false},
		{"unicode", `[{"id": "\u00e9", "title": "Caf\u00e9 \ud83d\ude00 <i>x</i>"}]`, false},
		{"object id", `[{"id": {"x": 1}}]`, true},
		{"array type", `[{"id": "a", "type": ["book"]}]`, true},
		{"names not a list", `[{"id": "a", "author": {"family": "X"}}]`, true},
		{"name not an object", `[{"id": "a", "author": ["X"]}]`, true},
		{"name part object", `[{"id": "a", "author": [{"family": {"x": 1}}]}]`, true},
		{"name flag array", `[{"id": "a", "author": [{"family": "X", "isInstitution": []}]}]`, true},
		{"date number", `[{"id": "a", "issued": 2001}]`, true},
		{"date-parts not numbers", `[{"id": "a", "issued": {"date-parts": [["spring"]]}}]`, true},
		{"date-parts flat", `[{"id": "a", "issued": {"date-parts": [2001]}}]`, true},
		{"item not an object", `["a"]`, true},
		{"not an array", `{"id": "a"}`, true},
		{"trailing data", `[] []`, true},
		{"syntax", `[{"id": "a",}]`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseItems([]byte(tt.in))
			want, wantErr := unmarshalEach(tt.in)
			if (err != nil) != tt.wantErr || (wantErr != nil) != tt.wantErr {
				t.Fatalf("ParseItems error %v, UnmarshalJSON error %v; want error: %v", err, wantErr, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if len(got) != len(want) {
				t.Fatalf("ParseItems read %d items, UnmarshalJSON %d", len(got), len(want))
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("item %d:\nParseItems    %+v\nUnmarshalJSON %+v", i, got[i], want[i])
				}
			}
		})
	}
}

// unmarshalEach reads the items one by one through Item.UnmarshalJSON.
func unmarshalEach(in string) ([]Item, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal([]byte(in), &raws); err != nil {
		return nil, err
	}
	items := make([]Item, len(raws))
	for i, r := range raws {
		if err := items[i].UnmarshalJSON(r); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// TestParseItemsSyntaxError checks that a malformed document still fails
// with encoding/json's own error, whose offset the command line turns into
// a line and column.
func TestParseItemsSyntaxError(t *testing.T) {
	in := []byte("[\n{\"id\": \"a\",}\n]")
	var want *json.SyntaxError
	if !errors.As(json.Unmarshal(in, new(any)), &want) {
		t.Fatal("encoding/json accepts the malformed input")
	}
	_, err := ParseItems(in)
	var se *json.SyntaxError
	if !errors.As(err, &se) || se.Offset != want.Offset {
		t.Errorf("ParseItems error = %v, want a syntax error at offset %d", err, want.Offset)
	}
}
