package csl

import "strings"

// citeOut is one rendered cite of a citation.
type citeOut struct {
	ct *citeState
	o  *out
}

// collapse joins the rendered cites of a citation, grouping and collapsing
// them as the style's collapse option asks, and wraps them in the layout's
// affixes and decorations.
func (d *doc) collapse(cites []citeOut, layout *node) *out {
	opts := d.p.style.citation.attr
	delim := layout.fmt.delimiter
	var kids []*out
	switch mode := opts["collapse"]; mode {
	case "citation-number":
		kids = collapseNumbers(cites, delim, afterCollapse(opts, delim))
	case "year", "year-suffix", "year-suffix-ranged":
		kids = d.collapseYears(cites, delim, mode)
	default:
		gd, grouping := opts["cite-group-delimiter"]
		var keys []string
		if grouping {
			// cite grouping without collapsing: cites by the same names
			// move together and are joined by the group delimiter
			cites, keys = groupCites(cites)
		}
		for i, c := range cites {
			if i > 0 {
				if grouping && keys[i] != "" && keys[i] == keys[i-1] {
					kids = append(kids, leaf(gd))
				} else {
					kids = append(kids, leaf(citeDelimiter(cites[i-1].ct, c.ct, delim)))
				}
			}
			kids = append(kids, c.o)
		}
	}
	lf := layout.fmt
	inner := &out{kids: kids, f: &formatting{prefix: lf.prefix, suffix: lf.suffix, hasAffixes: lf.hasAffixes}}
	if !lf.hasDecorations && lf.display == "" {
		return inner
	}
	deco := *lf
	deco.prefix, deco.suffix, deco.hasAffixes = "", "", false
	return &out{kids: []*out{inner}, f: &deco}
}

func afterCollapse(opts map[string]string, delim string) string {
	if v, ok := opts["after-collapse-delimiter"]; ok {
		return v
	}
	return delim
}

// plainCite reports whether a cite can take part in a numeric range: no
// locator and no cite affixes.
func plainCite(ct *citeState) bool {
	return ct.Locator == "" && ct.Prefix == "" && ct.Suffix == ""
}

func collapseNumbers(cites []citeOut, delim, after string) []*out {
	var kids []*out
	for i := 0; i < len(cites); {
		j := i
		if plainCite(cites[i].ct) && cites[i].o.find(tagCitationNumber) != nil {
			for j+1 < len(cites) && plainCite(cites[j+1].ct) && cites[j+1].o.find(tagCitationNumber) != nil &&
				cites[j+1].ct.it.num == cites[j].ct.it.num+1 {
				j++
			}
		}
		if len(kids) > 0 {
			kids = append(kids, leaf(delim))
		}
		if j-i >= 2 {
			kids = append(kids, cites[i].o, leaf("–"), cites[j].o)
		} else {
			for k := i; k <= j; k++ {
				if k > i {
					kids = append(kids, leaf(delim))
				}
				kids = append(kids, cites[k].o)
			}
		}
		i = j + 1
	}
	return kids
}

// collapseYears groups cites by their rendered names and shows the names
// only once per group; with year-suffix modes, repeated years collapse to
// their suffixes.
func (d *doc) collapseYears(cites []citeOut, delim, mode string) []*out {
	opts := d.p.style.citation.attr
	groupDelim, ok := opts["cite-group-delimiter"]
	if !ok {
		groupDelim = ", "
		if d.p.citOpt["disambiguate-add-names"] == "true" && d.usesSubsequentForm() {
			// measured against citeproc-js: with add-names and a
			// subsequent et-al form, the cites of a group keep the layout
			// delimiter
			groupDelim = delim
		}
	}
	ysDelim, ok := opts["year-suffix-delimiter"]
	if !ok {
		if gd, ok := opts["cite-group-delimiter"]; ok {
			ysDelim = gd
		} else {
			ysDelim = delim
		}
	}
	after := afterCollapse(opts, delim)
	type group struct {
		key   string
		cites []citeOut
	}
	var groups []*group
	byKey := map[string]*group{}
	// a style whose cites show no names at all groups them all (the
	// years collapse: "(1965a,b)")
	anyNames := false
	for _, c := range cites {
		if c.o.find(tagNames) != nil {
			anyNames = true
			break
		}
	}
	for _, c := range cites {
		k := ""
		if n := c.o.find(tagNames); n != nil {
			k = n.plain()
		} else if !anyNames {
			k = "\x00"
		}
		if k == "" {
			groups = append(groups, &group{cites: []citeOut{c}})
			continue
		}
		if g, ok := byKey[k]; ok {
			g.cites = append(g.cites, c)
			continue
		}
		g := &group{key: k, cites: []citeOut{c}}
		byKey[k] = g
		groups = append(groups, g)
	}
	var kids []*out
	prevCollapsed := false
	for gi, g := range groups {
		if gi > 0 {
			if prevCollapsed {
				kids = append(kids, leaf(after))
			} else {
				kids = append(kids, leaf(delim))
			}
		}
		kids = append(kids, g.cites[0].o)
		prevYear := yearText(g.cites[0].o)
		var run []*out // suffix-only members waiting to be joined
		var runLetters []int
		flush := func() {
			if len(run) == 0 {
				return
			}
			if mode == "year-suffix-ranged" {
				for i := 0; i < len(run); {
					j := i
					for j+1 < len(run) && runLetters[j+1] == runLetters[j]+1 {
						j++
					}
					kids = append(kids, leaf(ysDelim))
					if j-i >= 2 {
						kids = append(kids, run[i], leaf("–"), run[j])
					} else {
						for k := i; k <= j; k++ {
							if k > i {
								kids = append(kids, leaf(ysDelim))
							}
							kids = append(kids, run[k])
						}
					}
					i = j + 1
				}
			} else {
				for _, r := range run {
					kids = append(kids, leaf(ysDelim), r)
				}
			}
			run, runLetters = nil, nil
		}
		lastLetter := g.cites[0].ct.it.ys
		prevLocator := g.cites[0].ct.Locator != ""
		for _, c := range g.cites[1:] {
			sub := d.renderCiteSuppressed(c.ct)
			yt := yearText(sub)
			if mode != "year" && plainCite(c.ct) && c.ct.it.ys > 0 && yt != "" && yt == prevYear {
				if ys := sub.find(tagYearSuffix); ys != nil {
					if len(run) == 0 {
						// the group's first cite shows the year and its suffix
						runLetters = append(runLetters, lastLetter)
						run = append(run, nil)
					}
					run = append(run, &out{text: ys.text})
					runLetters = append(runLetters, c.ct.it.ys)
					continue
				}
			}
			gd := groupDelim
			if len(run) > 0 {
				if mode == "year-suffix-ranged" {
					d.flushRanged(&kids, run, runLetters, ysDelim)
					run, runLetters = nil, nil
				} else {
					run, runLetters = run[1:], runLetters[1:]
					flush()
				}
				gd = after
			}
			if prevLocator {
				gd = after
			}
			if sub.isEmpty() {
				continue
			}
			kids = append(kids, leaf(gd), wrapCiteAffixes(c.ct, sub))
			prevLocator = c.ct.Locator != ""
			prevYear = yt
			lastLetter = c.ct.it.ys
		}
		if len(run) > 0 {
			if mode == "year-suffix-ranged" {
				d.flushRanged(&kids, run, runLetters, ysDelim)
			} else {
				run, runLetters = run[1:], runLetters[1:]
				flush()
			}
		}
		prevCollapsed = len(g.cites) > 1
	}
	return kids
}

