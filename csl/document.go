package csl

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/collate"
)

// itemState is an item registered in a document together with everything
// the pipeline computes for it.
type itemState struct {
	it    *Item
	seq   int // registration order
	num   int // citation-number
	ys    int // year-suffix (1 = "a"), 0 for none
	cited bool

	// disambiguation state
	addNames   int            // names shown beyond et-al-use-first
	givenLevel map[string]int // name key → 1 initials, 2 full given name
	disambig   bool           // the disambiguate="true" condition holds

	bibKeys []sortKey
	// sortNames are the personal names the bibliography sort keys render;
	// citeproc-js registers them for given-name disambiguation as it
	// registers the names cites show
	sortNames []citedName

	// keyCite is the cite tree rendered for the last disambiguation key,
	// at first position without locator, and keySnap the state it was
	// rendered in: a plain first cite in the same state reuses it instead
	// of evaluating the layout again (see renderCite).
	keyCite *out
	keySnap citeSnap

	firstNote int // note index of the first citation of the item
}

// citeSnap is the part of an item's state that changes a cite's
// rendering during disambiguation. Given-name levels only ever rise and
// are only ever added, so their count and sum tell when they changed.
type citeSnap struct {
	addNames, ys, givenN, givenSum int
	disambig                       bool
}

func (it *itemState) snap() citeSnap {
	s := citeSnap{addNames: it.addNames, ys: it.ys, disambig: it.disambig, givenN: len(it.givenLevel)}
	for _, l := range it.givenLevel {
		s.givenSum += l
	}
	return s
}

// keepKeyCite remembers o, the first-position cite just rendered for it,
// when a citation will render it (a bibliography alone never does).
func (it *itemState) keepKeyCite(o *out) {
	if it.cited {
		it.keyCite, it.keySnap = o, it.snap()
	}
}

// takeKeyCite returns, once, the tree kept by keepKeyCite when ct would
// render exactly the same: a first cite without locator, label or
// suppressed author, of an item whose state has not changed since.
func (it *itemState) takeKeyCite(ct *citeState) *out {
	o := it.keyCite
	if o == nil {
		return nil
	}
	// the tree is handed over: later stages (collapsing, capitalization)
	// modify it
	it.keyCite = nil
	if ct.pos != posFirst || ct.Locator != "" || ct.Label != "" || ct.SuppressAuthor || it.snap() != it.keySnap {
		return nil
	}
	return o
}

// citeState is one cite with its computed position.
type citeState struct {
	Cite
	it        *itemState
	pos       int // posFirst…posIbidWithLocator
	nearNote  bool
	noteIndex int
	keys      []sortKey
}

const (
	posFirst = iota
	posSubsequent
	posIbid
	posIbidWithLocator
)

type citationState struct {
	c     Citation
	cites []*citeState
}

// doc is one batch: the registered items and the citations that cite them.
type doc struct {
	p     *Processor
	items []*itemState
	byID  map[string]*itemState
	cits  []*citationState
	// givenRule applies globally when the rule is one of the all-names kinds.
	global map[string]int
	// firstCiteOrder registers cited items in first-cite order (Render) rather
	// than in the given order (the test-suite's updateItems semantics).
	firstCiteOrder bool
	// lazyBibOrder leaves the items in registration order: only the items
	// that share a year suffix are put in bibliography order (bibOrder),
	// which is all a document without bibliography and citation numbers
	// shows of that order.
	lazyBibOrder bool
	// computePositions derives positions from the document; otherwise only
	// explicit positions apply (makeCitationCluster semantics).
	computePositions bool
	// collator for sort keys; a doc is used by one goroutine
	coll    *collate.Collator
	collBuf collate.Buffer
}

func (p *Processor) newDoc(items []Item) (*doc, error) {
	d := &doc{p: p, byID: make(map[string]*itemState, len(items)), computePositions: true}
	for i := range items {
		it := &items[i]
		if it.ID == "" {
			// an item without id can still be listed; give it a private one
			cp := *it
			cp.ID = fmt.Sprintf("\x00item-%d", i)
			it = &cp
		}
		if note := it.Vars["note"]; note != "" && strings.Contains(note, ":") {
			it = noteFields(it)
		}
		if old, dup := d.byID[it.ID]; dup {
			// a repeated id replaces the data, keeping the first position
			old.it = it
			continue
		}
		st := &itemState{it: it, seq: i}
		d.items = append(d.items, st)
		d.byID[it.ID] = st
	}
	return d, nil
}

