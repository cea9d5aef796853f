// Package ris reads and writes RIS, the tagged format of reference managers
// (EndNote, Zotero, Mendeley, databases' "export citation"), as CSL items.
//
// A record is a run of "XX  - value" lines from TY to ER. Tags may repeat
// (AU, KW, N1…); lines without a tag continue the previous value, as
// exporters wrap long abstracts. Input must be UTF-8, with or without a
// byte-order mark; anything else is rejected with the line where it shows.
package ris

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/csl"
)

// Options tune parsing. The zero value is ready to use.
type Options struct {
	// File names the input in error messages.
	File string
	// SkipInvalid makes Parse keep going past invalid records: it returns
	// the valid items and a bib.ErrorList naming every record it skipped.
	SkipInvalid bool
}

// Record is one raw RIS record.
type Record struct {
	Tags []Tag
	Line int // line of its TY tag
}

// Tag is one tag line (with its continuation lines folded in).
type Tag struct {
	Name  string
	Value string
	Line  int
}

// Get returns the first value of the named tag.
func (r *Record) Get(name string) string {
	for _, t := range r.Tags {
		if t.Name == name {
			return t.Value
		}
	}
	return ""
}

// All returns every non-empty value of the named tags, in record order.
func (r *Record) All(names ...string) []string {
	var out []string
	for _, t := range r.Tags {
		for _, n := range names {
			if t.Name == n && t.Value != "" {
				out = append(out, t.Value)
			}
		}
	}
	return out
}

func (r *Record) tag(name string) *Tag {
	for i := range r.Tags {
		if r.Tags[i].Name == name {
			return &r.Tags[i]
		}
	}
	return nil
}

// maxLine bounds one line, so that a file without line breaks cannot
// exhaust memory.
const maxLine = 1 << 20

// Decoder reads records one at a time.
type Decoder struct {
	sc       *bufio.Scanner
	opts     Options
	line     int
	done     bool    // nothing more to read
	fatal    bool    // stopped by an encoding or I/O error
	pending  *Record // a TY line read while the previous record lacked ER
	skipping bool    // inside junk after a tag outside any record
	wrapped  bool    // the last line was cut at wrapWidth, mid-word
}

// wrapWidth is where citation-js cuts long values.
const wrapWidth = 70

// NewDecoder returns a Decoder reading from r. opts may be nil.
func NewDecoder(r io.Reader, opts *Options) *Decoder {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	d := &Decoder{sc: sc}
	if opts != nil {
		d.opts = *opts
	}
	return d
}

func (d *Decoder) errAt(line int, id, field string, format string, args ...any) *bib.Error {
	return &bib.Error{File: d.opts.File, Line: line, Entry: id, Index: -1, Field: field, Err: fmt.Errorf(format, args...)}
}

// parseTagLine splits "XX  - value". Exporters vary the blanks around the
// hyphen, so one or more blanks before it and none or one after are all
// accepted; the tag is an upper-case letter and a letter or digit.
func parseTagLine(s string) (tag, value string, ok bool) {
	if len(s) < 4 {
		return "", "", false
	}
	a, b := s[0], s[1]
	if !(a >= 'A' && a <= 'Z') || !(b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
		return "", "", false
	}
	i := 2
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i == 2 || i >= len(s) || s[i] != '-' {
		return "", "", false
	}
	i++
	if i < len(s) && s[i] != ' ' {
		return "", "", false
	}
	return s[:2], strings.TrimSpace(s[i:]), true
}

