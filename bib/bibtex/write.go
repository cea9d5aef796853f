package bibtex

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/imprintpub/imprint/csl"
)

// Flavor selects the dialect Write produces.
type Flavor int

const (
	// BibLaTeX writes UTF-8, ISO 8601 date fields, journaltitle, location and
	// BibLaTeX's entry types (online, thesis, report…).
	BibLaTeX Flavor = iota
	// BibTeX writes ASCII with LaTeX accents, year and month fields, and only
	// the classic entry types, for the standard BibTeX styles.
	BibTeX
)

// WriteOptions tune Write. The zero value writes BibLaTeX and keeps item ids
// that are usable as keys.
type WriteOptions struct {
	Flavor Flavor
	// GenerateKeys replaces every id by an author-year-word key
	// ("smith2013climate"); otherwise only ids that are empty, unusable as
	// keys or duplicated are replaced.
	GenerateKeys bool
	// ProtectCase braces the capitals of titles (and a lower-case word
	// after a colon) that BibTeX styles, biblatex and pandoc would
	// otherwise set in sentence case — in the BibTeX flavour every title's,
	// in BibLaTeX those of English items (langid). pandoc's and
	// citation-js's writers do the same. Use it for records whose titles
	// are stored as printed (CSL's convention): the file then cites as the
	// record does. Our reader takes the braces back as nocase spans.
	ProtectCase bool
}

// typeFromCSL maps CSL types to entry types for both flavours.
var typeFromCSL = map[string][2]string{ // {biblatex, bibtex}
	"article-journal": {"article", "article"}, "article-magazine": {"article", "article"},
	"article-newspaper": {"article", "article"}, "article": {"article", "article"},
	"book": {"book", "book"}, "chapter": {"incollection", "incollection"},
	"paper-conference": {"inproceedings", "inproceedings"}, "entry-encyclopedia": {"inreference", "incollection"},
	"entry-dictionary": {"inreference", "incollection"}, "entry": {"inreference", "incollection"},
	"pamphlet": {"booklet", "booklet"}, "report": {"report", "techreport"}, "thesis": {"thesis", "phdthesis"},
	"webpage": {"online", "misc"}, "post": {"online", "misc"}, "post-weblog": {"online", "misc"},
	"patent": {"patent", "misc"}, "periodical": {"periodical", "misc"}, "manuscript": {"unpublished", "unpublished"},
	"software": {"software", "misc"}, "dataset": {"dataset", "misc"}, "graphic": {"artwork", "misc"},
	"song": {"audio", "misc"}, "motion_picture": {"video", "misc"}, "personal_communication": {"letter", "misc"},
	"legislation": {"legislation", "misc"}, "bill": {"legislation", "misc"}, "regulation": {"legislation", "misc"},
	"treaty": {"legislation", "misc"}, "legal_case": {"jurisdiction", "misc"}, "standard": {"standard", "misc"},
	"review": {"review", "misc"}, "review-book": {"review", "misc"}, "performance": {"performance", "misc"},
}

// typeKeyFromGenre inverts genreFromType for BibLaTeX's type field.
var typeKeyFromGenre = func() map[string]string {
	m := map[string]string{}
	for k, v := range genreFromType {
		if k != "mastersthesis" {
			m[strings.ToLower(v)] = k
		}
	}
	return m
}()

