package csl

import "strings"

// disambiguate makes cites that render identically for different items
// distinct, trying (as the specification orders them) name expansion, more
// names, the disambiguate condition and year suffixes.
func (d *doc) disambiguate() {
	o := d.p.citOpt
	addNames := o["disambiguate-add-names"] == "true"
	addGiven := o["disambiguate-add-givenname"] == "true"
	addYS := o["disambiguate-add-year-suffix"] == "true"
	rule := o["givenname-disambiguation-rule"]
	if rule == "" {
		rule = "by-cite"
	}
	items := d.items
	global := addGiven && rule != "by-cite"
	if !global && (len(items) < 2 || !(addNames || addGiven || addYS || d.p.style.usesDisambiguate)) {
		// nothing could change the rendering, so ambiguity is moot
		return
	}
	// one rendering pass yields both the keys and the names cites show
	keys := make(map[*itemState]string, len(items))
	var shown map[*itemState][]citedName
	if global {
		shown = make(map[*itemState][]citedName, len(items))
	}
	first := make([]string, len(items))
	var firstShown [][]citedName
	if global {
		firstShown = make([][]citedName, len(items))
	}
	d.forEachItem(len(items), func(wd *doc, i int) {
		if global {
			first[i], firstShown[i] = wd.disambigKeyNames(items[i])
		} else {
			first[i] = wd.disambigKey(items[i])
		}
	})
	for i, it := range items {
		keys[it] = first[i]
		if global {
			shown[it] = firstShown[i]
		}
	}
	if global {
		d.globalNames(rule, shown)
		// names expanded everywhere change the keys of their items
		for _, it := range items {
			for _, cn := range shown[it] {
				if d.global[nameKey(cn.nm)] > 0 {
					keys[it] = d.disambigKey(it)
					break
				}
			}
		}
	}
	if len(items) < 2 {
		return
	}
	for _, grp := range ambiguousGroups(items, keys) {
		if addGiven && (rule == "by-cite" || rule == "all-names" || rule == "primary-name") {
			d.expandGiven(grp, keys, rule)
			grp = stillAmbiguous(grp, keys)
		}
		if addNames && len(grp) > 1 {
			d.addMoreNames(grp, keys)
			grp = stillAmbiguous(grp, keys)
			if addGiven && len(grp) > 1 && rule == "by-cite" {
				d.expandGiven(grp, keys, rule)
				grp = stillAmbiguous(grp, keys)
			}
		}
		if len(grp) > 1 {
			for _, it := range grp {
				it.disambig = true
			}
			for _, it := range grp {
				keys[it] = d.disambigKey(it)
			}
			grp = stillAmbiguous(grp, keys)
		}
		if addYS && len(grp) > 1 {
			for _, sub := range ambiguousGroups(grp, keys) {
				d.bibOrder(sub)
				for i, it := range sub {
					it.ys = i + 1
				}
			}
		}
	}
	if addYS && d.usesSubsequentForm() {
		// cites after the first may drop names (et-al-subsequent-*): items
		// that only clash in that shorter form need year suffixes too
		var rest []*itemState
		for _, it := range items {
			if it.ys == 0 {
				rest = append(rest, it)
			}
		}
		sub := make(map[*itemState]string, len(rest))
		for _, it := range rest {
			ct := &citeState{it: it, pos: posSubsequent}
			c := d.newCtx(it, ct, false)
			sub[it] = c.evalKids(d.p.style.citation.child(kLayout).kids, nil, "").plain()
		}
		for _, grp := range ambiguousGroups(rest, sub) {
			d.bibOrder(grp)
			for i, it := range grp {
				it.ys = i + 1
			}
		}
	}
}

// usesSubsequentForm reports whether later cites of an item render
// differently through et-al-subsequent options.
func (d *doc) usesSubsequentForm() bool {
	o := d.p.citOpt
	_, min := o["et-al-subsequent-min"]
	_, use := o["et-al-subsequent-use-first"]
	return min || use
}

