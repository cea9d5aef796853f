package csl

import "strings"

// outTag marks output nodes that later stages need to find again.
type outTag uint8

const (
	tagNone outTag = iota
	tagYearSuffix
	tagCitationNumber
	tagNames   // output of a <names> element
	tagDate    // output of a <date> element
	tagLocator // output of the locator variable
	tagTitle
	tagOneName // one formatted name inside a names output
	tagTerm    // output of <text term>
)

// out is one node of the tagged output tree produced by evaluation. A leaf
// carries text (plain, unescaped); an inner node joins its kids with delim
// and wraps them in its formatting.
type out struct {
	text   string
	kids   []*out
	f      *formatting
	delim  string
	tag    outTag
	nocase bool // protected from text-case (a nocase span)
	quotes bool // rendered inside localized quotes
	// dataQuote marks quotation marks written in the field's text;
	// innerQuote, that they are single ones, rendered as inner quotes
	// outside any other quotes
	dataQuote, innerQuote bool
	// rawQuote is the opening mark of a dataQuote as title case reads it
	// in the field's text (" \"" opens, a "\"" after "(" does not)
	rawQuote string
	// rawName is, on a tagOneName node, the name's parts as the data
	// gives them, run together: subsequent-author-substitute compares
	// these, not the formatted names
	rawName string
	// keepNames marks names (or their substitute) that
	// subsequent-author-substitute leaves in place: citeproc-js does not
	// replace a substitute listed after a <names> with its own <name>
	keepNames bool
	// plain affixes of cite-level prefix/suffix, kept out of formatting
	prefix, suffix string
}

func leaf(s string) *out { return &out{text: s} }

// isEmpty reports whether the node renders nothing.
func (o *out) isEmpty() bool {
	if o == nil {
		return true
	}
	if o.text != "" {
		return false
	}
	for _, k := range o.kids {
		if !k.isEmpty() {
			return false
		}
	}
	return true
}

// plain returns the text content without formatting or affixes of the
// formatting attributes (used for sort keys and comparisons).
func (o *out) plain() string {
	var sb strings.Builder
	o.writePlain(&sb, true)
	return sb.String()
}

func (o *out) writePlain(sb *strings.Builder, affixes bool) {
	if o == nil {
		return
	}
	if affixes {
		sb.WriteString(o.prefix)
		if o.f != nil {
			sb.WriteString(o.f.prefix)
		}
	}
	sb.WriteString(o.text)
	first := true
	for _, k := range o.kids {
		if k.isEmpty() {
			continue
		}
		if !first {
			sb.WriteString(o.delim)
		}
		first = false
		k.writePlain(sb, affixes)
	}
	if affixes {
		if o.f != nil {
			sb.WriteString(o.f.suffix)
		}
		sb.WriteString(o.suffix)
	}
}

// find returns the first node with tag t in document order.
func (o *out) find(t outTag) *out {
	if o == nil {
		return nil
	}
	if o.tag == t {
		return o
	}
	for _, k := range o.kids {
		if r := k.find(t); r != nil {
			return r
		}
	}
	return nil
}

// group builds an inner node, dropping empty kids.
func group(f *formatting, delim string, kids ...*out) *out {
	o := &out{f: f, delim: delim}
	for _, k := range kids {
		if !k.isEmpty() {
			o.kids = append(o.kids, k)
		}
	}
	if len(o.kids) == 0 {
		return nil
	}
	return o
}