// Next returns the next record, or io.EOF after the last one. A *bib.Error
// reports an invalid record; the Decoder then resumes at the next record,
// unless the error is fatal (an encoding or I/O error), after which Next
// returns io.EOF.
func (d *Decoder) Next() (*Record, error) {
	if d.done {
		return nil, io.EOF
	}
	rec := d.pending
	d.pending = nil
	var last *Tag
	if rec != nil {
		last = &rec.Tags[len(rec.Tags)-1]
	}
	for d.sc.Scan() {
		d.line++
		raw := d.sc.Bytes()
		if d.line == 1 {
			switch {
			case bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")):
				raw = raw[3:]
			case bytes.HasPrefix(raw, []byte("\xff\xfe")), bytes.HasPrefix(raw, []byte("\xfe\xff")):
				return nil, d.fatalAt(1, 0, errors.New("the file is UTF-16; save it as UTF-8"))
			}
		}
		if !utf8.Valid(raw) {
			col := 1
			for i := 0; i < len(raw); {
				r, n := utf8.DecodeRune(raw[i:])
				if r == utf8.RuneError && n <= 1 {
					break
				}
				i += n
				col++
			}
			// The rest of the file shares the encoding: stop here.
			return nil, d.fatalAt(d.line, col, errors.New("not valid UTF-8 (the file is probably in a legacy encoding such as Windows-1252; save it as UTF-8)"))
		}
		s := strings.TrimRight(string(raw), " \t\r")
		tag, value, ok := parseTagLine(s)
		if !ok && (s == "ER" || s == "ER  -" || s == "ER -") {
			tag, ok = "ER", true
		}
		switch {
		case !ok && rec == nil:
			continue // text between records
		case !ok:
			if t := strings.TrimSpace(s); t != "" && last != nil {
				if d.wrapped {
					// citation-js wraps values at exactly 70 characters,
					// mid-word; EndNote and others wrap between words.
					last.Value += t
				} else {
					last.Value += " " + t
				}
				d.wrapped = utf8.RuneCountInString(s) == wrapWidth
			}
		case tag == "TY":
			d.wrapped = false
			next := &Record{Tags: []Tag{{Name: "TY", Value: value, Line: d.line}}, Line: d.line}
			d.skipping = false
			if rec != nil {
				d.pending = next
				return nil, d.errAt(rec.Line, rec.Get("ID"), "", "record has no ER line before the next TY at line %d", d.line)
			}
			rec, last = next, &next.Tags[0]
		case tag == "ER":
			if rec != nil {
				return rec, nil
			}
			d.skipping = false
		case rec == nil:
			if d.skipping {
				continue
			}
			d.skipping = true
			return nil, d.errAt(d.line, "", tag, "tag outside a record (missing TY line)")
		default:
			rec.Tags = append(rec.Tags, Tag{Name: tag, Value: value, Line: d.line})
			last = &rec.Tags[len(rec.Tags)-1]
			d.wrapped = utf8.RuneCountInString(value) == wrapWidth
		}
	}
	if err := d.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, d.fatalAt(d.line+1, 0, fmt.Errorf("line longer than %d bytes", maxLine))
		}
		return nil, d.fatalAt(d.line, 0, err)
	}
	d.done = true
	if rec != nil {
		return nil, d.errAt(rec.Line, rec.Get("ID"), "", "record has no ER line (end of file)")
	}
	return nil, io.EOF
}

// fatalAt reports an error after which the input cannot be read further.
func (d *Decoder) fatalAt(line, col int, err error) *bib.Error {
	d.done, d.fatal = true, true
	return &bib.Error{File: d.opts.File, Line: line, Col: col, Index: -1, Err: err}
}

// Parse reads a whole RIS file and returns its records as CSL items. By
// default the first invalid record fails the parse; with
// Options.SkipInvalid the valid items come back with a bib.ErrorList.
func Parse(ctx context.Context, r io.Reader, opts *Options) ([]csl.Item, error) {
	skip := opts != nil && opts.SkipInvalid
	d := NewDecoder(r, opts)
	var items []csl.Item
	var errs bib.ErrorList
	seen := map[string]bool{}
	for n := 0; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("ris: %w", err)
			}
		}
		rec, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			var it csl.Item
			it, err = ToItem(rec)
			if err == nil {
				if it.ID == "" {
					it.ID = "ris" + strconv.Itoa(len(items)+len(errs)+1)
				}
				if seen[it.ID] {
					err = d.errAt(rec.Line, it.ID, "ID", "duplicate record id")
				} else {
					seen[it.ID] = true
					items = append(items, it)
					continue
				}
			}
		}
		var be *bib.Error
		if !errors.As(err, &be) {
			return nil, err
		}
		be.File = d.opts.File
		if !skip || d.fatal {
			return nil, be
		}
		errs = append(errs, be)
	}
	return items, errs.Err()
}

