package csl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopWords stay lower-case in title case unless they start the title,
// follow a colon, question or exclamation mark, or end it. The list is the
// one citeproc-js uses; its multi-word entries ("according to") can never
// match a single word, so they are left out.
var stopWords = map[string]bool{
	"a": true, "about": true, "above": true, "across": true, "afore": true, "after": true,
	"against": true, "al": true, "along": true, "alongside": true, "amid": true, "amidst": true,
	"among": true, "amongst": true, "an": true, "and": true, "anenst": true, "apropos": true,
	"apud": true, "around": true, "as": true, "aside": true, "astride": true, "at": true,
	"athwart": true, "atop": true, "barring": true, "before": true, "behind": true, "below": true,
	"beneath": true, "beside": true, "besides": true, "between": true, "beyond": true, "but": true,
	"by": true, "c": true, "ca": true, "circa": true, "de": true, "despite": true, "down": true,
	"during": true, "et": true, "except": true, "for": true, "forenenst": true, "from": true,
	"given": true, "in": true, "inside": true, "into": true, "lest": true, "like": true,
	"modulo": true, "near": true, "next": true, "nor": true, "notwithstanding": true, "of": true,
	"off": true, "on": true, "onto": true, "or": true, "out": true, "over": true, "per": true,
	"plus": true, "pro": true, "qua": true, "sans": true, "since": true, "so": true, "than": true,
	"the": true, "through": true, "throughout": true, "thruout": true, "till": true, "to": true,
	"toward": true, "towards": true, "under": true, "underneath": true, "until": true, "unto": true,
	"up": true, "upon": true, "van": true, "versus": true, "via": true, "von": true, "vs": true,
	"v": true, "with": true, "within": true, "without": true, "yet": true,
}

// isStopWord reports whether a lower-cased word is a stop word. citeproc-js
// matches its list as a regular expression in which the entries "v." and
// "vs." match any one character after "v" and "vs" ("vu", "va").
func isStopWord(lc string) bool {
	if stopWords[lc] {
		return true
	}
	if strings.ContainsFunc(lc, unicode.IsSpace) {
		// a word holding a narrow space ("de\u202f" before a colon) is a
		// stop word if a part of it is: citeproc-js matches stop words
		// between any white space
		for _, p := range strings.FieldsFunc(lc, unicode.IsSpace) {
			if isStopWord(p) {
				return true
			}
		}
		return false
	}
	if rest, ok := strings.CutPrefix(lc, "vs"); ok && utf8.RuneCountInString(rest) == 1 {
		return true
	}
	rest, ok := strings.CutPrefix(lc, "v")
	return ok && utf8.RuneCountInString(rest) == 1
}

type caseLeaf struct {
	o      *out
	nocase bool
	// mark, on an entry with no node, is a quotation mark written in the
	// field, as title case sees it in the field's text
	mark string
}

func collectLeaves(o *out, nocase bool, acc []caseLeaf) []caseLeaf {
	return collectLeavesMarks(o, nocase, false, acc)
}

// collectLeavesMarks collects the text leaves of o; with marks, the
// quotation marks of quotes written in field text are listed too.
func collectLeavesMarks(o *out, nocase, marks bool, acc []caseLeaf) []caseLeaf {
	if o == nil {
		return acc
	}
	// small caps, superscript and subscript spans from the data keep their case
	nc := nocase || o.nocase || o.f == fmtSmallCaps || o.f == fmtSup || o.f == fmtSub
	quote := marks && o.dataQuote && o.rawQuote != ""
	if quote {
		acc = append(acc, caseLeaf{mark: o.rawQuote})
	}
	if o.text != "" {
		acc = append(acc, caseLeaf{o: o, nocase: nc})
	}
	for _, k := range o.kids {
		acc = collectLeavesMarks(k, nc, marks, acc)
	}
	if quote {
		acc = append(acc, caseLeaf{mark: closingMark[o.rawQuote]})
	}
	return acc
}

// closingMark pairs the opening quotation marks of field text with the
// closing ones.
var closingMark = map[string]string{` "`: `"`, `"`: `"`, ` '`: "'", "'": "'", "“": "”", "‘": "’"}

