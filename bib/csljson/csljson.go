// Package csljson reads and writes CSL-JSON, the citation processors' own
// item format, validating input against the CSL 1.0.2 data schema: the
// item types, each field's kind, and the shapes of names and dates. Errors
// point at the item (index and id), the field, and the line and column.
package csljson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/csl"
)

// Options tune parsing. The zero value validates strictly.
type Options struct {
	// File names the input in error messages.
	File string
	// SkipInvalid makes Parse keep going past invalid items: it returns the
	// valid items and a bib.ErrorList naming every item it skipped.
	SkipInvalid bool
	// Lenient accepts what common producers write beyond the schema: fields
	// it does not define (pandoc's "other-ids"; kept as text or ignored per
	// csl.Item's rules) and empty date-parts (pandoc's undated entries).
	Lenient bool
	// MaxSize bounds the input in bytes (default 256 MiB).
	MaxSize int64
}

// Parse reads a CSL-JSON array of items (or a single item object) and
// returns the items in order.
func Parse(ctx context.Context, r io.Reader, opts *Options) ([]csl.Item, error) {
	if schemaErr != nil {
		return nil, schemaErr
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	limit := o.MaxSize
	if limit <= 0 {
		limit = 256 << 20
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &bib.Error{File: o.File, Index: -1, Err: fmt.Errorf("read: %w", err)}
	}
	if int64(len(data)) > limit {
		return nil, &bib.Error{File: o.File, Index: -1, Err: fmt.Errorf("input larger than %d bytes", limit)}
	}
	p := &parser{data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), opts: o}
	return p.parse(ctx)
}

type parser struct {
	data []byte
	opts Options
	// lineAt caches the last offset→line computation, since offsets only
	// grow while items are read in order.
	lastOff, lastLine, lastLineStart int
}

// pos converts a byte offset into a 1-based line and column.
func (p *parser) pos(off int) (int, int) {
	if off < p.lastOff {
		p.lastOff, p.lastLine, p.lastLineStart = 0, 1, 0
	}
	if p.lastLine == 0 {
		p.lastLine = 1
	}
	for i := p.lastOff; i < off && i < len(p.data); i++ {
		if p.data[i] == '\n' {
			p.lastLine++
			p.lastLineStart = i + 1
		}
	}
	p.lastOff = off
	return p.lastLine, utf8.RuneCount(p.data[p.lastLineStart:min(off, len(p.data))]) + 1
}

// skipSpace returns the offset of the first non-blank byte at or after off.
func (p *parser) skipSpace(off int) int {
	for off < len(p.data) && (p.data[off] == ' ' || p.data[off] == '\t' || p.data[off] == '\n' || p.data[off] == '\r') {
		off++
	}
	return off
}

func (p *parser) errAt(off int, index int, id, field string, err error) *bib.Error {
	line, col := p.pos(off)
	return &bib.Error{File: p.opts.File, Line: line, Col: col, Index: index, Entry: id, Field: field, Err: err}
}

// syntaxError positions a JSON syntax error. The whole input is checked
// again with json.Unmarshal, whose SyntaxError.Offset counts the bytes read
// up to and including the offending one, whatever decoder found it.
func (p *parser) syntaxError(err error) *bib.Error {
	var v json.RawMessage
	if uerr := json.Unmarshal(p.data, &v); uerr != nil {
		err = uerr
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Error(), "unexpected end of JSON input") {
			return p.errAt(len(p.data), -1, "", "", errors.New("invalid JSON: unexpected end of input"))
		}
		return p.errAt(max(int(se.Offset)-1, 0), -1, "", "", fmt.Errorf("invalid JSON: %w", err))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return p.errAt(len(p.data), -1, "", "", errors.New("invalid JSON: unexpected end of input"))
	}
	return p.errAt(0, -1, "", "", fmt.Errorf("invalid JSON: %w", err))
}

