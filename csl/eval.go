package csl

import (
	"strconv"
	"strings"
	"unicode"
)

// ctx is the evaluation state for one item (and cite) in one layout.
type ctx struct {
	d    *doc
	p    *Processor
	loc  *Locale
	it   *itemState
	item *Item
	ct   *citeState // nil outside citations
	bib  bool
	opts map[string]string // inherited options of <citation> or <bibliography>

	sortKey    bool // evaluating a sort key
	called     int  // variables tested by rendering elements (group suppression)
	rendered   int  // of those, the ones that produced output
	suppressed map[string]bool
	// year-suffix was rendered explicitly through <text variable="year-suffix">
	ysExplicit bool
	// disambiguation trial overrides
	noPosition bool
	// suppress-author: the first <names> output is dropped
	suppressFirstNames bool
	// names-min / names-use-first of the sort key being evaluated
	sortNamesMin, sortNamesUse int
	sortNamesLast              bool
	inSubst                    int // depth of <substitute> evaluation
	// the enclosing <names> of a <substitute> being evaluated
	substParts *namesParts
	substFmt   *formatting
	// variables rendered while evaluating a substitute candidate
	substRendered []string
	// collect, when set, receives every personal name rendered
	collect *[]citedName
	// nameListsShown counts the lists of names rendered so far
	nameListsShown int
}

func (c *ctx) position() int {
	if c.ct == nil {
		return posFirst
	}
	return c.ct.pos
}

// variable returns the text of a non-name, non-date variable.
func (c *ctx) variable(name string) string {
	if c.suppressed[name] {
		return ""
	}
	switch name {
	case "citation-number":
		return strconv.Itoa(c.it.num)
	case "year-suffix":
		if c.it.ys > 0 {
			return yearSuffixLetters(c.it.ys)
		}
		return ""
	case "locator":
		if c.ct != nil {
			return c.ct.Locator
		}
		return ""
	case "first-reference-note-number":
		if c.ct != nil && c.ct.pos != posFirst && c.it.firstNote > 0 {
			return strconv.Itoa(c.it.firstNote)
		}
		return ""
	case "page-first":
		if v := c.item.Vars["page-first"]; v != "" {
			return v
		}
		p := c.item.Vars["page"]
		if i := strings.IndexAny(p, "-–,&"); i >= 0 {
			p = strings.TrimSpace(p[:i])
		}
		return p
	case "citation-label":
		if v := c.item.Vars["citation-label"]; v != "" {
			return v
		}
		return c.trigraph()
	case "title-short":
		if v := c.item.Vars["title-short"]; v != "" {
			return v
		}
		return c.item.Vars["shortTitle"]
	case "container-title-short":
		if v := c.item.Vars["container-title-short"]; v != "" {
			return v
		}
		return c.item.Vars["journalAbbreviation"]
	}
	return c.item.Vars[name]
}

