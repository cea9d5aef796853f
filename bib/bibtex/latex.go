package bibtex

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// accentKey is a LaTeX accent command ('"', 'c', 'v'…) and its base letter.
type accentKey struct{ accent, base rune }

// combining maps accent commands to Unicode combining marks, used when no
// precomposed character exists.
var combining = map[rune]rune{
	'`': '\u0300', '\'': '\u0301', '^': '\u0302', '~': '\u0303', '=': '\u0304', 'u': '\u0306',
	'.': '\u0307', '"': '\u0308', 'r': '\u030A', 'H': '\u030B', 'v': '\u030C', 'd': '\u0323',
	'c': '\u0327', 'k': '\u0328', 'b': '\u0331', 't': '\u0361',
}

// letterCommands are the text-mode commands that stand for one character
// or a fixed string.
var letterCommands = map[string]string{
	"ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
	"oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
	"th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
	"ldots": "…", "dots": "…", "textellipsis": "…",
	"textendash": "–", "textemdash": "—",
	"textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
	"quotedblbase": "„", "quotesinglbase": "‚",
	"guillemotleft": "«", "guillemotright": "»", "guillemetleft": "«", "guillemetright": "»",
	"guilsinglleft": "‹", "guilsinglright": "›",
	"textregistered": "®", "texttrademark": "™", "copyright": "©", "textcopyright": "©",
	"S": "§", "P": "¶", "textsection": "§", "textparagraph": "¶",
	"pounds": "£", "textsterling": "£", "euro": "€", "texteuro": "€", "textyen": "¥",
	"textdegree": "°", "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^",
	"textasciigrave": "`", "textunderscore": "_", "textbar": "|", "textless": "<", "textgreater": ">",
	"textdollar": "$", "textbraceleft": "{", "textbraceright": "}", "textbullet": "•",
	"textperiodcentered": "·", "textexclamdown": "¡", "textquestiondown": "¿", "textdagger": "†",
	"textdaggerdbl": "‡", "textnumero": "№", "textonehalf": "½", "textquotesingle": "'",
	"LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e", "XeTeX": "XeTeX",
	"nobreakspace": "\u00a0", "nbsp": "\u00a0", "slash": "/", "textslash": "/",
	"relax": "", "noopsort": "", "protect": "", "null": "", "unskip": "", "nocorr": "",
	"quad": "\u2003", "qquad": "\u2003\u2003", "enspace": "\u2002", "thinspace": "\u2009",
}

// symbolCommands are the one-character control symbols other than accents.
var symbolCommands = map[byte]string{
	'&': "&", '%': "%", '$': "$", '#': "#", '_': "_", '{': "{", '}': "}",
	'\\': " ", ',': "\u2009", ' ': " ", '-': "", '/': "", '@': "", '!': "", ';': " ", ':': " ",
}

// wrapCommands take one argument and format it as CSL rich text.
var wrapCommands = map[string][2]string{
	"emph": {"<i>", "</i>"}, "textit": {"<i>", "</i>"}, "textsl": {"<i>", "</i>"}, "mkbibemph": {"<i>", "</i>"},
	"mkbibitalic": {"<i>", "</i>"}, "textbf": {"<b>", "</b>"}, "mkbibbold": {"<b>", "</b>"},
	"textsc": {scOpen, "</span>"}, "textsuperscript": {"<sup>", "</sup>"}, "mkbibsuperscript": {"<sup>", "</sup>"},
	"textsubscript": {"<sub>", "</sub>"}, "mkbibsubscript": {"<sub>", "</sub>"},
	"mkbibquote": {"“", "”"}, "enquote": {"“", "”"}, "NoCaseChange": {nocaseOpen, "</span>"},
}

// switchCommands format the rest of the enclosing group.
var switchCommands = map[string][2]string{
	"em": {"<i>", "</i>"}, "it": {"<i>", "</i>"}, "itshape": {"<i>", "</i>"}, "sl": {"<i>", "</i>"},
	"slshape": {"<i>", "</i>"}, "bf": {"<b>", "</b>"}, "bfseries": {"<b>", "</b>"},
	"sc": {scOpen, "</span>"}, "scshape": {scOpen, "</span>"},
	"rm": {}, "sf": {}, "tt": {}, "upshape": {}, "mdseries": {}, "normalfont": {}, "rmfamily": {},
	"sffamily": {}, "ttfamily": {}, "small": {}, "footnotesize": {}, "large": {}, "Large": {}, "tiny": {},
}

const (
	nocaseOpen = `<span class="nocase">`
	scOpen     = `<span style="font-variant:small-caps;">`
)

// maxDepth bounds brace nesting in a value, so hostile input costs no more
// than a clear error.
const maxDepth = 100

// textMode selects how a value is converted.
type textMode int

const (
	richText  textMode = iota // CSL rich text: formatting tags and nocase spans
	plainText                 // Unicode only: names, numbers, keys
)

// converter turns LaTeX source into CSL text.
type converter struct {
	src  string
	i    int
	out  strings.Builder
	mode textMode
}

