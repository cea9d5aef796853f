package csl

import (
	"strings"
	"unicode/utf8"
)

var (
	fmtItalic    = &formatting{fontStyle: "italic", hasDecorations: true}
	fmtBold      = &formatting{fontWeight: "bold", hasDecorations: true}
	fmtSmallCaps = &formatting{fontVariant: "small-caps", hasDecorations: true}
	fmtSup       = &formatting{verticalAlign: "sup", hasDecorations: true}
	fmtSub       = &formatting{verticalAlign: "sub", hasDecorations: true}
)

// inline tags recognised in field values, as CSL-JSON producers write them.
var markupTags = []struct {
	open, close string
	f           *formatting
	nocase      bool
}{
	{"<i>", "</i>", fmtItalic, false},
	{"<b>", "</b>", fmtBold, false},
	{"<sc>", "</sc>", fmtSmallCaps, false},
	{"<sup>", "</sup>", fmtSup, false},
	{"<sub>", "</sub>", fmtSub, false},
	{`<span style="font-variant:small-caps;">`, "</span>", fmtSmallCaps, false},
	{`<span style="font-variant: small-caps;">`, "</span>", fmtSmallCaps, false},
	{`<span class="nocase">`, "</span>", nil, true},
}

// Inline markup is parsed the way citeproc-js's flip-flop parser reads it,
// so that the two agree on odd input: the text is cut at every tag and
// quotation mark; openers nest, a closer closes the innermost opener if it
// matches, and marks that do not pair up stay literal text. A straight
// apostrophe between letters, or before a letter, is typographic.

// markupOpeners and markupClosers are the marks the parser knows. A
// straight quote opens only after a space or "(" (taken into the mark) and
// closes anywhere else; “ and ‘ always open.
var markupOpeners = []string{
	`<span class="nocase">`, `<span class="nodecor">`, `<span style="font-variant:small-caps;">`,
	`<span style="font-variant: small-caps;">`,
	"<sc>", "<i>", "<b>", "<sup>", "<sub>",
	` "`, ` '`, `("`, `('`, "“", "‘",
}

var markupClosers = []string{"</span>", "</sc>", "</i>", "</b>", "</sup>", "</sub>", `"`, `'`, "”", "’"}

// markupCloserOf pairs each opener with its closer.
var markupCloserOf = map[string]string{
	`<span class="nocase">`: "</span>", `<span class="nodecor">`: "</span>",
	`<span style="font-variant:small-caps;">`: "</span>", `<span style="font-variant: small-caps;">`: "</span>",
	"<sc>": "</sc>", "<i>": "</i>", "<b>": "</b>", "<sup>": "</sup>", "<sub>": "</sub>",
	` "`: `"`, ` '`: `'`, `("`: `"`, `('`: `'`, "“": "”", "‘": "’",
}

var fmtNoDecor = &formatting{fontStyle: "normal", fontWeight: "normal", fontVariant: "normal", hasDecorations: true}

func isOpener(t string) bool { _, ok := markupCloserOf[t]; return ok }

// isRomanesque reports the letters (and digits and hyphen) between which
// citeproc-js reads a typographic apostrophe as a straight one.
func isRomanesque(r rune) bool {
	switch {
	case r == '-', r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		return true
	case r >= 0x0e01 && r <= 0x0e5b, r >= 0xc0 && r <= 0x17f, r >= 0x370 && r <= 0x3ff,
		r >= 0x400 && r <= 0x52f, r >= 0x590 && r <= 0x5d4, r >= 0x5d6 && r <= 0x5ff,
		r >= 0x1f00 && r <= 0x1fff, r >= 0x600 && r <= 0x6ff, r >= 0x200c && r <= 0x200e,
		r >= 0x218 && r <= 0x21b, r >= 0x202a && r <= 0x202e:
		return true
	}
	return false
}

