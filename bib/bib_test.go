package bib

import (
	"errors"
	"io"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{`[{"id": "a"}]`, CSLJSON},
		{"\xef\xbb\xbf  {\"id\": 1}", CSLJSON},
		{"\xef\xbb\xbfTY  - JOUR\r\nER  - \r\n", RIS},
		{"Exported from EndNote\n\nTY  - BOOK\n", RIS},
		{"% comment\n@article{a,}", BibTeX},
		{"  @Book{a, title={T}}", BibTeX},
		{"plain text", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Detect([]byte(tc.in)); got != tc.want {
			t.Errorf("Detect(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	cause := errors.New("not a number")
	tests := []struct {
		e    *Error
		want string
	}{
		{&Error{File: "refs.bib", Line: 12, Col: 3, Entry: "smith2013", Field: "year", Index: -1, Err: cause},
			`refs.bib:12:3: entry "smith2013": field "year": not a number`},
		{&Error{File: "a.json", Line: 4, Col: 9, Index: 2, Entry: "x", Field: "type", Err: cause},
			`a.json:4:9: item 2: entry "x": field "type": not a number`},
		{&Error{Line: 7, Index: -1, Err: cause}, `7: not a number`},
		{&Error{File: "f.ris", Index: -1}, `f.ris: invalid`},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
		if tc.e.Err != nil && !errors.Is(tc.e, cause) {
			t.Errorf("%q does not unwrap to its cause", tc.want)
		}
	}
	list := ErrorList{{Line: 1, Index: -1, Err: cause}, {Line: 2, Index: -1, Err: io.EOF}}
	if got := list.Error(); got != "1: not a number (and 1 more errors)" {
		t.Errorf("list message %q", got)
	}
	if !errors.Is(list, io.EOF) || !errors.Is(list, cause) {
		t.Error("ErrorList does not expose its errors")
	}
	if (ErrorList{}).Err() != nil || list.Err() == nil {
		t.Error("Err() of an empty list must be nil, of a full one not")
	}
}