func (p *parser) parse(ctx context.Context) ([]csl.Item, error) {
	start := p.skipSpace(0)
	if start == len(p.data) {
		return nil, p.errAt(start, -1, "", "", errors.New("empty input (want a JSON array of items)"))
	}
	if p.data[start] == '{' {
		var raw json.RawMessage
		if err := json.Unmarshal(p.data[start:], &raw); err != nil {
			return nil, p.syntaxError(err)
		}
		it, err := p.item(start, raw, 0)
		if err != nil {
			return nil, err
		}
		return []csl.Item{it}, nil
	}
	if p.data[start] != '[' {
		return nil, p.errAt(start, -1, "", "", fmt.Errorf("want a JSON array of items, got %q", p.data[start]))
	}
	dec := json.NewDecoder(bytes.NewReader(p.data))
	if _, err := dec.Token(); err != nil {
		return nil, p.syntaxError(err)
	}
	var items []csl.Item
	var errs bib.ErrorList
	seen := map[string]int{}
	for i := 0; dec.More(); i++ {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("csl-json: %w", err)
			}
		}
		off := p.skipSpace(int(dec.InputOffset()))
		if off < len(p.data) && p.data[off] == ',' {
			off = p.skipSpace(off + 1)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, p.syntaxError(err)
		}
		it, err := p.item(off, raw, i)
		if err == nil {
			if j, dup := seen[it.ID]; dup {
				err = p.errAt(off, i, it.ID, "id", fmt.Errorf("duplicate id (first used by item %d)", j))
			} else {
				seen[it.ID] = i
				items = append(items, it)
				continue
			}
		}
		if !p.opts.SkipInvalid {
			return nil, err
		}
		errs = append(errs, err.(*bib.Error))
	}
	if _, err := dec.Token(); err != nil {
		return nil, p.syntaxError(err)
	}
	if rest := p.skipSpace(int(dec.InputOffset())); rest < len(p.data) {
		return nil, p.errAt(rest, -1, "", "", errors.New("data after the end of the array"))
	}
	return items, errs.Err()
}

// field is one member of an item object with the offset of its value.
type field struct {
	name string
	off  int
	raw  json.RawMessage
}

// members lists an object's members in order, with their offsets.
func (p *parser) members(base int, raw json.RawMessage) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("want an object")
	}
	var out []field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		off := base + p.skipSpace(int(dec.InputOffset()))
		// InputOffset sits before the colon; the value follows it.
		if off < len(p.data) && p.data[off] == ':' {
			off = p.skipSpace(off + 1)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, field{name: name, off: off, raw: v})
	}
	return out, nil
}

// item validates one item and converts it.
func (p *parser) item(off int, raw json.RawMessage, index int) (csl.Item, error) {
	fail := func(foff int, id, name string, err error) (csl.Item, error) {
		return csl.Item{}, p.errAt(foff, index, id, name, err)
	}
	if len(raw) == 0 || raw[0] != '{' {
		return fail(off, "", "", fmt.Errorf("want an item object, got %s", jsonKind(raw)))
	}
	fields, err := p.members(off, raw)
	if err != nil {
		return fail(off, "", "", err)
	}
	id := ""
	hasType, hasID := false, false
	for _, f := range fields {
		if f.name == "id" {
			hasID = true
			if s, ok := scalar(f.raw); ok && !strings.HasPrefix(string(f.raw), "t") && !strings.HasPrefix(string(f.raw), "f") {
				id = s
			}
		}
	}
	if !hasID {
		return fail(off, "", "id", errors.New("missing (the schema requires an id)"))
	}
	seenField := map[string]bool{}
	for _, f := range fields {
		if seenField[f.name] {
			return fail(f.off, id, f.name, errors.New("given twice"))
		}
		seenField[f.name] = true
		if f.name == "type" {
			hasType = true
		}
		k, known := cslSchema.fields[f.name]
		if !known {
			if p.opts.Lenient {
				continue
			}
			return fail(f.off, id, f.name, errors.New("not a CSL-JSON field (use the custom object or note for extra data)"))
		}
		if string(f.raw) == "null" {
			continue // producers write null for "absent"; csl.Item skips it
		}
		if err := checkKind(f.raw, k); err != nil {
			return fail(f.off, id, f.name, err)
		}
		switch k {
		case kindString:
			if f.name == "type" {
				var t string
				_ = json.Unmarshal(f.raw, &t)
				if !cslSchema.types[t] {
					return fail(f.off, id, f.name, fmt.Errorf("%q is not a CSL item type%s", t, suggestType(t)))
				}
			}
		case kindNames:
			if err := checkNames(f.raw); err != nil {
				return fail(f.off, id, f.name, err)
			}
		case kindDate:
			if err := checkDate(f.raw, p.opts.Lenient); err != nil {
				return fail(f.off, id, f.name, err)
			}
		}
	}
	if f := fieldNamed(fields, "id"); f != nil {
		if err := checkKind(f.raw, kindStringNum); err != nil {
			return fail(f.off, id, "id", err)
		}
	}
	if !hasType {
		return fail(off, id, "type", errors.New("missing (the schema requires a type)"))
	}
	var it csl.Item
	if err := it.UnmarshalJSON(raw); err != nil {
		return fail(off, id, "", err)
	}
	return it, nil
}