var bibtexMonths = []string{"", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// field is one output field; raw values are written without escaping.
type outField struct {
	name, value string
	raw         bool // written without escaping
	bare        bool // a macro name, written without braces
}

// Write writes items as a BibTeX or BibLaTeX database. Output is stable: the
// same items always give the same bytes.
func Write(w io.Writer, items []csl.Item, opts *WriteOptions) error {
	var o WriteOptions
	if opts != nil {
		o = *opts
	}
	keys := Keys(items, o.GenerateKeys)
	bw := bufio.NewWriter(w)
	for i := range items {
		if i > 0 {
			bw.WriteByte('\n')
		}
		typ, fields := entryFields(&items[i], o.Flavor, o.ProtectCase)
		fmt.Fprintf(bw, "@%s{%s,\n", typ, keys[i])
		for _, f := range fields {
			switch {
			case f.bare:
				fmt.Fprintf(bw, "  %s = %s,\n", f.name, f.value)
			case f.raw:
				fmt.Fprintf(bw, "  %s = {%s},\n", f.name, f.value)
			default:
				fmt.Fprintf(bw, "  %s = {%s},\n", f.name, escapeText(f.value, o.Flavor))
			}
		}
		bw.WriteString("}\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("bibtex: write: %w", err)
	}
	return nil
}

func entryFields(it *csl.Item, fl Flavor, protectTitles bool) (string, []outField) {
	pair, ok := typeFromCSL[it.Type]
	if !ok {
		pair = [2]string{"misc", "misc"}
	}
	typ := pair[fl]
	v := func(name string) string { return it.Vars[name] }
	var fs []outField
	add := func(name, value string) {
		if value != "" {
			fs = append(fs, outField{name: name, value: value})
		}
	}
	bl := fl == BibLaTeX
	// BibLaTeX's list fields separate items with "and"; CSL with "; ".
	addList := func(name, value string) {
		if value == "" {
			return
		}
		if !bl || !listFields[name] {
			add(name, value)
			return
		}
		parts := strings.Split(value, "; ")
		for i, p := range parts {
			p = escapeText(p, fl)
			for _, w := range words(p) {
				if strings.EqualFold(w, "and") {
					p = "{" + p + "}"
					break
				}
			}
			parts[i] = p
		}
		fs = append(fs, outField{name: name, value: strings.Join(parts, " and "), raw: true})
	}
	addRaw := func(name, value string) {
		if value != "" {
			fs = append(fs, outField{name: name, value: value, raw: true})
		}
	}
	// Titles get their capitals protected (protectCase): in BibLaTeX those
	// of English items only, as biblatex and pandoc change the case of
	// English titles only (langid); in BibTeX all, as its styles know no
	// language and pandoc reads BibTeX's language field as no langid.
	protect := protectTitles && (!bl || englishOrUnknown(v("language")))
	addTitle := func(name, value string) {
		if protect {
			value = protectCase(value)
		}
		add(name, value)
	}
	genre := v("genre")
	if it.Type == "thesis" && !bl && strings.Contains(strings.ToLower(genre), "master") {
		typ = "mastersthesis"
	}
	for _, nv := range [][2]string{{"author", "author"}, {"editor", "editor"}, {"translator", "translator"}, {"container-author", "bookauthor"}} {
		if ns := it.Names[nv[0]]; len(ns) > 0 {
			addRaw(nv[1], formatNames(ns, fl))
		}
	}
	inType := typ == "incollection" || typ == "inproceedings" || typ == "inreference" || typ == "inbook"
	volumeOfWork := !inType && v("volume-title") != ""
	if volumeOfWork {
		// One volume of a multi-volume work: BibLaTeX's title is the
		// volume's and maintitle the work's.
		addTitle("title", v("volume-title"))
		addTitle("maintitle", v("title"))
	} else {
		addTitle("title", v("title"))
	}
	addTitle("shorttitle", v("title-short"))
	switch {
	case typ == "article" || typ == "periodical" && it.Type != "periodical":
		add(pick(bl, "journaltitle", "journal"), v("container-title"))
		add("shortjournal", v("container-title-short"))
	case inType && v("volume-title") != "":
		addTitle("booktitle", v("volume-title"))
		addTitle("maintitle", v("container-title"))
	case inType:
		addTitle("booktitle", v("container-title"))
	case typ == "book" && !volumeOfWork:
		// BibTeX's styles ignore maintitle; it is written for the readers
		// that know it (biber, pandoc, Zotero) rather than dropped.
		addTitle("maintitle", v("container-title"))
	case typ == "misc" && it.Type != "webpage" && it.Type != "post" && it.Type != "post-weblog":
		// The programme of a broadcast, the series of a recording: pandoc
		// and citation-js read journaltitle (journal) as the container of
		// any entry, but organization and howpublished as its publisher.
		add(pick(bl, "journaltitle", "journal"), v("container-title"))
	case typ == "online" || typ == "misc":
		add(pick(bl, "organization", "howpublished"), v("container-title"))
	}
	if bl && typ == "article" {
		switch it.Type {
		case "article-magazine":
			add("entrysubtype", "magazine")
		case "article-newspaper":
			add("entrysubtype", "newspaper")
		}
	}
	add("series", v("collection-title"))
	add("volume", v("volume"))
	add("volumes", v("number-of-volumes"))
	switch {
	case typ == "article" || typ == "periodical" || it.Type == "periodical":
		// BibTeX's number is the issue of a journal (and of a periodical
		// written as @misc).
		add("number", v("issue"))
	default:
		add("issue", v("issue"))
		add("number", firstNonEmpty(v("number"), v("collection-number")))
	}
	if p := v("page"); p != "" {
		add("pages", pageRange(p))
	}
	add("pagetotal", v("number-of-pages"))
	add("chapter", v("chapter-number"))
	add("edition", v("edition"))
	add("version", v("version"))
	add("part", v("part"))
	switch {
	case typ == "thesis" || typ == "phdthesis" || typ == "mastersthesis":
		addList(pick(bl, "institution", "school"), v("publisher"))
	case typ == "report" || typ == "techreport":
		addList("institution", v("publisher"))
	case !bl && typ == "misc":
		add("howpublished", v("publisher"))
	default:
		addList("publisher", v("publisher"))
	}
	addList(pick(bl, "location", "address"), v("publisher-place"))
	addList("origpublisher", v("original-publisher"))
	addList("origlocation", v("original-publisher-place"))
	add("origtitle", v("original-title"))
	addTitle("eventtitle", firstNonEmpty(v("event-title"), v("event")))
	add("venue", v("event-place"))
	if genre != "" {
		g := genre
		if bl {
			if k, ok := typeKeyFromGenre[strings.ToLower(genre)]; ok {
				g = k
			}
		}
		implied := !bl && (typ == "phdthesis" && genre == genreFromType["phdthesis"] || typ == "mastersthesis" && genre == genreFromType["mastersthesis"])
		if !implied {
			add("type", g)
		}
	}
	if it.Type == "thesis" && bl && genre == "" {
		// BibLaTeX's @thesis needs a type; a thesis without one is most often
		// a doctoral one, and the BibTeX flavour assumes the same.
		add("type", "phdthesis")
	}
	if d, ok := it.Dates["issued"]; ok {
		s, ok := formatEDTF(d)
		if ok && (bl || !simpleDate(d)) {
			// BibTeX's year and month cannot hold ranges, seasons or
			// uncertainty: the date field carries them for the readers that
			// know it, next to the year for the styles that do not.
			addRaw("date", s)
		}
		if ok && !bl {
			p := d.Parts[0]
			if p[0] != 0 {
				addRaw("year", strconv.Itoa(p[0]))
			}
			if len(p) > 1 && p[1] >= 1 && p[1] <= 12 {
				fs = append(fs, outField{name: "month", value: bibtexMonths[p[1]], bare: true})
			}
			if len(p) > 2 {
				addRaw("day", strconv.Itoa(p[2]))
			}
		} else if d.Literal != "" {
			add("year", d.Literal)
		} else if d.Raw != "" {
			add(pick(bl, "date", "year"), d.Raw)
		}
	}
	for _, dv := range [][2]string{{"accessed", "urldate"}, {"event-date", "eventdate"}, {"original-date", "origdate"}} {
		if d, ok := it.Dates[dv[0]]; ok {
			if s, ok := formatEDTF(d); ok {
				addRaw(dv[1], s)
			}
		}
	}
	addRaw("doi", escapeVerbatim(v("DOI")))
	addRaw("url", escapeVerbatim(v("URL")))
	addRaw("isbn", escapeVerbatim(v("ISBN")))
	addRaw("issn", escapeVerbatim(v("ISSN")))
	switch {
	case v("PMID") != "":
		addRaw("eprint", escapeVerbatim(v("PMID")))
		add("eprinttype", "pubmed")
	case v("PMCID") != "":
		addRaw("eprint", escapeVerbatim(v("PMCID")))
		add("eprinttype", "pmcid")
	case strings.EqualFold(v("archive"), "arxiv") && v("archive_location") != "":
		addRaw("eprint", escapeVerbatim(v("archive_location")))
		add("eprinttype", "arxiv")
	}
	add("note", v("note"))
	add("abstract", v("abstract"))
	add(pick(bl, "annotation", "annote"), v("annote"))
	add("keywords", v("keyword"))
	if l := v("language"); l != "" {
		add(pick(bl, "langid", "language"), babelName(l))
	}
	return typ, fs
}

func pick(biblatex bool, a, b string) string {
	if biblatex {
		return a
	}
	return b
}

// babelName returns the babel name for a BCP 47 tag when the tag is one we
// read back to the same tag; other values are written as they are.
func babelName(tag string) string {
	best := ""
	for name, t := range languages {
		if t == tag && (best == "" || name < best) && langTag(name) == tag {
			best = name
		}
	}
	if best == "" {
		return tag
	}
	return best
}

// pageRange turns hyphens into en dashes, which the escaping writes as
// BibTeX's "--" ligature.
func pageRange(p string) string {
	return strings.ReplaceAll(p, "-", "–")
}

// escapeVerbatim protects only what would break the field syntax.
func escapeVerbatim(s string) string {
	return strings.NewReplacer("{", "\\{", "}", "\\}").Replace(s)
}

// Keys returns one citation key per item: the item's id when it is a usable,
// unique key and generate is false, otherwise an author-year-word key made
// unique with a, b… suffixes in item order.
func Keys(items []csl.Item, generate bool) []string {
	keys := make([]string, len(items))
	used := map[string]bool{}
	if !generate {
		for i, it := range items {
			if validKey(it.ID) && !used[strings.ToLower(it.ID)] {
				keys[i] = it.ID
				used[strings.ToLower(it.ID)] = true
			}
		}
	}
	bases := map[string][]int{}
	var order []string
	for i := range items {
		if keys[i] != "" {
			continue
		}
		b := keyBase(&items[i])
		if _, ok := bases[b]; !ok {
			order = append(order, b)
		}
		bases[b] = append(bases[b], i)
	}
	for _, b := range order {
		idx := bases[b]
		if len(idx) == 1 && !used[b] {
			keys[idx[0]] = b
			used[b] = true
			continue
		}
		n := 0
		for _, i := range idx {
			for {
				k := b + suffix(n)
				n++
				if !used[k] {
					keys[i] = k
					used[k] = true
					break
				}
			}
		}
	}
	return keys
}

// suffix returns a, b, … z, aa, ab, …
func suffix(n int) string {
	s := ""
	for {
		s = string(rune('a'+n%26)) + s
		n = n/26 - 1
		if n < 0 {
			return s
		}
	}
}

func validKey(k string) bool {
	if k == "" || len(k) > 200 {
		return false
	}
	for _, r := range k {
		if r > unicode.MaxASCII || r <= ' ' || strings.ContainsRune(`,{}()"#%'=\~`, r) {
			return false
		}
	}
	return true
}

var keyStopWords = map[string]bool{"a": true, "an": true, "the": true, "on": true, "of": true, "in": true,
	"and": true, "for": true, "to": true, "at": true, "by": true, "with": true, "from": true,
	"der": true, "die": true, "das": true, "le": true, "la": true, "les": true, "el": true, "un": true, "une": true}

func keyBase(it *csl.Item) string {
	name := "anon"
	for _, v := range []string{"author", "editor", "translator", "container-author"} {
		if ns := it.Names[v]; len(ns) > 0 {
			n := ns[0]
			s := n.Family
			if s == "" {
				s = n.Literal
			}
			if f := strings.Fields(asciiFold(s)); len(f) > 0 {
				name = f[len(f)-1]
				if n.Family == "" {
					name = f[0]
				}
			}
			break
		}
	}
	year := "nd"
	if d, ok := it.Dates["issued"]; ok && len(d.Parts) > 0 && len(d.Parts[0]) > 0 && d.Parts[0][0] != 0 {
		year = strconv.Itoa(d.Parts[0][0])
	}
	word := ""
	for _, w := range strings.Fields(asciiFold(stripTags(it.Vars["title"]))) {
		if !keyStopWords[w] {
			word = w
			break
		}
	}
	return name + year + word
}

// asciiFold lower-cases s and keeps only ASCII letters and digits (folding
// accented letters to their base), separating words with spaces.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		case r >= utf8.RuneSelf:
			if k, ok := decomposed[r]; ok {
				b.WriteRune(unicode.ToLower(k.base))
			} else if s, ok := letterASCII[r]; ok {
				b.WriteString(strings.ToLower(s))
			} else if unicode.IsSpace(r) || unicode.IsPunct(r) {
				b.WriteByte(' ')
			}
		case r == '\'' || r == '-':
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// stripTags removes CSL rich-text tags.
func stripTags(s string) string {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+j+1:]
	}
}

