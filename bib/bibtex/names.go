package bibtex

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/imprintpub/imprint/csl"
)

// Others is the name that stands for BibTeX's "and others": CSL-JSON has no
// et-al. marker, so like other converters we keep it as a literal name,
// which the writer turns back into "and others".
var Others = csl.Name{Literal: "others"}

// IsOthers reports whether n is the "and others" marker.
func IsOthers(n csl.Name) bool { return n == Others }

// splitTop splits s at sep (case-insensitively, surrounded by blanks when
// word is set) outside braces.
func splitNames(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ' ', '\t', '\n', '\r':
			if depth == 0 && i+4 < len(s) && strings.EqualFold(s[i+1:i+4], "and") && isBlank(s[i+4]) {
				parts = append(parts, s[start:i])
				i += 4
				start = i + 1
			}
		}
	}
	parts = append(parts, s[start:])
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// words splits a name part into blank-separated words outside braces;
// commas at depth 0 separate parts and come back as the word ",".
func words(s string) []string {
	var out []string
	depth, start := 0, -1
	flush := func(i int) {
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{':
			depth++
			if start < 0 {
				start = i
			}
		case c == '}':
			depth--
		case depth == 0 && (isBlank(c) || c == '~'):
			flush(i)
		case depth == 0 && c == ',':
			flush(i)
			out = append(out, ",")
		default:
			if start < 0 {
				start = i
			}
		}
	}
	flush(len(s))
	return out
}

// wordCase reports the case of a word as BibTeX sees it: the first letter
// at brace depth 0, or inside a special character {\…}. 'u', 'l', or 0 for
// a caseless word.
func wordCase(w string) byte {
	depth := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == '{':
			if depth == 0 && i+1 < len(w) && w[i+1] == '\\' {
				// A special character: the case of its first letter after
				// the command name decides.
				j := i + 2
				for j < len(w) && isLetter(w[j]) {
					j++
				}
				name := w[i+2 : j]
				if s, ok := letterCommands[name]; ok && s != "" && len(name) <= 2 {
					r, _ := utf8.DecodeRuneInString(s)
					return caseOf(r)
				}
				for ; j < len(w); j++ {
					if isLetter(w[j]) {
						return caseOf(rune(w[j]))
					}
				}
				return 0
			}
			depth++
		case c == '}':
			depth--
		case depth == 0:
			r, _ := utf8.DecodeRuneInString(w[i:])
			if unicode.IsLetter(r) {
				return caseOf(r)
			}
		}
	}
	return 0
}

func caseOf(r rune) byte {
	if unicode.IsLower(r) {
		return 'l'
	}
	return 'u'
}

// parseName splits one BibTeX name into CSL parts. The von part becomes the
// non-dropping particle, as CSL-JSON converters conventionally do.
func parseName(src string) (csl.Name, error) {
	src = strings.TrimSpace(src)
	if strings.EqualFold(src, "others") {
		return Others, nil
	}
	if strings.Contains(src, "=") && !strings.HasPrefix(src, "{") {
		if n, ok, err := parseKeyValueName(src); ok || err != nil {
			return n, err
		}
	}
	ws := words(src)
	// A single fully braced word is a literal name: {World Health Organization}.
	if len(ws) == 1 && strings.HasPrefix(ws[0], "{") && strings.HasSuffix(ws[0], "}") && closesAtEnd(ws[0]) && !strings.HasPrefix(ws[0], "{\\") {
		lit, err := toText(ws[0][1:len(ws[0])-1], plainText)
		return csl.Name{Literal: lit}, err
	}
	var segs [][]string
	cur := []string{}
	for _, w := range ws {
		if w == "," {
			segs = append(segs, cur)
			cur = []string{}
			continue
		}
		cur = append(cur, w)
	}
	segs = append(segs, cur)
	var first, von, last, jr []string
	switch len(segs) {
	case 1: // First von Last
		ws := segs[0]
		if len(ws) == 0 {
			return csl.Name{}, fmt.Errorf("empty name")
		}
		vStart, vEnd := -1, -1
		for i := 0; i < len(ws)-1; i++ {
			if wordCase(ws[i]) == 'l' {
				if vStart < 0 {
					vStart = i
				}
				vEnd = i + 1
			}
		}
		if vStart < 0 {
			first, last = ws[:len(ws)-1], ws[len(ws)-1:]
		} else {
			first, von, last = ws[:vStart], ws[vStart:vEnd], ws[vEnd:]
		}
	case 2, 3: // von Last, First  |  von Last, Jr, First
		vl := segs[0]
		if len(segs) == 3 {
			jr, first = segs[1], segs[2]
		} else {
			first = segs[1]
		}
		if len(vl) == 0 {
			// ", Unité d'Eurydice": no family name at all; what there is
			// stays a given name, as BibTeX reads it.
			g, err := toText(strings.Join(first, " "), plainText)
			return csl.Name{Given: g}, err
		}
		vEnd := 0
		for i := 0; i < len(vl)-1; i++ {
			if wordCase(vl[i]) == 'l' {
				vEnd = i + 1
			}
		}
		von, last = vl[:vEnd], vl[vEnd:]
	default:
		return csl.Name{}, fmt.Errorf("name %q has too many commas", src)
	}
	if len(segs) > 1 && len(von) == 0 {
		// "Dalen, Dirk van": lower-case words ending the given name are the
		// particle, written after the given name in this form.
		k := len(first)
		for k > 1 && wordCase(first[k-1]) == 'l' && isPlainWord(first[k-1]) {
			k--
		}
		if k < len(first) {
			von, first = first[k:], first[:k]
		}
	}
	var n csl.Name
	var err error
	part := func(ws []string) string {
		if err != nil || len(ws) == 0 {
			return ""
		}
		var s string
		s, err = toText(strings.Join(ws, " "), plainText)
		return s
	}
	n.Given = spaceInitials(part(first))
	n.NonDroppingParticle = part(von)
	n.Family = part(last)
	n.Suffix = part(jr)
	return n, err
}

