package csl

import "strings"

func (d *doc) newCtx(it *itemState, ct *citeState, bib bool) *ctx {
	c := &ctx{d: d, p: d.p, loc: d.p.loc, it: it, item: it.it, ct: ct, bib: bib}
	if bib {
		c.opts = d.p.bibOpt
	} else {
		c.opts = d.p.citOpt
	}
	return c
}

// renderCite evaluates the citation layout for one cite.
func (d *doc) renderCite(ct *citeState) *out {
	o := ct.it.takeKeyCite(ct)
	if o == nil {
		c := d.newCtx(ct.it, ct, false)
		if ct.SuppressAuthor {
			c.suppressFirstNames = true
		}
		layout := d.p.style.citation.child(kLayout)
		o = c.evalKids(layout.kids, nil, "")
	}
	if ct.AuthorOnly {
		o = o.find(tagNames)
	}
	return o
}

// renderCitations formats every citation of the document.
func (d *doc) renderCitations(f Format) []string {
	res := make([]string, len(d.cits))
	for i, cs := range d.cits {
		res[i] = d.renderCitation(cs, f)
	}
	return res
}

func (d *doc) renderCitation(cs *citationState, f Format) string {
	layout := d.p.style.citation.child(kLayout)
	var cites []citeOut
	for i, ct := range cs.cites {
		o := d.renderCite(ct)
		if o.isEmpty() {
			if ct.SuppressAuthor || ct.AuthorOnly {
				continue
			}
			// citeproc-js flags a cite that renders nothing, so that the
			// gap is seen rather than silently dropped
			o = leaf("[CSL STYLE ERROR: reference with no printed form.]")
		}
		if d.p.class == "note" {
			// a term that opens the note, or follows a prefix ending a
			// sentence, is capitalized ("Ibid.")
			p := strings.TrimRight(strings.TrimSpace(ct.Prefix), "”’\"'")
			// a one-word prefix ending in a period is an abbreviation, not
			// a sentence
			if (i == 0 && p == "") || strings.HasSuffix(p, ".") && strings.Contains(p, " ") {
				capitalizeLeadingTerm(o)
			}
		}
		cites = append(cites, citeOut{ct: ct, o: wrapCiteAffixes(ct, o)})
	}
	if len(cites) == 0 {
		return ""
	}
	root := d.collapse(cites, layout)
	return renderOutBraces(root, d.p.loc, f, d.p.class == "note")
}

// renderCiteSuppressed renders a cite without its author names, for the
// later members of a collapsed group.
func (d *doc) renderCiteSuppressed(ct *citeState) *out {
	c := d.newCtx(ct.it, ct, false)
	c.suppressFirstNames = true
	layout := d.p.style.citation.child(kLayout)
	return c.evalKids(layout.kids, nil, "")
}

// renderBibliography formats the bibliography in sorted order.
func (d *doc) renderBibliography(f Format) *Bibliography {
	bib := d.p.style.bibliography
	layout := bib.child(kLayout)
	b := &Bibliography{
		HangingIndent:    d.p.bibOpt["hanging-indent"] == "true",
		SecondFieldAlign: d.p.bibOpt["second-field-align"],
		LineSpacing:      attrIntMap(d.p.bibOpt, "line-spacing", 1),
		EntrySpacing:     attrIntMap(d.p.bibOpt, "entry-spacing", 1),
	}
	sas, hasSAS := bib.attr["subsequent-author-substitute"]
	rule := bib.get("subsequent-author-substitute-rule")
	if rule == "" {
		rule = "complete-all"
	}
	var prevNames *out
	trees := make([]*out, len(d.items))
	for i, it := range d.items {
		if i%bibBatch == 0 {
			// entries are evaluated independently, a batch at a time so
			// that few trees are alive at once; substitution and
			// rendering follow in order
			d.forEachItem(min(bibBatch, len(d.items)-i), func(wd *doc, j int) {
				trees[i+j] = wd.newCtx(d.items[i+j], nil, true).evalKids(layout.kids, nil, "")
			})
		}
		o := trees[i]
		trees[i] = nil
		if o == nil {
			continue
		}
		if hasSAS {
			cur := o.find(tagNames)
			if cur != nil && cur.keepNames {
				// names citeproc-js leaves in place are not compared with
				// the next entry's either: the previous names stay
			} else if cur != nil {
				orig := cur.cloneText()
				if prevNames != nil {
					substituteAuthor(cur, prevNames, sas, rule)
				}
				prevNames = orig
			} else {
				prevNames = nil
			}
		}
		if b.SecondFieldAlign != "" && len(o.kids) > 1 {
			first := &out{kids: []*out{o.kids[0]}, f: &formatting{display: "left-margin"}}
			rest := &out{kids: o.kids[1:], f: &formatting{display: "right-inline", suffix: layout.fmt.suffix}}
			lf := *layout.fmt
			lf.suffix = ""
			o = &out{kids: []*out{first, rest}, f: &lf}
		} else if last := lastKid(o); last != nil && last.f != nil && last.f.display != "" && layout.fmt.suffix != "" {
			// the layout suffix goes inside the last display block
			// (citeproc-js): "…</span>.</div>"
			lf := *layout.fmt
			lf.suffix = ""
			df := *last.f
			df.suffix += layout.fmt.suffix
			df.hasAffixes = true
			last.f = &df
			o.f = &lf
		} else {
			o.f = layout.fmt
		}
		text := renderOut(o, d.p.loc, f)
		if f == HTML && strings.Contains(text, "<div class=\"csl-") {
			text = layoutDisplayDivs(text)
		}
		b.Entries = append(b.Entries, Entry{ID: it.it.ID, Text: text})
	}
	return b
}