// toText converts LaTeX source to CSL text, collapsing blanks as TeX does.
func toText(src string, mode textMode) (string, error) {
	if plain(src) {
		return src, nil // the common case of plain words needs no work
	}
	c := &converter{src: src, mode: mode}
	c.out.Grow(len(src))
	if err := c.group(0, false); err != nil {
		return "", err
	}
	return strings.TrimSpace(c.out.String()), nil
}

// plain reports whether src converts to itself: no LaTeX specials, and
// blanks only as single spaces between words.
func plain(src string) bool {
	if src == "" {
		return true
	}
	if src[0] == ' ' || src[len(src)-1] == ' ' {
		return false
	}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\\', '{', '}', '$', '~', '-', '`', '\'', '\n', '\t', '\r', '\f', '\v':
			return false
		case ' ':
			if src[i+1] == ' ' {
				return false
			}
		}
	}
	return true
}

func (c *converter) space() {
	s := c.out.String()
	if len(s) > 0 && s[len(s)-1] != ' ' {
		c.out.WriteByte(' ')
	}
}

// group converts until the '}' closing the current group (or the end of the
// source at depth 0). At depth 0 a group that does not start with a command
// is protected from case changes: a nocase span in rich text.
func (c *converter) group(depth int, inGroup bool) error {
	if depth > maxDepth {
		return fmt.Errorf("braces nested deeper than %d", maxDepth)
	}
	var closers []string // tags opened by switches such as {\em …}
	defer func() {
		for i := len(closers) - 1; i >= 0; i-- {
			c.out.WriteString(closers[i])
		}
	}()
	for c.i < len(c.src) {
		ch := c.src[c.i]
		switch ch {
		case '}':
			if !inGroup {
				return fmt.Errorf("unbalanced '}' at byte %d", c.i+1)
			}
			c.i++
			return nil
		case '{':
			c.i++
			if c.i < len(c.src) && c.src[c.i] == '\\' || depth > 0 || c.mode != richText {
				if err := c.group(depth+1, true); err != nil {
					return err
				}
				continue
			}
			start := c.out.Len()
			c.out.WriteString(nocaseOpen)
			if err := c.group(depth+1, true); err != nil {
				return err
			}
			if inner := c.out.String()[start+len(nocaseOpen):]; !hasLetter(inner) {
				// Nothing to protect from case changes ({}, {"}, {1990}):
				// keep the text without a span.
				s := c.out.String()[:start] + inner
				c.out.Reset()
				c.out.WriteString(s)
			} else {
				c.out.WriteString("</span>")
			}
		case '\\':
			tags, err := c.command(depth)
			if err != nil {
				return err
			}
			if tags[0] != "" {
				c.out.WriteString(tags[0])
				closers = append(closers, tags[1])
			}
		case '$':
			c.math()
		case '~':
			c.i++
			c.out.WriteString("\u00a0")
		case '-':
			n := 0
			for c.i < len(c.src) && c.src[c.i] == '-' {
				n++
				c.i++
			}
			switch n {
			case 2:
				c.out.WriteString("–")
			case 3:
				c.out.WriteString("—")
			default:
				c.out.WriteString(strings.Repeat("-", n))
			}
		case '`':
			if strings.HasPrefix(c.src[c.i:], "``") {
				c.i += 2
				c.out.WriteString("“")
			} else {
				c.i++
				c.out.WriteString("‘")
			}
		case '\'':
			if strings.HasPrefix(c.src[c.i:], "''") {
				c.i += 2
				c.out.WriteString("”")
			} else {
				c.i++
				c.out.WriteByte('\'')
			}
		case ' ', '\t', '\n', '\r', '\f', '\v':
			c.i++
			c.space()
		default:
			c.out.WriteByte(ch)
			c.i++
		}
	}
	if inGroup {
		return fmt.Errorf("unbalanced '{'")
	}
	return nil
}

// math copies $…$ or $$…$$ verbatim: CSL has no math markup and the
// source is the most faithful thing to keep.
func (c *converter) math() {
	delim := "$"
	if strings.HasPrefix(c.src[c.i:], "$$") {
		delim = "$$"
	}
	if end := mathEnd(c.src, c.i, delim); end > 0 {
		c.out.WriteString(c.src[c.i:end])
		c.i = end
		return
	}
	c.out.WriteByte('$') // unpaired: a literal dollar
	c.i++
}