// typeToCSL maps RIS reference types to CSL types.
var typeToCSL = map[string]string{
	"ABST": "article", "ADVS": "motion_picture", "AGGR": "dataset", "ANCIENT": "classic", "ART": "graphic",
	"BILL": "bill", "BLOG": "post-weblog", "BOOK": "book", "CASE": "legal_case", "CHAP": "chapter",
	"CHART": "figure", "CLSWK": "classic", "COMP": "software", "CONF": "paper-conference",
	"CPAPER": "paper-conference", "CTLG": "book", "DATA": "dataset", "DBASE": "dataset", "DICT": "entry-dictionary",
	"EBOOK": "book", "ECHAP": "chapter", "EDBOOK": "book", "EJOUR": "article-journal", "ELEC": "webpage",
	"WEB": "webpage", "ENCYC": "entry-encyclopedia", "EQUA": "figure", "FIGURE": "figure", "GEN": "document",
	"GOVDOC": "report", "GRANT": "document", "HEAR": "hearing", "ICOMM": "personal_communication",
	"INPR": "article-journal", "JFULL": "periodical", "JOUR": "article-journal", "LEGAL": "legislation",
	"MANSCPT": "manuscript", "MAP": "map", "MGZN": "article-magazine", "MPCT": "motion_picture",
	"MULTI": "document", "MUSIC": "musical_score", "NEWS": "article-newspaper", "PAMP": "pamphlet",
	"PAT": "patent", "PCOMM": "personal_communication", "RPRT": "report", "SER": "periodical",
	"SLIDE": "graphic", "SOUND": "song", "STAND": "standard", "STAT": "legislation", "THES": "thesis",
	"UNBILL": "bill", "UNPB": "manuscript", "VIDEO": "motion_picture",
}

// typeFromCSL maps CSL types to RIS types; unlisted types become GEN.
var typeFromCSL = map[string]string{
	"article": "ABST", "article-journal": "JOUR", "article-magazine": "MGZN", "article-newspaper": "NEWS",
	"bill": "BILL", "book": "BOOK", "broadcast": "MPCT", "chapter": "CHAP", "classic": "CLSWK",
	"dataset": "DATA", "document": "GEN", "entry-dictionary": "DICT", "entry-encyclopedia": "ENCYC",
	"figure": "FIGURE", "graphic": "ART", "hearing": "HEAR", "legal_case": "CASE", "legislation": "STAT",
	"manuscript": "UNPB", "map": "MAP", "motion_picture": "VIDEO", "musical_score": "MUSIC",
	"pamphlet": "PAMP", "paper-conference": "CPAPER", "patent": "PAT", "periodical": "JFULL",
	"personal_communication": "PCOMM", "post": "ELEC", "post-weblog": "BLOG", "report": "RPRT",
	"software": "COMP", "song": "SOUND", "standard": "STAND", "thesis": "THES", "webpage": "ELEC",
}

// containerTypes are the CSL types whose T2 is a container title.
var containerTypes = map[string]bool{"article-journal": true, "article-magazine": true, "article-newspaper": true,
	"chapter": true, "paper-conference": true, "entry-dictionary": true, "entry-encyclopedia": true,
	"post-weblog": true, "webpage": true, "article": true}

