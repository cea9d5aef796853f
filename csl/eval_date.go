package csl

import (
	"fmt"
	"strconv"
	"strings"
)

// datePartSpec is one date-part to render with its effective attributes.
type datePartSpec struct {
	name  string // year, month, day
	form  string
	f     *formatting
	rdel  string // range-delimiter
	hasRD bool
}

// evalDate renders <date>.
func (c *ctx) evalDate(n *node) *out {
	v := n.get("variable")
	c.called++
	if c.suppressed[v] {
		return nil
	}
	d, ok := c.item.Dates[v]
	if !ok {
		return nil
	}
	dv, ok := normalizeDate(d)
	if !ok {
		return nil
	}
	// the date counts as rendered (for group suppression) only if some
	// part of it shows
	rendered := func() {
		c.rendered++
		if c.inSubst > 0 {
			c.substRendered = append(c.substRendered, v)
		}
	}
	f := n.fmt
	if dv.literal != "" {
		rendered()
		o := c.richText(dv.literal, nil)
		o.tag = tagDate
		return c.wrapDate(o, f)
	}
	var parts []datePartSpec
	delim := f.delimiter
	if form := n.get("form"); form != "" {
		ln := c.loc.dates[form]
		if ln == nil {
			return nil
		}
		delim = ln.fmt.delimiter
		want := n.get("date-parts")
		if want == "" {
			want = "year-month-day"
		}
		for _, lp := range ln.kids {
			if lp.kind != kDatePart {
				continue
			}
			name := lp.get("name")
			if (name == "month" && want == "year") || (name == "day" && want != "year-month-day") {
				continue
			}
			spec := datePartSpec{name: name, form: lp.get("form"), f: lp.fmt}
			spec.rdel, spec.hasRD = lp.attr["range-delimiter"]
			// the style's own date-part overrides everything but affixes
			for _, sp := range n.kids {
				if sp.kind == kDatePart && sp.get("name") == name {
					if sp.has("form") {
						spec.form = sp.get("form")
					}
					if rd, ok := sp.attr["range-delimiter"]; ok {
						spec.rdel, spec.hasRD = rd, true
					}
					merged := *lp.fmt
					o := sp.fmt
					if o.fontStyle != "" {
						merged.fontStyle = o.fontStyle
					}
					if o.fontWeight != "" {
						merged.fontWeight = o.fontWeight
					}
					if o.fontVariant != "" {
						merged.fontVariant = o.fontVariant
					}
					if o.textDecoration != "" {
						merged.textDecoration = o.textDecoration
					}
					if o.verticalAlign != "" {
						merged.verticalAlign = o.verticalAlign
					}
					if o.textCase != "" {
						merged.textCase = o.textCase
					}
					if o.stripPeriods {
						merged.stripPeriods = true
					}
					merged.hasDecorations = merged.fontStyle != "" || merged.fontVariant != "" || merged.fontWeight != "" || merged.textDecoration != "" || merged.verticalAlign != ""
					spec.f = &merged
				}
			}
			parts = append(parts, spec)
		}
	} else {
		for _, sp := range n.kids {
			if sp.kind != kDatePart {
				continue
			}
			spec := datePartSpec{name: sp.get("name"), form: sp.get("form"), f: sp.fmt}
			spec.rdel, spec.hasRD = sp.attr["range-delimiter"]
			parts = append(parts, spec)
		}
	}
	if c.sortKey && dv.literal == "" {
		// a date inside a macro sort key sorts by value, not by its text
		// (citeproc-js): only the parts the element renders count
		rendered()
		return leaf(dateSortMasked(dv, parts))
	}
	// in a range the implicit year-suffix follows the whole range
	// ("1989–1994c", "1997–a")
	ranged := dv.hasEnd || dv.openEnd
	hold := c.ysExplicit
	if ranged {
		c.ysExplicit = true
	}
	o := c.renderDateParts(dv, parts, delim)
	if ranged {
		c.ysExplicit = hold
	}
	if o.isEmpty() {
		return nil
	}
	rendered()
	if ranged && c.it.ys > 0 && !c.p.style.usesYearSuffix() && !c.ysExplicit && !c.sortKey && hasYearPart(parts) {
		c.ysExplicit = true
		o = &out{kids: []*out{o, {text: yearSuffixLetters(c.it.ys), tag: tagYearSuffix}}}
	}
	o.tag = tagDate
	return c.wrapDate(o, f)
}

