package bibtex

import (
	"fmt"
	"strings"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/bib/internal/parallel"
	"github.com/imprintpub/imprint/csl"
)

// typeToCSL maps BibTeX and BibLaTeX entry types to CSL types. Unknown
// types become "document", CSL's generic type.
var typeToCSL = map[string]string{
	"article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet",
	"collection": "book", "mvcollection": "book", "proceedings": "book", "mvproceedings": "book",
	"reference": "book", "mvreference": "book",
	"inbook": "chapter", "bookinbook": "chapter", "suppbook": "chapter", "incollection": "chapter",
	"suppcollection": "chapter", "inproceedings": "paper-conference", "conference": "paper-conference",
	"inreference": "entry-encyclopedia", "manual": "book", "misc": "document",
	"online": "webpage", "www": "webpage", "electronic": "webpage", "patent": "patent",
	"periodical": "periodical", "suppperiodical": "article-journal", "report": "report",
	"techreport": "report", "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis",
	"unpublished": "manuscript", "software": "software", "dataset": "dataset", "data": "dataset",
	"artwork": "graphic", "image": "graphic", "audio": "song", "music": "song", "video": "motion_picture",
	"movie": "motion_picture", "letter": "personal_communication", "legislation": "legislation",
	"legal": "legislation", "jurisdiction": "legal_case", "standard": "standard", "review": "review",
	"performance": "performance",
}

// genreFromType maps BibLaTeX's localisation keys in the type field (and
// the genre implied by BibTeX's thesis types) to CSL genre text.
var genreFromType = map[string]string{
	"phdthesis": "PhD thesis", "mathesis": "Master's thesis", "mastersthesis": "Master's thesis",
	"candthesis": "Candidate thesis", "techreport": "Technical report", "resreport": "Research report",
	"software": "Computer software", "datacd": "CD-ROM", "audiocd": "Audio CD",
}

// notInherited are the fields a child never takes from its crossref parent.
var notInherited = map[string]bool{
	"ids": true, "crossref": true, "xref": true, "entryset": true, "entrysubtype": true, "execute": true,
	"label": true, "options": true, "presort": true, "related": true, "relatedoptions": true,
	"relatedstring": true, "relatedtype": true, "shorthand": true, "shorthandintro": true, "sortkey": true,
	"xdata": true, "key": true,
}

var (
	multiVolume = map[string]bool{"mvbook": true, "mvcollection": true, "mvproceedings": true, "mvreference": true}
	bookLike    = map[string]bool{"book": true, "collection": true, "proceedings": true, "reference": true}
	inBook      = map[string]bool{"inbook": true, "bookinbook": true, "suppbook": true, "incollection": true,
		"suppcollection": true, "inproceedings": true, "inreference": true, "conference": true}
	titleFields = []string{"title", "subtitle", "titleaddon"}
	noTitleCopy = map[string]bool{"shorttitle": true, "sorttitle": true, "indextitle": true, "indexsorttitle": true}
)

// inheritRename returns the names under which the child inherits a parent's
// field (none when it is not inherited at all), after BibLaTeX's default
// inheritance rules.
func inheritRename(parentType, childType, field string) []string {
	if notInherited[field] {
		return nil
	}
	prefix := ""
	switch {
	case multiVolume[parentType] && (bookLike[childType] || inBook[childType] || childType == "book"):
		prefix = "main"
	case (bookLike[parentType] || parentType == "book") && inBook[childType]:
		prefix = "book"
		if field == "author" && (childType == "inbook" || childType == "bookinbook" || childType == "suppbook") {
			return []string{"author", "bookauthor"}
		}
	case parentType == "periodical" && (childType == "article" || childType == "suppperiodical"):
		prefix = "journal"
	}
	if prefix == "" {
		return []string{field}
	}
	for _, t := range titleFields {
		if field == t {
			if prefix == "journal" && t == "title" {
				return []string{"journaltitle"}
			}
			return []string{prefix + t}
		}
	}
	if noTitleCopy[field] {
		return nil
	}
	return []string{field}
}