// straightenApostrophes turns ’ between two letters into ' (it becomes ’
// again below), so that "don’t" is not read as a closing quote.
func straightenApostrophes(s string) string {
	if !strings.Contains(s, "’") {
		return s
	}
	var sb strings.Builder
	prev := rune(0)
	for i, r := range s {
		if r == '’' && isRomanesque(prev) {
			next, _ := utf8.DecodeRuneInString(s[i+len("’"):])
			if isRomanesque(next) {
				sb.WriteByte('\'')
				prev = '\''
				continue
			}
		}
		sb.WriteRune(r)
		prev = r
	}
	return sb.String()
}

// splitMarkup cuts s into strings and the marks between them:
// strs[i] comes before tags[i].
func splitMarkup(s string) (strs, tags []string) {
	start := 0
	for i := 0; i < len(s); {
		t := ""
		for _, m := range markupOpeners {
			if strings.HasPrefix(s[i:], m) {
				t = m
				break
			}
		}
		if t == "" {
			for _, m := range markupClosers {
				if strings.HasPrefix(s[i:], m) {
					t = m
					break
				}
			}
		}
		if t == "" {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			continue
		}
		strs = append(strs, s[start:i])
		tags = append(tags, t)
		i += len(t)
		start = i
	}
	return append(strs, s[start:]), tags
}