// ToItem converts one record to a CSL item. Errors name the record's id
// (or its position) and the tag.
func ToItem(rec *Record) (csl.Item, error) {
	ty := strings.ToUpper(strings.TrimSpace(rec.Get("TY")))
	it := csl.Item{ID: strings.TrimSpace(rec.Get("ID")), Type: typeToCSL[ty], Vars: map[string]string{}}
	fail := func(tag string, format string, args ...any) (csl.Item, error) {
		line := rec.Line
		if t := rec.tag(tag); t != nil {
			line = t.Line
		}
		return csl.Item{}, &bib.Error{Line: line, Entry: it.ID, Index: -1, Field: tag, Err: fmt.Errorf(format, args...)}
	}
	if ty == "" {
		return fail("TY", "empty reference type")
	}
	if it.Type == "" {
		it.Type = "document"
	}
	set := func(v, s string) {
		if s = strings.TrimSpace(s); s != "" && it.Vars[v] == "" {
			it.Vars[v] = s
		}
	}
	first := func(tags ...string) string {
		for _, t := range tags {
			if v := rec.Get(t); v != "" {
				return v
			}
		}
		return ""
	}
	set("title", first("TI", "T1", "CT"))
	if it.Vars["title"] == "" && !containerTypes[it.Type] {
		set("title", rec.Get("BT"))
	}
	container := first("T2", "JF", "JO", "JFULL")
	if containerTypes[it.Type] || it.Type == "chapter" {
		container = first("T2", "BT", "JF", "JO")
	}
	if it.Type == "book" {
		// A book's T2 is its series (as Zotero writes it), like T3.
		set("collection-title", first("T2", "T3"))
		container = ""
	}
	if it.Type == "paper-conference" {
		// The specification and Zotero put the proceedings' title in C3
		// and the conference's name in T2; EndNote and most others have
		// only T2, for the proceedings.
		if c3 := rec.Get("C3"); c3 != "" {
			if container != "" && container != c3 {
				set("event-title", container)
			}
			container = c3
		}
	}
	set("container-title", container)
	set("container-title-short", first("J2", "JA", "J1"))
	set("collection-title", rec.Get("T3"))
	set("title-short", rec.Get("ST"))
	set("original-title", first("OP"))
	set("volume", rec.Get("VL"))
	set("issue", rec.Get("IS"))
	set("edition", rec.Get("ET"))
	set("number-of-volumes", rec.Get("NV"))
	set("publisher", rec.Get("PB"))
	set("publisher-place", first("CY", "PP"))
	set("DOI", strings.TrimPrefix(strings.TrimPrefix(rec.Get("DO"), "https://doi.org/"), "http://dx.doi.org/"))
	set("URL", first("UR", "L2"))
	set("abstract", first("AB", "N2"))
	set("language", rec.Get("LA"))
	set("genre", rec.Get("M3"))
	set("section", rec.Get("SE"))
	set("call-number", rec.Get("CN"))
	set("archive", first("DP", "DB"))
	set("archive_location", rec.Get("AN"))
	set("citation-label", rec.Get("LB"))
	set("number", rec.Get("M1"))
	if notes := rec.All("N1"); len(notes) > 0 {
		set("note", strings.Join(notes, "\n"))
	}
	if kw := rec.All("KW"); len(kw) > 0 {
		set("keyword", strings.Join(kw, ", "))
	}
	if sn := rec.Get("SN"); sn != "" {
		if it.Type == "book" || it.Type == "chapter" || it.Type == "report" || strings.Count(sn, "-")+len(strings.Trim(sn, "0123456789Xx- ")) == 0 && len(strings.ReplaceAll(sn, "-", "")) >= 10 {
			set("ISBN", sn)
		} else {
			set("ISSN", sn)
		}
	}
	sp, ep := strings.TrimSpace(rec.Get("SP")), strings.TrimSpace(rec.Get("EP"))
	switch {
	case sp != "" && ep != "" && ep != sp:
		set("page", sp+"-"+ep)
	case sp != "":
		set("page", sp)
	}
	if it.Type == "book" && sp != "" && ep == "" && !strings.ContainsAny(sp, "-–") {
		// For books SP is the page count, as Zotero and EndNote write it.
		delete(it.Vars, "page")
		set("number-of-pages", sp)
	}

	roles := []struct {
		tags []string
		v    string
	}{
		{[]string{"AU", "A1"}, "author"},
		{[]string{"A2", "ED"}, "editor"},
		{[]string{"A3"}, "collection-editor"},
		{[]string{"A4"}, "translator"},
	}
	if it.Type == "book" {
		// For a book the specification, Zotero and citation-js have A3 for
		// its editors and A2 for the series editors.
		roles[1].tags = []string{"A3", "ED"}
		roles[2].tags = []string{"A2"}
	}
	for _, r := range roles {
		for _, t := range rec.Tags {
			for _, want := range r.tags {
				if t.Name != want || strings.TrimSpace(t.Value) == "" {
					continue
				}
				if it.Names == nil {
					it.Names = map[string][]csl.Name{}
				}
				it.Names[r.v] = append(it.Names[r.v], parseName(t.Value))
			}
		}
	}

	dateTag := ""
	var issued csl.Date
	for _, tag := range []string{"DA", "PY", "Y1"} {
		v := rec.Get(tag)
		if v == "" {
			continue
		}
		d, err := parseDate(v)
		if err != nil {
			return fail(tag, "%v", err)
		}
		if dateTag == "" || len(d.Parts) > 0 && (len(issued.Parts) == 0 || len(d.Parts[0]) > len(issued.Parts[0])) {
			issued, dateTag = d, tag
		}
	}
	if dateTag != "" {
		it.Dates = map[string]csl.Date{"issued": issued}
	}
	if v := rec.Get("Y2"); v != "" {
		d, err := parseDate(v)
		if err != nil {
			return fail("Y2", "%v", err)
		}
		if it.Dates == nil {
			it.Dates = map[string]csl.Date{}
		}
		it.Dates["accessed"] = d
	}
	if len(it.Vars) == 0 {
		it.Vars = nil
	}
	return it, nil
}

