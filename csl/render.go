package csl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// markKind is one kind of markup span.
type markKind uint8

const (
	mItalic markKind = iota + 1
	mOblique
	mNoItalic
	mBold
	mLight
	mNoBold
	mSmallCaps
	mNoSmallCaps
	mUnderline
	mNoUnderline
	mSup
	mSub
	mBaseline
	mBlock
	mLeftMargin
	mRightInline
	mIndent
)

type tokKind uint8

const (
	tkText tokKind = iota
	tkOpen
	tkClose
	tkQuoteOpen
	tkQuoteClose
)

// tok is one element of the flattened output: text, a markup boundary or a
// quote mark (kept apart so punctuation can move across it).
type tok struct {
	kind tokKind
	s    string
	m    markKind
	// bound marks the closing quote of quotation marks in field text that
	// the field's own text follows: punctuation there is not moved
	// inside (citeproc-js moves only affixes and delimiters)
	bound bool
	// field marks text from a field's value (not an affix, delimiter or
	// term): a space it ends with stays even when an affix space follows,
	// as in citeproc-js
	field bool
}

// Renderer writes flattened output in one markup language. HTML and Text
// are provided; RTF, Markdown or LaTeX can be added by implementing it.
type Renderer interface {
	Text(sb *strings.Builder, s string)
	Open(sb *strings.Builder, m markKind)
	Close(sb *strings.Builder, m markKind)
}

type htmlRenderer struct{}

// doubleSpaces writes each pair of white-space characters as a no-break
// space and a space, so that HTML keeps both, as citeproc-js's HTML output
// does.
func doubleSpaces(s string) string {
	if len(s) < 2 || !strings.ContainsAny(s, " \u00a0\u202f\t") {
		return s
	}
	var sb strings.Builder
	var pending rune = -1 // a white-space character not yet paired
	for _, r := range s {
		if unicode.IsSpace(r) {
			if pending >= 0 {
				sb.WriteString("\u00a0 ")
				pending = -1
				continue
			}
			pending = r
			continue
		}
		if pending >= 0 {
			sb.WriteRune(pending)
			pending = -1
		}
		sb.WriteRune(r)
	}
	if pending >= 0 {
		sb.WriteRune(pending)
	}
	return sb.String()
}

func (htmlRenderer) Text(sb *strings.Builder, s string) {
	s = doubleSpaces(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if base, ok := superscripts[r]; ok {
				sb.WriteString("<sup>")
				sb.WriteString(base)
				sb.WriteString("</sup>")
			} else {
				sb.WriteString(s[i : i+size])
			}
			i += size - 1
			continue
		}
		switch c := s[i]; c {
		case '&':
			sb.WriteString("&#38;")
		case '<':
			sb.WriteString("&#60;")
		case '>':
			sb.WriteString("&#62;")
		default:
			sb.WriteByte(c)
		}
	}
}

var htmlOpen = map[markKind]string{
	mItalic: "<i>", mOblique: `<span style="font-style:oblique;">`, mNoItalic: `<span style="font-style:normal;">`,
	mBold: "<b>", mLight: `<span style="font-weight:light;">`, mNoBold: `<span style="font-weight:normal;">`,
	mSmallCaps: `<span style="font-variant:small-caps;">`, mNoSmallCaps: `<span style="font-variant:normal;">`,
	mUnderline: `<span style="text-decoration:underline;">`, mNoUnderline: `<span style="text-decoration:none;">`,
	mSup: "<sup>", mSub: "<sub>", mBaseline: `<span style="baseline">`,
	mBlock: `<div class="csl-block">`, mLeftMargin: `<div class="csl-left-margin">`,
	mRightInline: `<div class="csl-right-inline">`, mIndent: `<div class="csl-indent">`,
}

var htmlClose = map[markKind]string{
	mItalic: "</i>", mBold: "</b>", mSup: "</sup>", mSub: "</sub>",
	mBlock: "</div>", mLeftMargin: "</div>", mRightInline: "</div>", mIndent: "</div>",
}