// layoutDisplayDivs puts block-level display divs on their own lines, as
// citeproc-js indents them inside csl-entry.
func layoutDisplayDivs(s string) string {
	if strings.HasPrefix(s, "<div class=\"csl-left-margin\">") {
		// trailing spaces of the last div move behind the line break, as
		// citeproc-js writes them
		trail := ""
		if strings.HasSuffix(s, " </div>") {
			body := strings.TrimSuffix(s, "</div>")
			trimmed := strings.TrimRight(body, " ")
			trail = body[len(trimmed):]
			s = trimmed + "</div>"
		}
		// likewise leading spaces of the first div go before the break
		lead := ""
		const lm = "<div class=\"csl-left-margin\">"
		if body := s[len(lm):]; strings.HasPrefix(body, " ") {
			trimmed := strings.TrimLeft(body, " ")
			lead = body[:len(body)-len(trimmed)]
			s = lm + trimmed
		}
		return lead + "\n    " + s + "\n  " + trail
	}
	if !strings.HasPrefix(s, "<div class=\"csl-") && !strings.Contains(s, "<div class=\"csl-block\">") {
		// inline text followed by an indented block
		return s + "\n  "
	}
	var sb strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "<div class=\"csl-block\">")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "</div>")
		if j < 0 {
			break
		}
		before := rest[:i]
		if strings.TrimSpace(before) != "" {
			sb.WriteString("\n    " + before)
		}
		sb.WriteString("\n\n    " + rest[i:i+j+len("</div>")] + "\n")
		rest = rest[i+j+len("</div>"):]
	}
	if rest != "" {
		sb.WriteString("\n    " + rest + "\n  ")
	} else {
		sb.WriteString("  ")
	}
	return sb.String()
}

// cloneText returns a copy of o's structure for later comparison.
func (o *out) cloneText() *out {
	if o == nil {
		return nil
	}
	c := *o
	c.kids = make([]*out, len(o.kids))
	for i, k := range o.kids {
		c.kids[i] = k.cloneText()
	}
	return &c
}

// nameNodes lists the individual name nodes of a names output.
func nameNodes(o *out, acc []*out) []*out {
	if o == nil {
		return acc
	}
	if o.tag == tagOneName {
		return append(acc, o)
	}
	for _, k := range o.kids {
		acc = nameNodes(k, acc)
	}
	return acc
}

// substituteAuthor applies subsequent-author-substitute to cur given the
// previous entry's names prev.
func substituteAuthor(cur, prev *out, sub, rule string) {
	switch rule {
	case "complete-all", "complete-each":
		// citeproc-js compares the names shown, not the et-al term
		a, b := nameNodes(cur, nil), nameNodes(prev, nil)
		if cur.keepNames {
			return
		}
		if len(a) == 0 || len(b) == 0 {
			if cur.plain() != prev.plain() {
				return
			}
		} else if !sameNameList(a, b) {
			return
		}
		if rule == "complete-all" {
			f := cur.f
			*cur = out{text: sub, tag: tagNames}
			if f != nil {
				ff := *f
				ff.fontStyle, ff.fontWeight, ff.fontVariant, ff.textDecoration, ff.hasDecorations = "", "", "", "", false
				cur.f = &ff
			}
			if sub == "" {
				cur.f = nil
			}
			return
		}
		for _, n := range nameNodes(cur, nil) {
			*n = out{text: sub, tag: tagOneName}
		}
	case "partial-each", "partial-first":
		a, b := nameNodes(cur, nil), nameNodes(prev, nil)
		for i := 0; i < len(a) && i < len(b); i++ {
			if a[i].plain() != b[i].plain() {
				break
			}
			*a[i] = out{text: sub, tag: tagOneName}
			if rule == "partial-first" {
				break
			}
		}
	}
}

// capitalizeLeadingTerm capitalizes a term that starts a note ("Ibid.").
func capitalizeLeadingTerm(o *out) {
	var walk func(o *out, inTerm bool) bool // reports whether it stopped
	walk = func(o *out, inTerm bool) bool {
		if o == nil {
			return false
		}
		inTerm = inTerm || o.tag == tagTerm
		if o.prefix != "" || (o.f != nil && o.f.prefix != "") {
			return true
		}
		if o.text != "" {
			if inTerm {
				o.text = capitalizeFirstWord(o.text)
			}
			return true
		}
		for _, k := range o.kids {
			if k.isEmpty() {
				continue
			}
			return walk(k, inTerm)
		}
		return false
	}
	walk(o, false)
}

func sameNameList(a, b []*out) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].rawName != b[i].rawName || a[i].rawName == "" && a[i].plain() != b[i].plain() {
			return false
		}
	}
	return true
}

// lastKid returns the last non-empty child of o.
func lastKid(o *out) *out {
	for i := len(o.kids) - 1; i >= 0; i-- {
		if !o.kids[i].isEmpty() {
			return o.kids[i]
		}
	}
	return nil
}