// disambigKey renders the item's cite (first position, no locator) as
// plain text.
func (d *doc) disambigKey(it *itemState) string {
	ct := &citeState{it: it, pos: posFirst}
	c := d.newCtx(it, ct, false)
	layout := d.p.style.citation.child(kLayout)
	o := c.evalKids(layout.kids, nil, "")
	it.keepKeyCite(o)
	return o.plain()
}

// ambiguousGroups returns the sets of items (in registration order) that
// share a key.
func ambiguousGroups(items []*itemState, keys map[*itemState]string) [][]*itemState {
	byKey := map[string][]*itemState{}
	var order []string
	for _, it := range items {
		k := keys[it]
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], it)
	}
	var res [][]*itemState
	for _, k := range order {
		if len(byKey[k]) > 1 {
			res = append(res, byKey[k])
		}
	}
	return res
}

// stillAmbiguous keeps the members of grp whose key is shared with another
// member.
func stillAmbiguous(grp []*itemState, keys map[*itemState]string) []*itemState {
	count := map[string]int{}
	for _, it := range grp {
		count[keys[it]]++
	}
	var res []*itemState
	for _, it := range grp {
		if count[keys[it]] > 1 {
			res = append(res, it)
		}
	}
	return res
}

// addMoreNames shows more names for the items of grp. Every item takes the
// smallest number of added names that separates it from as many of the
// others as any number does; names that help no further are not shown.
func (d *doc) addMoreNames(grp []*itemState, keys map[*itemState]string) {
	if sameCreators(grp) {
		return
	}
	maxNames := 0
	for _, it := range grp {
		for _, ns := range it.it.Names {
			if len(ns) > maxNames {
				maxNames = len(ns)
			}
		}
	}
	best := make(map[*itemState]int, len(grp))    // chosen step
	clashes := make(map[*itemState]int, len(grp)) // clashes at that step
	for step := 0; step <= maxNames; step++ {
		stepKeys := make(map[*itemState]string, len(grp))
		for _, it := range grp {
			it.addNames = step
			stepKeys[it] = d.disambigKey(it)
		}
		count := map[string]int{}
		for _, it := range grp {
			count[stepKeys[it]]++
		}
		allDistinct := true
		for _, it := range grp {
			n := count[stepKeys[it]] - 1
			if n > 0 {
				allDistinct = false
			}
			if step == 0 || n < clashes[it] {
				best[it], clashes[it] = step, n
			}
		}
		if allDistinct {
			break
		}
	}
	for _, it := range grp {
		it.addNames = best[it]
		keys[it] = d.disambigKey(it)
	}
}

// expandGiven expands the names that clash between the items of grp: to
// initials (or the long form) when that tells them apart, else to the full
// given name.
func (d *doc) expandGiven(grp []*itemState, keys map[*itemState]string, rule string) {
	amb := stillAmbiguous(grp, keys)
	if len(amb) < 2 || sameCreators(amb) {
		return
	}
	for _, it := range amb {
		for _, ns := range it.it.Names {
			for i, nm := range ns {
				if rule == "primary-name" && i > 0 {
					break
				}
				lvl := clashLevel(nm, amb, it)
				if lvl == 0 {
					continue
				}
				if it.givenLevel == nil {
					it.givenLevel = map[string]int{}
				}
				if lvl > it.givenLevel[nameKey(nm)] {
					it.givenLevel[nameKey(nm)] = lvl
				}
			}
		}
		keys[it] = d.disambigKey(it)
	}
}

// clashLevel returns 0 when nm is not confusable with a name of another
// item in grp, 1 when initials tell them apart, 2 when only the full given
// name does.
func clashLevel(nm Name, grp []*itemState, self *itemState) int {
	lvl := 0
	for _, o := range grp {
		if o == self {
			continue
		}
		for _, ns := range o.it.Names {
			for _, x := range ns {
				if x.Family != nm.Family || normGiven(x.Given) == normGiven(nm.Given) {
					continue
				}
				if initialsOf(x.Given) != initialsOf(nm.Given) {
					if lvl < 1 {
						lvl = 1
					}
				} else {
					lvl = 2
				}
			}
		}
	}
	return lvl
}

