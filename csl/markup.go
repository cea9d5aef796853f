package csl

import "strings"

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

// parseMarkup turns a field value with inline HTML-like markup and quote
// marks into an output tree. Unknown tags stay literal text.
func parseMarkup(s string) *out {
	if strings.Contains(s, " ") && strings.ContainsAny(s, ":;?!»«") {
		s = thinSpaces(s)
	}
	if !strings.ContainsAny(s, "<\"“‘'") {
		return leaf(s)
	}
	root := &out{}
	type frame struct {
		o     *out
		close string
	}
	stack := []frame{{o: root}}
	var buf strings.Builder
	flush := func() {
		if buf.Len() > 0 {
			top := stack[len(stack)-1].o
			top.kids = append(top.kids, leaf(buf.String()))
			buf.Reset()
		}
	}
	push := func(o *out, close string) {
		flush()
		top := stack[len(stack)-1].o
		top.kids = append(top.kids, o)
		stack = append(stack, frame{o: o, close: close})
	}
	pop := func() {
		flush()
		stack = stack[:len(stack)-1]
	}
	inQuote := func(close string) bool {
		for i := len(stack) - 1; i > 0; i-- {
			if stack[i].close == close {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(s); {
		rest := s[i:]
		if rest[0] == '<' {
			matched := false
			top := stack[len(stack)-1]
			if len(stack) > 1 && strings.HasPrefix(rest, top.close) && strings.HasPrefix(top.close, "<") {
				pop()
				i += len(top.close)
				continue
			}
			for _, t := range markupTags {
				if strings.HasPrefix(rest, t.open) && strings.Contains(rest[len(t.open):], t.close) {
					o := &out{f: t.f, nocase: t.nocase}
					push(o, t.close)
					i += len(t.open)
					matched = true
					break
				}
			}
			if matched {
				continue
			}
			buf.WriteByte('<')
			i++
			continue
		}
		switch {
		case strings.HasPrefix(rest, "“"):
			push(&out{quotes: true}, "”")
			i += len("“")
			continue
		case strings.HasPrefix(rest, "”") && inQuote("”"):
			for stack[len(stack)-1].close != "”" {
				pop()
			}
			pop()
			i += len("”")
			continue
		case rest[0] == '"':
			if inQuote("\"") {
				for stack[len(stack)-1].close != "\"" {
					pop()
				}
				pop()
			} else if strings.Contains(rest[1:], "\"") {
				push(&out{quotes: true}, "\"")
			} else {
				buf.WriteByte('"')
			}
			i++
			continue
		case strings.HasPrefix(rest, "‘") && (i == 0 || s[i-1] == ' ' || s[i-1] == '(') && strings.Contains(rest, "’"):
			push(&out{quotes: true}, "’")
			i += len("‘")
			continue
		case strings.HasPrefix(rest, "’") && inQuote("’") && (len(rest) == len("’") || !isWordByte(rest[len("’")])):
			for stack[len(stack)-1].close != "’" {
				pop()
			}
			pop()
			i += len("’")
			continue
		case rest[0] == '\'':
			if inQuote("'") && (len(rest) == 1 || !isWordByte(rest[1])) {
				for stack[len(stack)-1].close != "'" {
					pop()
				}
				pop()
				i++
				continue
			}
			if (i == 0 || s[i-1] == ' ' || s[i-1] == '(') && len(rest) > 1 && rest[1] != ' ' && hasClosingApos(rest[1:]) {
				push(&out{quotes: true}, "'")
				i++
				continue
			}
			buf.WriteString("’")
			i++
			continue
		}
		buf.WriteByte(s[i])
		i++
	}
	flush()
	if len(root.kids) == 1 && root.kids[0].f == nil && !root.kids[0].quotes && !root.kids[0].nocase {
		return root.kids[0]
	}
	return root
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

func hasClosingApos(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' && (i+1 == len(s) || !isWordByte(s[i+1])) {
			return true
		}
	}
	return false
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
