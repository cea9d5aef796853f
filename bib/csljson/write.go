package csljson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/imprintpub/imprint/csl"
)

// Write writes items as a pretty-printed CSL-JSON array: two-space indent,
// keys sorted, markup characters (<i>, &) left unescaped. Variables the
// schema does not define are left out, so that the output validates. The
// same items always give the same bytes.
func Write(w io.Writer, items []csl.Item) error {
	if schemaErr != nil {
		return schemaErr
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	for i := range items {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  ")
		b, err := marshalItem(&items[i])
		if err != nil {
			return fmt.Errorf("csl-json: item %d (%q): %w", i, items[i].ID, err)
		}
		bw.Write(b)
	}
	if len(items) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("csl-json: write: %w", err)
	}
	return nil
}

// marshalItem encodes one item indented for its place in the array.
func marshalItem(it *csl.Item) ([]byte, error) {
	m := make(map[string]any, 2+len(it.Vars)+len(it.Names)+len(it.Dates))
	for k, v := range it.Vars {
		if kd, ok := cslSchema.fields[k]; !ok || kd != kindString && kd != kindStringNum || k == "id" || k == "type" {
			continue
		}
		m[k] = v
	}
	for k, v := range it.Names {
		if kd, ok := cslSchema.fields[k]; ok && kd == kindNames {
			m[k] = v
		}
	}
	for k, d := range it.Dates {
		if kd, ok := cslSchema.fields[k]; ok && kd == kindDate {
			m[k] = dateObject(d)
		}
	}
	m["id"] = it.ID
	if it.Type != "" {
		m["type"] = it.Type
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	if err := enc.Encode(m); err != nil { // maps encode with sorted keys
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// dateObject is csl.Date in CSL-JSON form, built here so that the encoder's
// settings (no HTML escaping) reach its literal and raw text.
func dateObject(d csl.Date) map[string]any {
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
	return m
}