// resolveAll applies xdata and crossref inheritance and drops the entries
// that only lend fields (@xdata) or group others (@set).
func resolveAll(entries []Entry, opts *Options) ([]Entry, bib.ErrorList) {
	byKey := make(map[string]int, len(entries))
	for i, e := range entries {
		byKey[strings.ToLower(e.Key)] = i
	}
	r := &resolver{entries: entries, byKey: byKey, state: make([]int8, len(entries)), file: fileName0(opts)}
	var errs bib.ErrorList
	out := make([]Entry, 0, len(entries))
	for i := range entries {
		if err := r.resolve(i, 0); err != nil {
			errs = append(errs, err)
			continue
		}
		switch entries[i].Type {
		case "xdata", "set":
			continue
		}
		out = append(out, r.entries[i])
	}
	return out, errs
}

func fileName0(opts *Options) string {
	if opts == nil {
		return ""
	}
	return opts.File
}

type resolver struct {
	entries []Entry
	byKey   map[string]int
	state   []int8 // 0 new, 1 in progress, 2 done, 3 failed
	errs    []*bib.Error
	file    string
}

func (r *resolver) fail(e *Entry, field string, format string, args ...any) *bib.Error {
	line, col := e.Line, e.Col
	if f := e.field(field); f != nil {
		line, col = f.Line, f.Col
	}
	return &bib.Error{File: r.file, Line: line, Col: col, Entry: e.Key, Index: -1, Field: field, Err: fmt.Errorf(format, args...)}
}

func (r *resolver) resolve(i, depth int) *bib.Error {
	e := &r.entries[i]
	switch r.state[i] {
	case 1:
		return r.fail(e, "crossref", "inheritance cycle through %q", e.Key)
	case 2:
		return nil
	case 3:
		return r.fail(e, "crossref", "inherits from an invalid entry")
	}
	r.state[i] = 1
	if xd, ok := e.Get("xdata"); ok {
		for _, k := range strings.Split(xd, ",") {
			k = strings.TrimSpace(k)
			if k == "" {
				continue
			}
			j, ok := r.byKey[strings.ToLower(k)]
			if !ok {
				continue // a missing parent only warns in biber; nothing to inherit
			}
			if err := r.resolve(j, depth+1); err != nil {
				r.state[i] = 3
				return r.fail(e, "xdata", "inherits from %q, which is invalid", k)
			}
			for _, f := range r.entries[j].Fields {
				if !notInherited[f.Name] && e.field(f.Name) == nil {
					e.Fields = append(e.Fields, f)
				}
			}
		}
	}
	if cr, ok := e.Get("crossref"); ok && strings.TrimSpace(cr) != "" {
		k := strings.TrimSpace(cr)
		j, ok := r.byKey[strings.ToLower(k)]
		if !ok {
			// BibTeX and biber only warn about a missing parent: the entry
			// stands with its own fields.
			r.state[i] = 2
			return nil
		}
		if err := r.resolve(j, depth+1); err != nil {
			r.state[i] = 3
			return r.fail(e, "crossref", "inherits from %q, which is invalid", k)
		}
		p := &r.entries[j]
		// Renamed fields first (title → booktitle), then same-name ones,
		// so that an explicit booktitle in a BibTeX-style parent loses to
		// the parent's own title only when the child has neither.
		var same []Field
		for _, f := range p.Fields {
			for _, name := range inheritRename(p.Type, e.Type, f.Name) {
				if name == f.Name {
					same = append(same, f)
				} else if e.field(name) == nil {
					g := f
					g.Name = name
					e.Fields = append(e.Fields, g)
				}
			}
		}
		for _, f := range same {
			if e.field(f.Name) == nil {
				e.Fields = append(e.Fields, f)
			}
		}
	}
	r.state[i] = 2
	return nil
}

// convertEntries resolves inheritance and converts every entry to an item.
func convertEntries(entries []Entry, opts *Options) ([]csl.Item, bib.ErrorList) {
	resolved, errs := resolveAll(entries, opts)
	converted := make([]csl.Item, len(resolved))
	failed := make([]error, len(resolved))
	parallel.Ranges(len(resolved), 256, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			converted[i], failed[i] = ToItem(&resolved[i])
		}
	})
	items := converted[:0]
	for i := range converted {
		if err := failed[i]; err != nil {
			if be, ok := err.(*bib.Error); ok {
				be.File = fileName0(opts)
				errs = append(errs, be)
			}
			continue
		}
		items = append(items, converted[i])
	}
	return items, errs
}