func (htmlRenderer) Open(sb *strings.Builder, m markKind) { sb.WriteString(htmlOpen[m]) }
func (htmlRenderer) Close(sb *strings.Builder, m markKind) {
	if s, ok := htmlClose[m]; ok {
		sb.WriteString(s)
		return
	}
	sb.WriteString("</span>")
}

type textRenderer struct{}

func (textRenderer) Text(sb *strings.Builder, s string) { sb.WriteString(s) }
func (textRenderer) Open(*strings.Builder, markKind)    {}

// Close separates the left margin from the entry text with a space, as
// citeproc-js's plain-text output does.
func (textRenderer) Close(sb *strings.Builder, m markKind) {
	if m == mLeftMargin {
		sb.WriteByte(' ')
	}
}

func rendererFor(f Format) Renderer {
	if f == Text {
		return textRenderer{}
	}
	return htmlRenderer{}
}

// flatState tracks the decorations in force so that nested italics (and
// bold, small caps, quotes) flip back to normal.
type flatState struct {
	italic, bold, smallCaps bool
	quoteDepth              int
	innerQuote              bool // the innermost quotes in force are inner ones
	loc                     *Locale
}

type flattener struct {
	toks []tok
	loc  *Locale
	// nestBraces turns parentheses in affixes inside parentheses into
	// brackets, as citeproc-js does in the citations of note styles;
	// braceDepth counts the parentheses open
	nestBraces bool
	braceDepth int
}

// affix writes an affix, with nested parentheses as brackets when asked.
func (fl *flattener) affix(s string) {
	if fl.nestBraces && strings.ContainsAny(s, "()") {
		b := []byte(s)
		for i, c := range b {
			switch c {
			case '(':
				if fl.braceDepth%2 == 1 {
					b[i] = '['
				}
				fl.braceDepth++
			case ')':
				if fl.braceDepth%2 == 0 {
					b[i] = ']'
				}
				fl.braceDepth--
			}
		}
		s = string(b)
	}
	fl.text(s)
}

func (fl *flattener) text(s string) {
	if s != "" {
		fl.toks = append(fl.toks, tok{kind: tkText, s: s})
	}
}

func (fl *flattener) open(m markKind)  { fl.toks = append(fl.toks, tok{kind: tkOpen, m: m}) }
func (fl *flattener) close(m markKind) { fl.toks = append(fl.toks, tok{kind: tkClose, m: m}) }

// quoteMarks returns the marks for quotes opened in state st: quotes
// inside quotes flip between outer and inner; outside any, single quotes
// written in the field are inner and all others outer.
func (fl *flattener) quoteMarks(o *out, st flatState) (string, string, bool) {
	inner := o.dataQuote && o.innerQuote
	if st.quoteDepth > 0 {
		inner = !st.innerQuote
	}
	if inner {
		o, _ := fl.loc.term("open-inner-quote", "long", false, "")
		c, _ := fl.loc.term("close-inner-quote", "long", false, "")
		return o, c, true
	}
	op, _ := fl.loc.term("open-quote", "long", false, "")
	c, _ := fl.loc.term("close-quote", "long", false, "")
	return op, c, false
}

func (fl *flattener) walk(o *out, st flatState) {
	if o == nil || o.isEmpty() {
		return
	}
	fl.affix(o.prefix)
	f := o.f
	var disp markKind
	var deco []markKind
	if f != nil {
		switch f.display {
		case "block":
			disp = mBlock
		case "left-margin":
			disp = mLeftMargin
		case "right-inline":
			disp = mRightInline
		case "indent":
			disp = mIndent
		}
		if disp != 0 {
			fl.open(disp)
		}
		fl.affix(f.prefix)
		if f.hasDecorations {
			deco = fl.decorate(f, &st)
		}
	}
	if o.quotes {
		qo, qc, inner := fl.quoteMarks(o, st)
		st.quoteDepth++
		st.innerQuote = inner
		fl.toks = append(fl.toks, tok{kind: tkQuoteOpen, s: qo})
		fl.walkInner(o, st)
		fl.toks = append(fl.toks, tok{kind: tkQuoteClose, s: qc})
	} else {
		fl.walkInner(o, st)
	}
	for i := len(deco) - 1; i >= 0; i-- {
		fl.close(deco[i])
	}
	if f != nil {
		fl.affix(f.suffix)
	}
	if disp != 0 {
		fl.close(disp)
	}
	fl.affix(o.suffix)
}

