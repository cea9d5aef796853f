package csl

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Options configures a Processor.
type Options struct {
	// Locale forces the locale (like citeproc-js forceLang); "" uses the
	// style's default-locale, else en-US.
	Locale string
	// LoadLocale returns the bytes of locales-<tag>.xml; it returns an error
	// when the locale is absent.
	LoadLocale func(tag string) ([]byte, error)
	// LoadStyle resolves a dependent style's parent, by id or by the last
	// segment of its URL.
	LoadStyle func(id string) ([]byte, error)
}

// Format selects the output markup.
type Format int

const (
	// HTML output as the CSL test suite expects it.
	HTML Format = iota
	// Text is plain text without markup.
	Text
)

// Cite is one reference inside a citation.
type Cite struct {
	ID             string
	Locator        string
	Label          string
	Prefix         string
	Suffix         string
	SuppressAuthor bool
	AuthorOnly     bool
	// Position overrides the computed position when non-zero:
	// 1 subsequent, 2 ibid, 3 ibid-with-locator (0 leaves it computed; a
	// first position can be forced with -1).
	Position int
	NearNote bool
}

// Citation is one citation cluster (one in-text citation or one note).
type Citation struct {
	ID        string
	Cites     []Cite
	NoteIndex int
}

// Entry is one formatted bibliography entry (markup per Format, without
// the csl-entry wrapper).
type Entry struct {
	ID   string
	Text string
}

// Bibliography is a formatted bibliography with the style's layout
// parameters.
type Bibliography struct {
	Entries          []Entry
	HangingIndent    bool
	SecondFieldAlign string // "", "flush" or "margin"
	LineSpacing      int
	EntrySpacing     int
	MaxOffset        int
}

// HTML returns the bibliography wrapped in csl-bib-body markup, exactly as
// the CSL test suite expects it.
func (b *Bibliography) HTML() string {
	var sb strings.Builder
	sb.WriteString("<div class=\"csl-bib-body\">\n")
	for _, e := range b.Entries {
		sb.WriteString("  <div class=\"csl-entry\">")
		sb.WriteString(e.Text)
		sb.WriteString("</div>\n")
	}
	sb.WriteString("</div>")
	return sb.String()
}

// Processor formats citations and bibliographies for one style and locale.
// It is immutable after construction and safe for concurrent use.
type Processor struct {
	style  *Style
	loc    *Locale
	class  string
	opts   map[string]string // style-level options
	citOpt map[string]string // citation options (with style-level inherited)
	bibOpt map[string]string
	// nameOptCache holds resolved <name> options (nameOptKey → *nameOpts);
	// filled lazily, safe for concurrent use
	nameOptCache sync.Map
	// numbered is set when the style renders or sorts by citation-number,
	// which makes the bibliography order visible in citations
	numbered bool
}

// NewProcessor prepares a processor for style s. A dependent style is
// resolved to its parent through opt.LoadStyle; its default-locale still
// applies.
func NewProcessor(s *Style, opt Options) (*Processor, error) {
	if s == nil {
		return nil, errors.New("csl: nil style")
	}
	defLocale := s.info.DefaultLocale
	if s.IsDependent() {
		if opt.LoadStyle == nil {
			return nil, fmt.Errorf("csl: style %q is dependent on %q and no style loader was given", s.info.ID, s.info.ParentID)
		}
		id := s.info.ParentID
		if i := strings.LastIndexByte(id, '/'); i >= 0 {
			id = id[i+1:]
		}
		data, err := opt.LoadStyle(id)
		if err != nil {
			return nil, fmt.Errorf("csl: loading parent %q of style %q: %w", id, s.info.ID, err)
		}
		parent, err := ParseStyle(data)
		if err != nil {
			return nil, fmt.Errorf("csl: parent %q of style %q: %w", id, s.info.ID, err)
		}
		if parent.IsDependent() {
			return nil, fmt.Errorf("csl: parent %q of style %q is itself dependent", id, s.info.ID)
		}
		if defLocale == "" {
			defLocale = parent.info.DefaultLocale
		}
		s = parent
	}
	tag := opt.Locale
	if tag == "" {
		tag = defLocale
	}
	if tag == "" {
		tag = "en-US"
	}
	loc, err := mergeLocale(s, tag, opt.LoadLocale)
	if err != nil {
		return nil, err
	}
	p := &Processor{style: s, loc: loc, class: s.info.Class}
	p.opts = s.root.attr
	p.citOpt = inheritOpts(s.root, s.citation)
	p.bibOpt = inheritOpts(s.root, s.bibliography)
	p.numbered = mentionsVariable(s.root, "citation-number")
	return p, nil
}

// mentionsVariable reports whether any element under n names variable v.
func mentionsVariable(n *node, v string) bool {
	for _, x := range strings.Fields(n.get("variable")) {
		if x == v {
			return true
		}
	}
	for _, k := range n.kids {
		if mentionsVariable(k, v) {
			return true
		}
	}
	return false
}

func inheritOpts(style, n *node) map[string]string {
	m := map[string]string{}
	for k, v := range style.attr {
		m[k] = v
	}
	if n != nil {
		for k, v := range n.attr {
			m[k] = v
		}
	}
	return m
}

// Style returns the (independent) style the processor formats with.
func (p *Processor) Style() *Style { return p.style }

// Render formats a whole document at once: every citation in order and the
// bibliography of all items. Items are registered in the order the
// citations first cite them (uncited ones after, in the given order), which
// is what citation numbers follow. Disambiguation and year suffixes consider
// every cite of the document. bib is nil when the style has no
// bibliography.
func (p *Processor) Render(items []Item, citations []Citation, f Format) (cites []string, bib *Bibliography, err error) {
	defer recoverInto(&err)
	d, err := p.newDoc(items)
	if err != nil {
		return nil, nil, err
	}
	// a document numbers its references in the order it first cites them
	d.firstCiteOrder = true
	if err := d.addCitations(citations); err != nil {
		return nil, nil, err
	}
	d.prepare()
	cites = d.renderCitations(f)
	if p.style.bibliography != nil {
		bib = d.renderBibliography(f)
	}
	return cites, bib, nil
}

// Bibliography formats the bibliography of items, registered in the given
// order.
func (p *Processor) Bibliography(items []Item, f Format) (bib *Bibliography, err error) {
	defer recoverInto(&err)
	if p.style.bibliography == nil {
		return &Bibliography{}, nil
	}
	d, err := p.newDoc(items)
	if err != nil {
		return nil, err
	}
	d.prepare()
	return d.renderBibliography(f), nil
}

// CiteEach formats one citation per item, in input order, as if every item
// were cited once, alone, in one document: every cite is a first cite and
// disambiguation considers all items.
func (p *Processor) CiteEach(items []Item, f Format) (out []string, err error) {
	defer recoverInto(&err)
	d, err := p.newDoc(items)
	if err != nil {
		return nil, err
	}
	cits := make([]Citation, len(items))
	for i, it := range items {
		cits[i] = Citation{Cites: []Cite{{ID: it.ID, Position: -1}}, NoteIndex: i + 1}
	}
	if err := d.addCitations(cits); err != nil {
		return nil, err
	}
	// no bibliography is printed, so its order matters only where it
	// shows: in citation numbers, and in the order of year suffixes
	d.lazyBibOrder = !p.numbered
	d.prepare()
	return d.renderCitations(f), nil
}

// recoverInto turns an internal panic into an error so that no input can
// crash a caller; the evaluator is written not to panic, this is a last
// line of defence.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("csl: internal error: %v", r)
	}
}