// parseMarkup turns a field value with inline HTML-like markup and quote
// marks into an output tree. Unknown tags stay literal text.
func parseMarkup(s string) *out {
	if strings.Contains(s, " ") && strings.ContainsAny(s, ":;?!»«") {
		s = thinSpaces(s)
	}
	if !strings.ContainsAny(s, "<\"“‘'") {
		return leaf(s)
	}
	leadingSpace := strings.HasPrefix(s, " ") && !startsSpacesQuote(s)
	strs, tags := splitMarkup(" " + straightenApostrophes(s))
	if len(tags) == 0 {
		return leaf(s)
	}
	// A straight quote right after an opener opens too; citeproc-js keeps
	// one flag per opener and reads it by mark index, and so do we.
	var forced []bool
	for i := 0; i < len(tags)-1; i++ {
		if isOpener(tags[i]) {
			if strs[i+1] == "" && (tags[i+1] == `"` || tags[i+1] == "'") {
				tags[i+1] = " " + tags[i+1]
				forced = append(forced, true)
			} else {
				forced = append(forced, false)
			}
		}
	}
	forcedAt := func(i int) bool { return i >= 0 && i < len(forced) && forced[i] }
	type open struct {
		tag string
		pos int
	}
	var stack []open
	// literal makes mark i plain text again.
	literal := func(i int) {
		t := tags[i]
		if forcedAt(i - 1) {
			t = t[1:]
		}
		strs[i+1] = t + strs[i+1]
		tags[i] = ""
	}
	for i := range tags {
		tag, str := tags[i], strs[i+1]
		if tag == "'" && str != "" && !strings.ContainsRune(",.?:; ", rune(str[0])) {
			strs[i+1] = "’" + str
			tags[i] = ""
			continue
		}
		if tag == " '" && strings.HasPrefix(str, " ") {
			strs[i+1] = " ’" + str
			tags[i] = ""
			continue
		}
		if isOpener(tag) {
			stack = append(stack, open{tag, i})
			continue
		}
		fixed := false
		for {
			if n := len(stack); n > 0 && markupCloserOf[stack[n-1].tag] == tag {
				stack = stack[:n-1]
				fixed = false
				break
			}
			fixed = true
			if tag == "'" {
				strs[i+1] = "’" + strs[i+1]
				tags[i] = ""
				break
			}
			if len(stack) == 0 {
				literal(i)
				break
			}
			// the innermost opener is unmatched: it becomes text, and the
			// closer is tried against the next one out
			literal(stack[len(stack)-1].pos)
			stack = stack[:len(stack)-1]
		}
		if fixed && tags[i] != "" {
			literal(i)
		}
	}
	for k := len(stack) - 1; k >= 0; k-- {
		p := stack[k].pos
		if t := tags[p]; t == " '" || t == "'" {
			strs[p+1] = " ’" + strs[p+1]
			tags[p] = ""
		} else {
			literal(p)
		}
	}
	// drop the marks that became text
	var ks []string
	var kt []string
	var kf []bool
	ks = append(ks, strs[0])
	for i, t := range tags {
		if t == "" {
			ks[len(ks)-1] += strs[i+1]
			continue
		}
		kt = append(kt, t)
		kf = append(kf, forcedAt(i-1))
		ks = append(ks, strs[i+1])
	}
	strs, tags = ks, kt
	// The first straight quote decides which straight form is the outer
	// one; the space or parenthesis a straight opener took goes back.
	singleOuter, seen := false, false
	for i, t := range tags {
		switch t {
		case ` "`, ` '`, `("`, `('`:
			if !seen {
				singleOuter = t[1] == '\''
				seen = true
			}
			if !kf[i] {
				strs[i] += t[:1]
			}
		}
	}
	if leadingSpace {
		strs[0] = " " + strs[0]
	}
	for range 2 {
		strs[0] = strings.TrimPrefix(strs[0], " ")
	}
	root := &out{}
	nodes := []*out{root}
	add := func(str string) {
		if str != "" {
			top := nodes[len(nodes)-1]
			top.kids = append(top.kids, leaf(str))
		}
	}
	add(strs[0])
	for i, t := range tags {
		if isOpener(t) {
			var o *out
			switch t {
			case "<i>":
				o = &out{f: fmtItalic}
			case "<b>":
				o = &out{f: fmtBold}
			case "<sc>", `<span style="font-variant:small-caps;">`, `<span style="font-variant: small-caps;">`:
				o = &out{f: fmtSmallCaps}
			case "<sup>":
				o = &out{f: fmtSup}
			case "<sub>":
				o = &out{f: fmtSub}
			case `<span class="nocase">`:
				o = &out{nocase: true}
			case `<span class="nodecor">`:
				o = &out{f: fmtNoDecor}
			case "“":
				o = &out{quotes: true, dataQuote: true, rawQuote: t}
			case "‘":
				o = &out{quotes: true, dataQuote: true, innerQuote: true, rawQuote: t}
			default:
				single := t[1] == '\''
				raw := t
				if t[0] == '(' || kf[i] {
					raw = t[1:]
				}
				o = &out{quotes: true, dataQuote: true, innerQuote: single != singleOuter, rawQuote: raw}
			}
			top := nodes[len(nodes)-1]
			top.kids = append(top.kids, o)
			nodes = append(nodes, o)
		} else if len(nodes) > 1 {
			nodes = nodes[:len(nodes)-1]
		}
		add(strs[i+1])
	}
	if len(root.kids) == 1 && root.kids[0].f == nil && !root.kids[0].quotes && !root.kids[0].nocase {
		return root.kids[0]
	}
	if len(root.kids) == 0 {
		return leaf("")
	}
	return root
}

// startsSpacesQuote reports whether s is spaces followed by a straight
// quote.
func startsSpacesQuote(s string) bool {
	t := strings.TrimLeft(s, " \t\n")
	return len(t) < len(s) && t != "" && (t[0] == '"' || t[0] == '\'')
}

// thinSpaces replaces the space before high punctuation (and inside
// guillemets) with a narrow no-break space, as citeproc-js does in field
// text.
func thinSpaces(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			next := s[i+1:]
			if len(next) > 0 && (next[0] == ':' || next[0] == ';' || next[0] == '?' || next[0] == '!' || strings.HasPrefix(next, "»")) {
				sb.WriteString("\u202f")
				continue
			}
			if strings.HasSuffix(sb.String(), "«") {
				sb.WriteString("\u202f")
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}
