// Package bib holds what the reference interchange packages (bib/bibtex,
// bib/ris, bib/csljson) share: positioned errors and format detection.
package bib

import (
	"bytes"
	"fmt"
	"strings"
)

// Error is one problem in an input file, positioned as precisely as the
// format allows. Empty parts are left out of the message, which reads like
// `refs.bib:12:3: entry "smith2013": field "year": not a number`.
type Error struct {
	File  string // file name as given by the caller; may be empty
	Line  int    // 1-based; 0 when unknown
	Col   int    // 1-based; 0 when unknown
	Entry string // entry key or item id
	Index int    // 0-based position of the entry in the file; -1 when not meaningful
	Field string // field or tag name
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	}
	if e.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Index >= 0 {
		fmt.Fprintf(&b, "item %d: ", e.Index)
	}
	if e.Entry != "" {
		fmt.Fprintf(&b, "entry %q: ", e.Entry)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid")
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList collects the problems of the entries that were skipped when a
// parser was asked to keep going past invalid entries.
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap exposes every error to errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Err returns l as an error, or nil when it is empty, so that an empty list
// never becomes a non-nil error interface.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Format names an interchange format.
type Format string

// The formats the bib packages read and write. BibLaTeX is BibTeX's
// extended dialect: the same reader handles both; they differ on write.
const (
	BibTeX   Format = "bibtex"
	BibLaTeX Format = "biblatex"
	RIS      Format = "ris"
	CSLJSON  Format = "csljson"
)

// Detect guesses the format of data from its first significant bytes: a
// JSON array or object is CSL-JSON, a line starting with "TY  -" is RIS, an
// '@' entry is BibTeX. It returns "" when none matches.
func Detect(data []byte) Format {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') {
		return CSLJSON
	}
	for _, line := range bytes.SplitN(data, []byte("\n"), 200) {
		line = bytes.TrimLeft(line, " \t")
		if len(line) >= 5 && bytes.HasPrefix(line, []byte("TY  -")) {
			return RIS
		}
		if len(line) > 1 && line[0] == '@' {
			return BibTeX
		}
	}
	return ""
}
