package csl

import (
	"fmt"
	"strings"
)

// termKey identifies one term variant.
type termKey struct {
	name, form, gender string
}

// termVal is a term's text in singular and plural.
type termVal struct {
	single, multiple string
	match            string // ordinal terms: last-digit, last-two-digits, whole-number
}

// Locale holds a merged set of locale data: terms, date formats and
// options.
type Locale struct {
	Lang           string
	terms          map[termKey]termVal
	genders        map[string]string // term name → gender of the noun (months, number variables)
	dates          map[string]*node  // "text" / "numeric"
	punctInQuote   bool
	limitDayOrd    bool
	hasPunctOpt    bool
	hasLimitDayOpt bool
	hasOrdinals    bool
}

func newLocale() *Locale {
	return &Locale{terms: map[termKey]termVal{}, genders: map[string]string{}, dates: map[string]*node{}}
}

// ParseLocale parses a CSL locale file (locales-xx-XX.xml).
func ParseLocale(data []byte) (*Locale, error) {
	root, err := parseXML(data)
	if err != nil {
		return nil, fmt.Errorf("csl locale: %w", err)
	}
	if root.name != "locale" {
		return nil, fmt.Errorf("csl locale: %w", &ParseError{Line: root.line, Element: root.name, Msg: "root element must be <locale>"})
	}
	l := newLocale()
	if err := l.apply(root); err != nil {
		return nil, fmt.Errorf("csl locale: %w", err)
	}
	l.Lang = root.get("xml:lang")
	return l, nil
}

// clone returns a copy that can be overridden without touching l.
func (l *Locale) clone() *Locale {
	c := &Locale{Lang: l.Lang, terms: make(map[termKey]termVal, len(l.terms)), genders: make(map[string]string, len(l.genders)),
		dates: make(map[string]*node, len(l.dates)), punctInQuote: l.punctInQuote, limitDayOrd: l.limitDayOrd,
		hasPunctOpt: l.hasPunctOpt, hasLimitDayOpt: l.hasLimitDayOpt, hasOrdinals: l.hasOrdinals}
	for k, v := range l.terms {
		c.terms[k] = v
	}
	for k, v := range l.genders {
		c.genders[k] = v
	}
	for k, v := range l.dates {
		c.dates[k] = v
	}
	return c
}

func isOrdinalTerm(name string) bool {
	return name == "ordinal" || (strings.HasPrefix(name, "ordinal-") && len(name) == 10)
}

// apply overrides l with the content of a <locale> element.
func (l *Locale) apply(n *node) error {
	for _, c := range n.kids {
		switch c.kind {
		case kStyleOptions:
			if v, ok := c.attr["punctuation-in-quote"]; ok {
				l.punctInQuote, l.hasPunctOpt = v == "true", true
			}
			if v, ok := c.attr["limit-day-ordinals-to-day-1"]; ok {
				l.limitDayOrd, l.hasLimitDayOpt = v == "true", true
			}
		case kDate:
			form := c.get("form")
			if form != "text" && form != "numeric" {
				return &ParseError{Line: c.line, Element: "date", Msg: fmt.Sprintf("locale date form %q is neither text nor numeric", form)}
			}
			prepareLocaleNode(c)
			l.dates[form] = c
		case kTerms:
			// A locale that defines ordinal suffixes replaces the whole
			// ordinal set it overrides, so stale ones cannot leak through.
			for _, t := range c.kids {
				if t.kind == kTerm && isOrdinalTerm(t.get("name")) {
					for k := range l.terms {
						if isOrdinalTerm(k.name) {
							delete(l.terms, k)
						}
					}
					break
				}
			}
			for _, t := range c.kids {
				if t.kind != kTerm {
					continue
				}
				name := t.get("name")
				if name == "" {
					return &ParseError{Line: t.line, Element: "term", Msg: "missing name attribute"}
				}
				form := t.get("form")
				if form == "" {
					form = "long"
				}
				if g := t.get("gender"); g != "" {
					l.genders[name] = g
				}
				v := termVal{match: t.get("match")}
				if s := t.child(kSingle); s != nil {
					v.single = termText(s.text)
					if m := t.child(kMultiple); m != nil {
						v.multiple = termText(m.text)
					} else {
						v.multiple = v.single
					}
				} else {
					v.single = termText(t.text)
					v.multiple = v.single
				}
				l.terms[termKey{name, form, t.get("gender-form")}] = v
			}
		}
	}
	return nil
}