// languages maps babel and polyglossia language names (BibLaTeX's langid)
// to BCP 47 tags, as CSL's language variable expects.
var languages = map[string]string{
	"english": "en", "american": "en-US", "USenglish": "en-US", "usenglish": "en-US", "british": "en-GB",
	"UKenglish": "en-GB", "ukenglish": "en-GB", "canadian": "en-CA", "australian": "en-AU",
	"newzealand": "en-NZ", "german": "de", "ngerman": "de-DE", "austrian": "de-AT", "naustrian": "de-AT",
	"swissgerman": "de-CH", "nswissgerman": "de-CH", "french": "fr", "francais": "fr", "canadien": "fr-CA",
	"italian": "it", "spanish": "es", "catalan": "ca", "portuguese": "pt", "portuges": "pt",
	"brazilian": "pt-BR", "brazil": "pt-BR", "dutch": "nl", "danish": "da", "swedish": "sv",
	"norsk": "nb", "norwegian": "nb", "nynorsk": "nn", "finnish": "fi", "icelandic": "is", "polish": "pl",
	"czech": "cs", "slovak": "sk", "slovene": "sl", "croatian": "hr", "serbian": "sr", "russian": "ru",
	"ukrainian": "uk", "bulgarian": "bg", "greek": "el", "latin": "la", "turkish": "tr", "hungarian": "hu",
	"magyar": "hu", "romanian": "ro", "estonian": "et", "latvian": "lv", "lithuanian": "lt",
	"hebrew": "he", "arabic": "ar", "persian": "fa", "japanese": "ja", "chinese": "zh", "korean": "ko",
	"basque": "eu", "galician": "gl", "welsh": "cy", "irish": "ga", "vietnamese": "vi", "thai": "th",
	"hindi": "hi", "indonesian": "id", "afrikaans": "af",
}

// langTag returns the BCP 47 tag for a babel name, or the value itself when
// it already looks like a tag.
func langTag(s string) string {
	if t, ok := languages[s]; ok {
		return t
	}
	if t, ok := languages[strings.ToLower(s)]; ok {
		return t
	}
	return s
}

// verbatimFields hold identifiers and addresses: no LaTeX conversion.
var verbatimFields = map[string]bool{"doi": true, "url": true, "eprint": true, "file": true, "isbn": true, "issn": true}

// usedFields are the fields ToItem reads; the others (sorting keys, index
// titles, file links…) are not converted at all. TestUsedFields keeps this
// list in step with the code.
var usedFields = map[string]bool{
	"abstract": true, "address": true, "annotation": true, "annote": true, "archiveprefix": true,
	"booksubtitle": true, "booktitle": true, "booktitleaddon": true, "chapter": true, "date": true, "day": true,
	"doi": true, "edition": true, "entrysubtype": true, "eprint": true, "eprinttype": true, "event": true,
	"eventdate": true, "eventtitle": true, "howpublished": true, "institution": true, "isbn": true,
	"issn": true, "issue": true, "journal": true, "journalabbrev": true, "journalsubtitle": true,
	"journaltitle": true, "keywords": true, "langid": true, "language": true, "location": true,
	"mainsubtitle": true, "maintitle": true, "maintitleaddon": true, "month": true, "note": true,
	"number": true, "organization": true, "origdate": true, "origlocation": true, "origpublisher": true,
	"origtitle": true, "pages": true, "pagetotal": true, "part": true, "publisher": true, "school": true,
	"series": true, "shortjournal": true, "shorttitle": true, "subtitle": true, "title": true,
	"titleaddon": true, "type": true, "url": true, "urldate": true, "venue": true, "version": true,
	"volume": true, "volumes": true, "year": true,
}

