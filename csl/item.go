package csl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
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
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("item: %w", err)
	}
	*it = Item{}
	if v, ok := raw["id"]; ok {
		s, err := scalarString(v)
		if err != nil {
			return fmt.Errorf("item: field \"id\": %w", err)
		}
		it.ID = s
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := raw[k]
		if k == "id" || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			continue
		}
		switch {
		case k == "type":
			s, err := scalarString(v)
			if err != nil {
				return itemFieldError(it.ID, k, err)
			}
			it.Type = s
		case nameVariables[k]:
			var names []Name
			if err := json.Unmarshal(v, &names); err != nil {
				return itemFieldError(it.ID, k, err)
			}
			if it.Names == nil {
				it.Names = map[string][]Name{}
			}
			it.Names[k] = names
		case dateVariables[k]:
			var d Date
			if err := d.UnmarshalJSON(v); err != nil {
				return itemFieldError(it.ID, k, err)
			}
			if it.Dates == nil {
				it.Dates = map[string]Date{}
			}
			it.Dates[k] = d
		default:
			s, err := scalarString(v)
			if err != nil {
				continue // objects and arrays outside the CSL model (e.g. "custom")
			}
			if it.Vars == nil {
				it.Vars = map[string]string{}
			}
			it.Vars[k] = s
		}
	}
	return nil
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
	*d = Date{}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		return json.Unmarshal(data, &d.Raw)
	}
	var raw struct {
		DateParts []json.RawMessage `json:"date-parts"`
		Season    json.RawMessage   `json:"season"`
		Circa     json.RawMessage   `json:"circa"`
		Literal   json.RawMessage   `json:"literal"`
		Raw       json.RawMessage   `json:"raw"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	for i, p := range raw.DateParts {
		var elems []json.RawMessage
		if err := json.Unmarshal(p, &elems); err != nil {
			return fmt.Errorf("date-parts[%d]: %w", i, err)
		}
		var part []int
		for j, e := range elems {
			s, err := scalarString(e)
			if err != nil {
				return fmt.Errorf("date-parts[%d][%d]: %w", i, j, err)
			}
			s = strings.TrimSpace(s)
			if s == "" {
				break
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				return fmt.Errorf("date-parts[%d][%d]: %q is not a number", i, j, s)
			}
			part = append(part, n)
		}
		if len(part) > 0 {
			d.Parts = append(d.Parts, part)
		}
	}
	var err error
	if len(raw.Season) > 0 {
		if d.Season, err = scalarString(raw.Season); err != nil {
			return fmt.Errorf("season: %w", err)
		}
	}
	if len(raw.Circa) > 0 {
		s, err := scalarString(raw.Circa)
		if err != nil {
			return fmt.Errorf("circa: %w", err)
		}
		d.Circa = s != "" && s != "0" && s != "false"
	}
	if len(raw.Literal) > 0 {
		if d.Literal, err = scalarString(raw.Literal); err != nil {
			return fmt.Errorf("literal: %w", err)
		}
	}
	if len(raw.Raw) > 0 {
		if d.Raw, err = scalarString(raw.Raw); err != nil {
			return fmt.Errorf("raw: %w", err)
		}
	}
	return nil
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

// scalarString returns a JSON string, number or boolean as text.
func scalarString(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", nil
	}
	switch v[0] {
	case '"':
		var s string
		err := json.Unmarshal(v, &s)
		return s, err
	case '{', '[':
		return "", fmt.Errorf("want a string or number, got %s", kindOf(v[0]))
	case 'n':
		return "", nil
	case 't', 'f':
		return string(v), nil
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return "", err
	}
	return n.String(), nil
}

func kindOf(b byte) string {
	if b == '{' {
		return "an object"
	}
	return "an array"
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
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	flags := map[string]*bool{"comma-suffix": &n.CommaSuffix, "static-ordering": &n.StaticOrdering, "isInstitution": &n.IsInstitution}
	*n = Name{}
	for k, v := range raw {
		if p, ok := flags[k]; ok {
			s, err := scalarString(v)
			if err != nil {
				return fmt.Errorf("name field %q: %w", k, err)
			}
			*p = s != "" && s != "0" && s != "false"
			delete(raw, k)
		}
	}
	if v, ok := raw["parse-names"]; ok {
		s, err := scalarString(v)
		if err != nil {
			return fmt.Errorf("name field \"parse-names\": %w", err)
		}
		b := s != "" && s != "0" && s != "false"
		n.ParseNames = &b
		delete(raw, "parse-names")
	}
	strs := map[string]*string{"family": &n.Family, "given": &n.Given, "dropping-particle": &n.DroppingParticle,
		"non-dropping-particle": &n.NonDroppingParticle, "suffix": &n.Suffix, "literal": &n.Literal}
	for k, v := range raw {
		if p, ok := strs[k]; ok {
			s, err := scalarString(v)
			if err != nil {
				return fmt.Errorf("name field %q: %w", k, err)
			}
			*p = s
		}
	}
	return nil
}