// flushRanged writes suffix runs for year-suffix-ranged, where run[0] is a
// placeholder for the suffix already shown with the year.
func (d *doc) flushRanged(kids *[]*out, run []*out, letters []int, ysDelim string) {
	for i := 0; i < len(run); {
		j := i
		for j+1 < len(run) && letters[j+1] == letters[j]+1 {
			j++
		}
		if j-i >= 2 {
			if i == 0 {
				// the range starts with the suffix printed with the year:
				// replace that suffix by the whole range
				last := *kids
				if n := len(last); n > 0 {
					if ys := last[n-1].find(tagYearSuffix); ys != nil {
						ys.text = ys.text + "–" + run[j].text
					}
				}
			} else {
				*kids = append(*kids, leaf(ysDelim), run[i], leaf("–"), run[j])
			}
		} else {
			for k := i; k <= j; k++ {
				if k == 0 {
					continue
				}
				*kids = append(*kids, leaf(ysDelim), run[k])
			}
		}
		i = j + 1
	}
}

func wrapCiteAffixes(ct *citeState, o *out) *out {
	if ct.Prefix == "" && ct.Suffix == "" {
		return o
	}
	w := &out{}
	if ct.Prefix != "" {
		w.kids = append(w.kids, parseMarkup(ct.Prefix))
	}
	w.kids = append(w.kids, o)
	if ct.Suffix != "" {
		w.kids = append(w.kids, parseMarkup(ct.Suffix))
	}
	return w
}

// yearText is the rendered date of a cite without its year suffix.
func yearText(o *out) string {
	dt := o.find(tagDate)
	if dt == nil {
		return ""
	}
	var sb strings.Builder
	writeWithout(dt, tagYearSuffix, &sb)
	return sb.String()
}

func writeWithout(o *out, t outTag, sb *strings.Builder) {
	if o == nil || o.tag == t {
		return
	}
	sb.WriteString(o.text)
	for _, k := range o.kids {
		writeWithout(k, t, sb)
	}
}

// citeDelimiter adapts the layout delimiter to cite affixes: a prefix that
// starts with punctuation replaces it, and a suffix that ends with
// punctuation keeps only its spacing.
func citeDelimiter(prev, next *citeState, delim string) string {
	if p := next.Prefix; p != "" && isPunct(p[0]) {
		return ""
	}
	if s := strings.TrimRight(prev.Suffix, " "); s != "" && isPunct(s[len(s)-1]) {
		return strings.TrimLeftFunc(delim, func(r rune) bool { return r < 0x80 && isPunct(byte(r)) })
	}
	return delim
}

// groupCites moves cites with the same rendered names next to the first of
// them, keeping first-appearance order; it returns each cite's names key.
func groupCites(cites []citeOut) ([]citeOut, []string) {
	type grp struct {
		key   string
		cites []citeOut
	}
	var groups []*grp
	byKey := map[string]*grp{}
	for _, c := range cites {
		k := ""
		if n := c.o.find(tagNames); n != nil {
			k = n.plain()
		}
		if g, ok := byKey[k]; ok && k != "" {
			g.cites = append(g.cites, c)
			continue
		}
		g := &grp{key: k, cites: []citeOut{c}}
		byKey[k] = g
		groups = append(groups, g)
	}
	var out []citeOut
	var keys []string
	for _, g := range groups {
		for _, c := range g.cites {
			out = append(out, c)
			keys = append(keys, g.key)
		}
	}
	return out, keys
}