// ToItem converts one entry (with inheritance already applied) to a CSL
// item. Errors are *bib.Error values naming the entry and field.
func ToItem(e *Entry) (csl.Item, error) {
	it := csl.Item{ID: e.Key, Type: typeToCSL[e.Type], Vars: map[string]string{}}
	if it.Type == "" {
		it.Type = "document"
	}
	fail := func(field string, err error) (csl.Item, error) {
		line, col := e.Line, e.Col
		if f := e.field(field); f != nil {
			line, col = f.Line, f.Col
		}
		return csl.Item{}, &bib.Error{Line: line, Col: col, Entry: e.Key, Index: -1, Field: field, Err: err}
	}
	// Text values, converted once each.
	text := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		if !usedFields[f.Name] {
			continue
		}
		if verbatimFields[f.Name] {
			text[f.Name] = strings.TrimSpace(f.Value)
			continue
		}
		mode := richText
		switch f.Name {
		case "author", "editor", "translator", "bookauthor", "date", "urldate", "eventdate", "origdate",
			"year", "month", "day", "crossref", "xdata", "keywords", "langid", "pages", "volume",
			"number", "issue", "edition", "pagetotal", "volumes", "chapter", "type", "entrysubtype":
			mode = plainText
		}
		switch f.Name {
		case "author", "editor", "translator", "bookauthor":
			continue // names are split before conversion
		}
		if listFields[f.Name] {
			// Split before converting: "{Barnes and Noble}" is one item.
			var parts []string
			for _, p := range splitNames(f.Value) {
				if strings.HasPrefix(p, "{") && closesAtEnd(p) {
					p = p[1 : len(p)-1] // braces that only protect an "and"
				}
				t, err := toText(p, mode)
				if err != nil {
					return fail(f.Name, err)
				}
				parts = append(parts, t)
			}
			text[f.Name] = strings.Join(parts, "; ")
			continue
		}
		t, err := toText(f.Value, mode)
		if err != nil {
			return fail(f.Name, err)
		}
		text[f.Name] = t
	}
	set := func(v, s string) {
		if s != "" {
			it.Vars[v] = s
		}
	}
	join := func(parts ...[2]string) string { // value and the separator before it
		var b strings.Builder
		for _, p := range parts {
			if p[1] == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteString(p[0])
			}
			b.WriteString(p[1])
		}
		return b.String()
	}
	title := func(prefix string) string {
		t := text[prefix+"title"]
		sep := ": "
		if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, ".") {
			sep = " " // the title's own punctuation ends it
		}
		return join([2]string{"", t}, [2]string{sep, text[prefix+"subtitle"]}, [2]string{". ", text[prefix+"titleaddon"]})
	}

	switch e.Type {
	case "unpublished":
		if text["eventtitle"] != "" || text["venue"] != "" || text["eventdate"] != "" {
			it.Type = "speech" // a talk: unpublished, given at an event
		}
	case "article":
		switch strings.ToLower(text["entrysubtype"]) {
		case "magazine":
			it.Type = "article-magazine"
		case "newspaper":
			it.Type = "article-newspaper"
		}
	}

	main := title("main")
	if main != "" && !inBook[e.Type] {
		// A volume of a multi-volume work: the work is the title and the
		// volume's own title is volume-title, as CSL 1.0.2 has it.
		set("title", main)
		set("volume-title", title(""))
	} else {
		set("title", title(""))
	}
	set("title-short", text["shorttitle"])
	container := join([2]string{"", text["journaltitle"]}, [2]string{": ", text["journalsubtitle"]})
	if container == "" {
		container = text["journal"]
	}
	book := title("book")
	switch {
	case book != "" && inBook[e.Type] && main == "":
		container = book // the book, even when a stray journal field is there
	case container != "":
	case book != "" && main != "" && inBook[e.Type]:
		container = main
		set("volume-title", book)
	case book != "" && inBook[e.Type]:
		container = book
	case main != "" && inBook[e.Type]:
		container = main
	}
	set("container-title", container)
	set("container-title-short", firstNonEmpty(text["shortjournal"], text["journalabbrev"]))
	set("collection-title", text["series"])
	// BibLaTeX prints volume and part as "13.1"; CSL has no part number.
	set("volume", join([2]string{"", text["volume"]}, [2]string{".", text["part"]}))
	set("number-of-volumes", text["volumes"])
	switch e.Type {
	case "article", "periodical", "suppperiodical":
		// BibLaTeX's number is the issue number and its issue a season or
		// name ("Winter"); CSL has one issue for both.
		set("issue", join([2]string{"", text["number"]}, [2]string{", ", text["issue"]}))
	default:
		set("issue", text["issue"])
		if text["series"] != "" && (bookLike[e.Type] || multiVolume[e.Type] || inBook[e.Type] || e.Type == "book") {
			set("collection-number", text["number"])
		} else {
			set("number", text["number"])
		}
	}
	if p := text["pages"]; p != "" {
		set("page", strings.ReplaceAll(p, "–", "-"))
	}
	set("number-of-pages", text["pagetotal"])
	set("chapter-number", text["chapter"])
	set("edition", text["edition"])
	set("version", text["version"])

	publisher := text["publisher"]
	switch e.Type {
	case "thesis", "phdthesis", "mastersthesis", "report", "techreport", "manual":
		publisher = firstNonEmpty(text["institution"], text["school"], publisher, text["organization"])
	default:
		publisher = firstNonEmpty(publisher, text["organization"], text["howpublished"])
	}
	set("publisher", publisher)
	set("publisher-place", firstNonEmpty(text["location"], text["address"]))
	set("original-publisher", text["origpublisher"])
	set("original-publisher-place", text["origlocation"])
	set("original-title", text["origtitle"])
	set("event-title", firstNonEmpty(text["eventtitle"], text["event"]))
	set("event-place", text["venue"])

	genre := text["type"]
	if g, ok := genreFromType[strings.ToLower(genre)]; ok {
		genre = g
	}
	if genre == "" {
		switch e.Type {
		case "phdthesis":
			genre = genreFromType["phdthesis"]
		case "mastersthesis":
			genre = genreFromType["mastersthesis"]
		}
	}
	set("genre", genre)

	set("DOI", text["doi"])
	set("URL", text["url"])
	set("ISBN", text["isbn"])
	set("ISSN", text["issn"])
	switch strings.ToLower(firstNonEmpty(text["eprinttype"], text["archiveprefix"])) {
	case "pubmed":
		set("PMID", text["eprint"])
	case "pmcid":
		set("PMCID", text["eprint"])
	case "arxiv":
		set("archive", "arXiv")
		set("archive_location", text["eprint"])
	}
	set("note", text["note"])
	set("abstract", text["abstract"])
	set("annote", firstNonEmpty(text["annotation"], text["annote"]))
	set("keyword", text["keywords"])
	if l := firstNonEmpty(text["langid"], text["language"]); l != "" {
		set("language", langTag(l))
	}

	for _, nf := range [][2]string{{"author", "author"}, {"editor", "editor"}, {"translator", "translator"}, {"bookauthor", "container-author"}} {
		src, ok := e.Get(nf[0])
		if !ok {
			continue
		}
		names, err := parseNames(src)
		if err != nil {
			return fail(nf[0], err)
		}
		if len(names) > 0 {
			if it.Names == nil {
				it.Names = map[string][]csl.Name{}
			}
			it.Names[nf[1]] = names
		}
	}

	dates := map[string]string{"date": "issued", "urldate": "accessed", "eventdate": "event-date", "origdate": "original-date"}
	for _, f := range []string{"date", "urldate", "eventdate", "origdate"} {
		v := text[f]
		if v == "" || len(v) < 4 && strings.Trim(v, "0") == "" {
			continue // "00" is how pandoc writes an item without a date
		}
		d, err := parseEDTF(v)
		if err != nil {
			return fail(f, err)
		}
		setDate(&it, dates[f], d)
	}
	if _, ok := e.Get("date"); !ok {
		if y := text["year"]; y != "" && strings.Trim(y, "0") != "" { // year 0 does not exist; pandoc writes it for "no date"
			d, field, err := yearMonthDate(y, text["month"], text["day"])
			if err != nil {
				return fail(field, err)
			}
			setDate(&it, "issued", d)
		} else if text["month"] != "" {
			return fail("month", fmt.Errorf("month without a year"))
		}
	}
	if len(it.Vars) == 0 {
		it.Vars = nil
	}
	return it, nil
}

func setDate(it *csl.Item, v string, d csl.Date) {
	if it.Dates == nil {
		it.Dates = map[string]csl.Date{}
	}
	it.Dates[v] = d
}

// listFields are BibLaTeX literal lists ("A and B"); CSL joins their items
// with "; ".
var listFields = map[string]bool{"publisher": true, "location": true, "address": true, "institution": true,
	"organization": true, "origpublisher": true, "origlocation": true}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