// applyTextCase transforms the text of o in place. Title case only applies
// to English items.
func applyTextCase(o *out, tc string, english bool) {
	if tc == "title" {
		if english {
			titleCase(collectLeavesMarks(o, false, true, nil))
		}
		return
	}
	leaves := collectLeaves(o, false, nil)
	switch tc {
	case "lowercase":
		for _, l := range leaves {
			if !l.nocase {
				l.o.text = strings.ToLower(l.o.text)
			}
		}
	case "uppercase":
		for _, l := range leaves {
			if !l.nocase {
				l.o.text = strings.ToUpper(l.o.text)
			}
		}
	case "capitalize-first":
		for _, l := range leaves {
			if hasLetter(l.o.text) {
				if !l.nocase && !firstWordHasUpper(l.o.text) {
					l.o.text = capitalizeFirstWord(l.o.text)
				}
				break
			}
		}
	case "capitalize-all":
		for _, l := range leaves {
			if !l.nocase {
				l.o.text = mapWords(l.o.text, func(w string, _ bool) string { return upperFirst(w) })
			}
		}
	case "sentence":
		allUpper := isAllUpper(leaves)
		first := true
		for _, l := range leaves {
			if l.nocase {
				if hasLetter(l.o.text) {
					first = false
				}
				continue
			}
			t := l.o.text
			if allUpper {
				t = strings.ToLower(t)
			}
			if first && hasLetter(t) {
				t = capitalizeFirstWord(t)
				first = false
			}
			l.o.text = t
		}
	case "title":
		if !english {
			return
		}
		titleCase(leaves)
	}
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func isAllUpper(leaves []caseLeaf) bool {
	any := false
	for _, l := range leaves {
		if l.nocase {
			continue
		}
		for _, r := range l.o.text {
			if unicode.IsLower(r) {
				return false
			}
			if unicode.IsUpper(r) {
				any = true
			}
		}
	}
	return any
}

func upperFirst(w string) string {
	for i, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.In(r, unicode.Latin, unicode.Cyrillic) {
				return w
			}
			if unicode.IsUpper(r) {
				return w
			}
			return w[:i] + string(unicode.ToTitle(r)) + w[i+utf8.RuneLen(r):]
		}
		if unicode.IsDigit(r) {
			return w
		}
	}
	return w
}

// firstWordHasUpper reports whether the first word of s has a capital
// letter; capitalize-first leaves such a word as it is ("mcDJ"), as
// citeproc-js does.
func firstWordHasUpper(s string) bool {
	w := strings.TrimLeft(s, " ")
	if i := strings.IndexFunc(w, isTitleSpace); i >= 0 {
		w = w[:i]
	}
	return strings.ContainsFunc(w, unicode.IsUpper)
}

func capitalizeFirstWord(s string) string {
	for i, r := range s {
		if unicode.IsLetter(r) {
			return s[:i] + string(unicode.ToTitle(r)) + s[i+utf8.RuneLen(r):]
		}
		if unicode.IsDigit(r) {
			// "2nd edition", "3. ergänzte Auflage" stay as they are
			return s
		}
	}
	return s
}

// mapWords applies fn to each space-separated word of s.
func mapWords(s string, fn func(w string, first bool) string) string {
	var sb strings.Builder
	start := -1
	first := true
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				sb.WriteString(fn(s[start:i], first))
				first = false
				start = -1
			}
			if i < len(s) {
				sb.WriteByte(' ')
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return sb.String()
}

// titleSeg is a stretch of one leaf's text between two title-case
// separators.
type titleSeg struct {
	leaf       int
	start, end int
	text, orig string
	nocase     bool
}

// titleTagLen returns the byte length of the separator at s[i:], or 0.
// Separators split words for title case: punctuation, brackets, slashes,
// dashes and quotes (a straight quote after a space counts with its space).
func titleTagLen(s string, i int) int {
	if s[i] == ' ' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\'') {
		return 2
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	switch r {
	case '‘', '’', '“', '”', '"', '\'', '-', '–', '—', '/', '.', ',', ';', '?', '!', ':', '[', ']', '(', ')':
		return n
	}
	return 0
}

