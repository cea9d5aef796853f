package csl

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// elemKind identifies a CSL element; the evaluator switches on it instead of
// comparing names in the hot loop.
type elemKind uint8

const (
	kOther elemKind = iota
	kStyle
	kInfo
	kLocale
	kMacro
	kCitation
	kBibliography
	kLayout
	kSort
	kKey
	kText
	kNumber
	kLabel
	kDate
	kDatePart
	kNames
	kName
	kNamePart
	kEtAl
	kSubstitute
	kGroup
	kChoose
	kIf
	kElseIf
	kElse
	kTerms
	kTerm
	kSingle
	kMultiple
	kStyleOptions
	kLink
	kID
	kTitle
)

var elemKinds = map[string]elemKind{
	"style": kStyle, "info": kInfo, "locale": kLocale, "macro": kMacro, "citation": kCitation,
	"bibliography": kBibliography, "layout": kLayout, "sort": kSort, "key": kKey, "text": kText,
	"number": kNumber, "label": kLabel, "date": kDate, "date-part": kDatePart, "names": kNames,
	"name": kName, "name-part": kNamePart, "et-al": kEtAl, "substitute": kSubstitute, "group": kGroup,
	"choose": kChoose, "if": kIf, "else-if": kElseIf, "else": kElse, "terms": kTerms, "term": kTerm,
	"single": kSingle, "multiple": kMultiple, "style-options": kStyleOptions, "link": kLink, "id": kID,
	"title": kTitle,
}

// node is one element of a parsed style or locale. Attributes are kept as
// given; the frequently used ones are precomputed into fmt and cond.
type node struct {
	kind  elemKind
	name  string
	line  int
	attr  map[string]string
	kids  []*node
	text  string // character data (term values, info fields)
	macro *node  // resolved target of a macro attribute
	// vars: the variables of a <names>; for a child of <substitute>, every
	// variable it can render (macros expanded), precomputed for speed
	vars      []string
	substVars []string
	// frequently read attributes, copied out of attr
	variable, form, term, value string
	hasValue, pluralTerm        bool
	fmt                         *formatting
	cond                        *condition
}

func (n *node) get(k string) string {
	if n == nil || n.attr == nil {
		return ""
	}
	return n.attr[k]
}

func (n *node) has(k string) bool {
	if n == nil || n.attr == nil {
		return false
	}
	_, ok := n.attr[k]
	return ok
}

func (n *node) child(k elemKind) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.kids {
		if c.kind == k {
			return c
		}
	}
	return nil
}

// formatting holds the affixes, decorations and display attributes that
// most rendering elements accept.
type formatting struct {
	prefix, suffix string
	delimiter      string
	hasDelimiter   bool
	fontStyle      string
	fontVariant    string
	fontWeight     string
	textDecoration string
	verticalAlign  string
	display        string
	textCase       string
	quotes         bool
	stripPeriods   bool
	hasDecorations bool
	hasAffixes     bool
}

func newFormatting(n *node) *formatting {
	f := &formatting{
		prefix: n.get("prefix"), suffix: n.get("suffix"),
		fontStyle: n.get("font-style"), fontVariant: n.get("font-variant"), fontWeight: n.get("font-weight"),
		textDecoration: n.get("text-decoration"), verticalAlign: n.get("vertical-align"),
		display: n.get("display"), textCase: n.get("text-case"),
		quotes: n.get("quotes") == "true", stripPeriods: n.get("strip-periods") == "true",
	}
	f.delimiter, f.hasDelimiter = n.attr["delimiter"]
	f.hasDecorations = f.fontStyle != "" || f.fontVariant != "" || f.fontWeight != "" ||
		f.textDecoration != "" || f.verticalAlign != ""
	f.hasAffixes = f.prefix != "" || f.suffix != ""
	return f
}

// Style is a parsed CSL style. It is immutable once parsed and may be shared
// by several processors.
type Style struct {
	root         *node
	info         StyleInfo
	macros       map[string]*node
	citation     *node
	bibliography *node
	locales      []*node
	// inherited name options from <style>, <citation> and <bibliography>.
	styleOpts map[string]string
	version   string
	// yearSuffixVar is set when the style renders year-suffix itself.
	yearSuffixVar bool
	// usesDisambiguate is set when a condition tests disambiguate="true".
	usesDisambiguate bool
}

// StyleInfo is the identifying metadata of a style.
type StyleInfo struct {
	ID            string
	Title         string
	Class         string // "in-text" or "note"
	DefaultLocale string
	ParentID      string // set for dependent styles: the independent parent's id or URL
}

// Info returns the style's metadata.
func (s *Style) Info() StyleInfo { return s.info }

// IsDependent reports whether the style only names a parent style.
func (s *Style) IsDependent() bool { return s.citation == nil && s.info.ParentID != "" }

// ParseError reports a malformed style or locale with the line where the
// problem was found.
type ParseError struct {
	Line    int
	Element string
	Msg     string
}

