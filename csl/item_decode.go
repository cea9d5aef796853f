package csl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file reads CSL-JSON in one decoding pass: the document is decoded
// once into generic values (numbers kept as their text) and the items are
// built from those by the fromValue methods, which the UnmarshalJSON methods
// use too, so that both ways in read the same input the same way. Decoding
// each item from raw bytes instead cost more than formatting it.

// parseItemsOnce decodes a JSON array of items. It reports ok=false, without
// an error, when the document itself is not a well-formed array, so that the
// caller can describe that error exactly as encoding/json does.
func parseItemsOnce(data []byte) (items []Item, ok bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var vals []any
	if dec.Decode(&vals) != nil {
		return nil, false, nil
	}
	if rest := data[dec.InputOffset():]; len(bytes.TrimLeft(rest, " \t\r\n")) > 0 {
		// trailing data after the array
		return nil, false, nil
	}
	items = make([]Item, len(vals))
	for i, v := range vals {
		m, isObj := v.(map[string]any)
		if !isObj {
			return nil, true, fmt.Errorf("csl-json: item %d: want an object, got %s", i, valueKind(v))
		}
		if err := items[i].fromValue(m); err != nil {
			return nil, true, fmt.Errorf("csl-json: item %d: %w", i, err)
		}
	}
	return items, true, nil
}

// fromValue fills it from a decoded CSL-JSON object, as UnmarshalJSON does
// from bytes.
func (it *Item) fromValue(m map[string]any) error {
	*it = Item{}
	if v, ok := m["id"]; ok {
		s, err := scalarValue(v)
		if err != nil {
			return fmt.Errorf("item: field \"id\": %w", err)
		}
		it.ID = s
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// sorted as UnmarshalJSON does, so that the first error reported is the
	// same
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		if k == "id" || v == nil {
			continue
		}
		switch {
		case k == "type":
			s, err := scalarValue(v)
			if err != nil {
				return itemFieldError(it.ID, k, err)
			}
			it.Type = s
		case nameVariables[k]:
			names, err := namesFromValue(v)
			if err != nil {
				return itemFieldError(it.ID, k, err)
			}
			if it.Names == nil {
				it.Names = map[string][]Name{}
			}
			it.Names[k] = names
		case dateVariables[k]:
			var d Date
			if err := d.fromValue(v); err != nil {
				return itemFieldError(it.ID, k, err)
			}
			if it.Dates == nil {
				it.Dates = map[string]Date{}
			}
			it.Dates[k] = d
		default:
			s, err := scalarValue(v)
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

func namesFromValue(v any) ([]Name, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want an array of names, got %s", valueKind(v))
	}
	names := make([]Name, len(list))
	for i, e := range list {
		if e == nil {
			// encoding/json hands null to Name.UnmarshalJSON, which leaves
			// the name empty
			continue
		}
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("name %d: want an object, got %s", i, valueKind(e))
		}
		if err := names[i].fromValue(m); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// fromValue fills n from a decoded CSL-JSON name, as UnmarshalJSON does.
func (n *Name) fromValue(m map[string]any) error {
	*n = Name{}
	flag := func(k string, p *bool) error {
		v, ok := m[k]
		if !ok {
			return nil
		}
		s, err := scalarValue(v)
		if err != nil {
			return fmt.Errorf("name field %q: %w", k, err)
		}
		*p = s != "" && s != "0" && s != "false"
		return nil
	}
	if err := flag("comma-suffix", &n.CommaSuffix); err != nil {
		return err
	}
	if err := flag("static-ordering", &n.StaticOrdering); err != nil {
		return err
	}
	if err := flag("isInstitution", &n.IsInstitution); err != nil {
		return err
	}
	if _, ok := m["parse-names"]; ok {
		var b bool
		if err := flag("parse-names", &b); err != nil {
			return err
		}
		n.ParseNames = &b
	}
	for _, f := range [...]struct {
		k string
		p *string
	}{
		{"family", &n.Family}, {"given", &n.Given}, {"dropping-particle", &n.DroppingParticle},
		{"non-dropping-particle", &n.NonDroppingParticle}, {"suffix", &n.Suffix}, {"literal", &n.Literal},
		{"ORCID", &n.ORCID},
	} {
		v, ok := m[f.k]
		if !ok {
			continue
		}
		s, err := scalarValue(v)
		if err != nil {
			return fmt.Errorf("name field %q: %w", f.k, err)
		}
		*f.p = s
	}
	return nil
}

// fromValue fills d from a decoded CSL-JSON date: an object, or a bare
// string taken as raw.
func (d *Date) fromValue(v any) error {
	*d = Date{}
	if s, ok := v.(string); ok {
		d.Raw = s
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("want a date object or string, got %s", valueKind(v))
	}
	// encoding/json matches struct fields without regard to case, which
	// UnmarshalJSON relies on; an exact key wins over a differently cased one
	field := func(name string) (any, bool) {
		if v, ok := m[name]; ok {
			return v, true
		}
		for k, v := range m {
			if strings.EqualFold(k, name) {
				return v, true
			}
		}
		return nil, false
	}
	if dp, ok := field("date-parts"); ok && dp != nil {
		parts, ok := dp.([]any)
		if !ok {
			return fmt.Errorf("date-parts: want an array, got %s", valueKind(dp))
		}
		for i, p := range parts {
			if p == nil {
				continue
			}
			elems, ok := p.([]any)
			if !ok {
				return fmt.Errorf("date-parts[%d]: want an array, got %s", i, valueKind(p))
			}
			var part []int
			for j, e := range elems {
				s, err := scalarValue(e)
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
	}
	var err error
	if v, ok := field("season"); ok {
		if d.Season, err = scalarValue(v); err != nil {
			return fmt.Errorf("season: %w", err)
		}
	}
	if v, ok := field("circa"); ok {
		s, err := scalarValue(v)
		if err != nil {
			return fmt.Errorf("circa: %w", err)
		}
		d.Circa = s != "" && s != "0" && s != "false"
	}
	if v, ok := field("literal"); ok {
		if d.Literal, err = scalarValue(v); err != nil {
			return fmt.Errorf("literal: %w", err)
		}
	}
	if v, ok := field("raw"); ok {
		if d.Raw, err = scalarValue(v); err != nil {
			return fmt.Errorf("raw: %w", err)
		}
	}
	return nil
}

// scalarValue returns a decoded JSON scalar as text: a string, a number as
// written, a boolean as "true" or "false", null as "".
func scalarValue(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		if x {
			return "true", nil
		}
		return "false", nil
	}
	return "", fmt.Errorf("want a string or number, got %s", valueKind(v))
}

func valueKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