func (fl *flattener) walkInner(o *out, st flatState) {
	if o.text != "" {
		fl.toks = append(fl.toks, tok{kind: tkText, s: o.text, field: true})
	}
	first := true
	last := len(o.kids) - 1
	for last >= 0 && o.kids[last].isEmpty() {
		last--
	}
	for i, k := range o.kids {
		if k.isEmpty() {
			continue
		}
		if !first {
			fl.text(o.delim)
		}
		first = false
		fl.walk(k, st)
		if k.dataQuote && i < last && o.delim == "" {
			if t := &fl.toks[len(fl.toks)-1]; t.kind == tkQuoteClose {
				t.bound = true
			}
		}
	}
}

// decorate opens the decoration spans of f and returns them in opening
// order; it updates st for flip-flopping.
func (fl *flattener) decorate(f *formatting, st *flatState) []markKind {
	var ms []markKind
	add := func(m markKind) {
		fl.open(m)
		ms = append(ms, m)
	}
	// citeproc-js wraps font-style innermost and vertical-align outermost
	switch f.verticalAlign {
	case "sup":
		add(mSup)
	case "sub":
		add(mSub)
	case "baseline":
		add(mBaseline)
	}
	switch f.textDecoration {
	case "underline":
		add(mUnderline)
	case "none":
		// only meaningful to undo an enclosing underline; rarely used
	}
	// A value that is already in force flips to its opposite (nested
	// italics render upright); "normal" undoes an enclosing one.
	flip := func(on *bool, set, unset markKind) {
		if *on {
			add(unset)
		} else {
			add(set)
		}
		*on = !*on
	}
	reset := func(on *bool, unset markKind) {
		if *on {
			add(unset)
			*on = false
		}
	}
	switch f.fontWeight {
	case "bold":
		flip(&st.bold, mBold, mNoBold)
	case "light":
		add(mLight)
	case "normal":
		reset(&st.bold, mNoBold)
	}
	switch f.fontVariant {
	case "small-caps":
		flip(&st.smallCaps, mSmallCaps, mNoSmallCaps)
	case "normal":
		reset(&st.smallCaps, mNoSmallCaps)
	}
	switch f.fontStyle {
	case "italic":
		flip(&st.italic, mItalic, mNoItalic)
	case "oblique":
		add(mOblique)
	case "normal":
		reset(&st.italic, mNoItalic)
	}
	return ms
}

// renderOut flattens o, applies the punctuation rules and writes it in
// format f.
func renderOut(o *out, loc *Locale, f Format) string {
	return renderOutBraces(o, loc, f, false)
}

// renderOutBraces is renderOut that can write nested parentheses in affixes
// as brackets (for the citations of note styles).
func renderOutBraces(o *out, loc *Locale, f Format, nestBraces bool) string {
	fl := &flattener{loc: loc, nestBraces: nestBraces}
	fl.walk(o, flatState{})
	toks := fixPunctuation(fl.toks, loc.punctInQuote)
	r := rendererFor(f)
	var sb strings.Builder
	for _, t := range toks {
		switch t.kind {
		case tkText, tkQuoteOpen, tkQuoteClose:
			r.Text(&sb, t.s)
		case tkOpen:
			r.Open(&sb, t.m)
		case tkClose:
			r.Close(&sb, t.m)
		}
	}
	return sb.String()
}
