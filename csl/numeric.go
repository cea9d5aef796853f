package csl

import (
	"regexp"
	"strings"
)

// Whether a number variable is numeric, and whether its label takes the
// plural, are decided as citeproc-js decides them for the variables it
// parses as numbers (volume, issue, edition and the like): the value is cut
// at its joiners ("&", "and", ", ", "; ", hyphens and en dashes), a label
// the value starts with is dropped when it names the variable ("vol. 3"
// for a volume), and the value is numeric when its first piece is a number
// with optional letters ("3a", "S5", "7178999X") or a lower-case roman
// numeral. The label is plural when a numeric value has several pieces
// ("9; 11", "3, Sektion 9"). Page and locator values keep their own rules.

var (
	numJoiner     = regexp.MustCompile(`\s*&\s*|,\s+and\s+|\s+and\s+|;\s+|,\s+|\s*\\*[-–]+\s*`)
	numLabelFront = regexp.MustCompile(`^([a-z]+\.)\s*`)
	numParticle   = regexp.MustCompile(`^(?:[0-9]*[a-zA-Z]+0*)?([0-9]+(?:[a-zA-Z]*|[-,a-zA-Z]+))$`)
	numFirst      = regexp.MustCompile(`^(?:[0-9]+|[ixv]+)(?:[-,:a-zA-Z]*|-[-0-9]+)$`)
	numSlashed    = regexp.MustCompile(`^[0-9]+(?:/[0-9]+)+$`)
)

// parsedNumberVars are the variables numberInfo decides for.
var parsedNumberVars = map[string]bool{
	"volume": true, "issue": true, "number": true, "edition": true, "collection-number": true,
	"chapter-number": true, "part-number": true, "supplement-number": true, "printing-number": true,
	"call-number": true, "division": true, "section": true, "supplement": true,
}

// embeddedLabels are the labels a value may start with, and the variable
// each names.
var embeddedLabels = map[string]string{
	"vol.": "volume", "no.": "issue", "ch.": "chapter-number", "pt.": "part-number",
	"supp.": "supplement-number", "sec.": "section", "p.": "page", "pp.": "page",
}

// numberInfo reports whether the value s of variable v is numeric and
// whether a label for it takes the plural.
func numberInfo(v, s string) (numeric, plural bool) {
	s = strings.TrimSpace(s)
	if m := numLabelFront.FindStringSubmatch(s); m != nil {
		if lv, ok := embeddedLabels[m[1]]; ok && (lv == v || v == "number") {
			s = s[len(m[0]):]
		}
	}
	if s == "" {
		return false, false
	}
	parts := numJoiner.Split(s, -1)
	if len(parts) == 1 && numSlashed.MatchString(s) {
		// a double issue ("31/32") is one number
		return true, false
	}
	first := parts[0]
	if m := numParticle.FindStringSubmatch(first); m != nil {
		first = m[1]
	}
	numeric = numFirst.MatchString(first)
	return numeric, numeric && len(parts) > 1
}

// numAbbrevFront matches a short lower-case word with a period opening a
// value, and what follows it.
var numAbbrevFront = regexp.MustCompile(`^([a-z]{1,4}\.)([^ ].*)$`)

// defaultLabelVars are the variables citeproc-js gives a label of their
// own when the value has none ("vol." for a volume).
var defaultLabelVars = map[string]bool{"volume": true, "issue": true, "page": true, "section": true, "supplement": true}

// spaceAfterAbbrev puts a space after a short abbreviation opening the
// value of a number variable ("v.96" → "v. 96", "v.\u00a096" → "v. \u00a096"):
// citeproc-js takes it for a label, finds it is not one, and puts it back
// followed by a space.
func spaceAfterAbbrev(v, s string) string {
	if defaultLabelVars[v] || !strings.Contains(s, ".") {
		return s
	}
	m := numAbbrevFront.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	if lv, ok := embeddedLabels[m[1]]; ok && (lv == v || v == "number") {
		return s
	}
	return m[1] + " " + m[2]
}

// numLabelLike matches a piece opening with a short abbreviation, which
// citeproc-js reads as a label ("rev.", "verm.").
var numLabelLike = regexp.MustCompile(`^[a-z]{1,4}\.`)

// capitalizePieces capitalizes the first letter of every piece of a number
// value between joiners ("4., neubearbeitete Auflage" → "4., Neubearbeitete
// Auflage"): citeproc-js cuts such values into pieces and applies
// capitalize-first to each. A piece opening with a short abbreviation
// ("rev.") is read as a label and left alone.
func capitalizePieces(s string) string {
	locs := numJoiner.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return s
	}
	var sb strings.Builder
	start := 0
	piece := func(p string) {
		if p != "" && !numLabelLike.MatchString(p) {
			if lc := strings.ToLower(p); lc == p || !firstWordHasUpper(p) {
				p = capitalizeFirstWord(p)
			}
		}
		sb.WriteString(p)
	}
	for _, l := range locs {
		piece(s[start:l[0]])
		sb.WriteString(s[l[0]:l[1]])
		start = l[1]
	}
	piece(s[start:])
	return sb.String()
}

// pageStartsNumeric reports whether the first piece of a page value is a
// number as citeproc-js reads one; a page label takes the plural only
// then ("序2-3" is one page).
func pageStartsNumeric(s string) bool {
	first := numJoiner.Split(strings.TrimSpace(s), 2)[0]
	if m := numParticle.FindStringSubmatch(first); m != nil {
		first = m[1]
	}
	return numFirst.MatchString(first)
}