func prepareLocaleNode(n *node) {
	switch n.kind {
	case kDate, kDatePart:
		n.fmt = newFormatting(n)
	}
	for _, c := range n.kids {
		prepareLocaleNode(c)
	}
}

// term looks a term up with the CSL form fallbacks (verb-short → verb →
// long, symbol → short → long, short → long). ok is false when the term
// is undefined; an empty defined term is returned as ok with "".
func (l *Locale) term(name, form string, plural bool, gender string) (string, bool) {
	if form == "" {
		form = "long"
	}
	if strings.IndexByte(name, ' ') > 0 {
		// CSL 1.0.2 renamed "sub verbo" to "sub-verbo"; data still uses
		// the old locator label
		if s, ok := l.term(strings.ReplaceAll(name, " ", "-"), form, plural, gender); ok {
			return s, ok
		}
	}
	for {
		if v, ok := l.lookup(name, form, gender); ok {
			if plural {
				return v.multiple, true
			}
			return v.single, true
		}
		switch form {
		case "verb-short":
			form = "verb"
		case "symbol":
			form = "short"
		case "verb", "short":
			form = "long"
		default:
			return "", false
		}
	}
}

func (l *Locale) lookup(name, form, gender string) (termVal, bool) {
	if gender != "" {
		if v, ok := l.terms[termKey{name, form, gender}]; ok {
			return v, true
		}
	}
	v, ok := l.terms[termKey{name, form, ""}]
	return v, ok
}

// ordinalSuffix picks the ordinal suffix for n following CSL 1.0.1 rules.
func (l *Locale) ordinalSuffix(n int, gender string) string {
	if n < 0 {
		n = -n
	}
	try := func(name string, match func(termVal) bool) (string, bool) {
		for _, g := range []string{gender, ""} {
			if v, ok := l.terms[termKey{name, "long", g}]; ok && match(v) {
				return v.single, true
			}
			if g == "" {
				break
			}
		}
		return "", false
	}
	if n >= 10 {
		name := fmt.Sprintf("ordinal-%02d", n%100)
		if s, ok := try(name, func(v termVal) bool { return v.match != "whole-number" || n < 100 }); ok {
			return s
		}
	}
	name := fmt.Sprintf("ordinal-%02d", n%10)
	if s, ok := try(name, func(v termVal) bool {
		switch v.match {
		case "last-two-digits":
			return n%100 < 10
		case "whole-number":
			return n < 10
		}
		// Teens take the generic suffix unless a two-digit term says otherwise.
		return n%100 < 10 || n%100 > 20
	}); ok {
		return s
	}
	if s, ok := try("ordinal", func(termVal) bool { return true }); ok {
		return s
	}
	return ""
}