// isTitleSpace reports the characters that separate words inside a
// stretch: spaces, including the no-break and typographic ones.
func isTitleSpace(r rune) bool {
	return r == ' ' || r == '\u00a0' || r >= '\u2000' && r <= '\u200b' || r == '\u205f' || r == '\u3000'
}

// splitTitleWords splits s at runs of spaces, returning the words (empty
// at either end when s starts or ends with a space) and the runs.
func splitTitleWords(s string) (words, spaces []string) {
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isTitleSpace(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if !isTitleSpace(r2) {
				break
			}
			j += n2
		}
		words = append(words, s[start:i])
		spaces = append(spaces, s[i:j])
		start, i = j, j
	}
	return append(words, s[start:]), spaces
}

func joinTitleWords(words, spaces []string) string {
	var sb strings.Builder
	for i, w := range words {
		sb.WriteString(w)
		if i < len(spaces) {
			sb.WriteString(spaces[i])
		}
	}
	return sb.String()
}

// utf16Len counts UTF-16 code units, the length citeproc-js measures words
// by.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// capitalizeTitleWord upper-cases the first character of a word, whatever
// it is (a word opening with a guillemet stays as it is), except a lone
// Greek letter, which in a title is a symbol.
func capitalizeTitleWord(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	if n == len(w) && r >= 0x370 && r <= 0x3ff {
		return w
	}
	return strings.ToUpper(w[:n]) + w[n:]
}

// titleQuote is an open quotation mark while title-casing.
type titleQuote struct {
	opener, closer string
	pos            int // index of the stretch after the opener; -1 if unknown
}

