// Package bibtex reads and writes BibTeX and BibLaTeX databases as CSL items.
//
// Reading is in two layers. A Decoder streams raw entries: it expands @string
// macros and # concatenation, keeps @preamble text and skips @comment and
// the junk between entries, but leaves field values as LaTeX source. Parse
// reads a whole file, resolves crossref and xdata inheritance (which may
// point forwards) and converts each entry to a csl.Item: LaTeX accents and
// commands become Unicode, protected {Words} become nocase spans, names are
// split into their parts and dates are parsed.
package bibtex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/csl"
)

// Options tune parsing. The zero value is ready to use.
type Options struct {
	// File names the input in error messages.
	File string
	// SkipInvalid makes Parse keep going past invalid entries: it returns
	// the valid items and a bib.ErrorList naming every entry it skipped.
	SkipInvalid bool
	// MaxFieldSize bounds one field value in bytes (default 1 MiB), so that
	// an unterminated brace cannot swallow a whole file into memory.
	MaxFieldSize int
}

func (o *Options) maxField() int {
	if o == nil || o.MaxFieldSize <= 0 {
		return 1 << 20
	}
	return o.MaxFieldSize
}

// Entry is one raw entry with macros expanded. Type is lower-case; field
// names are lower-case and in file order.
type Entry struct {
	Type   string
	Key    string
	Fields []Field
	Line   int // position of the '@'
	Col    int
}

// Field is one field of an entry; Value is LaTeX source.
type Field struct {
	Name  string
	Value string
	Line  int
	Col   int
}