// parseName reads "Family, Given, Suffix". A name without a comma is a
// literal (an organisation). Lower-case leading words of the family name
// are its particle ("van Gennep").
func parseName(s string) csl.Name {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ",")
	if len(parts) == 1 {
		return csl.Name{Literal: s}
	}
	n := csl.Name{Family: strings.TrimSpace(parts[0]), Given: strings.TrimSpace(parts[1])}
	if len(parts) > 2 {
		n.Suffix = strings.TrimSpace(strings.Join(parts[2:], ","))
	}
	words := strings.Fields(n.Family)
	k := 0
	for k < len(words)-1 {
		r, _ := utf8.DecodeRuneInString(words[k])
		if !unicode.IsLower(r) {
			break
		}
		k++
	}
	if k > 0 {
		n.NonDroppingParticle = strings.Join(words[:k], " ")
		n.Family = strings.Join(words[k:], " ")
	}
	return n
}

// parseDate reads RIS dates: "2013", "2013///", "2013/09/21/other info",
// and the ISO form "2013-09-21" that some exporters write in DA.
func parseDate(s string) (csl.Date, error) {
	s = strings.TrimSpace(s)
	var d csl.Date
	sep := "/"
	if !strings.Contains(s, "/") && strings.Count(s, "-") >= 1 && len(s) >= 7 {
		sep = "-"
	}
	fields := strings.SplitN(s, sep, 4)
	var parts []int
	for i, f := range fields {
		if i == 3 {
			break // free text after the day
		}
		f = strings.TrimSpace(f)
		if f == "" {
			break
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			if i == 0 {
				// Not a date at all ("in press", "n.d."): keep it literally.
				d.Literal = s
				return d, nil
			}
			return d, fmt.Errorf("%q: %q is not a number", s, f)
		}
		switch i {
		case 1:
			if n < 1 || n > 12 {
				return d, fmt.Errorf("%q: month %d out of range", s, n)
			}
		case 2:
			if n < 1 || n > 31 {
				return d, fmt.Errorf("%q: day %d out of range", s, n)
			}
		}
		parts = append(parts, n)
	}
	if len(parts) == 0 {
		return d, fmt.Errorf("%q is not a date", s)
	}
	d.Parts = [][]int{parts}
	return d, nil
}