// mathEnd returns the index just past the math span opened by delim at
// s[i], or -1 when it does not close with its braces balanced (math cannot
// straddle a group).
func mathEnd(s string, i int, delim string) int {
	depth := 0
	for j := i + len(delim); j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '{':
			depth++
		case '}':
			depth--
			if depth < 0 {
				return -1
			}
		case '$':
			if depth == 0 && strings.HasPrefix(s[j:], delim) {
				return j + len(delim)
			}
		}
	}
	return -1
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// command converts the control sequence at c.i. It returns the tags of a
// font switch, which apply to the rest of the enclosing group.
func (c *converter) command(depth int) ([2]string, error) {
	c.i++ // the backslash
	if c.i >= len(c.src) {
		c.out.WriteByte('\\')
		return [2]string{}, nil
	}
	var name string
	if isLetter(c.src[c.i]) {
		j := c.i
		for j < len(c.src) && isLetter(c.src[j]) {
			j++
		}
		name = c.src[c.i:j]
		c.i = j
		for c.i < len(c.src) && (c.src[c.i] == ' ' || c.src[c.i] == '\t' || c.src[c.i] == '\n' || c.src[c.i] == '\r') {
			c.i++ // TeX swallows blanks after a control word
		}
	} else {
		name = c.src[c.i : c.i+1]
		c.i++
	}
	if len(name) == 1 {
		r := rune(name[0])
		if _, ok := combining[r]; ok && (!isLetter(name[0]) || c.accentFollows()) {
			return [2]string{}, c.accent(r, depth)
		}
		if s, ok := symbolCommands[name[0]]; ok {
			c.out.WriteString(s)
			return [2]string{}, nil
		}
	}
	if s, ok := letterCommands[name]; ok {
		c.out.WriteString(s)
		return [2]string{}, nil
	}
	if tags, ok := wrapCommands[name]; ok {
		if c.mode != richText {
			tags = [2]string{}
		}
		return [2]string{}, c.argument(tags, depth)
	}
	if tags, ok := switchCommands[name]; ok {
		if c.mode != richText {
			return [2]string{}, nil
		}
		return tags, nil
	}
	switch name {
	case "href":
		c.skipArgument() // the address; the text is the second argument
		return [2]string{}, c.argument([2]string{}, depth)
	case "url", "path", "nolinkurl", "verb", "texttt", "textrm", "textsf", "textup", "textmd",
		"textnormal", "mbox", "hbox", "text", "ensuremath", "mkbibacro", "textlatin", "foreignlanguage":
		if name == "foreignlanguage" {
			c.skipArgument()
		}
		return [2]string{}, c.argument([2]string{}, depth)
	}
	// An unknown command: drop its name and keep its argument, if any.
	if c.i < len(c.src) && c.src[c.i] == '{' {
		return [2]string{}, c.argument([2]string{}, depth)
	}
	return [2]string{}, nil
}

// accentFollows decides whether a one-letter command such as \c or \v is an
// accent: it is when an argument follows.
func (c *converter) accentFollows() bool {
	return c.i < len(c.src)
}

// argument converts one {…} argument (or a single character) between tags.
// Arguments are never case-protected themselves.
func (c *converter) argument(tags [2]string, depth int) error {
	c.out.WriteString(tags[0])
	if c.i < len(c.src) && c.src[c.i] == '{' {
		c.i++
		if err := c.group(depth+1, true); err != nil {
			return err
		}
	} else if c.i < len(c.src) {
		_, n := utf8.DecodeRuneInString(c.src[c.i:])
		c.out.WriteString(c.src[c.i : c.i+n])
		c.i += n
	}
	c.out.WriteString(tags[1])
	return nil
}

func (c *converter) skipArgument() {
	if c.i >= len(c.src) || c.src[c.i] != '{' {
		return
	}
	depth := 0
	for ; c.i < len(c.src); c.i++ {
		switch c.src[c.i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				c.i++
				return
			}
		}
	}
}

// accent applies the accent command a to its argument: \"o, \"{o}, \'{\i},
// \c c.
func (c *converter) accent(a rune, depth int) error {
	for c.i < len(c.src) && c.src[c.i] == ' ' {
		c.i++
	}
	var base string
	switch {
	case c.i >= len(c.src):
	case c.src[c.i] == '{':
		c.i++
		sub := &converter{src: c.src, i: c.i, mode: plainText}
		if err := sub.group(depth+1, true); err != nil {
			return err
		}
		c.i = sub.i
		base = sub.out.String()
	case c.src[c.i] == '\\':
		j := c.i + 1
		for j < len(c.src) && isLetter(c.src[j]) {
			j++
		}
		switch c.src[c.i+1 : j] {
		case "i":
			base = "i"
		case "j":
			base = "j"
		default:
			base = letterCommands[c.src[c.i+1:j]]
		}
		c.i = j
		for c.i < len(c.src) && c.src[c.i] == ' ' {
			c.i++
		}
	default:
		_, n := utf8.DecodeRuneInString(c.src[c.i:])
		base = c.src[c.i : c.i+n]
		c.i += n
	}
	if base == "ı" {
		base = "i"
	} else if base == "ȷ" {
		base = "j"
	}
	r, n := utf8.DecodeRuneInString(base)
	if n == 0 {
		c.out.WriteRune(combining[a]) // an accent on nothing: the bare mark
		return nil
	}
	if p, ok := composed[accentKey{a, r}]; ok {
		c.out.WriteRune(p)
	} else {
		c.out.WriteRune(r)
		c.out.WriteRune(combining[a])
	}
	c.out.WriteString(base[n:])
	return nil
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