func (d *doc) addCitations(cits []Citation) error {
	for ci, c := range cits {
		cs := &citationState{c: c}
		for j, ct := range c.Cites {
			st, ok := d.byID[ct.ID]
			if !ok {
				return fmt.Errorf("csl: citation %d, cite %d: no item with id %q", ci, j, ct.ID)
			}
			st.cited = true
			cs.cites = append(cs.cites, &citeState{Cite: ct, it: st, noteIndex: c.NoteIndex})
		}
		d.cits = append(d.cits, cs)
	}
	return nil
}

// prepare runs the pipeline up to rendering: registration order, positions,
// bibliography sort and numbering, cite sort, disambiguation.
func (d *doc) prepare() {
	if d.firstCiteOrder {
		seen := map[*itemState]bool{}
		var order []*itemState
		for _, c := range d.cits {
			for _, ct := range c.cites {
				if !seen[ct.it] {
					seen[ct.it] = true
					order = append(order, ct.it)
				}
			}
		}
		for _, it := range d.items {
			if !seen[it] {
				order = append(order, it)
			}
		}
		for i, it := range order {
			it.seq = i
		}
		d.items = order
	}
	for i, it := range d.items {
		it.num = i + 1
	}
	d.computeCitePositions()
	if !d.lazyBibOrder {
		d.sortBibliography()
	}
	d.disambiguate()
	d.sortCites()
}

func (d *doc) computeCitePositions() {
	nearDist := attrIntMap(d.p.citOpt, "near-note-distance", 5)
	lastNote := map[*itemState]int{}
	// citations in the running text (note index 0) and in notes are two
	// streams: ibid refers back within its own stream (citeproc-js)
	var prevCitations [2]*citationState
	var prevNotes [2][]*citeState // the cites of the previous note (or citation)
	for _, c := range d.cits {
		stream := 0
		if c.c.NoteIndex > 0 {
			stream = 1
		}
		prevCitation, prevNote := prevCitations[stream], prevNotes[stream]
		for j, ct := range c.cites {
			it := ct.it
			if it.firstNote == 0 && c.c.NoteIndex > 0 {
				it.firstNote = c.c.NoteIndex
			}
			if !d.computePositions {
				switch ct.Position {
				case -1, 0:
					ct.pos = posFirst
				default:
					ct.pos = ct.Position
				}
				ct.nearNote = ct.NearNote
				continue
			}
			_, seen := lastNote[it]
			switch {
			case ct.Position > 0:
				ct.pos = ct.Position
			case ct.Position < 0 || !seen:
				ct.pos = posFirst
			default:
				ct.pos = posSubsequent
				var prev *citeState
				if j > 0 {
					prev = c.cites[j-1]
				} else if prevCitation != nil && c.c.NoteIndex > 0 && c.c.NoteIndex == prevCitation.c.NoteIndex {
					// within one note the previous citation counts
					if len(prevCitation.cites) == 1 {
						prev = prevCitation.cites[0]
					}
				} else if prevCitation != nil && len(prevNote) == 1 {
					// across notes the previous note must hold one cite alone
					prev = prevNote[0]
				}
				if prev != nil && prev.it == it {
					switch {
					case prev.Locator == ct.Locator && prev.Label == ct.Label:
						ct.pos = posIbid
					case ct.Locator != "":
						ct.pos = posIbidWithLocator
					}
				}
			}
			if seen && c.c.NoteIndex > 0 && c.c.NoteIndex-lastNote[it] <= nearDist {
				ct.nearNote = true
			}
			if ct.NearNote {
				ct.nearNote = true
			}
			lastNote[it] = c.c.NoteIndex
		}
		if prevCitation == nil || c.c.NoteIndex == 0 || c.c.NoteIndex != prevCitation.c.NoteIndex {
			prevNote = nil
		}
		prevNotes[stream] = append(prevNote, c.cites...)
		prevCitations[stream] = c
	}
}