// normGiven compares given names ignoring spacing and periods ("J. J." is
// "J.J.").
func normGiven(g string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' {
			return -1
		}
		return r
	}, g)
}

// globalNames implements the all-names and primary-name rules: names that
// share a family name with a different person are expanded everywhere.
// Only the names the cites actually render count (an editor that is not
// shown cannot make an author ambiguous).
func (d *doc) globalNames(rule string, shown map[*itemState][]citedName) {
	d.global = map[string]int{}
	primary := rule == "primary-name" || rule == "primary-name-with-initials"
	byFamily := map[string][]Name{}
	withInitials := rule == "all-names-with-initials" || rule == "primary-name-with-initials"
	for _, it := range d.items {
		var names []citedName
		if withInitials {
			// measured against citeproc-js: these rules look only at the
			// names the cites show
			names = shown[it]
		} else {
			// while all-names and primary-name also count the names the
			// bibliography sort keys render (citeproc-js registers those
			// too, not an editor no output shows)
			names = append(append(names, shown[it]...), d.bibSortNames(it)...)
		}
		for _, cn := range names {
			if primary && cn.idx > 0 {
				continue
			}
			nm := cn.nm
			if nm.Literal != "" || nm.Family == "" {
				continue
			}
			byFamily[nm.Family] = append(byFamily[nm.Family], nm)
		}
	}
	for _, ns := range byFamily {
		for _, nm := range ns {
			lvl := 0
			for _, o := range ns {
				if normGiven(o.Given) == normGiven(nm.Given) {
					continue
				}
				if initialsOf(o.Given) != initialsOf(nm.Given) {
					if lvl < 1 {
						lvl = 1
					}
				} else if !withInitials {
					lvl = 2
				}
			}
			if lvl > 0 {
				d.global[nameKey(nm)] = lvl
			}
		}
	}
}

// citedName is a name rendered in a cite, with its position in its list.
type citedName struct {
	nm  Name
	idx int
}

// disambigKeyNames is disambigKey that also reports the names the cite
// shows.
func (d *doc) disambigKeyNames(it *itemState) (string, []citedName) {
	ct := &citeState{it: it, pos: posFirst}
	c := d.newCtx(it, ct, false)
	var names []citedName
	c.collect = &names
	o := c.evalKids(d.p.style.citation.child(kLayout).kids, nil, "")
	it.keepKeyCite(o)
	return o.plain(), names
}

func initialsOf(given string) string {
	return initializeName(given, ".", true, true)
}

// sameCreators reports whether all items have identical name variables, in
// which case no name-based method can tell them apart.
func sameCreators(items []*itemState) bool {
	first := items[0].it.Names
	for _, it := range items[1:] {
		ns := it.it.Names
		if len(ns) != len(first) {
			return false
		}
		for v, a := range first {
			b, ok := ns[v]
			if !ok || len(a) != len(b) {
				return false
			}
			for i := range a {
				if a[i] != b[i] {
					return false
				}
			}
		}
	}
	return true
}

// bibSortNames returns the personal names the bibliography sort keys of it
// render, evaluating the keys (in the state before disambiguation) if the
// bibliography has not been sorted yet.
func (d *doc) bibSortNames(it *itemState) []citedName {
	bib := d.p.style.bibliography
	if bib == nil {
		return nil
	}
	sn := bib.child(kSort)
	if sn == nil || len(sn.kids) == 0 {
		return nil
	}
	if it.bibKeys == nil {
		global := d.global
		d.global = nil
		saved := *it
		it.addNames, it.givenLevel, it.disambig, it.ys = 0, nil, false, 0
		keys := d.sortKeys(sn, it, nil, true)
		names := it.sortNames
		*it = saved
		it.bibKeys, it.sortNames = keys, names
		d.global = global
	}
	return it.sortNames
}
