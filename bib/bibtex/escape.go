package bibtex

import (
	"strings"
	"unicode/utf8"
)

// richTags are the CSL rich-text tags and their LaTeX forms.
var richTags = []struct{ tag, latex string }{
	{"<i>", `\textit{`}, {"<b>", `\textbf{`}, {"<sup>", `\textsuperscript{`}, {"<sub>", `\textsubscript{`},
	{nocaseOpen, "{"}, {scOpen, `\textsc{`}, {`<span style="font-variant: small-caps;">`, `\textsc{`},
	{`<span style="font-variant:small-caps">`, `\textsc{`},
}

var closeTags = []string{"</i>", "</b>", "</sup>", "</sub>", "</span>"}

// escapeText turns CSL text into LaTeX that reads back as the same text:
// rich-text tags become commands, nocase spans become braces, and the
// characters special to LaTeX (and, for BibTeX, everything outside ASCII)
// become commands. Paired $…$ is kept as math.
func escapeText(s string, fl Flavor) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	open := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '<':
			if t, ok := matchOpen(s[i:]); ok {
				b.WriteString(t.latex)
				i += len(t.tag)
				open++
				if t.latex == "{" && (i < len(s) && s[i] == '\\' || strings.HasPrefix(s[i:], "<") || needsCommand(s[i:], fl)) {
					// A group starting with a command would read back as a
					// special character, not a protected one.
					b.WriteString("{}")
				}
				continue
			}
			if open > 0 && matchClose(s[i:]) != "" {
				b.WriteByte('}')
				i += len(matchClose(s[i:]))
				open--
				continue
			}
			b.WriteByte('<')
			i++
			continue
		case '$':
			if end := mathEnd(s, i, "$"); end > i+2 && !strings.Contains(s[i:end], "<") {
				b.WriteString(s[i:end])
				i = end
				continue
			}
			b.WriteString(`\$`)
		case '&', '%', '#', '_', '{', '}':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		case '`':
			b.WriteString(`\textasciigrave{}`)
		case '-':
			b.WriteByte('-')
			if i+1 < len(s) && s[i+1] == '-' {
				b.WriteString("{}") // keep "--" from becoming a dash
			}
		case '\'':
			b.WriteByte('\'')
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteString("{}")
			}
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			if c < utf8.RuneSelf {
				b.WriteByte(c)
				break
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(escapeRune(r, s[i+n:], fl))
			i += n
			continue
		}
		i++
	}
	for ; open > 0; open-- {
		b.WriteByte('}')
	}
	return b.String()
}

func matchOpen(s string) (struct{ tag, latex string }, bool) {
	for _, t := range richTags {
		if strings.HasPrefix(s, t.tag) {
			return t, true
		}
	}
	return struct{ tag, latex string }{}, false
}

func matchClose(s string) string {
	for _, t := range closeTags {
		if strings.HasPrefix(s, t) {
			return t
		}
	}
	return ""
}

// needsCommand reports whether the first character of s is written as a
// LaTeX command.
func needsCommand(s string, fl Flavor) bool {
	if s == "" {
		return false
	}
	if strings.ContainsRune(`&%#_{}\~^$`+"`", rune(s[0])) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r >= utf8.RuneSelf && strings.HasPrefix(escapeRune(r, "", fl), `\`)
}

// escapeRune writes one non-ASCII character. Dashes, quotes and the
// no-break space use LaTeX's ligatures in both flavours; the BibTeX flavour
// writes everything else it can as commands and the rest as UTF-8.
func escapeRune(r rune, rest string, fl Flavor) string {
	switch r {
	case '–':
		return "--"
	case '—':
		return "---"
	case '\u00a0':
		return "~"
	case '“':
		return "``"
	case '”':
		return "''"
	case '‘':
		return "`"
	case '\u2009':
		return `\,`
	}
	if fl == BibLaTeX {
		return string(r)
	}
	if k, ok := decomposed[r]; ok {
		if isLetter(byte(k.accent)) {
			return `{\` + string(k.accent) + `{` + string(k.base) + `}}`
		}
		return `{\` + string(k.accent) + string(k.base) + `}`
	}
	if name, ok := runeCommands[r]; ok {
		return `{\` + name + `}`
	}
	return string(r)
}