// Get returns the value of the named field.
func (e *Entry) Get(name string) (string, bool) {
	for _, f := range e.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

func (e *Entry) field(name string) *Field {
	for i := range e.Fields {
		if e.Fields[i].Name == name {
			return &e.Fields[i]
		}
	}
	return nil
}

// monthMacros are predefined as in BibTeX's standard styles, where they
// expand to the English names; the month field accepts names and numbers
// alike, and elsewhere ("jan # 5") the name reads better.
var monthMacros = map[string]string{
	"jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
	"jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}

// Decoder reads entries one at a time from a stream.
type Decoder struct {
	r         io.Reader
	buf       []byte // buf[pos:end] is unread; buf[pos-1] can be pushed back
	pos, end  int
	eof       bool
	opts      Options
	line, col int
	lastCol   int // column before the last newline, for unread
	peeked    bool
	macros    map[string]string
	preamble  []string
	atLineBeg bool   // only blanks read since the last newline
	prevBlank bool   // atLineBeg as it was before the last byte read
	pendingAt bool   // an '@' starting a line was pushed back: resync stops there
	scratch   []byte // the value being read, reused between values
	err       error
}

// NewDecoder returns a Decoder reading from r. opts may be nil.
func NewDecoder(r io.Reader, opts *Options) *Decoder {
	d := &Decoder{r: r, buf: make([]byte, 64<<10), line: 1, col: 0, macros: map[string]string{}, atLineBeg: true}
	if opts != nil {
		d.opts = *opts
	}
	for k, v := range monthMacros {
		d.macros[k] = v
	}
	return d
}

// Preamble returns the text of the @preamble entries read so far, joined
// by newlines.
func (d *Decoder) Preamble() string { return strings.Join(d.preamble, "\n") }

// Macro returns the expansion of a @string macro (or month macro) defined so
// far.
func (d *Decoder) Macro(name string) (string, bool) {
	v, ok := d.macros[strings.ToLower(name)]
	return v, ok
}

const eof = -1

// fill refills the buffer, keeping the last byte read so that it can still
// be pushed back.
func (d *Decoder) fill() bool {
	if d.eof {
		return false
	}
	keep := 0
	if d.end > 0 {
		d.buf[0] = d.buf[d.end-1]
		keep = 1
	}
	for {
		n, err := d.r.Read(d.buf[keep:])
		d.pos, d.end = keep, keep+n
		if err != nil {
			d.eof = true
			if !errors.Is(err, io.EOF) && d.err == nil {
				d.err = err
			}
		}
		if n > 0 {
			return true
		}
		if d.eof {
			return false
		}
	}
}

func (d *Decoder) read() int {
	if d.pos >= d.end && !d.fill() {
		d.pos = d.end + 1 // so that unread of eof stays a no-op
		return eof
	}
	b := d.buf[d.pos]
	d.pos++
	d.prevBlank = d.atLineBeg
	if b == '\n' {
		d.lastCol = d.col
		d.line++
		d.col = 0
		d.atLineBeg = true
	} else {
		d.col++
		if b != ' ' && b != '\t' && b != '\r' {
			d.atLineBeg = false
		}
	}
	return int(b)
}

func (d *Decoder) unread(c int) {
	if c == eof {
		d.pos = d.end
		return
	}
	d.pos--
	if c == '\n' {
		d.line--
		d.col = d.lastCol
	} else {
		d.col--
	}
}

func (d *Decoder) peek() int {
	c := d.read()
	d.unread(c)
	return c
}

func isSpace(c int) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// skipSpace skips whitespace and, leniently, % comments running to the end
// of the line, which several tools write between fields.
func (d *Decoder) skipSpace() {
	for {
		c := d.read()
		switch {
		case isSpace(c):
		case c == '%':
			for c != '\n' && c != eof {
				c = d.read()
			}
		default:
			d.unread(c)
			return
		}
	}
}

// identChar reports whether c may appear in an entry type, field name or
// macro name; the excluded set is BibTeX's.
func identChar(c int) bool {
	if c == eof || isSpace(c) {
		return false
	}
	switch c {
	case '"', '#', '%', '\'', '(', ')', ',', '=', '{', '}', '@':
		return false
	}
	return true
}

func (d *Decoder) ident() string {
	var b []byte
	for {
		c := d.read()
		if !identChar(c) {
			d.unread(c)
			return string(b)
		}
		b = append(b, byte(c))
	}
}

// errAt builds a positioned error at the current position.
func (d *Decoder) errAt(line, col int, key, field string, format string, args ...any) *bib.Error {
	return &bib.Error{File: d.opts.File, Line: line, Col: col, Entry: key, Index: -1, Field: field, Err: fmt.Errorf(format, args...)}
}

// Next returns the next entry, or io.EOF after the last one. A *bib.Error
// reports an invalid entry; the Decoder then resumes at the next line that
// starts with '@', so the caller may call Next again to skip the entry.
func (d *Decoder) Next() (*Entry, error) {
	for {
		// Between entries everything but '@' is a comment.
		c := d.read()
		for c != '@' && c != eof {
			if c == '%' {
				for c != '\n' && c != eof {
					c = d.read()
				}
				continue
			}
			c = d.read()
		}
		if c == eof {
			if d.err != nil {
				return nil, d.ioError()
			}
			return nil, io.EOF
		}
		line, col := d.line, d.col
		startsLine := d.prevBlank
		d.skipSpace()
		typ := strings.ToLower(d.ident())
		if typ == "" {
			continue // a stray '@', e.g. in an e-mail address between entries
		}
		d.skipSpace()
		open := d.read()
		if open != '{' && open != '(' {
			if typ == "comment" || !startsLine {
				// BibTeX's @comment without delimiters comments out nothing
				// more, and an '@' inside a line of text (an e-mail address)
				// is part of the junk between entries.
				d.unread(open)
				continue
			}
			d.unread(open)
			err := d.errAt(d.line, d.col+1, "", "", "@%s: want '{' or '(' after the entry type", typ)
			d.resync()
			return nil, err
		}
		closer := int('}')
		if open == '(' {
			closer = ')'
		}
		switch typ {
		case "comment":
			if err := d.skipBalanced(open, closer, line, col); err != nil {
				return nil, err
			}
			continue
		case "preamble":
			d.skipSpace()
			v, err := d.value("", "")
			if err == nil {
				err = d.expectClose(closer, "", "")
			}
			if err != nil {
				d.resync()
				return nil, err
			}
			d.preamble = append(d.preamble, v)
			continue
		case "string":
			if err := d.stringDef(closer); err != nil {
				d.resync()
				return nil, err
			}
			continue
		}
		e, err := d.entry(typ, closer, line, col)
		if d.err != nil {
			return nil, d.ioError() // not the entry's fault: the input broke off
		}
		if err != nil {
			d.resync()
			return nil, err
		}
		return e, nil
	}
}

// ioError reports a failure of the underlying reader. It is not a
// *bib.Error, so that Parse stops even when skipping invalid entries.
func (d *Decoder) ioError() error {
	return fmt.Errorf("bibtex: %s: read error at line %d: %w", fileName(&d.opts), d.line, d.err)
}

// resync skips to the next line that starts with '@' (after blanks).
func (d *Decoder) resync() {
	if d.pendingAt {
		d.pendingAt = false
		return
	}
	for {
		c := d.read()
		if c == eof {
			return
		}
		if c == '@' && d.prevBlank {
			d.unread(c)
			d.atLineBeg = true
			return
		}
	}
}

func (d *Decoder) skipBalanced(open, closer int, line, col int) error {
	depth := 1
	for {
		c := d.read()
		switch c {
		case eof:
			return d.errAt(line, col, "", "", "unterminated @comment")
		case open:
			depth++
		case closer:
			depth--
			if depth == 0 {
				return nil
			}
		}
	}
}

func (d *Decoder) expectClose(closer int, key, field string) error {
	d.skipSpace()
	c := d.read()
	if c != closer {
		d.unread(c)
		return d.errAt(d.line, d.col+1, key, field, "want %q, got %s", rune(closer), describe(c))
	}
	return nil
}

func describe(c int) string {
	if c == eof {
		return "end of file"
	}
	return fmt.Sprintf("%q", rune(c))
}

func (d *Decoder) stringDef(closer int) error {
	d.skipSpace()
	line, col := d.line, d.col+1
	name := strings.ToLower(d.ident())
	if name == "" {
		return d.errAt(line, col, "", "", "@string: want a macro name")
	}
	d.skipSpace()
	if c := d.read(); c != '=' {
		d.unread(c)
		return d.errAt(d.line, d.col+1, "", name, "@string: want '=' after the macro name")
	}
	d.skipSpace()
	v, err := d.value("", name)
	if err != nil {
		return err
	}
	// Expanding at definition time, as BibTeX does, makes cycles impossible.
	d.macros[name] = v
	d.skipSpace()
	if c := d.peek(); c == ',' {
		d.read()
	}
	return d.expectClose(closer, "", name)
}

func (d *Decoder) entry(typ string, closer int, line, col int) (*Entry, error) {
	e := &Entry{Type: typ, Line: line, Col: col, Fields: make([]Field, 0, 16)}
	d.skipSpace()
	// The key runs to the first comma, blank or closing delimiter.
	var key []byte
	for {
		c := d.read()
		if c == eof || c == ',' || isSpace(c) || c == closer || c == '{' || c == '}' {
			d.unread(c)
			break
		}
		key = append(key, byte(c))
	}
	e.Key = string(key)
	d.skipSpace()
	c := d.read()
	if c == closer && e.Key != "" {
		return e, nil
	}
	if c != ',' {
		d.unread(c)
		return nil, d.errAt(d.line, d.col+1, e.Key, "", "@%s: want ',' after the entry key, got %s", typ, describe(c))
	}
	if e.Key == "" {
		return nil, d.errAt(line, col, "", "", "@%s: missing entry key", typ)
	}
	for {
		d.skipSpace()
		c := d.peek()
		if c == closer {
			d.read()
			return e, nil
		}
		if c == eof {
			return nil, d.errAt(line, col, e.Key, "", "unterminated entry (end of file before %q)", rune(closer))
		}
		fline, fcol := d.line, d.col+1
		name := strings.ToLower(d.ident())
		if name == "" {
			return nil, d.errAt(fline, fcol, e.Key, "", "want a field name, got %s", describe(d.peek()))
		}
		d.skipSpace()
		if c := d.read(); c != '=' {
			d.unread(c)
			return nil, d.errAt(d.line, d.col+1, e.Key, name, "want '=' after the field name, got %s", describe(c))
		}
		d.skipSpace()
		v, err := d.value(e.Key, name)
		if err != nil {
			return nil, err
		}
		if e.field(name) == nil {
			// A repeated field is ignored, as BibTeX and biber do (with a
			// warning): real files have them, and the first one wins.
			e.Fields = append(e.Fields, Field{Name: name, Value: v, Line: fline, Col: fcol})
		}
		d.skipSpace()
		switch c := d.read(); c {
		case ',':
		case closer:
			return e, nil
		default:
			d.unread(c)
			return nil, d.errAt(d.line, d.col+1, e.Key, name, "want ',' or %q after the field value, got %s", rune(closer), describe(c))
		}
	}
}

// value reads one field value: braced or quoted strings, numbers and macro
// names joined by '#'.
func (d *Decoder) value(key, field string) (string, error) {
	d.scratch = d.scratch[:0]
	max := d.opts.maxField()
	for {
		line, col := d.line, d.col+1
		c := d.read()
		switch {
		case c == '{':
			if err := d.delimited('}', max, key, field, line, col); err != nil {
				return "", err
			}
		case c == '"':
			if err := d.delimited('"', max, key, field, line, col); err != nil {
				return "", err
			}
		case c >= '0' && c <= '9':
			for c >= '0' && c <= '9' {
				d.scratch = append(d.scratch, byte(c))
				c = d.read()
			}
			d.unread(c)
		case identChar(c):
			d.unread(c)
			name := strings.ToLower(d.ident())
			v, ok := d.macros[name]
			if !ok {
				return "", d.errAt(line, col, key, field, "undefined macro %q", name)
			}
			d.scratch = append(d.scratch, v...)
		default:
			d.unread(c)
			return "", d.errAt(line, col, key, field, "want a value, got %s", describe(c))
		}
		if len(d.scratch) > max {
			return "", d.errAt(line, col, key, field, "value longer than %d bytes", max)
		}
		d.skipSpace()
		if d.peek() != '#' {
			return string(d.scratch), nil
		}
		d.read()
		d.skipSpace()
	}
}

// delimited appends a braced or quoted string (without its delimiters) to
// d.scratch. Braces nest in both; a quote ends a quoted string only at
// depth 0.
func (d *Decoder) delimited(end int, max int, key, field string, line, col int) error {
	depth := 0
	start := len(d.scratch)
	for {
		// Copy runs of ordinary bytes straight from the buffer; only the
		// bytes that matter go through read.
		if d.pos < d.end {
			buf := d.buf[d.pos:d.end]
			i := 0
			blank := true
			for ; i < len(buf); i++ {
				c := buf[i]
				if c == '{' || c == '}' || c == '"' || c == '\n' || c == '@' {
					break
				}
				if c != ' ' && c != '\t' && c != '\r' {
					blank = false
				}
			}
			if i > 0 {
				d.scratch = append(d.scratch, buf[:i]...)
				d.pos += i
				d.col += i
				if !blank {
					d.atLineBeg = false
				}
				if len(d.scratch)-start > max {
					return d.errAt(line, col, key, field, "value longer than %d bytes (unbalanced braces?)", max)
				}
			}
		}
		c := d.read()
		switch {
		case c == eof:
			return d.errAt(line, col, key, field, "unterminated value (end of file)")
		case c == end && depth == 0:
			return nil
		case c == '{':
			depth++
		case c == '}':
			if depth == 0 {
				return d.errAt(d.line, d.col, key, field, "unbalanced '}' in a quoted value")
			}
			depth--
		case c == '@' && d.prevBlank:
			// A value running into a line that starts an entry is missing
			// its closing delimiter; stopping here lets the next entry be
			// read when invalid entries are skipped.
			d.unread(c)
			d.pendingAt = true
			return d.errAt(line, col, key, field, "unterminated value (next entry starts at line %d)", d.line)
		}
		d.scratch = append(d.scratch, byte(c))
		if len(d.scratch)-start > max {
			return d.errAt(line, col, key, field, "value longer than %d bytes (unbalanced braces?)", max)
		}
	}
}

// Parse reads a whole BibTeX or BibLaTeX database and returns its entries
// as CSL items, in file order. @xdata and @set entries only lend fields or
// group others, so they yield no item. By default the first invalid entry
// fails the parse; with Options.SkipInvalid the valid items come back with
// a bib.ErrorList of the skipped ones.
func Parse(ctx context.Context, r io.Reader, opts *Options) ([]csl.Item, error) {
	entries, errs, err := readEntries(ctx, r, opts)
	if err != nil {
		return nil, err
	}
	items, cerrs := convertEntries(entries, opts)
	errs = append(errs, cerrs...)
	if len(errs) > 0 && (opts == nil || !opts.SkipInvalid) {
		return nil, errs[0]
	}
	return items, errs.Err()
}

// ParseEntries reads a whole database and returns its raw entries with
// crossref and xdata inheritance applied but values still in LaTeX.
func ParseEntries(ctx context.Context, r io.Reader, opts *Options) ([]Entry, error) {
	entries, errs, err := readEntries(ctx, r, opts)
	if err != nil {
		return nil, err
	}
	resolved, rerrs := resolveAll(entries, opts)
	errs = append(errs, rerrs...)
	if len(errs) > 0 && (opts == nil || !opts.SkipInvalid) {
		return nil, errs[0]
	}
	return resolved, errs.Err()
}

// readEntries collects the entries of r. A fatal error (I/O, cancellation,
// or the first entry error when not skipping) comes back as err.
func readEntries(ctx context.Context, r io.Reader, opts *Options) ([]Entry, bib.ErrorList, error) {
	skip := opts != nil && opts.SkipInvalid
	d := NewDecoder(r, opts)
	var entries []Entry
	var errs bib.ErrorList
	seen := map[string]int{}
	for n := 0; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, fmt.Errorf("bibtex: %s: %w", fileName(opts), err)
			}
		}
		e, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var be *bib.Error
			if !errors.As(err, &be) || be.Line == 0 || !skip {
				return nil, nil, err
			}
			errs = append(errs, be)
			continue
		}
		lk := strings.ToLower(e.Key)
		if i, dup := seen[lk]; dup {
			be := d.errAt(e.Line, e.Col, e.Key, "", "duplicate entry key (first at line %d)", entries[i].Line)
			if !skip {
				return nil, nil, be
			}
			errs = append(errs, be)
			continue
		}
		seen[lk] = len(entries)
		entries = append(entries, *e)
	}
	return entries, errs, nil
}

func fileName(opts *Options) string {
	if opts == nil || opts.File == "" {
		return "input"
	}
	return opts.File
}
