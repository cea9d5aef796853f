package csl

import (
	"strings"
	"unicode/utf8"
)

// punctMerge says what two punctuation marks become when an affix or
// delimiter puts them side by side: left mark → right mark → result.
var punctMerge = map[byte]map[byte]string{
	'!': {'.': "!", '?': "!?", ':': "!", ',': "!,", ';': "!;"},
	'?': {'!': "?!", '.': "?", ':': "?", ',': "?,", ';': "?;"},
	'.': {'!': ".!", '?': ".?", ':': ".:", ',': ".,", ';': ".;"},
	':': {'!': "!", '?': "?", '.': ":", ',': ":,", ';': ":;"},
	',': {'!': ",!", '?': ",?", ':': ",:", '.': ",.", ';': ",;"},
	';': {'!': "!", '?': "?", ':': ";", ',': ";,", '.': ";"},
}

func isPunct(c byte) bool {
	switch c {
	case '.', '!', '?', ':', ',', ';':
		return true
	}
	return false
}

// fixPunctuation collapses duplicate punctuation and spaces where separately
// rendered pieces meet, and moves periods and commas inside closing quotes
// when the locale asks for it.
func fixPunctuation(toks []tok, inQuote bool) []tok {
	prev := -1 // index of the last text token with content
	for i := range toks {
		t := &toks[i]
		if t.kind == tkOpen || t.kind == tkClose || t.s == "" {
			continue
		}
		if t.kind == tkQuoteOpen {
			prev = -1
			continue
		}
		if t.kind == tkQuoteClose {
			// punctuation after a closing quote is handled by moveIntoQuotes
			prev = -1
			continue
		}
		if prev >= 0 {
			p := &toks[prev]
			last := p.s[len(p.s)-1]
			first := t.s[0]
			switch {
			case last == ' ' && first == ' ' && !p.field:
				t.s = t.s[1:]
			case isPunct(last) && isPunct(first):
				if last == first {
					t.s = t.s[1:]
				} else if r, ok := punctMerge[last][first]; ok {
					if r[0] == last {
						// the left mark stays where it is (inside any
						// markup): "<i>et al.</i>,"
						t.s = r[1:] + t.s[1:]
					} else {
						p.s = p.s[:len(p.s)-1]
						t.s = r + t.s[1:]
					}
				}
			}
		}
		if t.s != "" {
			prev = i
		}
	}
	if inQuote {
		moveIntoQuotes(toks)
	}
	return toks
}

// moveIntoQuotes moves a period or comma that follows a closing quote to
// just before it (American punctuation).
func moveIntoQuotes(toks []tok) {
	for i := range toks {
		if toks[i].kind != tkQuoteClose || toks[i].bound {
			continue
		}
		j := i + 1
		for j < len(toks) && (toks[j].kind == tkClose || toks[j].kind == tkQuoteClose || (toks[j].kind == tkText && toks[j].s == "")) {
			j++
		}
		if j >= len(toks) || toks[j].kind != tkText {
			continue
		}
		c := toks[j].s[0]
		if c != '.' && c != ',' {
			continue
		}
		toks[j].s = toks[j].s[1:]
		// find the text before the quote close to merge with
		k := i - 1
		for k >= 0 && (toks[k].kind == tkClose || toks[k].kind == tkOpen || toks[k].s == "") {
			k--
		}
		if k >= 0 && toks[k].kind == tkText {
			s := toks[k].s
			if last := s[len(s)-1]; isPunct(last) {
				if last == c {
					continue
				}
				if r, ok := punctMerge[last][c]; ok {
					toks[k].s = s[:len(s)-1] + r
					continue
				}
			}
		}
		toks[i].s = string(c) + toks[i].s
	}
}

// lastRune returns the last rune of s, or 0.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError {
		return 0
	}
	return r
}

// trimSpaces collapses runs of ASCII spaces.
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	var sb strings.Builder
	prevSpace := false
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			if prevSpace {
				continue
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}
