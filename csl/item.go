package csl

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Item is one bibliographic item in the shape of CSL-JSON. Every variable of
// the item lives in exactly one of Names, Dates or Vars according to its CSL
// kind; number variables given as JSON numbers are kept as their decimal
// text. Field names are CSL variable names ("container-title", "issued").
type Item struct {
	ID    string
	Type  string
	Names map[string][]Name
	Dates map[string]Date
	Vars  map[string]string
}

// Name is one CSL name: personal (Family, Given…) or literal (Literal set,
// e.g. an institution).
type Name struct {
	Family              string `json:"family,omitempty"`
	Given               string `json:"given,omitempty"`
	DroppingParticle    string `json:"dropping-particle,omitempty"`
	NonDroppingParticle string `json:"non-dropping-particle,omitempty"`
	Suffix              string `json:"suffix,omitempty"`
	Literal             string `json:"literal,omitempty"`
	CommaSuffix         bool   `json:"comma-suffix,omitempty"`
	StaticOrdering      bool   `json:"static-ordering,omitempty"`
	ParseNames          *bool  `json:"parse-names,omitempty"`
	IsInstitution       bool   `json:"isInstitution,omitempty"`
	// ORCID is the person's ORCID iD as the data gives it (Crossref's
	// CSL-JSON writes "https://orcid.org/0000-…"); citations ignore it.
	ORCID string `json:"ORCID,omitempty"`
}

// Date is one CSL date. Parts holds one date, or two for a range; each has
// one to three elements: year, month (1-12, or 13-16 for seasons spring to
// winter as some data uses), day. Raw and Literal are kept as given; the
// processor parses Raw when Parts is empty.
type Date struct {
	Parts   [][]int
	Season  string // "1".."4" or a season name
	Circa   bool
	Literal string
	Raw     string
}

// IsZero reports whether d carries no information.
func (d Date) IsZero() bool {
	return len(d.Parts) == 0 && d.Season == "" && !d.Circa && d.Literal == "" && d.Raw == ""
}

// nameVariables and dateVariables list the CSL variables of those kinds
// (CSL 1.0.2 plus the variables CSL-JSON data commonly carries).
var nameVariables = map[string]bool{
	"author": true, "chair": true, "collection-editor": true, "compiler": true, "composer": true,
	"container-author": true, "contributor": true, "curator": true, "director": true, "editor": true,
	"editorial-director": true, "editor-translator": true, "executive-producer": true, "guest": true,
	"host": true, "illustrator": true, "interviewer": true, "narrator": true, "organizer": true,
	"original-author": true, "performer": true, "producer": true, "recipient": true,
	"reviewed-author": true, "script-writer": true, "series-creator": true, "translator": true,
}

var dateVariables = map[string]bool{
	"accessed": true, "available-date": true, "container": true, "event-date": true, "issued": true,
	"original-date": true, "submitted": true,
}

// IsNameVariable reports whether v is a CSL name variable.
func IsNameVariable(v string) bool { return nameVariables[v] }

// IsDateVariable reports whether v is a CSL date variable.
func IsDateVariable(v string) bool { return dateVariables[v] }

// UnmarshalJSON reads one CSL-JSON item. Unknown fields are kept in Vars
// when they hold a string or number and ignored otherwise, as CSL-JSON
// producers add their own fields freely.
func (it *Item) UnmarshalJSON(data []byte) error {
	v, err := decodeValue(data)
	if err != nil {
		return fmt.Errorf("item: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("item: want an object, got %s", valueKind(v))
	}
	return it.fromValue(m)
}

func itemFieldError(id, field string, err error) error {
	return fmt.Errorf("item %q: field %q: %w", id, field, err)
}

// MarshalJSON writes the item as CSL-JSON with its keys sorted.
func (it Item) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, 2+len(it.Names)+len(it.Dates)+len(it.Vars))
	for k, v := range it.Vars {
		m[k] = v
	}
	for k, v := range it.Names {
		m[k] = v
	}
	for k, v := range it.Dates {
		m[k] = v
	}
	if it.ID != "" {
		m["id"] = it.ID
	}
	if it.Type != "" {
		m["type"] = it.Type
	}
	return json.Marshal(m) // encoding/json sorts map keys
}

// UnmarshalJSON reads a CSL-JSON date object ({"date-parts": …, "raw": …})
// or, as some producers write, a bare string taken as raw.
func (d *Date) UnmarshalJSON(data []byte) error {
	v, err := decodeValue(data)
	if err != nil {
		return err
	}
	return d.fromValue(v)
}

// MarshalJSON writes d as a CSL-JSON date object.
func (d Date) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if len(d.Parts) > 0 {
		m["date-parts"] = d.Parts
	}
	if d.Season != "" {
		m["season"] = d.Season
	}
	if d.Circa {
		m["circa"] = true
	}
	if d.Literal != "" {
		m["literal"] = d.Literal
	}
	if d.Raw != "" {
		m["raw"] = d.Raw
	}
	return json.Marshal(m)
}

// ParseItems reads a JSON array of CSL-JSON items. Errors name the index and
// id of the offending item.
func ParseItems(data []byte) ([]Item, error) {
	if items, ok, err := parseItemsOnce(data); ok {
		return items, err
	}
	// not a well-formed array: decode again only to report the error as
	// encoding/json words it
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("csl-json: %w", err)
	}
	items := make([]Item, len(raws))
	for i, r := range raws {
		if err := items[i].UnmarshalJSON(r); err != nil {
			return nil, fmt.Errorf("csl-json: item %d: %w", i, err)
		}
	}
	return items, nil
}

// UnmarshalJSON reads a CSL-JSON name. The flag fields accept booleans,
// numbers and strings ("true", 1), as producers write them all.
func (n *Name) UnmarshalJSON(data []byte) error {
	v, err := decodeValue(data)
	if err != nil {
		return err
	}
	if v == nil {
		*n = Name{} // null, as encoding/json leaves it
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("want a name object, got %s", valueKind(v))
	}
	return n.fromValue(m)
}

// decodeValue decodes one JSON value into generic values, numbers kept as
// their text, for the fromValue builders.
func decodeValue(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