// titleCase capitalizes the lower-case words of an English title the way
// citeproc-js does, so that the two agree: words are split at spaces and at
// punctuation; every lower-case word longer than one letter that is not a
// stop word is capitalized, and so is any lower-case word that opens the
// title or follows a colon, question or exclamation mark; a stop word
// ending the title is capitalized. A word after an apostrophe or an
// unmatched quotation mark keeps its original first letter ("l’éducation",
// "don't"). Words with capitals and nocase spans are left alone.
func titleCase(leaves []caseLeaf) {
	if len(leaves) == 0 {
		return
	}
	// Stretches alternate with separators: segs[i] comes before tags[i].
	// A boundary between leaves is an empty separator.
	var segs []titleSeg
	var tags []string
	// emitTag adds a separator; a quotation mark of the field's text
	// stands between the leaves it separates
	emitTag := func(t string) {
		if len(segs) == 0 {
			segs = append(segs, titleSeg{leaf: -1})
		}
		tags = append(tags, t)
	}
	pending, havePending := "", false
	for li, l := range leaves {
		if l.o == nil {
			if havePending {
				emitTag(pending)
				segs = append(segs, titleSeg{leaf: -1})
			}
			pending, havePending = l.mark, true
			continue
		}
		s := l.o.text
		switch {
		case havePending:
			emitTag(pending)
			havePending = false
		case len(segs) > 0:
			emitTag("")
		}
		start := 0
		for i := 0; i < len(s); {
			n := titleTagLen(s, i)
			if n == 0 {
				_, sz := utf8.DecodeRuneInString(s[i:])
				i += sz
				continue
			}
			segs = append(segs, titleSeg{leaf: li, start: start, end: i, nocase: l.nocase})
			tags = append(tags, s[i:i+n])
			i += n
			start = i
		}
		segs = append(segs, titleSeg{leaf: li, start: start, end: len(s), nocase: l.nocase})
	}
	if havePending {
		emitTag(pending)
		segs = append(segs, titleSeg{leaf: -1})
	}
	if len(segs) == 0 {
		return
	}
	for i := range segs {
		sg := &segs[i]
		if sg.leaf >= 0 {
			sg.text = leaves[sg.leaf].o.text[sg.start:sg.end]
		}
		sg.orig = sg.text
	}
	isFirst, afterPunct := true, false
	lastSeg, lastWord := -1, 0
	capitalizeWords := func(si int, following string) {
		str := segs[si].text
		if strings.TrimSpace(str) == "" {
			return
		}
		words, spaces := splitTitleWords(str)
		for j, w := range words {
			if w == "" {
				continue
			}
			lc := strings.ToLower(w)
			capitalize := false
			switch {
			case utf16Len(w) > 1 && !isStopWord(lc):
				capitalize = true
			case j == len(words)-1 && following == "-":
				capitalize = true
			case isFirst, afterPunct:
				capitalize = true
			}
			if capitalize && w == lc {
				words[j] = capitalizeTitleWord(w)
			}
			afterPunct, isFirst = false, false
			lastSeg, lastWord = si, j
		}
		segs[si].text = joinTitleWords(words, spaces)
	}
	restoreFirst := func(si int) {
		sg := &segs[si]
		if sg.text == "" || sg.orig == "" {
			return
		}
		_, n := utf8.DecodeRuneInString(sg.text)
		_, on := utf8.DecodeRuneInString(sg.orig)
		sg.text = sg.orig[:on] + sg.text[n:]
	}
	var quotes []titleQuote
	// quoteAt tracks quotation marks; it returns the stretch whose first
	// letter must be restored, or -1.
	quoteAt := func(tag string, pos int) int {
		var q string
		switch {
		case tag == " \"" || tag == " '":
			q = tag
		case tag == "‘" || tag == "’" || tag == "“" || tag == "”" || tag == "\"" || tag == "'":
			q = tag
		default:
			return -1
		}
		var opener, closer string
		switch q {
		case "“":
			opener, closer = "“", "”"
		case "‘":
			opener, closer = "‘", "’"
		case " \"":
			opener, closer = " '", "\""
		case " '":
			opener, closer = " \"", "'"
		default:
			// a closing mark (or an apostrophe)
			if n := len(quotes); n > 0 && quotes[n-1].closer == q {
				quotes = quotes[:n-1]
				return -1
			}
			return pos
		}
		if len(quotes) == 0 || quotes[len(quotes)-1].opener == q {
			quotes = append(quotes, titleQuote{opener, closer, pos})
			return -1
		}
		prev := quotes[len(quotes)-1].pos
		quotes[len(quotes)-1] = titleQuote{opener, closer, -1}
		return prev
	}
	if segs[0].nocase {
		if strings.TrimSpace(segs[0].text) != "" {
			isFirst, afterPunct, lastSeg = false, false, -1
		}
	} else {
		following := ""
		if len(tags) > 0 {
			following = tags[0]
		}
		capitalizeWords(0, following)
	}
	for i, tag := range tags {
		si := i + 1
		if strings.HasSuffix(tag, "!") || strings.HasSuffix(tag, "?") || strings.HasSuffix(tag, ":") {
			afterPunct = true
		}
		blank := strings.TrimSpace(segs[si].text) == ""
		if !segs[si].nocase {
			capitalizeWords(si, "")
		} else if !blank {
			lastSeg = -1
		}
		if p := quoteAt(tag, i); p >= 0 {
			restoreFirst(p + 1)
			lastSeg = -1
		}
		if !blank {
			isFirst, afterPunct = false, false
		}
	}
	for _, q := range quotes {
		if q.pos >= 0 {
			restoreFirst(q.pos + 1)
		}
	}
	if lastSeg >= 0 {
		words, spaces := splitTitleWords(segs[lastSeg].text)
		if w := words[lastWord]; utf16Len(w) > 1 && isStopWord(strings.ToLower(w)) {
			words[lastWord] = capitalizeTitleWord(w)
			segs[lastSeg].text = joinTitleWords(words, spaces)
		}
	}
	for i := len(segs) - 1; i >= 0; i-- {
		sg := segs[i]
		if sg.leaf < 0 || sg.text == sg.orig {
			continue
		}
		l := leaves[sg.leaf].o
		l.text = l.text[:sg.start] + sg.text + l.text[sg.end:]
	}
}