// mergeLocale builds the effective locale for tag following the CSL
// fallback order: the style's own <locale> blocks for the exact tag, then
// for the language, then without a language; then the locale file for the
// exact tag, then the language's primary dialect, then en-US.
func mergeLocale(s *Style, tag string, load func(string) ([]byte, error)) (*Locale, error) {
	lang := tag
	if i := strings.IndexByte(tag, '-'); i > 0 {
		lang = tag[:i]
	}
	files := []string{"en-US"}
	if pd := primaryDialect(lang); pd != "" && pd != "en-US" {
		files = append(files, pd)
	}
	if tag != "" && tag != files[len(files)-1] && tag != lang {
		files = append(files, tag)
	}
	base := newLocale()
	loaded := 0
	for _, f := range files {
		if load == nil {
			break
		}
		data, err := load(f)
		if err != nil || data == nil {
			continue
		}
		l, err := ParseLocale(data)
		if err != nil {
			return nil, fmt.Errorf("locale %s: %w", f, err)
		}
		loaded++
		mergeInto(base, l)
	}
	if loaded == 0 && load != nil {
		return nil, fmt.Errorf("csl: no locale file found for %q (tried %s)", tag, strings.Join(files, ", "))
	}
	base.Lang = tag
	var layers []*node
	for _, ln := range s.locales {
		if ln.get("xml:lang") == "" {
			layers = append(layers, ln)
		}
	}
	for _, ln := range s.locales {
		if l := ln.get("xml:lang"); l == lang && l != tag {
			layers = append(layers, ln)
		}
	}
	for _, ln := range s.locales {
		if ln.get("xml:lang") == tag && tag != "" {
			layers = append(layers, ln)
		}
	}
	for _, ln := range layers {
		if err := base.apply(ln); err != nil {
			return nil, fmt.Errorf("style locale (line %d): %w", ln.line, err)
		}
	}
	return base, nil
}

func mergeInto(dst, src *Locale) {
	hasOrd := false
	for k := range src.terms {
		if isOrdinalTerm(k.name) {
			hasOrd = true
			break
		}
	}
	if hasOrd {
		for k := range dst.terms {
			if isOrdinalTerm(k.name) {
				delete(dst.terms, k)
			}
		}
	}
	for k, v := range src.terms {
		dst.terms[k] = v
	}
	for k, v := range src.genders {
		dst.genders[k] = v
	}
	for k, v := range src.dates {
		dst.dates[k] = v
	}
	if src.hasPunctOpt {
		dst.punctInQuote, dst.hasPunctOpt = src.punctInQuote, true
	}
	if src.hasLimitDayOpt {
		dst.limitDayOrd, dst.hasLimitDayOpt = src.limitDayOrd, true
	}
}

var primaryDialects = map[string]string{
	"af": "af-ZA", "ar": "ar", "bal": "bal-PK", "bg": "bg-BG", "brh": "brh-PK", "ca": "ca-AD", "cs": "cs-CZ",
	"cy": "cy-GB", "da": "da-DK", "de": "de-DE", "el": "el-GR", "en": "en-US", "es": "es-ES", "et": "et-EE",
	"eu": "eu", "fa": "fa-IR", "fi": "fi-FI", "fr": "fr-FR", "gl": "gl-ES", "he": "he-IL", "hi": "hi-IN",
	"hr": "hr-HR", "hu": "hu-HU", "hy": "hy-AM", "id": "id-ID", "is": "is-IS", "it": "it-IT", "ja": "ja-JP",
	"km": "km-KH", "ko": "ko-KR", "la": "la", "lij": "lij-IT", "lt": "lt-LT", "lv": "lv-LV", "mn": "mn-MN",
	"ms": "ms-MY", "nb": "nb-NO", "nl": "nl-NL", "nn": "nn-NO", "pa": "pa-PK", "pl": "pl-PL", "pt": "pt-PT",
	"ro": "ro-RO", "ru": "ru-RU", "sk": "sk-SK", "sl": "sl-SI", "sr": "sr-Latn-RS", "sv": "sv-SE",
	"th": "th-TH", "tr": "tr-TR", "uk": "uk-UA", "vi": "vi-VN", "zh": "zh-CN",
}

func primaryDialect(lang string) string { return primaryDialects[lang] }

// termText drops the layout whitespace of a term written over several
// lines (an empty <term> with indentation inside); other spaces count.
func termText(s string) string {
	if strings.ContainsAny(s, "\n\r\t") && strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}
