package csl

import (
	"strconv"
	"strings"
	"unicode"
)

// numToken is a piece of a number variable: a number with its affixes or a
// separator.
type numToken struct {
	num   int
	isNum bool
	pre   string
	post  string
	sep   string
}

// splitNumeric splits s into numbers and separators; ok is false when s is
// not numeric in the CSL sense (numbers with optional letter affixes,
// separated by commas, hyphens or ampersands).
func splitNumeric(s string) ([]numToken, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	var toks []numToken
	i := 0
	rs := []rune(s)
	for i < len(rs) {
		r := rs[i]
		switch {
		case r == ' ':
			i++
		case r == '-' || r == ',' || r == '&' || r == '–':
			sep := string(r)
			i++
			toks = append(toks, numToken{sep: sep})
		case r == 'a' && i+3 <= len(rs) && string(rs[i:i+3]) == "and" && (i+3 == len(rs) || rs[i+3] == ' '):
			toks = append(toks, numToken{sep: "and"})
			i += 3
		default:
			j := i
			for j < len(rs) && rs[j] != ' ' && rs[j] != '-' && rs[j] != ',' && rs[j] != '&' && rs[j] != '–' {
				j++
			}
			word := string(rs[i:j])
			t, ok := parseNumWord(word)
			if !ok {
				return nil, false
			}
			toks = append(toks, t)
			i = j
		}
	}
	// must alternate number, separator, number…
	want := true
	for _, t := range toks {
		if t.isNum != want {
			return nil, false
		}
		want = !want
	}
	if want || len(toks) == 0 {
		return nil, false
	}
	return toks, true
}

func parseNumWord(w string) (numToken, bool) {
	if strings.Count(w, "/") > 0 {
		// "31/32", "1/2": a double issue is one number
		for _, part := range strings.Split(w, "/") {
			if _, ok := parseNumWord(part); !ok {
				return numToken{}, false
			}
		}
		first, _ := parseNumWord(w[:strings.IndexByte(w, '/')])
		return numToken{num: first.num, isNum: true, pre: first.pre, post: w[strings.IndexByte(w, '/'):]}, true
	}
	start, end := -1, -1
	for i, r := range w {
		if r >= '0' && r <= '9' {
			if start < 0 {
				start = i
			}
			if end >= 0 && end != i {
				return numToken{}, false
			}
			end = i + 1
		} else if !unicode.IsLetter(r) {
			return numToken{}, false
		}
	}
	if start < 0 {
		return numToken{}, false
	}
	n, err := strconv.Atoi(w[start:end])
	if err != nil {
		return numToken{}, false
	}
	return numToken{num: n, isNum: true, pre: w[:start], post: w[end:]}, true
}

func isNumeric(s string) bool {
	_, ok := splitNumeric(s)
	return ok
}

// evalNumber renders <number>.
func (c *ctx) evalNumber(n *node) *out {
	v := n.get("variable")
	c.called++
	val := c.numericValue(v)
	if v == "locator" && c.ct != nil {
		val = c.ct.Locator
	}
	if val == "" {
		return nil
	}
	c.rendered++
	if c.inSubst > 0 {
		c.substRendered = append(c.substRendered, v)
	}
	form := n.get("form")
	if strings.Contains(val, `\-`) {
		return c.finish(c.plainText(strings.ReplaceAll(val, `\-`, "-"), n.fmt), n.fmt, true)
	}
	toks, ok := splitNumeric(val)
	if !ok {
		// text with numbers: ranges still take an en dash ("21.1-2")
		return c.finish(c.plainText(digitRanges(spaceAfterAbbrev(v, val)), n.fmt), n.fmt, true)
	}
	gender := c.loc.genders[v]
	if v == "page" {
		gender = c.loc.genders["page"]
	}
	var sb strings.Builder
	for i, t := range toks {
		if !t.isNum {
			switch t.sep {
			case ",":
				sb.WriteString(", ")
			case "&":
				sb.WriteString(" & ")
			case "and":
				sb.WriteString(" and ")
			default:
				sb.WriteString("–")
			}
			continue
		}
		_ = i
		sb.WriteString(t.pre)
		sb.WriteString(c.formatNumber(t.num, form, gender))
		sb.WriteString(t.post)
	}
	s := sb.String()
	if v == "page" {
		s = c.formatPageRange(s)
	}
	return c.finish(c.plainText(s, n.fmt), n.fmt, true)
}

// plainText is richText without markup parsing: <number> shows its value
// literally ("1<sup>er</sup>" is text, as in citeproc-js).
func (c *ctx) plainText(s string, f *formatting) *out {
	if f != nil && f.stripPeriods {
		s = strings.ReplaceAll(s, ".", "")
	}
	o := leaf(s)
	if f != nil && f.textCase != "" {
		applyTextCase(o, f.textCase, c.isEnglish())
	}
	return o
}

func (c *ctx) formatNumber(n int, form, gender string) string {
	switch form {
	case "ordinal":
		return strconv.Itoa(n) + c.loc.ordinalSuffix(n, gender)
	case "long-ordinal":
		if n >= 1 && n <= 10 {
			name := "long-ordinal-" + twoDigits(n)
			if s, ok := c.loc.termGender(name, gender); ok {
				return s
			}
		}
		return strconv.Itoa(n) + c.loc.ordinalSuffix(n, gender)
	case "roman":
		return strings.ToLower(roman(n))
	}
	return strconv.Itoa(n)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func (l *Locale) termGender(name, gender string) (string, bool) {
	if v, ok := l.lookup(name, "long", gender); ok {
		return v.single, true
	}
	return "", false
}

// roman converts 1..3999 to upper-case roman numerals; other numbers stay
// decimal.
func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var sb strings.Builder
	for i, v := range vals {
		for n >= v {
			sb.WriteString(syms[i])
			n -= v
		}
	}
	return sb.String()
}