func yearSuffixLetters(n int) string {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('a' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// hasVariable reports whether variable v is set (for conditions).
// Conditions see variables that substitution suppressed (as citeproc-js
// does): suppression only stops them from rendering twice.
func (c *ctx) hasVariable(v string) bool {
	return c.hasVariableOf(v, kindOfVariable(v))
}

// varKind tells name and date variables from the others.
type varKind uint8

const (
	varOther varKind = iota
	varName
	varDate
)

func kindOfVariable(v string) varKind {
	switch {
	case IsNameVariable(v):
		return varName
	case IsDateVariable(v):
		return varDate
	}
	return varOther
}

// hasVariableOf is hasVariable for a variable whose kind is known.
func (c *ctx) hasVariableOf(v string, k varKind) bool {
	switch k {
	case varName:
		return len(c.item.Names[v]) > 0
	case varDate:
		d, ok := c.item.Dates[v]
		return ok && !d.IsZero()
	}
	switch v {
	case "locator":
		return c.ct != nil && c.ct.Locator != ""
	case "citation-number":
		return true
	case "year-suffix":
		return c.it.ys > 0
	case "first-reference-note-number":
		return c.variable(v) != ""
	}
	if c.suppressed[v] {
		saved := c.suppressed[v]
		delete(c.suppressed, v)
		ok := c.variable(v) != ""
		c.suppressed[v] = saved
		return ok
	}
	return c.variable(v) != ""
}

// evalKids evaluates children and joins them with delim.
func (c *ctx) evalKids(kids []*node, f *formatting, delim string) *out {
	var outs []*out
	for _, k := range kids {
		if k.kind == kChoose {
			// the chosen branch's elements are delimited as if they were
			// children of the enclosing element
			if br := c.chooseBranch(k); br != nil {
				for _, bk := range br {
					if bk.kind == kChoose {
						if o := c.evalKids([]*node{bk}, nil, delim); !o.isEmpty() {
							outs = append(outs, o.kids...)
						}
						continue
					}
					if o := c.eval(bk); !o.isEmpty() {
						outs = append(outs, o)
					}
				}
			}
			continue
		}
		if o := c.eval(k); !o.isEmpty() {
			outs = append(outs, o)
		}
	}
	if len(outs) == 0 {
		return nil
	}
	return &out{kids: outs, f: f, delim: delim}
}

// eval evaluates one rendering element.
func (c *ctx) eval(n *node) *out {
	switch n.kind {
	case kText:
		return c.evalText(n)
	case kNumber:
		return c.evalNumber(n)
	case kLabel:
		return c.evalLabel(n)
	case kDate:
		return c.evalDate(n)
	case kNames:
		return c.evalNames(n)
	case kGroup:
		return c.evalGroup(n)
	case kChoose:
		return c.evalChoose(n)
	}
	return nil
}

func (c *ctx) evalGroup(n *node) *out {
	oc, or := c.called, c.rendered
	c.called, c.rendered = 0, 0
	o := c.evalKids(n.kids, n.fmt, n.fmt.delimiter)
	called, rendered := c.called, c.rendered
	// A group is suppressed when it calls variables and none of them render.
	if (called > 0 && rendered == 0) || o == nil {
		c.called, c.rendered = oc+called, or+rendered
		return nil
	}
	// A group that renders counts as rendered content for the enclosing
	// group, even if it holds only terms (citeproc-js behaves so).
	if rendered == 0 {
		called, rendered = called+1, 1
	}
	c.called, c.rendered = oc+called, or+rendered
	if n.fmt.textCase != "" {
		applyTextCase(o, n.fmt.textCase, true)
	}
	return o
}

func (c *ctx) evalChoose(n *node) *out {
	if br := c.chooseBranch(n); br != nil {
		return c.evalKids(br, nil, "")
	}
	return nil
}

// chooseBranch returns the children of the first branch whose condition
// holds.
func (c *ctx) chooseBranch(n *node) []*node {
	for _, br := range n.kids {
		switch br.kind {
		case kIf, kElseIf:
			if c.test(br.cond) {
				return br.kids
			}
		case kElse:
			return br.kids
		}
	}
	return nil
}

// test evaluates a condition, stopping as soon as the match mode is
// decided.
func (c *ctx) test(cd *condition) bool {
	if cd == nil {
		return false
	}
	// decide reports whether one result settles the whole test, and how
	any, none := cd.match == "any", cd.match == "none"
	n := 0
	decide := func(r bool) (bool, bool) {
		n++
		switch {
		case any && r:
			return true, true
		case none && r:
			return true, false
		case !any && !none && !r:
			return true, false
		}
		return false, false
	}
	if cd.disambiguate != nil {
		if done, v := decide(c.it.disambig == *cd.disambiguate); done {
			return v
		}
	}
	for _, v := range cd.isNumeric {
		val := c.numericValue(v)
		num := isNumeric(val)
		if parsedNumberVars[v] && val != "" {
			num, _ = numberInfo(v, val)
		}
		if done, r := decide(num); done {
			return r
		}
	}
	for _, v := range cd.isUncertain {
		d, ok := c.item.Dates[v]
		if done, r := decide(ok && d.Circa); done {
			return r
		}
	}
	for _, l := range cd.locator {
		lab := ""
		if c.ct != nil && c.ct.Locator != "" {
			lab = c.ct.Label
			if lab == "" {
				lab = "page"
			}
		}
		if l == "sub-verbo" {
			l = "sub verbo"
		}
		if done, r := decide(lab == l); done {
			return r
		}
	}
	for _, p := range cd.position {
		if done, r := decide(c.testPosition(p)); done {
			return r
		}
	}
	for _, t := range cd.types {
		if done, r := decide(c.item.Type == t); done {
			return r
		}
	}
	for i, v := range cd.variables {
		var k varKind
		if i < len(cd.varKinds) {
			k = cd.varKinds[i]
		} else {
			k = kindOfVariable(v)
		}
		if done, r := decide(c.hasVariableOf(v, k)); done {
			return r
		}
	}
	switch {
	case any:
		return false
	case none:
		return true
	}
	return n > 0
}

func (c *ctx) testPosition(p string) bool {
	if c.ct == nil || c.noPosition {
		return false
	}
	pos := c.ct.pos
	switch p {
	case "first":
		return pos == posFirst
	case "subsequent":
		return pos != posFirst
	case "ibid":
		return pos == posIbid || pos == posIbidWithLocator
	case "ibid-with-locator":
		return pos == posIbidWithLocator
	case "near-note":
		return pos != posFirst && c.ct.nearNote
	}
	return false
}

func (c *ctx) numericValue(v string) string {
	if IsDateVariable(v) || IsNameVariable(v) {
		return ""
	}
	return c.variable(v)
}

// languageCased are the variables whose title case depends on the item's
// language (citeproc-js's multilingual fields and, as the test suite
// expects, every other title); title case applies to the others, and to
// groups, macros and dates, whatever the language.
var languageCased = map[string]bool{
	"title": true, "title-short": true, "container-title": true, "container-title-short": true,
	"collection-title": true, "volume-title": true, "original-title": true, "part-title": true,
	"reviewed-title": true, "event": true, "event-title": true, "publisher": true,
	"publisher-place": true, "event-place": true, "authority": true, "genre": true, "medium": true,
	"country": true, "jurisdiction": true, "archive": true, "archive-place": true,
}

func (c *ctx) isEnglish() bool {
	lang := c.item.Vars["language"]
	if lang == "" {
		// without a language the locale decides: title case is English
		lang = c.loc.Lang
		if lang == "" {
			return true
		}
	}
	return strings.HasPrefix(strings.ToLower(lang), "en")
}

// evalText renders <text>.
func (c *ctx) evalText(n *node) *out {
	f := n.fmt
	switch {
	case n.variable != "":
		v := n.variable
		if v != "year-suffix" {
			// year-suffix is decided late; like citeproc-js, groups do not
			// count it as a variable
			c.called++
		}
		var s string
		if n.form == "short" {
			s = c.variable(v + "-short")
			if s == "" {
				switch v {
				case "title":
					s = c.variable("title-short")
				case "container-title":
					s = c.variable("container-title-short")
				}
			}
		}
		if s == "" {
			s = c.variable(v)
		}
		if s == "" {
			return nil
		}
		if v != "year-suffix" {
			c.rendered++
		}
		if c.inSubst > 0 {
			c.substRendered = append(c.substRendered, v)
		}
		var o *out
		switch v {
		case "year-suffix":
			c.ysExplicit = true
			o = &out{text: s, tag: tagYearSuffix}
		case "citation-number":
			o = &out{text: s, tag: tagCitationNumber}
		case "citation-label":
			o = leaf(s)
			if c.it.ys > 0 && !c.p.style.usesYearSuffix() && !c.ysExplicit && !c.sortKey {
				// the label carries the year-suffix when nothing else does
				c.ysExplicit = true
				o = &out{kids: []*out{o, {text: yearSuffixLetters(c.it.ys), tag: tagYearSuffix}}}
			}
		case "page":
			s = c.formatPageRange(stripPageLabel(s))
			o = c.richText(s, f)
		case "locator":
			s = strings.TrimSpace(s)
			if strings.Contains(s, " & ") {
				// the locale may spell the ampersand of a locator list
				if amp, _ := c.loc.term("and", "symbol", false, ""); amp != "" && amp != "&" {
					s = strings.ReplaceAll(s, " & ", " "+amp+" ")
				}
			}
			if c.ct != nil && (c.ct.Label == "" || c.ct.Label == "page") {
				s = c.formatPageRange(s)
			} else {
				s = pageRanges(s, "", "–")
			}
			o = c.richText(s, f)
			o.tag = tagLocator
		default:
			if numberVariables[v] {
				s = enDashRanges(spaceAfterAbbrev(v, s))
				if f != nil && f.textCase == "capitalize-first" {
					s = capitalizePieces(s)
				}
			}
			o = c.richTextLang(s, f, !languageCased[v] || c.isEnglish())
			if v == "title" {
				o.tag = tagTitle
			}
		}
		if f != nil && f.fontStyle != "" && !strings.ContainsFunc(s, isRomanesque) {
			// citeproc-js sets no italics on text without a letter of a
			// spaced script (a Chinese or Japanese title)
			nf := *f
			nf.fontStyle = ""
			f = &nf
		}
		return c.finish(o, f, v != "year-suffix")
	case n.macro != nil:
		// a macro behaves like a group: terms inside it vanish when every
		// variable it calls is empty
		oc, or := c.called, c.rendered
		c.called, c.rendered = 0, 0
		o := c.evalKids(n.macro.kids, nil, "")
		called, rendered := c.called, c.rendered
		if o == nil || (called > 0 && rendered == 0) {
			c.called, c.rendered = oc+called, or+rendered
			return nil
		}
		if rendered == 0 {
			// like a group, a macro that renders only terms counts as
			// rendered content for the enclosing group ("In" before an
			// empty container stays, as in citeproc-js)
			called, rendered = called+1, 1
		}
		c.called, c.rendered = oc+called, or+rendered
		if f.textCase != "" {
			applyTextCase(o, f.textCase, true)
		}
		if f.stripPeriods {
			stripPeriodsOut(o)
		}
		if !f.hasAffixes && !f.hasDecorations && f.display == "" && !f.quotes {
			// a wrapper without affixes, decorations, display or quotes
			// renders as its content; macros are called so often that
			// the node is worth saving
			return o
		}
		wrap := &out{kids: []*out{o}, f: f, quotes: f.quotes}
		return wrap
	case n.term != "":
		s, _ := c.loc.term(n.term, n.form, n.pluralTerm, "")
		if s == "" {
			return nil
		}
		o := c.finish(c.richTextLang(s, f, true), f, true)
		return &out{kids: []*out{o}, tag: tagTerm}
	case n.hasValue:
		s := n.value
		if s == "" {
			return nil
		}
		return c.finish(c.richText(s, f), f, true)
	}
	return nil
}

// richText applies strip-periods and text-case to s and parses its inline
// markup.
func (c *ctx) richText(s string, f *formatting) *out {
	return c.richTextLang(s, f, c.isEnglish())
}

// richTextLang is richText with the title-case language decided by the
// caller: terms come from the locale, so the item's language is irrelevant.
func (c *ctx) richTextLang(s string, f *formatting, english bool) *out {
	if f != nil && f.stripPeriods {
		s = strings.ReplaceAll(s, ".", "")
	}
	o := parseMarkup(s)
	if f != nil && f.textCase != "" {
		applyTextCase(o, f.textCase, english)
	}
	return o
}

// finish wraps the content in the element's formatting.
func (c *ctx) finish(o *out, f *formatting, _ bool) *out {
	if o == nil {
		return nil
	}
	if f == nil {
		return o
	}
	if o.f == nil && !o.quotes && len(o.kids) == 0 && o.prefix == "" && o.suffix == "" {
		o.f = f
		o.quotes = f.quotes
		return o
	}
	return &out{kids: []*out{o}, f: f, quotes: f.quotes}
}

func stripPeriodsOut(o *out) {
	if o == nil {
		return
	}
	o.text = strings.ReplaceAll(o.text, ".", "")
	for _, k := range o.kids {
		stripPeriodsOut(k)
	}
}

// evalLabel renders <label>.
func (c *ctx) evalLabel(n *node) *out {
	v := n.get("variable")
	var term, val string
	switch v {
	case "locator":
		if c.ct == nil || c.ct.Locator == "" {
			return nil
		}
		if embeddedLabel(c.ct.Locator) {
			// "vol. 1, fol. 186" carries its own labels
			return nil
		}
		term = c.ct.Label
		if term == "" {
			term = "page"
		}
		val = c.ct.Locator
	default:
		val = c.variable(v)
		term = v
		switch v {
		case "page-first", "number-of-pages":
			term = "page"
		case "number-of-volumes":
			term = "volume"
		}
	}
	if val == "" {
		// citeproc-js labels a count of volumes or pages with the term of
		// the counted variable ("3 vol")
		switch {
		case v == "volume" && c.variable("number-of-volumes") != "":
			val = "1"
		case v == "page" && c.variable("number-of-pages") != "":
			val = "1"
		default:
			return nil
		}
	}
	plural := false
	switch n.get("plural") {
	case "always":
		plural = true
	case "never":
	default:
		switch v {
		case "number-of-pages", "number-of-volumes":
			i, err := strconv.Atoi(strings.TrimSpace(val))
			plural = err == nil && i > 1
		case "locator":
			plural = isPluralNumber(val) || c.localizedPlural(val)
		case "page":
			plural = pluralPages(stripPageLabel(val)) && pageStartsNumeric(stripPageLabel(val))
		default:
			if parsedNumberVars[v] {
				_, plural = numberInfo(v, val)
				break
			}
			// several numbers, or a list ("4, Winter"), take the plural
			if toks, ok := splitNumeric(val); ok {
				plural = len(toks) > 1
			} else {
				plural = strings.Contains(val, ", ") || strings.Contains(val, " & ") || strings.Contains(val, " and ")
			}
		}
	}
	s, _ := c.loc.term(term, n.get("form"), plural, "")
	if s == "" {
		return nil
	}
	return c.finish(c.richTextLang(s, n.fmt, true), n.fmt, true)
}

// isPluralNumber reports whether a number variable holds more than one
// number ("1-3", "2, 4", "5 & 7").
func isPluralNumber(s string) bool {
	nums := 0
	inNum := false
	sep := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if !inNum {
				nums++
				inNum = true
			}
		case r == '-' || r == ',' || r == '&' || r == '–':
			inNum = false
			sep = true
		default:
			inNum = r != ' ' && inNum
		}
	}
	if nums > 1 && sep {
		return true
	}
	return strings.Contains(s, " and ") && nums > 1
}