// closesAtEnd reports whether the brace opening w closes at its last byte.
func closesAtEnd(w string) bool {
	depth := 0
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i == len(w)-1
			}
		}
	}
	return false
}

// parseKeyValueName reads BibLaTeX's extended name format:
// "family=Smith, given=John, prefix=von, useprefix=true". ok is false when
// src is not in that format.
func parseKeyValueName(src string) (csl.Name, bool, error) {
	var n csl.Name
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, src[start:i])
				start = i + 1
			}
		}
	}
	parts = append(parts, src[start:])
	for _, p := range parts {
		k, v, found := strings.Cut(p, "=")
		if !found {
			return n, false, nil
		}
		k = strings.ToLower(strings.TrimSpace(k))
		switch k {
		case "family", "given", "prefix", "suffix", "useprefix", "given-i", "family-i", "prefix-i", "suffix-i":
		default:
			return n, false, nil
		}
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, "{") && closesAtEnd(v) {
			v = v[1 : len(v)-1]
		}
		t, err := toText(v, plainText)
		if err != nil {
			return n, true, err
		}
		switch k {
		case "family":
			n.Family = t
		case "given":
			n.Given = t
		case "prefix":
			n.NonDroppingParticle = t
		case "suffix":
			n.Suffix = t
		case "useprefix", "given-i", "family-i", "prefix-i", "suffix-i":
		default:
			return n, false, nil
		}
	}
	return n, n.Family != "", nil
}

// parseNames splits a name list ("A and B and others").
func parseNames(src string) ([]csl.Name, error) {
	var out []csl.Name
	for _, s := range splitNames(src) {
		n, err := parseName(s)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// formatNames writes a name list in "von Last, Jr, First" form joined by
// "and", bracing whatever would otherwise be split differently on reading.
func formatNames(ns []csl.Name, fl Flavor) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = formatName(n, fl)
	}
	return strings.Join(parts, " and ")
}

func formatName(n csl.Name, fl Flavor) string {
	if IsOthers(n) {
		return "others"
	}
	if n.Literal != "" || n.Family == "" && n.Given == "" {
		return "{" + escapeText(firstNonEmpty(n.Literal, "Anonymous"), fl) + "}"
	}
	if n.Family == "" {
		return "{" + escapeText(n.Given, fl) + "}"
	}
	family := escapeText(n.Family, fl)
	// Words of the family name that would be taken for a particle (lower
	// case) or split off at a comma or "and" are protected as a whole.
	if fw := words(family); len(fw) > 1 || strings.Contains(family, ",") {
		protect := strings.Contains(family, ",")
		for _, w := range fw {
			if wordCase(w) == 'l' || strings.EqualFold(w, "and") {
				protect = true
			}
		}
		if protect {
			family = "{" + family + "}"
		}
	}
	var b strings.Builder
	particle := firstNonEmpty(n.NonDroppingParticle, n.DroppingParticle)
	if particle != "" {
		p := escapeText(particle, fl)
		if wordCase(p) != 'l' {
			// An upper-case particle ("Van") would read back as part of the
			// family name. BibLaTeX's extended name format keeps it apart;
			// BibTeX has no way to, so it joins the protected family name.
			if fl == BibLaTeX {
				return keyValueName(n, fl)
			}
			family = "{" + p + " " + strings.TrimSuffix(strings.TrimPrefix(family, "{"), "}") + "}"
		} else {
			b.WriteString(p)
			b.WriteByte(' ')
		}
	}
	b.WriteString(family)
	given := protectName(escapeText(n.Given, fl))
	if n.Suffix != "" {
		b.WriteString(", ")
		b.WriteString(protectName(escapeText(n.Suffix, fl)))
		b.WriteString(", ")
		b.WriteString(given)
	} else if n.Given != "" {
		b.WriteString(", ")
		b.WriteString(given)
	}
	return b.String()
}

// protectName braces a given name or suffix containing a comma or the word
// "and".
func protectName(s string) string {
	if strings.Contains(s, ",") {
		return "{" + s + "}"
	}
	for _, w := range words(s) {
		if strings.EqualFold(w, "and") {
			return "{" + s + "}"
		}
	}
	return s
}

// keyValueName writes BibLaTeX's extended name format.
func keyValueName(n csl.Name, fl Flavor) string {
	var parts []string
	for _, kv := range [][2]string{{"family", n.Family}, {"given", n.Given},
		{"prefix", firstNonEmpty(n.NonDroppingParticle, n.DroppingParticle)}, {"suffix", n.Suffix}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"={"+escapeText(kv[1], fl)+"}")
		}
	}
	return strings.Join(parts, ", ")
}

// spaceInitials separates run-together initials ("R.L." → "R. L."), which
// CSL processors would otherwise take for one initial.
func spaceInitials(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		b.WriteRune(r)
		if r == '.' && i+1 < len(rs) && unicode.IsUpper(rs[i+1]) {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// isPlainWord reports whether w is letters only, as particles are ("van",
// "d'"), unlike "(vBrugmo" or "vtsho)".
func isPlainWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '\'' && r != '’' {
			return false
		}
	}
	return true
}