// formatPageRange reformats every "a-b" range in s according to the
// style's page-range-format and joins with an en dash.
func (c *ctx) formatPageRange(s string) string {
	format := c.p.opts["page-range-format"]
	delim, ok := c.loc.term("page-range-delimiter", "long", false, "")
	if !ok || delim == "" {
		delim = "–"
	}
	return pageRanges(s, format, delim)
}

func pageRanges(s, format, delim string) string {
	if strings.Contains(s, `\-`) {
		// an escaped hyphen is a literal hyphen, not a range ("3\-B")
		return strings.ReplaceAll(s, `\-`, "-")
	}
	if !strings.ContainsAny(s, "-–") || strings.Contains(s, "/") {
		return s
	}
	// Split on commas/ampersands (and semicolons that end a range, as
	// citeproc-js splits "289-307; 95-109") and format each part
	// independently.
	var sb strings.Builder
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' || s[i] == '&' || s[i] == ';' && i > 0 && isDigitByte(s[i-1]) && i+1 < len(s) && s[i+1] == ' ' {
			sb.WriteString(pageRange(s[start:i], format, delim))
			if i < len(s) {
				sb.WriteByte(s[i])
			}
			start = i + 1
		}
	}
	return sb.String()
}

func pageRange(part, format, delim string) string {
	lead := part[:len(part)-len(strings.TrimLeft(part, " "))]
	trail := part[len(strings.TrimRight(part, " ")):]
	p := strings.TrimSpace(part)
	var a, b string
	if i := strings.Index(p, "–"); i >= 0 {
		a, b = p[:i], p[i+len("–"):]
	} else if i := strings.IndexByte(p, '-'); i >= 0 {
		a, b = p[:i], p[i+1:]
		if strings.HasPrefix(b, "-") {
			// "225--240" is kept as written
			return part
		}
	} else {
		return part
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" {
		// "-140": a range without a start is just its end
		return lead + b + trail
	}
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	if errA != nil || errB != nil {
		if isRoman(a) && isRoman(b) {
			// roman numerals: only the dash changes
			return lead + a + delim + b + trail
		}
		// prefixed page numbers ("N110-N115", "8n11564-8n1568")
		preA, digA := splitDigitSuffix(a)
		preB, digB := splitDigitSuffix(b)
		if digA == "" || digB == "" || strings.ContainsAny(preA+preB, " :") {
			// free text ("266-290 Neudr. in: …") is left as written
			return part
		}
		if preA != preB {
			// a prefix on one side only, or different ones: not a range
			// the processor can vouch for; only the spacing is tidied
			return lead + a + "-" + b + trail
		}
		if format == "" {
			return lead + a + delim + b + trail
		}
		formatted := pageRange(digA+"-"+digB, format, delim)
		i := strings.Index(formatted, delim)
		if i < 0 {
			return lead + a + delim + b + trail
		}
		end := formatted[i+len(delim):]
		if format == "expanded" {
			end = preB + end
		}
		return lead + a + delim + end + trail
	}
	if format == "" {
		return lead + a + delim + b + trail
	}
	if len(b) < len(a) && nb < na {
		// "321-28" is shorthand for 321-328
		b = a[:len(a)-len(b)] + b
		nb, _ = strconv.Atoi(b)
	}
	if nb < na {
		return lead + a + delim + b + trail
	}
	switch format {
	case "expanded":
		return lead + a + delim + b + trail
	case "minimal":
		return lead + a + delim + minimal(a, b, 1) + trail
	case "minimal-two":
		return lead + a + delim + minimal(a, b, 2) + trail
	case "chicago", "chicago-15", "chicago-16":
		return lead + a + delim + chicago(a, b, na, format) + trail
	}
	return lead + a + delim + b + trail
}

func minimal(a, b string, keep int) string {
	if len(a) != len(b) {
		return b
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(b)-i < keep {
		i = len(b) - keep
		if i < 0 {
			i = 0
		}
	}
	return b[i:]
}

func chicago(a, b string, na int, format string) string {
	switch {
	case na < 100 || na%100 == 0:
		return b
	case na%100 < 10:
		return minimal(a, b, 1)
	}
	if format == "chicago-15" || format == "chicago" {
		if len(a) == 4 && len(b) == 4 {
			m := minimal(a, b, 2)
			if len(m) >= 3 {
				return b
			}
			return m
		}
	}
	return minimal(a, b, 2)
}

func isRoman(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range strings.ToLower(s) {
		if !strings.ContainsRune("ivxlcdm", r) {
			return false
		}
	}
	return true
}

// digitRanges puts an en dash in every hyphen between two digits.
func digitRanges(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	b := []byte(s)
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		if b[i] == '-' && i > 0 && i < len(b)-1 && isDigitByte(b[i-1]) && isDigitByte(b[i+1]) {
			sb.WriteString("–")
			continue
		}
		sb.WriteByte(b[i])
	}
	return sb.String()
}

// splitDigitSuffix splits "8n11564" into "8n" and "11564".
func splitDigitSuffix(s string) (pre, digits string) {
	i := len(s)
	for i > 0 && isDigitByte(s[i-1]) {
		i--
	}
	return s[:i], s[i:]
}