// numberVariables are the CSL number variables (other than page and
// locator, which have their own range formatting).
var numberVariables = map[string]bool{
	"chapter-number": true, "collection-number": true, "edition": true, "issue": true, "number": true,
	"number-of-pages": true, "number-of-volumes": true, "part-number": true, "printing-number": true,
	"section": true, "supplement-number": true, "version": true, "volume": true,
}

// enDashRanges turns a hyphen between two digits into an en dash
// ("17-18" → "17–18") unless the value has decimal points ("21.1-2"), as
// citeproc-js does for number variables.
func enDashRanges(s string) string {
	i := strings.IndexByte(s, '-')
	if i <= 0 || i == len(s)-1 || strings.Count(s, "-") > 1 {
		// identifiers with several hyphens ("04-01-35-0399") are not ranges
		return s
	}
	for j := 0; j < len(s); j++ {
		// identifiers with spaces or punctuation ("PB 91-194001",
		// "80079-20-2:2016") keep their hyphens
		if c := s[j]; c != '-' && c != ',' && !isDigitByte(c) && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			if c != ' ' || !strings.Contains(s, ",") {
				return s
			}
		}
	}
	var sb strings.Builder
	for j := 0; j < len(s); j++ {
		if s[j] == '-' && j > 0 && j < len(s)-1 && isDigitByte(s[j-1]) && isDigitByte(s[j+1]) && !strings.Contains(s, ".") {
			sb.WriteString("–")
			continue
		}
		sb.WriteByte(s[j])
	}
	return sb.String()
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// pluralPages reports whether a page value names several pages: it starts
// with a number (arabic or lower-case roman) followed by a range or list
// separator ("23-26 August", "xii, 250 pp."). Text that merely contains
// numbers ("S. 55-61", "IX, 99, 2 Ktn.", "1.1-1.36") is singular, as in
// citeproc-js.
func pluralPages(s string) bool {
	s = strings.TrimSpace(s)
	if toks, ok := splitNumeric(s); ok && !strings.Contains(s, "/") {
		return len(toks) > 1
	}
	i := 0
	for i < len(s) && (isDigitByte(s[i])) {
		i++
	}
	if i == 0 {
		for i < len(s) && strings.IndexByte("ivxlcdm", s[i]) >= 0 {
			i++
		}
	}
	if i == 0 || strings.Contains(s, "/") {
		return false
	}
	rest := strings.TrimLeft(s[i:], " ")
	return strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, ",") || strings.HasPrefix(rest, "&")
}