// decomposed inverts composed, for writing accents and folding keys.
var decomposed = func() map[rune]accentKey {
	m := make(map[rune]accentKey, len(composed))
	keys := make([]accentKey, 0, len(composed))
	for k := range composed {
		keys = append(keys, k)
	}
	// Several commands can give one character only in theory; sorting keeps
	// the choice deterministic anyway.
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].accent != keys[j].accent {
			return keys[i].accent < keys[j].accent
		}
		return keys[i].base < keys[j].base
	})
	for _, k := range keys {
		if _, ok := m[composed[k]]; !ok {
			m[composed[k]] = k
		}
	}
	return m
}()

// letterASCII gives ASCII stand-ins of the special letters, for keys.
var letterASCII = map[rune]string{'ß': "ss", 'ø': "o", 'Ø': "O", 'å': "a", 'Å': "A", 'æ': "ae", 'Æ': "AE",
	'œ': "oe", 'Œ': "OE", 'ł': "l", 'Ł': "L", 'ı': "i", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "Th", 'đ': "d", 'Đ': "D"}

// runeCommands inverts letterCommands for the BibTeX flavour's ASCII output.
var runeCommands = func() map[rune]string {
	m := map[rune]string{}
	names := make([]string, 0, len(letterCommands))
	for n := range letterCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := letterCommands[n]
		r, size := utf8.DecodeRuneInString(s)
		if size == len(s) && r >= utf8.RuneSelf {
			if _, ok := m[r]; !ok {
				m[r] = n
			}
		}
	}
	return m
}()

// simpleDate reports whether BibTeX's year, month and day fields hold d.
func simpleDate(d csl.Date) bool {
	return len(d.Parts) == 1 && d.Season == "" && !d.Circa && d.Parts[0][0] > 0
}