func (c *ctx) wrapDate(o *out, f *formatting) *out {
	if f.textCase != "" {
		applyTextCase(o, f.textCase, true)
	}
	w := &out{kids: []*out{o}, f: &formatting{prefix: f.prefix, suffix: f.suffix, fontStyle: f.fontStyle,
		fontVariant: f.fontVariant, fontWeight: f.fontWeight, textDecoration: f.textDecoration,
		verticalAlign: f.verticalAlign, display: f.display, hasDecorations: f.hasDecorations, quotes: f.quotes}, quotes: f.quotes}
	return w
}

// renderDateParts renders a date or range with the given parts.
func (c *ctx) renderDateParts(dv dateValue, parts []datePartSpec, delim string) *out {
	if dv.openEnd {
		rdel := "–"
		for _, p := range parts {
			if p.name == "year" && p.hasRD {
				rdel = p.rdel
			}
		}
		start := c.datePartsRun(dv.start, dv, parts, delim, true, true)
		if start == nil {
			return nil
		}
		return &out{kids: []*out{start, leaf(rdel)}}
	}
	if !dv.hasEnd {
		return c.datePartsRun(dv.start, dv, parts, delim, true, true)
	}
	s, e := dv.start, dv.end
	// the largest unit that differs decides which parts form the range
	diff := ""
	switch {
	case s[0] != e[0]:
		diff = "year"
	case s[1] != e[1]:
		diff = "month"
	case s[2] != e[2]:
		diff = "day"
	default:
		return c.datePartsRun(s, dv, parts, delim, true, true)
	}
	// indices of parts that vary
	first, last := -1, -1
	for i, p := range parts {
		vary := false
		switch diff {
		case "year":
			vary = true
		case "month":
			vary = p.name == "month" || p.name == "day"
		case "day":
			vary = p.name == "day"
		}
		if vary {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return c.datePartsRun(s, dv, parts, delim, true, true)
	}
	rdel := "–"
	for _, p := range parts {
		if p.name == diff && p.hasRD {
			rdel = p.rdel
		}
	}
	var kids []*out
	if first > 0 {
		kids = append(kids, c.datePartsRun(s, dv, parts[:first], delim, true, true))
	}
	a := c.datePartsRun(s, dv, parts[first:last+1], delim, true, false)
	b := c.datePartsRun(e, dv, parts[first:last+1], delim, false, true)
	kids = append(kids, &out{kids: []*out{a, b}, delim: rdel})
	if last+1 < len(parts) {
		kids = append(kids, c.datePartsRun(s, dv, parts[last+1:], delim, true, true))
	}
	return group(nil, delim, kids...)
}

// datePartsRun renders parts of one date joined by delim; withPrefix and
// withSuffix control the outer affixes of the first and last parts so a
// range can be joined between them.
func (c *ctx) datePartsRun(d [3]int, dv dateValue, parts []datePartSpec, delim string, withPrefix, withSuffix bool) *out {
	var kids []*out
	rendered := []int{}
	for i, p := range parts {
		s := c.datePart(d, dv, p)
		if s == "" {
			continue
		}
		f := p.f
		o := &out{text: s}
		if f != nil {
			o = c.richText(s, f)
			ff := *f
			o = &out{kids: []*out{o}, f: &ff}
		}
		if p.name == "year" && c.it.ys > 0 && !c.p.style.usesYearSuffix() && !c.ysExplicit && !c.sortKey {
			c.ysExplicit = true
			o.kids = append(o.kids, &out{text: yearSuffixLetters(c.it.ys), tag: tagYearSuffix})
		}
		kids = append(kids, o)
		rendered = append(rendered, i)
	}
	if len(kids) == 0 {
		return nil
	}
	if !withPrefix && kids[0].f != nil {
		ff := *kids[0].f
		ff.prefix = ""
		kids[0].f = &ff
	}
	if !withSuffix && kids[len(kids)-1].f != nil {
		ff := *kids[len(kids)-1].f
		ff.suffix = ""
		kids[len(kids)-1].f = &ff
	}
	return &out{kids: kids, delim: delim}
}

// datePart formats one part of date d.
func (c *ctx) datePart(d [3]int, dv dateValue, p datePartSpec) string {
	switch p.name {
	case "year":
		y := d[0]
		if y == 0 {
			return ""
		}
		if y < 0 {
			bc, _ := c.loc.term("bc", "long", false, "")
			return strconv.Itoa(-y) + bc
		}
		s := strconv.Itoa(y)
		if p.form == "short" && len(s) >= 2 {
			s = s[len(s)-2:]
		}
		if y < 1000 {
			ad, _ := c.loc.term("ad", "long", false, "")
			s += ad
		}
		return s
	case "month":
		m := d[1]
		if m == 0 {
			if dv.season > 0 && d == dv.start {
				s, _ := c.loc.term("season-0"+strconv.Itoa(dv.season), "long", false, "")
				return s
			}
			return ""
		}
		if m > 12 {
			// seasons: 13-16 (CSL-JSON convention) or 21-24 (EDTF)
			season := 0
			switch {
			case m <= 20:
				season = (m-13)%4 + 1
			case m <= 24:
				season = m - 20
			}
			if season > 0 {
				s, _ := c.loc.term("season-0"+strconv.Itoa(season), "long", false, "")
				return s
			}
			return ""
		}
		switch p.form {
		case "numeric":
			return strconv.Itoa(m)
		case "numeric-leading-zeros":
			return twoDigits(m)
		case "short":
			s, _ := c.loc.term("month-"+twoDigits(m), "short", false, "")
			return s
		}
		s, _ := c.loc.term("month-"+twoDigits(m), "long", false, "")
		return s
	case "day":
		day := d[2]
		if day == 0 || d[1] == 0 || d[1] > 12 {
			return ""
		}
		switch p.form {
		case "numeric-leading-zeros":
			return twoDigits(day)
		case "ordinal":
			if day != 1 && c.loc.limitDayOrd {
				return strconv.Itoa(day)
			}
			g := c.loc.genders["month-"+twoDigits(d[1])]
			return strconv.Itoa(day) + c.loc.ordinalSuffix(day, g)
		}
		return strconv.Itoa(day)
	}
	return ""
}

// usesYearSuffix reports whether the style renders year-suffix explicitly
// anywhere (then it is not appended to the first year automatically).
func (s *Style) usesYearSuffix() bool {
	return s.yearSuffixVar
}

func nodeUsesVar(n *node, v string, seen map[*node]bool) bool {
	if n == nil || seen[n] {
		return false
	}
	seen[n] = true
	if n.kind == kText && n.get("variable") == v {
		return true
	}
	if n.macro != nil && nodeUsesVar(n.macro, v, seen) {
		return true
	}
	for _, k := range n.kids {
		if nodeUsesVar(k, v, seen) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

func hasYearPart(parts []datePartSpec) bool {
	for _, p := range parts {
		if p.name == "year" {
			return true
		}
	}
	return false
}

// dateSortMasked renders dv as a sortable string keeping only the date
// parts listed in parts.
func dateSortMasked(dv dateValue, parts []datePartSpec) string {
	var keep [3]bool
	for _, p := range parts {
		switch p.name {
		case "year":
			keep[0] = true
		case "month":
			keep[1] = true
		case "day":
			keep[2] = true
		}
	}
	f := func(d [3]int) string {
		var v [3]int
		for i := range d {
			if keep[i] {
				v[i] = d[i]
			}
		}
		return fmt.Sprintf("%06d%02d%02d", v[0]+500000, v[1], v[2])
	}
	s := f(dv.start)
	if dv.hasEnd {
		s += f(dv.end)
	}
	return s
}
