package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what Parse reads, so that a hostile query costs no more than a
// long honest one.
const (
	// MaxQueryBytes is how much of the text is read; the rest is ignored.
	MaxQueryBytes = 512
	// MaxClauses is how many terms and phrases are kept.
	MaxClauses = 16
	// MaxPhraseWords is how many words of one phrase are kept.
	MaxPhraseWords = 12
	// minPrefix is the shortest word a trailing * widens: a one-letter
	// prefix matches most of the index and says little.
	minPrefix = 2
)

// Parsed is a query's text read into clauses, all of which a match must
// satisfy.
type Parsed struct {
	Clauses []Clause
	// Truncated reports that the text was longer than the limits and
	// only its start was read.
	Truncated bool
}

// Empty reports whether there is nothing to match.
func (p Parsed) Empty() bool { return len(p.Clauses) == 0 }

// Clause is one term, prefix or phrase. Words hold only letters, marks and
// digits, as the engines' tokenizers split text.
type Clause struct {
	Words []string // one word, or the words of a phrase in order
	// Prefix: the (last) word matches any word starting with it.
	Prefix bool
	// Phrase: the words must follow each other; set for text written
	// between double quotes, even of one word.
	Phrase bool
}

// String writes the clause back as a reader would type it.
func (c Clause) String() string {
	s := strings.Join(c.Words, " ")
	if c.Phrase {
		s = `"` + s + `"`
	}
	if c.Prefix {
		s += "*"
	}
	return s
}

// String writes the parsed query back as a reader would type it.
func (p Parsed) String() string {
	parts := make([]string, len(p.Clauses))
	for i, c := range p.Clauses {
		parts[i] = c.String()
	}
	return strings.Join(parts, " ")
}

// Parse reads a reader's query: words, "quoted phrases" and word* prefixes.
// Everything else — operators, punctuation, SQL — separates words and
// means nothing, so no text can change what kind of query is run. An
// unclosed quote runs to the end of the text. Words are lower-cased.
func Parse(text string) Parsed {
	var p Parsed
	if len(text) > MaxQueryBytes {
		cut := MaxQueryBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text, p.Truncated = text[:cut], true
	}
	add := func(c Clause) {
		if len(c.Words) == 0 {
			return
		}
		if len(p.Clauses) == MaxClauses {
			p.Truncated = true
			return
		}
		p.Clauses = append(p.Clauses, c)
	}
	for len(text) > 0 {
		if text[0] == '"' {
			body, rest, _ := strings.Cut(text[1:], `"`)
			text = rest
			words, _ := splitWords(body)
			if len(words) > MaxPhraseWords {
				words, p.Truncated = words[:MaxPhraseWords], true
			}
			c := Clause{Words: words, Phrase: true}
			if strings.HasPrefix(text, "*") && len(words) > 0 && utf8.RuneCountInString(words[len(words)-1]) >= minPrefix {
				c.Prefix = true
			}
			add(c)
			continue
		}
		// A run up to the next space or quote: "U.S.-led" is three words,
		// each its own term, as the index has them.
		end := strings.IndexFunc(text, func(r rune) bool { return r == '"' || unicode.IsSpace(r) })
		if end < 0 {
			end = len(text)
		}
		run := text[:end]
		text = strings.TrimLeftFunc(text[end:], unicode.IsSpace)
		words, starred := splitWords(run)
		for i, w := range words {
			c := Clause{Words: []string{w}}
			if i == len(words)-1 && starred && utf8.RuneCountInString(w) >= minPrefix {
				c.Prefix = true
			}
			add(c)
		}
	}
	return p
}

// splitWords splits s into lower-cased words of letters, marks and digits,
// and reports whether s ends with a * right after its last word.
func splitWords(s string) (words []string, starred bool) {
	words = strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	trimmed := strings.TrimRightFunc(s, unicode.IsSpace)
	starred = strings.HasSuffix(trimmed, "*") && len(trimmed) > 1 && isWordRune(lastRune(strings.TrimRight(trimmed, "*")))
	return words, starred
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// isWordRune reports whether r belongs to a word, as SQLite's unicode61
// tokenizer has it: letters, digits and marks, everything else separates.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}
