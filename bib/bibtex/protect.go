package bibtex

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// protectCase wraps in nocase spans (braces, once written) every word of a
// title that has a capital letter anywhere but at the title's very start,
// and a lower-case word after a colon.
//
// A CSL title is stored as it is to be printed, while BibTeX styles, biblatex
// and pandoc's reader set unbraced letters of an English title in sentence
// case: unprotected, "The Philippines Rediscovers Its Alliance" comes back
// from pandoc as "The philippines rediscovers its alliance". pandoc's and
// citation-js's own BibTeX writers protect such words the same way. Text
// already inside a nocase span is left alone, so the function is
// idempotent.
func protectCase(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 32)
	nocase := 0   // depth inside nocase spans
	first := true // no letter seen yet: the next one starts the title
	// pandoc's sentence casing capitalizes the word after a colon, so a
	// lower-case one there is protected too.
	afterColon := false
	for i := 0; i < len(s); {
		if s[i] == '<' {
			if strings.HasPrefix(s[i:], nocaseOpen) {
				nocase++
				b.WriteString(nocaseOpen)
				i += len(nocaseOpen)
				first = false
				continue
			}
			if end := strings.IndexByte(s[i:], '>'); end > 0 {
				tag := s[i : i+end+1]
				if tag == "</span>" && nocase > 0 {
					nocase--
				}
				b.WriteString(tag)
				i += end + 1
				continue
			}
		}
		// One word: up to a blank or a tag.
		j := i
		for j < len(s) && s[j] != '<' {
			r, n := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		if j == i {
			r, n := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += n
			continue
		}
		w := s[i:j]
		if nocase == 0 && (capitalAfterStart(w, first) || afterColon && startsLower(w)) {
			// Punctuation around the word stays outside the braces.
			isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
			lo := strings.IndexFunc(w, isWord)
			hi := strings.LastIndexFunc(w, isWord)
			_, n := utf8.DecodeRuneInString(w[hi:])
			b.WriteString(w[:lo] + nocaseOpen + w[lo:hi+n] + "</span>" + w[hi+n:])
		} else {
			b.WriteString(w)
		}
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			first = false
		}
		afterColon = strings.HasSuffix(w, ":")
		i = j
	}
	return b.String()
}

// capitalAfterStart reports whether w has a capital letter that sentence
// casing would lower: any, or, in the title's first word, any but the first
// letter.
func capitalAfterStart(w string, first bool) bool {
	seenLetter := false
	for _, r := range w {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.IsUpper(r) && !(first && !seenLetter) {
			return true
		}
		seenLetter = true
	}
	return false
}

func startsLower(w string) bool {
	i := strings.IndexFunc(w, unicode.IsLetter)
	if i < 0 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w[i:])
	return unicode.IsLower(r)
}

// englishOrUnknown reports whether a CSL language tag is one whose titles
// BibTeX readers set in sentence case: English, or none given.
func englishOrUnknown(lang string) bool {
	l := strings.ToLower(lang)
	return l == "" || l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_") || l == "english"
}
