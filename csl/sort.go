package csl

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// sortKey is one evaluated <key>.
type sortKey struct {
	s     string
	empty bool
}

// sortKeys evaluates the keys of a <sort> element for an item (and cite).
func (d *doc) sortKeys(sn *node, it *itemState, ct *citeState, bib bool) []sortKey {
	keys := make([]sortKey, 0, len(sn.kids))
	var names []citedName
	for _, k := range sn.kids {
		if k.kind != kKey {
			continue
		}
		c := d.newCtx(it, ct, bib)
		c.sortKey = true
		if bib {
			c.collect = &names
		}
		c.sortNamesMin = attrInt(k, "names-min", 0)
		c.sortNamesUse = attrInt(k, "names-use-first", 0)
		if v, ok := k.attr["names-use-last"]; ok {
			c.sortNamesLast = v == "true"
		} else {
			c.sortNamesLast = c.opts["et-al-use-last"] == "true"
		}
		var s string
		if k.macro != nil {
			o := c.evalKids(k.macro.kids, nil, "")
			s = o.plain()
		} else {
			s = c.sortVariable(k.get("variable"))
		}
		keys = append(keys, sortKey{s: d.collationKey(s), empty: s == ""})
	}
	if bib {
		it.sortNames = names
	}
	return keys
}

func (c *ctx) sortVariable(v string) string {
	switch {
	case v == "":
		return ""
	case IsNameVariable(v):
		nm := &node{kind: kNames, attr: map[string]string{"variable": v}}
		nm.fmt = newFormatting(nm)
		return c.evalNames(nm).plain()
	case IsDateVariable(v):
		d, ok := c.item.Dates[v]
		if !ok {
			return ""
		}
		return dateSortString(d)
	case v == "citation-number":
		return fmt.Sprintf("%010d", c.it.num)
	}
	s := c.variable(v)
	if toks, ok := splitNumeric(s); ok && len(toks) > 0 {
		return fmt.Sprintf("%010d", toks[0].num) + s
	}
	return s
}

// dateSortString renders a date so that string order is date order.
func dateSortString(d Date) string {
	dv, ok := normalizeDate(d)
	if !ok {
		return ""
	}
	if dv.literal != "" && dv.start[0] == 0 {
		return ""
	}
	f := func(p [3]int) string {
		y := p[0]
		// shift so negative years sort before positive ones
		return fmt.Sprintf("%06d%02d%02d", y+500000, p[1], p[2])
	}
	s := f(dv.start)
	if dv.hasEnd {
		s += f(dv.end)
	}
	return s
}

// compareKeys orders two key lists by the <key> directions; empty keys
// always sort last.
func compareKeys(a, b []sortKey, sn *node) int {
	ki := 0
	for _, k := range sn.kids {
		if k.kind != kKey {
			continue
		}
		if ki >= len(a) || ki >= len(b) {
			break
		}
		x, y := a[ki], b[ki]
		ki++
		if x.empty && y.empty {
			continue
		}
		if x.empty {
			return 1
		}
		if y.empty {
			return -1
		}
		c := strings.Compare(x.s, y.s)
		if c == 0 {
			continue
		}
		if k.get("sort") == "descending" {
			return -c
		}
		return c
	}
	return 0
}

// foldKey prepares a key for comparison: case and common diacritics are
// ignored, and leading punctuation does not count.
func foldKey(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		switch {
		case r != ' ' && (unicode.IsPunct(r) || unicode.IsSymbol(r)):
			// punctuation and quotes do not take part in ordering
			continue
		case r < 0x80:
			sb.WriteRune(unicode.ToLower(r))
		default:
			if f, ok := foldTable[r]; ok {
				sb.WriteString(f)
			} else {
				sb.WriteRune(unicode.ToLower(r))
			}
		}
	}
	return sb.String()
}

var foldTable = func() map[rune]string {
	m := map[rune]string{}
	add := func(base string, rs string) {
		for _, r := range rs {
			m[r] = base
		}
	}
	add("a", "àáâãäåāăąÀÁÂÃÄÅĀĂĄ")
	add("ae", "æÆ")
	add("c", "çćĉċčÇĆĈĊČ")
	add("d", "ďđĎĐ")
	add("e", "èéêëēĕėęěÈÉÊËĒĔĖĘĚ")
	add("g", "ĝğġģĜĞĠĢ")
	add("h", "ĥħĤĦ")
	add("i", "ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ")
	add("j", "ĵĴ")
	add("k", "ķĶ")
	add("l", "ĺļľŀłĹĻĽĿŁ")
	add("n", "ñńņňÑŃŅŇ")
	add("o", "òóôõöøōŏőÒÓÔÕÖØŌŎŐ")
	add("oe", "œŒ")
	add("r", "ŕŗřŔŖŘ")
	add("s", "śŝşšŚŜŞŠ")
	add("ss", "ß")
	add("t", "ţťŧŢŤŦ")
	add("u", "ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ")
	add("w", "ŵŴ")
	add("y", "ýÿŷÝŸŶ")
	add("z", "źżžŹŻŽ")
	return m
}()

// collationKey turns s into a byte string whose order is the locale's
// collation order at base strength (case and accents only break ties
// through the following keys, as in citeproc-js). Punctuation is dropped
// first.
func (d *doc) collationKey(s string) string {
	if s == "" {
		return ""
	}
	if d.coll == nil {
		tag, err := language.Parse(d.p.loc.Lang)
		if err != nil {
			tag = language.English
		}
		// numbers compare by value ("№ 2" before "№ 10"), as in citeproc-js
		d.coll = collate.New(tag, collate.Loose, collate.Numeric)
	}
	d.collBuf.Reset()
	return string(d.coll.KeyFromString(&d.collBuf, foldPunct(s)))
}

// foldPunct removes punctuation and symbols, which do not take part in
// ordering.
func foldPunct(s string) string {
	clean := true
	for _, r := range s {
		if r != ' ' && (unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r != ' ' && (unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			return -1
		}
		return r
	}, s)
}