func (e *ParseError) Error() string {
	if e.Element != "" {
		return fmt.Sprintf("line %d: <%s>: %s", e.Line, e.Element, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// parseXML reads a whole CSL (style or locale) document into a node tree.
func parseXML(data []byte) (*node, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	lineAt := newLineIndex(data)
	var stack []*node
	var root *node
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &ParseError{Line: se.Line, Msg: se.Msg}
			}
			return nil, &ParseError{Line: lineAt(dec.InputOffset()), Msg: err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, kind: elemKinds[t.Name.Local], line: lineAt(off + 1)}
			if len(t.Attr) > 0 {
				n.attr = make(map[string]string, len(t.Attr))
				for _, a := range t.Attr {
					k := a.Name.Local
					if a.Name.Space == "xml" || a.Name.Space == "http://www.w3.org/XML/1998/namespace" {
						k = "xml:" + k
					}
					n.attr[k] = a.Value
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, &ParseError{Line: 1, Msg: "no root element"}
	}
	return root, nil
}

func newLineIndex(data []byte) func(int64) int {
	var nl []int64
	for i, b := range data {
		if b == '\n' {
			nl = append(nl, int64(i))
		}
	}
	return func(off int64) int {
		lo, hi := 0, len(nl)
		for lo < hi {
			m := (lo + hi) / 2
			if nl[m] < off {
				lo = m + 1
			} else {
				hi = m
			}
		}
		return lo + 1
	}
}

// inheritable name attributes (CSL 1.0.2 "Inheritable Name Options") that
// <style>, <citation> and <bibliography> may carry for <names> and <name>.
var inheritableNameAttrs = []string{
	"and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min", "et-al-use-first",
	"et-al-use-last", "et-al-subsequent-min", "et-al-subsequent-use-first", "initialize",
	"initialize-with", "name-as-sort-order", "sort-separator", "name-form", "name-delimiter",
	"names-delimiter",
}

// ParseStyle parses a CSL 1.0.x style. Errors name the element and line.
// Macro references are resolved here: an unknown macro or a macro that
// calls itself (directly or indirectly) is an error, so evaluation can
// never loop.
func ParseStyle(data []byte) (*Style, error) {
	root, err := parseXML(data)
	if err != nil {
		return nil, fmt.Errorf("csl style: %w", err)
	}
	if root.name != "style" {
		return nil, fmt.Errorf("csl style: %w", &ParseError{Line: root.line, Element: root.name, Msg: "root element must be <style>"})
	}
	s := &Style{root: root, macros: map[string]*node{}, version: root.get("version")}
	s.info.Class = root.get("class")
	s.info.DefaultLocale = root.get("default-locale")
	for _, c := range root.kids {
		switch c.kind {
		case kInfo:
			for _, f := range c.kids {
				switch f.kind {
				case kID:
					s.info.ID = strings.TrimSpace(f.text)
				case kTitle:
					s.info.Title = strings.TrimSpace(f.text)
				case kLink:
					if f.get("rel") == "independent-parent" {
						s.info.ParentID = f.get("href")
					}
				}
			}
		case kMacro:
			name := c.get("name")
			if name == "" {
				return nil, fmt.Errorf("csl style: %w", &ParseError{Line: c.line, Element: "macro", Msg: "missing name attribute"})
			}
			s.macros[name] = c
		case kCitation:
			s.citation = c
		case kBibliography:
			s.bibliography = c
		case kLocale:
			s.locales = append(s.locales, c)
		}
	}
	if s.citation == nil && s.info.ParentID == "" {
		return nil, fmt.Errorf("csl style: %w", &ParseError{Line: root.line, Element: "style", Msg: "no <citation> element and no independent-parent link"})
	}
	if s.info.Class != "" && s.info.Class != "in-text" && s.info.Class != "note" {
		return nil, fmt.Errorf("csl style: %w", &ParseError{Line: root.line, Element: "style", Msg: fmt.Sprintf("class %q is neither \"in-text\" nor \"note\"", s.info.Class)})
	}
	for _, c := range []*node{s.citation, s.bibliography} {
		if c != nil && c.child(kLayout) == nil {
			return nil, fmt.Errorf("csl style: %w", &ParseError{Line: c.line, Element: c.name, Msg: "missing <layout>"})
		}
	}
	if err := s.prepare(root); err != nil {
		return nil, fmt.Errorf("csl style: %w", err)
	}
	precomputeVars(root)
	s.yearSuffixVar = nodeUsesVar(root, "year-suffix", map[*node]bool{})
	s.usesDisambiguate = hasAttr(root, "disambiguate")
	for name, m := range s.macros {
		if err := s.checkRecursion(m, map[string]bool{name: true}); err != nil {
			return nil, fmt.Errorf("csl style: %w", err)
		}
	}
	return s, nil
}

// prepare resolves macro references and precomputes formatting and
// conditions for every node below n.
func (s *Style) prepare(n *node) error {
	if n.kind == kInfo {
		return nil
	}
	switch n.kind {
	case kText, kKey:
		if m := n.get("macro"); m != "" {
			t, ok := s.macros[m]
			if !ok {
				return &ParseError{Line: n.line, Element: n.name, Msg: fmt.Sprintf("unknown macro %q", m)}
			}
			n.macro = t
		}
	case kIf, kElseIf:
		c, err := newCondition(n)
		if err != nil {
			return err
		}
		n.cond = c
	}
	switch n.kind {
	case kText, kNumber, kLabel, kDate, kDatePart, kNames, kName, kNamePart, kEtAl, kGroup, kLayout:
		n.fmt = newFormatting(n)
	}
	n.variable, n.form, n.term = n.get("variable"), n.get("form"), n.get("term")
	n.value, n.hasValue = n.attr["value"]
	n.pluralTerm = n.get("plural") == "true"
	if n.kind == kNumber || n.kind == kLabel || n.kind == kDatePart {
		if n.has("variable") && n.kind != kDatePart && n.get("variable") == "" {
			return &ParseError{Line: n.line, Element: n.name, Msg: "empty variable attribute"}
		}
	}
	for _, c := range n.kids {
		if err := s.prepare(c); err != nil {
			return err
		}
	}
	return nil
}

func (s *Style) checkRecursion(n *node, active map[string]bool) error {
	for _, c := range n.kids {
		if c.macro != nil {
			name := c.macro.get("name")
			if active[name] {
				return &ParseError{Line: c.line, Element: c.name, Msg: fmt.Sprintf("macro %q calls itself", name)}
			}
			active[name] = true
			if err := s.checkRecursion(c.macro, active); err != nil {
				return err
			}
			delete(active, name)
		}
		if err := s.checkRecursion(c, active); err != nil {
			return err
		}
	}
	return nil
}

// condition is a precomputed <if>/<else-if> test.
type condition struct {
	match        string // all, any, none
	disambiguate *bool
	isNumeric    []string
	isUncertain  []string
	locator      []string
	position     []string
	types        []string
	variables    []string
	// varKinds is the kind of each of variables, looked up once here
	// rather than at every test
	varKinds []varKind
}

func newCondition(n *node) (*condition, error) {
	c := &condition{match: n.get("match")}
	if c.match == "" {
		c.match = "all"
	}
	if c.match != "all" && c.match != "any" && c.match != "none" {
		return nil, &ParseError{Line: n.line, Element: n.name, Msg: fmt.Sprintf("match %q is not all, any or none", c.match)}
	}
	if v, ok := n.attr["disambiguate"]; ok {
		b := v == "true"
		c.disambiguate = &b
	}
	c.isNumeric = strings.Fields(n.get("is-numeric"))
	c.isUncertain = strings.Fields(n.get("is-uncertain-date"))
	c.locator = strings.Fields(n.get("locator"))
	c.position = strings.Fields(n.get("position"))
	c.types = strings.Fields(n.get("type"))
	c.variables = strings.Fields(n.get("variable"))
	c.varKinds = make([]varKind, len(c.variables))
	for i, v := range c.variables {
		c.varKinds[i] = kindOfVariable(v)
	}
	return c, nil
}

// attrInt reads an integer attribute, returning def when absent or invalid.
func attrInt(n *node, k string, def int) int {
	v := n.get(k)
	if v == "" {
		return def
	}
	i, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return def
	}
	return i
}

func hasAttr(n *node, k string) bool {
	if (n.kind == kIf || n.kind == kElseIf) && n.has(k) {
		return true
	}
	for _, c := range n.kids {
		if hasAttr(c, k) {
			return true
		}
	}
	return false
}

// precomputeVars fills node.vars once macros are resolved.
func precomputeVars(n *node) {
	if n.kind == kNames {
		n.vars = strings.Fields(n.get("variable"))
	}
	if n.kind == kSubstitute {
		for _, k := range n.kids {
			seen := map[string]bool{}
			collectVars(k, seen, 0)
			vs := make([]string, 0, len(seen))
			for v := range seen {
				vs = append(vs, v)
			}
			if k.kind == kNames {
				// keep the names' own list; substitution vars go elsewhere
				k.substVars = vs
			} else {
				k.substVars = vs
			}
		}
	}
	for _, k := range n.kids {
		precomputeVars(k)
	}
}

func collectVars(n *node, seen map[string]bool, depth int) {
	if depth > 64 {
		return
	}
	switch n.kind {
	case kNames, kText, kDate, kNumber:
		for _, v := range strings.Fields(n.get("variable")) {
			seen[v] = true
		}
	}
	if n.macro != nil {
		collectVars(n.macro, seen, depth+1)
	}
	for _, k := range n.kids {
		collectVars(k, seen, depth+1)
	}
}