// trigraph generates a citation label from the creators and the year, as
// citeproc-js does by default: four letters of a single family name, two
// each of two or three, one each of four or more, then the year's last two
// digits ("Asth00", "RoNo78", "DEFG26").
func (c *ctx) trigraph() string {
	var names []Name
	for _, v := range []string{"author", "editor", "translator", "composer", "director"} {
		if ns := c.item.Names[v]; len(ns) > 0 {
			names = ns
			break
		}
	}
	var sb strings.Builder
	per := 1
	switch len(names) {
	case 1:
		per = 4
	case 2, 3:
		per = 2
	}
	for i, nm := range names {
		if i >= 4 {
			break
		}
		fam := parseParticles(nm).Family
		if fam == "" {
			fam = nm.Literal
		}
		r := []rune(fam)
		if len(r) > per {
			r = r[:per]
		}
		sb.WriteString(string(r))
	}
	if d, ok := c.item.Dates["issued"]; ok {
		if dv, ok := normalizeDate(d); ok && dv.start[0] > 0 {
			y := strconv.Itoa(dv.start[0])
			if len(y) >= 2 {
				sb.WriteString(y[len(y)-2:])
			}
		}
	}
	return sb.String()
}

// stripPageLabel drops a "p." or "pp." that the data put before page
// numbers, since the style supplies its own label ("pp. 316-318").
func stripPageLabel(s string) string {
	for _, p := range []string{"pp. ", "p. ", "pp.", "p."} {
		if strings.HasPrefix(s, p) && len(s) > len(p) && isDigitByte(s[len(p)]) {
			return s[len(p):]
		}
	}
	return s
}

// localizedPlural reports a list joined by the locale's "and" (in words or
// as a symbol) between numbers: "213 et 235".
func (c *ctx) localizedPlural(val string) bool {
	for _, form := range []string{"long", "symbol"} {
		and, _ := c.loc.term("and", form, false, "")
		if and == "" {
			continue
		}
		if i := strings.Index(val, " "+and+" "); i > 0 && isDigitByte(val[i-1]) {
			rest := val[i+len(and)+2:]
			if rest != "" && isDigitByte(rest[0]) {
				return true
			}
		}
	}
	return false
}

// embeddedLabel reports a locator that starts with its own abbreviated
// label ("vol. 1", "fol. 186").
func embeddedLabel(loc string) bool {
	loc = strings.TrimSpace(loc)
	i := strings.IndexByte(loc, ' ')
	if i < 2 {
		return false
	}
	word := loc[:i]
	if !strings.HasSuffix(word, ".") {
		return false
	}
	for _, r := range word[:len(word)-1] {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
