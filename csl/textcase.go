package csl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopWords are kept lower-case by title case (CSL 1.0.2 list).
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "as": true, "at": true, "but": true, "by": true, "down": true,
	"for": true, "from": true, "in": true, "into": true, "nor": true, "of": true, "on": true, "onto": true,
	"or": true, "over": true, "so": true, "the": true, "till": true, "to": true, "up": true, "via": true,
	"with": true, "yet": true,
}

type caseLeaf struct {
	o      *out
	nocase bool
}

func collectLeaves(o *out, nocase bool, acc []caseLeaf) []caseLeaf {
	if o == nil {
		return acc
	}
	nc := nocase || o.nocase
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
}

func titleCase(leaves []caseLeaf) {
	allUpper := isAllUpper(leaves)
	var words []wordRef
	for li, l := range leaves {
		s := l.o.text
		start := -1
		for i := 0; i <= len(s); i++ {
			if i == len(s) || s[i] == ' ' || (s[i] == '-' && false) {
				if start >= 0 {
					words = append(words, wordRef{li, start, i})
					start = -1
				}
				continue
			}
			if start < 0 {
				start = i
			}
		}
	}
	type edit struct {
		repl string
	}
	edits := make([]string, len(words))
	afterColon := true
	for wi, w := range words {
		l := leaves[w.leaf]
		word := l.o.text[w.start:w.end]
		edits[wi] = word
		prevColon := afterColon
		afterColon = strings.HasSuffix(word, ":") || strings.HasSuffix(word, "?") || strings.HasSuffix(word, "!")
		if l.nocase {
			continue
		}
		if allUpper {
			word = strings.ToLower(word)
		}
		core := strings.ToLower(strings.TrimFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }))
		isLast := wi == len(words)-1
		if stopWords[core] && !prevColon && !isLast && wi > 0 {
			edits[wi] = strings.ToLower(word)
			continue
		}
		if isLowerWord(word) || allUpper {
			word = upperFirst(word)
		}
		edits[wi] = word
	}
	// write back right to left per leaf so offsets stay valid
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