func fieldNamed(fs []field, name string) *field {
	for i := range fs {
		if fs[i].name == name {
			return &fs[i]
		}
	}
	return nil
}

// suggestType names the CSL type a common non-CSL type name stands for.
func suggestType(t string) string {
	alias := map[string]string{"journalArticle": "article-journal", "bookSection": "chapter",
		"conferencePaper": "paper-conference", "article": "article-journal", "inproceedings": "paper-conference",
		"misc": "document", "web": "webpage", "website": "webpage", "techreport": "report", "phdthesis": "thesis"}
	if a, ok := alias[t]; ok {
		return fmt.Sprintf(" (did you mean %q?)", a)
	}
	l := strings.ToLower(t)
	for _, c := range cslSchema.typeList {
		if c == l {
			return fmt.Sprintf(" (types are lower-case: %q)", c)
		}
	}
	return ""
}

// jsonKind names the JSON kind of a raw value for messages.
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// scalar returns a JSON string, number or boolean as text.
func scalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[', 'n':
		return "", false
	}
	return string(raw), true
}

func checkKind(raw json.RawMessage, k kind) error {
	got := jsonKind(raw)
	ok := false
	switch k {
	case kindString:
		ok = got == "a string"
	case kindStringNum:
		ok = got == "a string" || got == "a number"
	case kindStringBool:
		ok = got == "a string" || got == "a number" || got == "a boolean"
	case kindNames, kindStrings:
		ok = got == "an array"
		if ok && k == kindStrings {
			var ss []string
			if json.Unmarshal(raw, &ss) != nil {
				return errors.New("want an array of strings")
			}
		}
	case kindDate, kindObject:
		ok = got == "an object"
	}
	if !ok {
		return fmt.Errorf("want %s, got %s", k, got)
	}
	return nil
}

func checkNames(raw json.RawMessage) error {
	var names []json.RawMessage
	if err := json.Unmarshal(raw, &names); err != nil {
		return err
	}
	for i, n := range names {
		if jsonKind(n) != "an object" {
			return fmt.Errorf("name %d: want a name object, got %s", i, jsonKind(n))
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(n, &m); err != nil {
			return fmt.Errorf("name %d: %w", i, err)
		}
		for _, k := range sortedKeys(m) {
			kd, ok := cslSchema.nameFields[k]
			if !ok {
				return fmt.Errorf("name %d: %q is not a name part (want family, given, literal, …)", i, k)
			}
			if err := checkKind(m[k], kd); err != nil {
				return fmt.Errorf("name %d: %q: %w", i, k, err)
			}
		}
	}
	return nil
}

func checkDate(raw json.RawMessage, lenient bool) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	for _, k := range sortedKeys(m) {
		kd, ok := cslSchema.dateFields[k]
		if !ok {
			return fmt.Errorf("%q is not a date field (want date-parts, season, circa, literal or raw)", k)
		}
		if k != "date-parts" {
			if err := checkKind(m[k], kd); err != nil {
				return fmt.Errorf("%q: %w", k, err)
			}
			continue
		}
		var parts []json.RawMessage
		if json.Unmarshal(m[k], &parts) != nil {
			return errors.New(`"date-parts": want an array of one or two dates`)
		}
		if len(parts) == 0 && lenient {
			continue
		}
		if len(parts) < 1 || len(parts) > 2 {
			return fmt.Errorf(`"date-parts": want one or two dates, got %d`, len(parts))
		}
		for i, part := range parts {
			var elems []json.RawMessage
			if json.Unmarshal(part, &elems) != nil {
				return fmt.Errorf(`"date-parts"[%d]: want an array of year, month, day`, i)
			}
			if len(elems) < 1 || len(elems) > 3 {
				return fmt.Errorf(`"date-parts"[%d]: want one to three numbers, got %d`, i, len(elems))
			}
			for j, e := range elems {
				if err := checkKind(e, kindStringNum); err != nil {
					return fmt.Errorf(`"date-parts"[%d][%d]: %w`, i, j, err)
				}
			}
		}
	}
	return nil
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