func attrIntMap(m map[string]string, k string, def int) int {
	v, ok := m[k]
	if !ok {
		return def
	}
	n := 0
	for _, r := range v {
		if r < '0' || r > '9' {
			return def
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// sortBibliography orders the items by the bibliography sort keys and
// renumbers them when the style sorts.
func (d *doc) sortBibliography() {
	bib := d.p.style.bibliography
	if bib == nil {
		return
	}
	sn := bib.child(kSort)
	if sn == nil || len(sn.kids) == 0 {
		return
	}
	items := d.items
	d.forEachItem(len(items), func(wd *doc, i int) {
		items[i].bibKeys = wd.sortKeys(sn, items[i], nil, true)
	})
	sort.SliceStable(d.items, func(i, j int) bool {
		return compareKeys(d.items[i].bibKeys, d.items[j].bibKeys, sn) < 0
	})
	// citation-number follows the sorted order unless sorting is by
	// citation-number itself (then the numbers stay the registration ones).
	if !sortsByCitationNumber(sn) {
		for i, it := range d.items {
			it.num = i + 1
		}
	}
}

// bibOrder puts items, given in registration order, in the order
// sortBibliography would give them. It evaluates the sort keys in the state
// sortBibliography sees, before any disambiguation.
func (d *doc) bibOrder(items []*itemState) {
	bib := d.p.style.bibliography
	if !d.lazyBibOrder || bib == nil || len(items) < 2 {
		return
	}
	sn := bib.child(kSort)
	if sn == nil || len(sn.kids) == 0 {
		return
	}
	global := d.global
	d.global = nil
	for _, it := range items {
		if it.bibKeys != nil {
			continue
		}
		saved := *it
		it.addNames, it.givenLevel, it.disambig, it.ys = 0, nil, false, 0
		keys := d.sortKeys(sn, it, nil, true)
		*it = saved
		it.bibKeys = keys
	}
	d.global = global
	// a stable sort of a subset in registration order keeps the relative
	// order the stable sort of all items gives
	sort.SliceStable(items, func(i, j int) bool {
		return compareKeys(items[i].bibKeys, items[j].bibKeys, sn) < 0
	})
}

func sortsByCitationNumber(sn *node) bool {
	for _, k := range sn.kids {
		if k.get("variable") == "citation-number" {
			return true
		}
	}
	return false
}

// sortCites orders the cites inside each citation by the citation sort.
func (d *doc) sortCites() {
	sn := d.p.style.citation.child(kSort)
	if sn == nil || len(sn.kids) == 0 {
		return
	}
	for _, c := range d.cits {
		if len(c.cites) < 2 {
			// nothing to order; the keys would be evaluated for nothing
			continue
		}
		for _, ct := range c.cites {
			ct.keys = d.sortKeys(sn, ct.it, ct, false)
		}
		sort.SliceStable(c.cites, func(i, j int) bool {
			return compareKeys(c.cites[i].keys, c.cites[j].keys, sn) < 0
		})
	}
}

// noteFields returns a copy of it with the variables that the note field
// carries as "name: value" lines (a Zotero convention citeproc-js honours,
// e.g. "event-date: 2004-10-01/2004-10-14") added where the item lacks
// them.
func noteFields(it *Item) *Item {
	var cp *Item
	namesCopied := false
	for _, line := range strings.Split(it.Vars["note"], "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "{:"), "}"))
		i := strings.Index(line, ":")
		if i <= 0 {
			continue
		}
		key, val := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		if val == "" || strings.ContainsAny(key, " \t") {
			continue
		}
		if cp == nil {
			c := *it
			c.Vars = make(map[string]string, len(it.Vars))
			for k, v := range it.Vars {
				c.Vars[k] = v
			}
			c.Dates = make(map[string]Date, len(it.Dates))
			for k, v := range it.Dates {
				c.Dates[k] = v
			}
			cp = &c
		}
		switch {
		case IsDateVariable(key):
			if _, ok := cp.Dates[key]; !ok {
				cp.Dates[key] = Date{Raw: val}
			}
		case IsNameVariable(key):
			// one name per line: "reviewed-author: Hall || W.C." (family ||
			// given) or a literal name; names the data already has win
			if _, ok := it.Names[key]; ok {
				continue
			}
			if !namesCopied {
				names := make(map[string][]Name, len(it.Names)+1)
				for k, v := range it.Names {
					names[k] = v
				}
				cp.Names, namesCopied = names, true
			}
			var nm Name
			if fam, giv, ok := strings.Cut(val, "||"); ok {
				nm.Family, nm.Given = strings.TrimSpace(fam), strings.TrimSpace(giv)
			} else {
				nm.Literal = val
			}
			cp.Names[key] = append(cp.Names[key], nm)
		case key == "type":
			// the item's own type wins
		default:
			if _, ok := cp.Vars[key]; !ok && isVariableName(key) {
				cp.Vars[key] = val
			}
		}
	}
	if cp == nil {
		return it
	}
	return cp
}

// isVariableName reports whether k looks like a CSL variable name.
func isVariableName(k string) bool {
	for _, r := range k {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return k != ""
}
