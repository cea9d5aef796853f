package csl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopWords stay lower-case in title case: the CSL list of articles,
// conjunctions and prepositions, plus common name particles.
var stopWords = map[string]bool{
	"a": true, "about": true, "above": true, "across": true, "afore": true, "after": true,
	"against": true, "along": true, "alongside": true, "amid": true, "amidst": true, "among": true,
	"amongst": true, "an": true, "and": true, "anenst": true, "apropos": true, "apud": true,
	"around": true, "as": true, "aside": true, "astride": true, "at": true, "athwart": true,
	"atop": true, "barring": true, "before": true, "behind": true, "below": true, "beneath": true,
	"beside": true, "besides": true, "between": true, "beyond": true, "but": true, "by": true,
	"circa": true, "despite": true, "down": true, "during": true, "except": true, "for": true,
	"forenenst": true, "from": true, "in": true, "into": true,
	"lest": true, "nor": true,
	"notwithstanding": true, "of": true, "off": true, "on": true, "onto": true, "opposite": true,
	"or": true, "out": true, "over": true, "per": true,
	"regarding": true, "since": true,
	"so": true, "than": true, "the": true, "through": true, "throughout": true, "thru": true,
	"thruout": true, "till": true, "to": true, "toward": true, "towards": true, "under": true,
	"underneath": true, "until": true, "unto": true, "up": true, "upon": true, "versus": true,
	"vs": true, "v": true, "via": true, "vis-à-vis": true, "with": true, "et": true, "within": true,
	"without": true, "yet": true, "von": true, "van": true, "de": true, "d": true,
}

type caseLeaf struct {
	o      *out
	nocase bool
}

func collectLeaves(o *out, nocase bool, acc []caseLeaf) []caseLeaf {
	if o == nil {
		return acc
	}
	// small caps, superscript and subscript spans from the data keep their case
	nc := nocase || o.nocase || o.f == fmtSmallCaps || o.f == fmtSup || o.f == fmtSub
	if o.f != nil && o.f.prefix != "" {
		// affixes are not subject to text-case; they live in formatting
	}
	if o.text != "" {
		acc = append(acc, caseLeaf{o, nc})
	}
	for _, k := range o.kids {
		acc = collectLeaves(k, nc, acc)
	}
	return acc
}

// applyTextCase transforms the text of o in place. Title case only applies
// to English items.
func applyTextCase(o *out, tc string, english bool) {
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
				if !l.nocase {
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

type wordRef struct {
	leaf       int
	start, end int
	sepBefore  rune // separator before the word (0 at the start)
	colon      bool // a colon stands between the previous word and this one
}

func isWordSep(r rune) bool {
	switch r {
	case ' ', '\u00a0', '-', '–', '—', '/', ':':
		return true
	}
	return false
}

// titleCase capitalizes lower-case words except stop words (which stay
// lower-case unless they start the title or a subtitle, or end it). Words
// with capitals are left alone; so are nocase spans.
func titleCase(leaves []caseLeaf) {
	var words []wordRef
	var sep rune
	colon := false
	for li, l := range leaves {
		s := l.o.text
		start := -1
		for i, r := range s {
			if isWordSep(r) {
				if start >= 0 {
					words = append(words, wordRef{li, start, i, sep, colon})
					start = -1
					colon = false
				}
				sep = r
				if r == ':' {
					colon = true
				}
				continue
			}
			if start < 0 {
				start = i
			}
		}
		if start >= 0 {
			words = append(words, wordRef{li, start, len(s), sep, colon})
			sep = 0
			colon = false
		}
	}
	edits := make([]string, len(words))
	sentenceStart := true
	for wi, w := range words {
		l := leaves[w.leaf]
		word := l.o.text[w.start:w.end]
		edits[wi] = word
		atStart := sentenceStart || w.colon
		sentenceStart = strings.HasSuffix(word, ":") || strings.HasSuffix(word, "?") || strings.HasSuffix(word, "!") ||
			(strings.HasSuffix(word, ".") && len(word) > 2)
		if l.nocase {
			continue
		}
		core := strings.ToLower(strings.TrimFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }))
		isLast := wi == len(words)-1
		if elided(word) && !atStart && wi > 0 {
			continue
		}
		// a stop word that starts a hyphenated compound is capitalized
		// ("Under-Resourced"); one inside it is not ("Out-of-Fashion")
		hyphenAfter := w.end < len(l.o.text) && l.o.text[w.end] == '-' && w.sepBefore != '-'
		if stopWords[core] && !atStart && !isLast && wi > 0 && !hyphenAfter {
			if isLowerWord(word) {
				continue
			}
			edits[wi] = strings.ToLower(word)
			continue
		}
		if (w.sepBefore == '-') && utf8.RuneCountInString(core) == 1 {
			continue
		}
		if isLowerWord(word) && startsWithLetter(word) && (atStart || wi == 0 || !singleLetterKeep(word, core)) {
			edits[wi] = upperFirst(word)
		}
	}
	for wi := len(words) - 1; wi >= 0; wi-- {
		w := words[wi]
		l := leaves[w.leaf]
		l.o.text = l.o.text[:w.start] + edits[wi] + l.o.text[w.end:]
	}
}

func isLowerWord(w string) bool {
	for _, r := range w {
		if unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// upperFirstHyphenated capitalizes every part of a hyphenated word.
func upperFirstHyphenated(w string) string {
	if !strings.Contains(w, "-") {
		return upperFirst(w)
	}
	parts := strings.Split(w, "-")
	for i, p := range parts {
		parts[i] = upperFirst(p)
	}
	return strings.Join(parts, "-")
}

// startsWithLetter reports whether w starts with a letter, possibly after
// an opening quote or parenthesis.
func startsWithLetter(w string) bool {
	for _, r := range w {
		switch r {
		case '"', '“', '‘', '\'', '(', '[':
			continue
		}
		return unicode.IsLetter(r)
	}
	return false
}

// elided reports French elided articles and prepositions ("d’éducation",
// "l’enseignement"), which title case leaves lower-case.
func elided(w string) bool {
	return len(w) > 2 && (w[0] == 'd' || w[0] == 'l') && (w[1] == '\'' || strings.HasPrefix(w[1:], "’"))
}

// singleLetterKeep reports one-letter words, which title case leaves alone
// inside a title: abbreviations ("u."), enumerators ("(i)"), "à".
func singleLetterKeep(_, core string) bool {
	return utf8.RuneCountInString(core) == 1
}
